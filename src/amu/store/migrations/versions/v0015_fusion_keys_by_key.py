"""fusion_keys: the step of each filing is read with its key, from the primary key's index alone

Incremental fusion asks which incidents were filed under a block by a step (and which read it when). With the
step outside the index, each such row cost a read of the table: at 1M mentions, 0.08 s of a one-document
ingest went to fetching the steps of 1,900 rows. On SQLite the table becomes ``WITHOUT ROWID`` (its rows live in
the primary key's tree, which also drops one copy of every key); on PostgreSQL the primary key carries the step
as an ``INCLUDE`` column. The index by incident holds the step too, for the keys an incident filed and read.

Revision ID: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amu.store.migrations.coltypes import text as T

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_COLUMNS = "kind, key, incident_id, step"


def _rebuild_sqlite(with_rowid: bool) -> None:
    op.create_table(
        "fusion_keys_new",
        sa.Column("kind", T(), nullable=False),
        sa.Column("key", T(), nullable=False),
        sa.Column("incident_id", T(), nullable=False),
        sa.Column("step", T(), nullable=True),
        sa.PrimaryKeyConstraint("kind", "key", "incident_id"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(f"INSERT INTO fusion_keys_new ({_COLUMNS}) SELECT {_COLUMNS} FROM fusion_keys")
    op.drop_table("fusion_keys")
    op.rename_table("fusion_keys_new", "fusion_keys")
    _index_by_incident(with_step=not with_rowid)


def _primary_key(include: str) -> None:
    op.execute("ALTER TABLE fusion_keys DROP CONSTRAINT fusion_keys_pkey")
    op.execute("ALTER TABLE fusion_keys ADD CONSTRAINT fusion_keys_pkey "
               f"PRIMARY KEY (kind, key, incident_id){include}")
    op.drop_index("fusion_keys_incident", table_name="fusion_keys")
    _index_by_incident(with_step=bool(include))


def _index_by_incident(with_step: bool) -> None:
    columns = ["incident_id", "kind", "key", *(["step"] if with_step else [])]
    op.create_index("fusion_keys_incident", "fusion_keys", columns)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(with_rowid=False)
    else:
        _primary_key(" INCLUDE (step)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(with_rowid=True)
    else:
        _primary_key("")
