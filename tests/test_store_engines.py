"""What the two engines must both do: one schema, migrations under concurrency, old stores upgraded,
concurrent and interrupted ingests, and the store's own dependencies."""

from __future__ import annotations

import ast
import json
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, text

import amu.pipeline
from amu.cli import cli
from amu.errors import StoreError
from amu.pipeline import run
from amu.settings import Settings
from amu.store import Store
from amu.store.migrate import head
from amu.store.tables import metadata

from conftest import REPORT, ROOT, SEEDS
from legacy_schema import MIGRATIONS as LEGACY

SETTINGS = Settings(use_model=False)
FTS_NAMES = ("documents_fts", "evidence_fts", "documents_search", "evidence_search")


def test_migrations_make_exactly_the_declared_tables(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    diff = [d for d in diff if not any(name in repr(d) for name in FTS_NAMES) and "alembic_version" not in repr(d)]
    assert diff == []


def test_stores_opened_together_on_a_new_database_all_migrate(db_url: str) -> None:
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_store() -> None:
        start.wait()
        try:
            Store(db_url).close()
        except BaseException as exc:  # noqa: BLE001 - collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)      # a bound on a hang, not a timing: the migration lock makes this quick
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert Store(db_url).schema_revision() == head()


_INGEST = """
import sys, time
from pathlib import Path
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.01)
from amu.cli import main
sys.argv = ["amu", "ingest", "--no-model", "-q", "--db", sys.argv[2], sys.argv[3]]
main()
"""


def test_two_ingests_started_together_on_a_new_store_both_succeed(db_url: str, tmp_path: Path) -> None:
    folders = []
    for i, name in enumerate(("kulob.txt", "khujand.txt")):
        folder = tmp_path / f"in{i}"
        folder.mkdir()
        (folder / name).write_text(REPORT.replace("Kulob", "Khujand") if i else REPORT, encoding="utf-8")
        folders.append(folder)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _INGEST, str(go), db_url, str(f)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in folders]
    go.touch()      # both processes are past their imports and start together
    results = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
    store = Store(db_url)
    assert store.stats()["documents"] == 2
    _check_consistent(store)
    again = Store(db_url)
    assert run(folders, again, SETTINGS).new_documents == 0 and _dump(again) == _dump(store)


def _check_consistent(store: Store) -> None:
    """Every stored mention belongs to a stored incident that lists it, and every incident has mentions."""
    incidents = {r["id"]: set(json.loads(r["data_json"])["mention_ids"]) for r in store.incident_rows(limit=10**6)}
    mentions = store.mentions()
    assert mentions and all(m.incident in incidents and m.id in incidents[m.incident] for m in mentions)
    assert set().union(*incidents.values()) == {m.id for m in mentions}


def _dump(store: Store) -> dict[str, Any]:
    """The store's contents, without the times at which things were written."""
    skip = {"documents": {"ingested_at"}, "incidents": {"updated_at"}, "rejections": {"id", "at"}}
    out: dict[str, Any] = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            cols = [c.name for c in table.columns if c.name not in skip.get(table.name, set())]
            rows = conn.execute(text(f"SELECT {', '.join(cols)} FROM {table.name}")).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


@pytest.fixture()
def seeds() -> Path:
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    return SEEDS


