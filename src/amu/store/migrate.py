"""Schema versions: Alembic migrations run from the package, one process at a time.

Opening a store (and ``amu db upgrade``) calls :func:`upgrade`. Two processes that open a
new database together must both succeed, so the check-and-migrate runs inside one
transaction that first takes a lock: ``pg_advisory_xact_lock`` on PostgreSQL,
``BEGIN IMMEDIATE`` (the database's write lock) on SQLite. The second process waits, then
finds the schema at head and does nothing. DDL is transactional on both engines, so a
migration that fails leaves the database as it was.

Stores made before Alembic (hand migrations recorded in ``schema_migrations``) are
stamped with the matching revision, then upgraded like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from amu.errors import StoreError
from amu.store.engine import WRITE_OPTION

SCRIPT_LOCATION = "amu.store:migrations"
MIGRATION_LOCK = 0x616D755F6D6967          # "amu_mig": PostgreSQL advisory lock key
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003"}   # hand migration number -> Alembic revision


@dataclass(frozen=True)
class Upgrade:
    """What :func:`upgrade` did: the revision before and after (``None``: an empty database)."""

    before: str | None
    after: str | None
    converted: bool = False       # a pre-Alembic store was stamped first

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    cfg.attributes["connection"] = conn
    return cfg


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    """The shipped migration scripts, read once per process."""
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision shipped with this version of Amu."""
    rev = _scripts().get_current_head()
    assert rev is not None
    return rev


def revisions() -> list[str]:
    """Every shipped revision, oldest first."""
    return [s.revision for s in reversed(list(_scripts().walk_revisions()))]


def _run(conn: Connection, target: str, stamp: bool = False) -> None:
    """What ``alembic upgrade`` / ``alembic stamp`` do, on our connection and with the scripts read once."""
    script = _scripts()

    def step(rev: Any, _context: Any) -> Any:
        return script._stamp_revs(target, rev) if stamp else script._upgrade_revs(target, rev)

    with EnvironmentContext(_config(conn), script, fn=step, destination_rev=target):
        script.run_env()


def current(conn: Connection) -> str | None:
    """The revision the database is at (``None``: not an Amu store, or a pre-Alembic one)."""
    return MigrationContext.configure(conn).get_current_revision()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
    # SQLite: the transaction began with BEGIN IMMEDIATE, which is the lock.


def _convert_legacy(conn: Connection) -> bool:
    """Stamp a store made by the hand migrations with the revision it reached; True if it was one."""
    names = set(inspect(conn).get_table_names())
    if "schema_migrations" not in names or "alembic_version" in names:
        return False
    version = conn.execute(text("SELECT MAX(version) FROM schema_migrations")).scalar()
    rev = LEGACY_REVISIONS.get(int(version or 0))
    if rev is None:
        raise StoreError(f"the database is at hand migration {version}, which this Amu does not know",
                         hint="open it with the Amu version that made it, or start a new store with --db")
    _run(conn, rev, stamp=True)
    conn.execute(text("DROP TABLE schema_migrations"))
    return True


def upgrade(engine: Engine, target: str = "head") -> Upgrade:
    """Bring the database to ``target`` (normally the head revision), safely under concurrency."""
    with engine.connect() as conn:
        before = current(conn)
        conn.rollback()
        if before == head() and target == "head":
            return Upgrade(before, before)
        conn = conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            _lock(conn)
            converted = _convert_legacy(conn)
            before = current(conn)
            _run(conn, target)
            after = current(conn)
        return Upgrade(before, after, converted)
