"""full-text search over documents and evidence: FTS5 tables on SQLite, GIN indexes on PostgreSQL

Revision ID: 0004
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copies of amu.store.tables' search settings (a migration never changes once shipped).
TOKENIZER = "porter unicode61 remove_diacritics 2"
DOCUMENT_TSV = "to_tsvector('english'::regconfig, left(coalesce(title, '') || ' ' || text, 1000000))"
EVIDENCE_TSV = "to_tsvector('english'::regconfig, evidence_text)"


def _rowid(ident: str) -> int:
    return int.from_bytes(hashlib.sha1(ident.encode("utf-8")).digest()[:8], "big") >> 1


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"CREATE INDEX documents_search ON documents USING gin (({DOCUMENT_TSV}))")
        op.execute(f"CREATE INDEX evidence_search ON mentions USING gin (({EVIDENCE_TSV}))")
        return
    # SQLite: FTS5 tables that keep their own copy of the text, keyed by a hash of the row's id
    # (the store writes them with the rows; implicit rowids would change on VACUUM).
    # ``ref`` is the row's id, to join back; rowid is a hash of it, to delete by key.
    for fts, select in (("documents_fts", "SELECT id, coalesce(title, '') || ' ' || text FROM documents"),
                        ("evidence_fts", "SELECT id, evidence_text FROM mentions")):
        op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5(ref UNINDEXED, body, tokenize='{TOKENIZER}')")
        rows = bind.execute(sa.text(select))
        while batch := rows.fetchmany(500):      # a store made before search is indexed without loading it whole
            bind.execute(sa.text(f"INSERT INTO {fts} (rowid, ref, body) VALUES (:r, :i, :b)"),
                         [{"r": _rowid(i), "i": i, "b": b} for i, b in batch])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("evidence_search", table_name="mentions")
        op.drop_index("documents_search", table_name="documents")
        return
    op.execute("DROP TABLE evidence_fts")
    op.execute("DROP TABLE documents_fts")