def test_an_interrupted_ingest_leaves_whole_documents_and_a_rerun_gives_the_same_store(
        db_url: str, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = Store(tmp_path / "reference.db")
    run([seeds], reference, SETTINGS)
    expected = {d.id: sorted(m.id for m in reference.mentions(d.id)) for d in reference.documents()}
    assert len(expected) >= 3

    extract = amu.pipeline.extract_document
    calls = []

    def dies_on_the_third(doc: Any, opts: Any) -> Any:
        calls.append(doc.name)
        if len(calls) == 3:
            raise KeyboardInterrupt("ingest killed")
        return extract(doc, opts)

    store = Store(db_url)
    monkeypatch.setattr(amu.pipeline, "extract_document", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        run([seeds], store, SETTINGS)
    monkeypatch.setattr(amu.pipeline, "extract_document", extract)
    stored = {d.id: sorted(m.id for m in store.mentions(d.id)) for d in store.documents()}
    assert len(stored) == 2 and all(stored[d] == expected[d] for d in stored)   # whole documents only

    run([seeds], store, SETTINGS)
    _check_consistent(store)
    assert _dump(store) == _dump(reference)
    run([seeds], store, SETTINGS)
    assert _dump(store) == _dump(reference)


_KILLED = """
import os, signal, sys
import amu.pipeline
real, seen = amu.pipeline.extract_document, []

def extract(doc, opts):
    seen.append(doc.name)
    if len(seen) == 3:      # the process dies with no chance to clean up: no rollback, no close
        os.kill(os.getpid(), signal.SIGKILL)
    return real(doc, opts)

amu.pipeline.extract_document = extract
from amu.cli import main
sys.argv = ["amu", "ingest", "--no-model", "-q", "--db", sys.argv[1], sys.argv[2]]
main()
"""


def test_a_killed_ingest_process_loses_nothing_on_a_rerun(db_url: str, seeds: Path, tmp_path: Path) -> None:
    reference = Store(tmp_path / "reference.db")
    run([seeds], reference, SETTINGS)
    killed = subprocess.run([sys.executable, "-c", _KILLED, db_url, str(seeds)], capture_output=True, timeout=300)
    assert killed.returncode == -9
    store = Store(db_url)
    assert store.stats()["documents"] == 2
    run([seeds], store, SETTINGS)
    assert _dump(store) == _dump(reference)


def test_a_reader_neither_waits_for_a_writer_nor_sees_half_a_document(db_url: str) -> None:
    from amu.ingest import document_from_text

    writer, reader = Store(db_url), Store(db_url)
    doc = document_from_text(REPORT, "kulob.txt")
    with writer.transaction():
        writer.add_document(doc)
        assert writer.stats()["documents"] == 1          # the writer sees its own work
        assert reader.stats()["documents"] == 0          # the reader answers at once, from before it
        assert reader.search("Kulob") == []
    assert reader.stats()["documents"] == 1 and [h.doc for h in reader.search("Kulob")] == ["kulob.txt"]


def _legacy_store(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    for version, name, sql in LEGACY:
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (version, name))
    conn.execute("INSERT INTO documents (id, name, text, ingested_at) VALUES ('d1', 'old.txt', "
                 "'Rockets struck Termez on Tuesday.', 'then')")
    conn.execute("INSERT INTO mentions (id, doc_id, doc, event_type, evidence_text, evidence_start, evidence_end, "
                 "extractor, extractor_version, country) VALUES ('m1', 'd1', 'old.txt', 'attack', "
                 "'Rockets struck Termez on Tuesday.', 0, 33, 'x', '1', 'UZ')")
    conn.commit()
    conn.close()


def test_a_store_made_by_the_hand_migrations_is_converted_and_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _legacy_store(path)
    res = CliRunner().invoke(cli, ["db", "upgrade", "--db", str(path)])
    assert res.exit_code == 0, res.output
    assert res.output == (f"{path}: converted from the hand-made schema (revision 0003)\n"
                          f"{path}: upgraded from 0003 to {head()}\n")
    store = Store(path)
    assert "schema_migrations" not in inspect(store.engine).get_table_names()
    assert [m.id for m in store.mentions()] == ["m1"]
    assert [(h.kind, h.mention_id) for h in store.search("rocket termez", country="UZ")] == [("evidence", "m1")]
    assert CliRunner().invoke(cli, ["db", "current", "--db", str(path)]).output == f"{path}: {head()} (newest)\n"


def test_db_commands_create_then_leave_a_store_alone(db_url: str) -> None:
    first = CliRunner().invoke(cli, ["db", "upgrade", "--db", db_url])
    assert first.exit_code == 0 and f"upgraded from an empty database to {head()}" in first.output, first.output
    again = CliRunner().invoke(cli, ["db", "upgrade", "--db", db_url])
    assert f"already at {head()} (newest)" in again.output
    assert "amu_test" not in again.output or "postgresql://amu@" in again.output     # no password to hide here


def test_every_reading_command_works_on_the_engine(db_url: str, report_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "--no-model", "-q", "--db", db_url, str(report_dir)]).exit_code == 0
    store = Store(db_url)
    ident = store.incident_rows()[0]["id"]
    for args, expected in ((["incidents", "--country", "TJ"], ident), (["show", ident[:8]], "Kulob"),
                           (["actors"], "ISKP"), (["actor", "ISIS-K"], "ISKP"),
                           (["search", "bomb Kulob", "--actor", "ISKP"], "kulob.txt")):
        res = runner.invoke(cli, [*args, "--db", db_url])
        assert res.exit_code == 0 and expected in res.output, (args, res.output)


def test_reading_commands_refuse_a_database_that_holds_no_store(db_url: str) -> None:
    res = CliRunner().invoke(cli, ["incidents", "--db", db_url])
    assert res.exit_code == 2 and ("no database at" in res.output or "holds no Amu store" in res.output), res.output
    assert "hint:" in res.output


def test_a_url_password_is_never_printed(pg_url: str, report_dir: Path) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("ALTER ROLE amu PASSWORD 's3cret-pw'"))
    admin.dispose()
    url = pg_url.replace("amu@", "amu:s3cret-pw@")
    outputs = [CliRunner().invoke(cli, args, env={"AMU_DB": url}).output
               for args in (["ingest", "--no-model", "-q", str(report_dir)], ["db", "current"], ["doctor"])]
    assert "incidents in postgresql://amu:***@" in outputs[0] and all("s3cret" not in o for o in outputs)


def test_unreachable_or_unknown_databases_say_what_to_check() -> None:
    with pytest.raises(StoreError) as err:
        Store("postgresql://amu:secret@127.0.0.1:1/amu")
    assert "secret" not in str(err.value) and "createdb" in (err.value.hint or "")
    with pytest.raises(StoreError) as err:
        Store("mysql://amu@localhost/amu")
    assert "unsupported database" in str(err.value) and "postgresql://" in (err.value.hint or "")


def test_postgresql_search_uses_the_gin_indexes(pg_url: str) -> None:
    from amu.store.search import SearchQuery, _documents, _evidence

    store = Store(pg_url)
    query = SearchQuery("rocket Termez")      # no filter: the text index is the only way in
    with store.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        for stmt, index in ((_evidence(store, query), "evidence_search"), (_documents(store, query, 5),
                                                                          "documents_search")):
            sql = str(stmt.compile(store.engine, compile_kwargs={"literal_binds": True}))
            plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))
            assert index in plan, plan


def test_the_store_imports_only_records_and_errors() -> None:
    allowed = {"amu.records", "amu.errors"}
    for path in (ROOT / "src" / "amu" / "store").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name.startswith("amu.") and not name.startswith("amu.store"):
                    assert name in allowed, f"{path.name} imports {name}"


def test_the_pg_fixture_finds_debian_binaries_or_says_how_to_get_them() -> None:
    from pg_server import MISSING, find_bin

    folder = find_bin()
    assert folder is None or all((folder / n).exists() for n in ("initdb", "pg_ctl", "postgres"))
    assert "apt-get install" in MISSING and shutil.which("python3") is not None
