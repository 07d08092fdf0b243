"""incidents (fused across documents) and the fusion state (was hand migration 2)

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", T(), primary_key=True),
        sa.Column("event_type", T(), nullable=False),
        sa.Column("attack_type", T()), sa.Column("date", T()), sa.Column("country", T()),
        sa.Column("location", T()), sa.Column("perpetrator", T()), sa.Column("killed_best", sa.Integer),
        sa.Column("n_mentions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("n_sources", sa.Integer, nullable=False, server_default="0"),
        sa.Column("data_json", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
    )
    op.create_index("incidents_block", "incidents", ["event_type", "country", "date"])
    op.create_table(
        "fusion_state",
        sa.Column("key", T(), primary_key=True),
        sa.Column("value_json", T(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fusion_state")
    op.drop_table("incidents")
