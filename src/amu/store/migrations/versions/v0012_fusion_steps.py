"""fusion steps: when in the canonical order each incident began, ended, was filed under and read each block

An incident cannot have moved a decision made before it was filed under the block read, and a decision
made before a change cannot have seen it; with these steps kept, an ingest re-decides far fewer incidents
and proves capped blocks full without reading any mentions (:mod:`amu.resolve.incremental`). The texts
are opaque to the store.

Revision ID: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("fusion_keys", sa.Column("step", T(), nullable=True))
    op.create_table(
        "fusion_steps",
        sa.Column("incident_id", T(), primary_key=True),
        sa.Column("steps", T(), nullable=False),
        sa.Column("last", T(), nullable=False),
        sa.Column("steady", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fusion_steps")
    with op.batch_alter_table("fusion_keys") as batch:
        batch.drop_column("step")
