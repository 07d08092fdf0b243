"""Where a store lives: a SQLite file path (the default) or a ``postgresql://`` URL, as an engine.

Both engines are used the same way by the rest of :mod:`amu.store`. What differs is set
up here once:

- SQLite: the driver's own transaction handling is switched off so that ``BEGIN`` is
  ours; a write transaction starts with ``BEGIN IMMEDIATE`` (one writer at a time, taken
  at the start, so two writers never deadlock halfway), reads with a plain ``BEGIN``.
  Foreign keys are enforced, files use WAL so readers never wait for the writer.
- PostgreSQL: psycopg 3; a bare ``postgresql://`` URL gets that driver. Writers are
  serialised with a transaction-scoped advisory lock (see :mod:`amu.store.base`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, pool
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from amu.errors import StoreError

BUSY_TIMEOUT_S = 120      # how long a SQLite writer waits for another (fusion of a big store takes a while)
WRITE_OPTION = "amu_write"


def is_url(db: str) -> bool:
    """Whether ``db`` names a server database (``scheme://...``) rather than a SQLite file."""
    return "://" in db


def database_url(db: str | Path) -> URL:
    """The SQLAlchemy URL for a ``--db`` value: a file path, ``:memory:``, or a ``postgresql://`` URL.

    Raises:
        StoreError: for a URL of another kind, or a file path whose folder does not exist.
    """
    text = str(db)
    if not is_url(text):
        if text == ":memory:":
            return URL.create("sqlite", database=":memory:")
        parent = Path(text).expanduser().resolve().parent
        if not parent.exists():
            raise StoreError(f"folder {parent} does not exist", hint="create it, or pass --db with another path")
        return URL.create("sqlite", database=str(Path(text).expanduser()))
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StoreError(f"cannot read the database URL {text!r}: {exc}",
                         hint="write it as postgresql://USER:PASSWORD@HOST:PORT/DBNAME") from exc
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgres", "postgresql"):
        return url.set(drivername=f"postgresql+{driver or 'psycopg'}")
    if backend == "sqlite":
        return url
    raise StoreError(f"unsupported database {url.drivername!r} in {describe(url)}",
                     hint="give a SQLite file path (e.g. amu.db) or a postgresql://USER@HOST/DBNAME URL")


def describe(url: URL | str) -> str:
    """The URL or path for messages, with any password hidden."""
    if isinstance(url, str):
        if not is_url(url):
            return url
        try:
            url = make_url(url)
        except ArgumentError:
            return "<unreadable URL>"
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def make_engine(db: str | Path) -> Engine:
    """An engine for the store at ``db`` (nothing is opened yet)."""
    url = database_url(db)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    try:
        # No JIT: the store's queries are short, and compiling one took 11 ms of the 20 a listing's page took at
        # 1M mentions (its cost estimate passes jit_above_cost); JIT pays only for long analytic scans.
        return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                             connect_args={"options": "-c jit=off"})
    except ImportError as exc:  # the driver named in the URL is not installed
        raise StoreError(f"no driver for {describe(url)}: {exc}",
                         hint="install psycopg 3 (pip install 'psycopg[binary]'), or use postgresql+psycopg://") from exc


def _set_wal(cur: Any) -> None:
    """Switch a file database to WAL. SQLite answers "database is locked" at once, without calling the busy
    handler, when another connection is switching it at the same moment (stores opened together on a new
    file): retry for up to the busy timeout."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.01
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def _sqlite_engine(url: URL) -> Engine:
    memory = url.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}}
    if memory:   # one connection, or each checkout would see a new empty database
        kwargs["poolclass"] = pool.StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None          # autocommit in the driver: BEGIN is emitted below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        if not memory:
            _set_wal(cur)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
