"""The store on both engines (SQLite and a real PostgreSQL): schema, atomic writes, idempotent re-runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from amu.extract import extract
from amu.extract.mentions import ExtractOptions
from amu.ingest import document_from_text
from amu.pipeline import run
from amu.settings import Settings
from amu.store import Store
from amu.store.migrate import head

from conftest import REPORT

DEMO = Path(__file__).resolve().parents[1] / "src" / "amu" / "data" / "demo"


def _doc():
    return document_from_text(REPORT, "kulob.txt", published="2025-05-04")


def test_new_store_is_at_head_and_reopening_migrates_nothing(db_url):
    s = Store(db_url)
    assert s.schema_revision() == head() and s.schema_version() == int(head())
    s.close()
    assert Store(db_url).migrate() == []


def test_document_and_mentions_roundtrip(db_url):
    store = Store(db_url)
    doc = _doc()
    mentions = extract(doc, ExtractOptions(use_model=False))
    assert store.add_document(doc, mentions) is True
    assert store.add_document(doc, mentions) is False   # same content hash: nothing new
    back = store.mentions(doc_id=doc.id)
    assert [m.id for m in back] == [m.id for m in mentions]
    m = back[0]
    assert m.evidence.text == doc.text[m.evidence.start:m.evidence.end]
    assert m.killed == mentions[0].killed and m.place is not None
    assert m.place == mentions[0].place
    assert store.document("kulob.txt").text == doc.text and list(store.documents())[0].id == doc.id


def test_stored_mentions_are_the_extracted_ones_so_fusion_agrees(db_url):
    """Every field the fusion rule reads survives the store (target, date wording and qualifier,
    population): incidents fused from stored mentions are those fused right after extraction."""
    from dataclasses import replace

    from amu.pipeline import extract_paths
    from amu.resolve.incidents import fuse_mentions

    pairs = list(extract_paths([DEMO]))
    extracted = [m for _, ms in pairs for m in ms]
    assert any(m.target for m in extracted) and any(m.date and m.date.text for m in extracted)
    store = Store(db_url)
    for d, ms in pairs:
        store.add_document(d, ms)
    stored = {m.id: m for m in store.mentions()}
    assert [replace(stored[m.id], incident=None) for m in extracted] == [replace(m, incident=None) for m in extracted]
    published = {d.id: d.published for d, _ in pairs}
    fuse_mentions(extracted, published)
    back = [stored[m.id] for m in extracted]
    fuse_mentions(back, published)
    assert [m.incident for m in back] == [m.incident for m in extracted]


def test_crash_mid_write_leaves_store_consistent(db_url):
    store = Store(db_url)
    doc = _doc()
    good = extract(doc, ExtractOptions(use_model=False))

    class Boom(list):
        def __iter__(self):
            yield good[0]
            raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        store.add_document(doc, Boom())
    assert store.stats()["documents"] == 0 and store.stats()["mentions"] == 0


def test_pipeline_run_is_idempotent(db_url, report_dir):
    store = Store(db_url)
    settings = Settings(use_model=False)
    first = run([report_dir], store, settings)
    counts = store.stats()
    incidents = {r["id"] for r in store.incident_rows()}
    second = run([report_dir], store, settings)
    assert first.new_documents == 1 and second.new_documents == 0
    assert store.stats() == counts and counts["incidents"] >= 1
    assert {r["id"] for r in store.incident_rows()} == incidents


def test_state_and_documents_stream_in_batches(db_url):
    store = Store(db_url)
    docs = [document_from_text(f"Report number {i}.", f"r{i:02d}.txt") for i in range(7)]
    for doc in docs:
        store.add_document(doc)
    assert [d.name for d in store.documents(batch=3)] == [f"r{i:02d}.txt" for i in range(7)]
    store.put_state("k", {"a": [1, 2]})
    store.put_state("k", {"a": [3]})
    assert store.get_state("k") == {"a": [3]} and store.get_state("missing") is None
