"""fusion_keys: the blocks each incident was filed under and read, for incremental fusion

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fusion_keys",
        sa.Column("kind", T(), nullable=False),
        sa.Column("key", T(), nullable=False),
        sa.Column("incident_id", T(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", "incident_id"),
    )
    op.create_index("fusion_keys_incident", "fusion_keys", ["incident_id", "kind", "key"])


def downgrade() -> None:
    op.drop_table("fusion_keys")
