"""incidents_country_date holds the id too: a listing's page is ordered from the index alone

``amu incidents --country AF --since 2020`` orders the matching incidents by date and id and keeps the first
page; with the id in the index, that order needs no read of the table (tens of milliseconds at 1M mentions).

Revision ID: 0014
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("incidents_country_date", table_name="incidents")
    op.create_index("incidents_country_date", "incidents", ["country", "date", "id"])


def downgrade() -> None:
    op.drop_index("incidents_country_date", table_name="incidents")
    op.create_index("incidents_country_date", "incidents", ["country", "date"])
