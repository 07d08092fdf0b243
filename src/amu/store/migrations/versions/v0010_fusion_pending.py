"""fusion_pending: incidents that lost a mention since the last fusion (a document re-extracted)

Incremental fusion re-decides them. With it, the partition lives in ``mentions.incident_id`` alone and the
saved fusion state no longer lists every incident's mentions (a value that grew with the store and was
read and rewritten by every ingest).

Revision ID: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("fusion_pending", sa.Column("incident_id", T(), primary_key=True))


def downgrade() -> None:
    op.drop_table("fusion_pending")
