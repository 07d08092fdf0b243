"""every mention field that fusion reads: target, date qualifier and wording, place population

Before this revision the store kept neither a mention's target ("airport", "embassy") nor its date's
qualifier ("early", "late") and wording, nor a place's population, all of which the fusion rule reads.
Incidents fused from stored mentions then differed from those fused right after extraction (the
evaluation's). Mentions stored before this revision keep NULLs until their documents are re-extracted.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentions", sa.Column("target", T()))
    op.add_column("mentions", sa.Column("date_qualifier", T()))
    op.add_column("mentions", sa.Column("date_text", T()))
    op.add_column("places", sa.Column("population", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("date_text")
        batch.drop_column("date_qualifier")
        batch.drop_column("target")
    with op.batch_alter_table("places") as batch:
        batch.drop_column("population")
