"""mention date hint: the day a report without a publication date states without a year ("Tuesday")

Fusion compares it with dated reports (:mod:`amu.resolve.hints`). Mentions stored before this revision
have none; re-extracting their documents fills it in.

Revision ID: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentions", sa.Column("date_hint", T()))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("date_hint")
