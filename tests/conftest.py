"""Shared fixtures: paths to the shared corpus and scorer, and a small report written for the tests."""

from __future__ import annotations

import importlib.util
import itertools
import os
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "seeds.gold.jsonl"
SCORER = SHARED / "eval" / "score.py"
DEMO = ROOT / "src" / "amu" / "data" / "demo"
DEMO_GOLD = ROOT / "demo" / "expected.jsonl"

REPORT = """Blast at Kulob market kills nine

DUSHANBE, May 3 (Test Wire) — A bomb hidden in a parked car exploded at a crowded market in Kulob on Friday, \
killing nine people and wounding at least 20, police said. Islamic State Khorasan Province (ISKP) claimed \
responsibility for the bombing on Saturday.

Security forces later detained four suspects, all of them Tajik nationals, in connection with the attack.
"""


@pytest.fixture(scope="session")
def scorer():
    """The shared scorer as a module (skips when ../shared is not there)."""
    if not SCORER.exists():
        pytest.skip("../shared/eval/score.py not found")
    spec = importlib.util.spec_from_file_location("amu_shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """The bundled demo corpus ingested once (rules only) into a SQLite store that tests only read."""
    from click.testing import CliRunner

    from amu.cli import cli

    db = str(tmp_path_factory.mktemp("demo") / "demo.db")
    res = CliRunner().invoke(cli, ["ingest", str(DEMO), "--db", db, "--no-model", "-q"])
    assert res.exit_code == 0, res.output
    return db


@pytest.fixture()
def report_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "kulob.txt").write_text(REPORT, encoding="utf-8")
    (folder / "meta.jsonl").write_text('{"doc": "kulob.txt", "published": "2025-05-04", "publisher": "Test Wire"}\n')
    return folder


# -- databases: every storage test runs on SQLite and on a real PostgreSQL started here ----------------------
@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this test session (skips, saying why, when no server binaries are found)."""
    from pg_server import start_server

    try:
        server = start_server()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


_DB_NUMBERS = itertools.count()


@pytest.fixture()
def pg_url(pg_server) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped after it."""
    from sqlalchemy import create_engine, text

    name = f"amu_test_{os.getpid()}_{next(_DB_NUMBERS)}"
    admin = create_engine(pg_server.url().replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_server.url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    """A new store's --db value: a SQLite file, then a PostgreSQL database (the same test runs on both)."""
    if request.param == "sqlite":
        return str(tmp_path / "amu.db")
    return request.getfixturevalue("pg_url")
