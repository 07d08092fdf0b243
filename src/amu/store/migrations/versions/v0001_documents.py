"""documents, rejections, places, mentions, actors (was hand migration 1)

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", T(), primary_key=True),
        sa.Column("name", T(), nullable=False),
        sa.Column("path", T()), sa.Column("title", T()), sa.Column("url", T()), sa.Column("publisher", T()),
        sa.Column("author", T()), sa.Column("published", T()),
        sa.Column("published_inferred", sa.Integer, nullable=False, server_default="0"),
        sa.Column("language", T()), sa.Column("source_format", T()),
        sa.Column("meta_json", T(), nullable=False, server_default="{}"),
        sa.Column("text", T(), nullable=False),
        sa.Column("ingested_at", T(), nullable=False),
        sa.Column("extracted_with", T()),
    )
    op.create_index("documents_name", "documents", ["name"])
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", T(), nullable=False),
        sa.Column("reason", T(), nullable=False),
        sa.Column("at", T(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "places",
        sa.Column("id", T(), primary_key=True),
        sa.Column("name", T(), nullable=False),
        sa.Column("country", T(), nullable=False),
        sa.Column("kind", T(), nullable=False),
        sa.Column("admin1", T()), sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
        sa.Column("geonameid", sa.Integer),
    )
    op.create_table(
        "mentions",
        sa.Column("id", T(), primary_key=True),
        sa.Column("doc_id", T(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("doc", T(), nullable=False),
        sa.Column("event_type", T(), nullable=False),
        sa.Column("attack_type", T()), sa.Column("date", T()), sa.Column("date_precision", T()),
        sa.Column("country", T()), sa.Column("location", T()),
        sa.Column("place_id", T(), sa.ForeignKey("places.id")),
        sa.Column("perpetrator", T()),
        sa.Column("nationality_json", T(), nullable=False, server_default="[]"),
        sa.Column("killed_min", sa.Integer), sa.Column("killed_max", sa.Integer), sa.Column("killed_text", T()),
        sa.Column("wounded_min", sa.Integer), sa.Column("wounded_max", sa.Integer), sa.Column("wounded_text", T()),
        sa.Column("arrested_min", sa.Integer), sa.Column("arrested_max", sa.Integer),
        sa.Column("arrested_text", T()),
        sa.Column("status", T()),
        sa.Column("people_json", T(), nullable=False, server_default="[]"),
        sa.Column("evidence_text", T(), nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("extractor", T(), nullable=False),
        sa.Column("extractor_version", T(), nullable=False),
        sa.Column("model", T()), sa.Column("confidence", sa.Float), sa.Column("incident_id", T()),
        sa.Column("spans_json", T(), nullable=False, server_default="{}"),
    )
    op.create_index("mentions_doc", "mentions", ["doc_id"])
    op.create_index("mentions_incident", "mentions", ["incident_id"])
    op.create_index("mentions_block", "mentions", ["event_type", "country", "date"])
    op.create_table(
        "actors",
        sa.Column("id", T(), primary_key=True),
        sa.Column("name", T(), nullable=False, unique=True),
        sa.Column("kind", T(), nullable=False),
        sa.Column("parent", T()),
    )
    op.create_table(
        "mention_actors",
        sa.Column("mention_id", T(), sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("actor_id", T(), sa.ForeignKey("actors.id"), primary_key=True),
        sa.Column("role", T(), primary_key=True),
    )


def downgrade() -> None:
    for table in ("mention_actors", "actors", "mentions", "places", "rejections", "documents"):
        op.drop_table(table)
