"""incident_group_rollup: incidents and figure sums by period, country, type and group, kept with every write

Counts by group then read a table of a few thousand rows instead of unnesting every incident's groups.
``several`` counts the incidents that name more than one group, each once (at its first group by name), so
that the count of incidents under several keys comes from the table too. Filled here from the incidents
already fused; kept up to date by ``write_incidents``.

Revision ID: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

KEYS = ("period", "country", "event_type", "attack_type", "actor")
SUMS = ("n", *(f"{f}_{p}" for f in ("killed", "wounded", "arrested") for p in ("best", "low", "high")), "several")


def upgrade() -> None:
    op.create_table(
        "incident_group_rollup",
        *(sa.Column(k, T(), nullable=False) for k in KEYS),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in SUMS),
        sa.PrimaryKeyConstraint("country", "period", "event_type", "attack_type", "actor"),
    )
    from amu.store.counts import fill_group_rollup     # the same query that keeps it up to date

    fill_group_rollup(op.get_bind())


def downgrade() -> None:
    op.drop_table("incident_group_rollup")
