"""incident_rollup: incidents and figure sums by period, country and type, kept with every write

Counts by month, country or type (the common ones) then read a table of a few thousand rows instead of
every incident. Filled here from the incidents already fused; kept up to date by ``write_incidents``.

Revision ID: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

KEYS = ("period", "country", "event_type", "attack_type")
SUMS = ("n", *(f"{f}_{p}" for f in ("killed", "wounded", "arrested") for p in ("best", "low", "high")))


def upgrade() -> None:
    op.create_table(
        "incident_rollup",
        *(sa.Column(k, T(), nullable=False) for k in KEYS),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in SUMS),
        sa.PrimaryKeyConstraint(*KEYS),
    )
    from amu.store.counts import fill_rollup     # the same query that keeps it up to date

    fill_rollup(op.get_bind())


def downgrade() -> None:
    op.drop_table("incident_rollup")
