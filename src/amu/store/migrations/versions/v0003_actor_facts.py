"""actor aliases seen, relations with evidence, people as named (was hand migration 3)

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actor_aliases",
        sa.Column("actor", T(), primary_key=True),
        sa.Column("kind", T(), nullable=False),
        sa.Column("alias", T(), primary_key=True),
        sa.Column("doc_id", T(), sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("first_start", sa.Integer, nullable=False),
        sa.Column("first_end", sa.Integer, nullable=False),
    )
    op.create_index("actor_aliases_doc", "actor_aliases", ["doc_id"])
    op.create_table(
        "relations",
        sa.Column("id", T(), primary_key=True),
        sa.Column("subject", T(), nullable=False), sa.Column("subject_kind", T(), nullable=False),
        sa.Column("relation", T(), nullable=False),
        sa.Column("object", T(), nullable=False), sa.Column("object_kind", T(), nullable=False),
        sa.Column("doc_id", T(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("doc", T(), nullable=False),
        sa.Column("evidence_text", T(), nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("mention_id", T()),
        sa.Column("extractor", T(), nullable=False),
    )
    op.create_index("relations_doc", "relations", ["doc_id"])
    op.create_index("relations_subject", "relations", ["subject"])
    op.create_index("relations_object", "relations", ["object"])
    # People exactly as a report names them in a relation's evidence sentence, and nothing else.
    op.create_table(
        "people",
        sa.Column("name", T(), nullable=False),
        sa.Column("key", T(), nullable=False),
        sa.Column("doc_id", T(), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("relation_id", T(), sa.ForeignKey("relations.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("relation_id", "key"),
    )
    op.create_index("people_key", "people", ["key"])
    op.create_index("people_doc", "people", ["doc_id"])


def downgrade() -> None:
    for table in ("people", "relations", "actor_aliases"):
        op.drop_table(table)
