"""The SQLite store: migrations, atomic writes, idempotent re-runs."""

from __future__ import annotations

import pytest

from amu.extract import extract
from amu.extract.mentions import ExtractOptions
from amu.ingest import document_from_text
from amu.pipeline import run
from amu.settings import Settings
from amu.store import Store
from amu.store.schema import MIGRATIONS

from conftest import REPORT


def _doc():
    return document_from_text(REPORT, "kulob.txt", published="2025-05-04")


def test_migrations_recorded_and_rerun_is_noop(tmp_path):
    path = tmp_path / "a.db"
    s = Store(path)
    assert s.schema_version() == MIGRATIONS[-1][0]
    s.close()
    assert Store(path).migrate() == []


def test_document_and_mentions_roundtrip():
    store = Store(":memory:")
    doc = _doc()
    mentions = extract(doc, ExtractOptions(use_model=False))
    assert store.add_document(doc, mentions) is True
    assert store.add_document(doc, mentions) is False   # same content hash: nothing new
    back = store.mentions(doc_id=doc.id)
    assert [m.id for m in back] == [m.id for m in mentions]
    m = back[0]
    assert m.evidence.text == doc.text[m.evidence.start:m.evidence.end]
    assert m.killed == mentions[0].killed and m.place is not None


def test_crash_mid_write_leaves_store_consistent():
    store = Store(":memory:")
    doc = _doc()
    good = extract(doc, ExtractOptions(use_model=False))

    class Boom(list):
        def __iter__(self):
            yield good[0]
            raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        store.add_document(doc, Boom())
    assert store.stats()["documents"] == 0 and store.stats()["mentions"] == 0


def test_pipeline_run_is_idempotent(tmp_path, report_dir):
    store = Store(tmp_path / "amu.db")
    settings = Settings(use_model=False)
    first = run([report_dir], store, settings)
    counts = store.stats()
    incidents = {r[0] for r in store.conn.execute("SELECT id FROM incidents")}
    second = run([report_dir], store, settings)
    assert first.new_documents == 1 and second.new_documents == 0
    assert store.stats() == counts
    assert {r[0] for r in store.conn.execute("SELECT id FROM incidents")} == incidents
