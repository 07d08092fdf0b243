"""incidents_country_date: lists and counts by country and period read an index, not the whole table

Revision ID: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("incidents_country_date", "incidents", ["country", "date"])


def downgrade() -> None:
    op.drop_index("incidents_country_date", table_name="incidents")
