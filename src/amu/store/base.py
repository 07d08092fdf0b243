"""The store's foundation: opening, schema version, transactions, and the small helpers every part uses.

Transactions are short and explicit. A write runs in :meth:`StoreBase.transaction`, which
nests (only the outermost commits or rolls back) and admits one writer at a time on both
engines: SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's transaction-scoped advisory lock. A
writer therefore never deadlocks with another halfway, and what it read inside the
transaction is still true when it commits (fusion relies on that). Reads outside a
transaction take a pooled connection for one statement's worth of work and give it back,
so no snapshot or lock is held between commands.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Literal, Mapping, Sequence

from sqlalchemy import Connection, Executable, RowMapping, Table, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError

from amu.errors import StoreError
from amu.store import migrate as _migrate
from amu.store.engine import WRITE_OPTION, describe, is_url, make_engine
from amu.store.tables import fusion_state, metadata

WRITE_LOCK = 0x616D755F777274          # "amu_wrt": PostgreSQL advisory lock key held by every writer
OnConflict = Literal["ignore", "update"] | None


@lru_cache(maxsize=None)
def _insert_statement(dialect: str, table: Table, on_conflict: OnConflict) -> Any:
    """The INSERT for a table, built once (building ``ON CONFLICT ... DO UPDATE`` is not cheap)."""
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    if on_conflict == "ignore":
        return ins.on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    if on_conflict == "update":
        keys = [c.name for c in table.primary_key.columns]
        ins = ins.on_conflict_do_update(index_elements=keys,
                                        set_={c.name: ins.excluded[c.name] for c in table.columns if c.name not in keys})
    return ins.execution_options(preserve_rowcount=True)


class StoreBase:
    """An Amu database: a SQLite file (``":memory:"`` for tests) or a ``postgresql://`` URL.

    Args:
        db: A file path or a URL (``postgresql://USER:PASSWORD@HOST:PORT/DBNAME``).
        create: False to refuse a database that is not an Amu store yet (reading commands).
        migrate: False to open without bringing the schema to the newest version.

    Raises:
        StoreError: when the database cannot be reached or migrated (with a hint).
    """

    def __init__(self, db: str | Path = "amu.db", *, create: bool = True, migrate: bool = True) -> None:
        self.db = str(db)
        self.path = self.db                    # the name earlier versions used
        if not create and not is_url(self.db) and self.db != ":memory:" and not Path(self.db).exists():
            raise StoreError(f"no database at {self.db}", hint="run `amu ingest PATH` first, or pass --db / set AMU_DB")
        self.engine = make_engine(self.db)
        self._tx: Connection | None = None
        if not create and is_url(self.db):
            with self._guard():
                with self.engine.connect() as conn:
                    known = _migrate.current(conn) is not None
            if not known:
                raise StoreError(f"{describe(self.db)} holds no Amu store",
                                 hint=f"create it with: amu db upgrade --db {describe(self.db)} (or amu ingest)")
        if migrate:
            self.migrate()

    # -- engine and schema ---------------------------------------------------------------------
    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def __repr__(self) -> str:
        return f"Store({describe(self.db)!r})"

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Driver errors become one StoreError that says what to check."""
        try:
            yield
        except OperationalError as exc:
            hint = ("check that the server runs and that the URL's user, password, host, port and database "
                    "name are right (create the database with: createdb NAME)" if is_url(self.db)
                    else "check the path and its permissions; another program may hold the file")
            raise StoreError(f"database {describe(self.db)}: {str(exc.orig).strip()}", hint=hint) from exc

    def upgrade(self) -> _migrate.Upgrade:
        """Bring the schema to the newest revision (under the migration lock); say what changed."""
        with self._guard():
            return _migrate.upgrade(self.engine)

    def migrate(self) -> list[str]:
        """Apply the migrations that have not run yet; return the revisions applied."""
        done = self.upgrade()
        shipped = _migrate.revisions()
        if not done.changed:
            return []
        start = shipped.index(done.before) + 1 if done.before in shipped else 0
        return shipped[start:shipped.index(done.after) + 1] if done.after in shipped else []

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        with self._read() as conn:
            return _migrate.current(conn)

    def schema_version(self) -> int:
        """The schema version as a number (revision ``"0004"`` is 4)."""
        return int(self.schema_revision() or 0)

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions --------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction; nested ones join the outermost, which commits or rolls back."""
        if self._tx is not None:
            yield self._tx
            return
        with self._guard(), self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
                self._tx = conn
                try:
                    yield conn
                finally:
                    self._tx = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """The open write transaction's connection, or a short-lived one for reading."""
        if self._tx is not None:
            yield self._tx
            return
        with self._guard(), self.engine.connect() as conn:
            yield conn

    def _rows(self, stmt: Executable, params: Mapping[str, Any] | None = None) -> list[RowMapping]:
        with self._read() as conn:
            return conn.execute(stmt, params or {}).mappings().all()   # one fetchall, not a fetchone per row

    def _insert(self, conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any],
                on_conflict: OnConflict = None) -> int:
        """Insert one row or many; on a key conflict do nothing or update the other columns. Returns rows written."""
        if not rows:
            return 0
        ins = _insert_statement(self.dialect, table, on_conflict)
        try:
            result = conn.execute(ins, rows)
            return int(result.rowcount)
        except DBAPIError as exc:
            raise StoreError(f"cannot write to {table.name} in {describe(self.db)}: {str(exc.orig).strip()}",
                             hint="run `amu db upgrade` if the schema is older than this Amu") from exc

    # -- small shared reads and writes -----------------------------------------------------------
    def count(self, table: str) -> int:
        """Rows in one of the store's tables."""
        if table not in metadata.tables:
            raise StoreError(f"no table {table!r}", hint=f"tables: {', '.join(sorted(metadata.tables))}")
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one())

    def stats(self) -> dict[str, int]:
        return {t: self.count(t) for t in ("documents", "mentions", "rejections", "actors", "places", "incidents")}

    def get_state(self, key: str) -> Any:
        """A JSON value saved under ``key`` (the fusion index's state), or None."""
        with self._read() as conn:
            value = conn.execute(select(fusion_state.c.value_json).where(fusion_state.c.key == key)).scalar()
        return json.loads(value) if value is not None else None

    def put_state(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            self._insert(conn, fusion_state, {"key": key, "value_json": json.dumps(value)}, on_conflict="update")
