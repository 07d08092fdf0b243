"""Tests of the ingest stage: formats, metadata precedence, ids, and bad files in a batch.

Every text here is invented for the tests. Date finding is stubbed (``stub_dates``) so that
these tests pin the ingest stage's own behaviour; the seed test at the end uses the real
``amu.extract.dates``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import types
from pathlib import Path

import pytest

from amu.errors import IngestError
from amu.ingest import (
    IngestOptions,
    document_from_text,
    ingest_paths,
    iter_ingest,
    read_document,
)
from amu.ingest.hashing import content_id, normalise_text
from amu.ingest.meta import find_author, find_title, normalise_date
from amu.records import DateValue, Document, Rejection

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

REPORT = """Checkpoint Attack Leaves Four Officers Dead
By Mara Quill for the Northern Ledger

Gunmen opened fire on a police checkpoint outside the town of Varnel late on Saturday,
killing four officers and wounding two, the regional governor said.

No group has claimed the attack. Officials said the assailants fled towards the hills.
"""

OTHER = """Court Jails Recruiters
Author: Tomas Reyl

A court in Ostrava sentenced three men to prison for recruiting fighters online in 2021.
"""

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Checkpoint attack kills four | Northern Ledger</title>
<meta name="author" content="Mara Quill">
<meta property="og:site_name" content="Northern Ledger">
<meta property="article:published_time" content="2023-11-05T09:30:00Z">
<link rel="canonical" href="https://ledger.example/news/checkpoint">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> Subscribe now</nav>
<article><h1>Checkpoint attack kills four</h1>
<p>Gunmen opened fire on a police checkpoint outside the town of Varnel late on Saturday,
killing four officers and wounding two, the regional governor said.</p>
<p>No group has claimed the attack. Officials said the assailants fled towards the hills and
that a search operation was under way on Sunday morning.</p>
<p>The checkpoint had been set up in September after a series of arson attacks on
government buildings in the district.</p>
</article><footer>Copyright 2023 Northern Ledger. All rights reserved.</footer></body></html>
"""


@pytest.fixture(autouse=True)
def stub_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace amu.extract.dates with a predictable stub (``use_real_dates`` undoes it).

    The stub's dateline is a line ``Published: YYYY-MM-DD`` near the top; its inference is the
    first four-digit year in the text.
    """
    stub = types.ModuleType("amu.extract.dates")

    def find_dateline(text: str, head_chars: int = 1500) -> DateValue | None:
        for line in text[:head_chars].split("\n"):
            if line.startswith("Published: "):
                return DateValue(line.split(": ", 1)[1].strip(), "day")
        return None

    def infer_publication_date(text: str) -> DateValue | None:
        years = [w for w in text.replace(".", " ").split() if w.isdigit() and len(w) == 4]
        return DateValue(years[0], "year") if years else None

    stub.find_dateline = find_dateline  # type: ignore[attr-defined]
    stub.infer_publication_date = infer_publication_date  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "amu.extract.dates", stub)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def reasons(rejections: list[Rejection]) -> dict[str, str]:
    """Rejection reasons keyed by the last path component of their source."""
    return {Path(r.source).name: r.reason for r in rejections}


# --- formats -------------------------------------------------------------------------------


def test_txt_document(tmp_path: Path) -> None:
    path = write(tmp_path, "checkpoint.txt", REPORT)
    result = ingest_paths([path])
    assert result.rejections == []
    [doc] = result.documents
    assert doc.name == "checkpoint.txt"
    assert doc.path == str(path)
    assert doc.source_format == "txt"
    assert doc.text == REPORT.rstrip()
    assert doc.id == hashlib.sha256(REPORT.rstrip().encode()).hexdigest()[:16]
    assert doc.title == "Checkpoint Attack Leaves Four Officers Dead"
    assert doc.author == "Mara Quill"
    assert doc.language == "en"      # identified from the text (amu.ingest.language)
    # No dateline: the stub infers the year, and the document says it was inferred.
    assert doc.published is None or doc.published_inferred


def test_text_dateline_and_inference(tmp_path: Path) -> None:
    dated = write(tmp_path, "a.txt", "Raid In The Valley\nPublished: 2022-04-03\n\nTroops raided a camp.")
    undated = write(tmp_path, "b.txt", "Raid In The Valley\n\nTroops raided a camp in 2019.")
    docs = ingest_paths([dated, undated]).documents
    assert (docs[0].published, docs[0].published_inferred) == ("2022-04-03", False)
    assert docs[0].meta["metadata_from"]["published"] == "dateline"
    assert (docs[1].published, docs[1].published_inferred) == ("2019", True)


def test_markdown_title_from_heading(tmp_path: Path) -> None:
    write(tmp_path, "note.md", "Draft notes\n\n# Arrests In The Port City\n\nPolice detained six suspects.\n")
    [doc] = ingest_paths([tmp_path]).documents
    assert doc.source_format == "md"
    assert doc.title == "Arrests In The Port City"


def test_html_main_text_and_meta_tags(tmp_path: Path) -> None:
    write(tmp_path, "page.html", PAGE)
    [doc] = ingest_paths([tmp_path]).documents
    assert doc.source_format == "html"
    assert "killing four officers" in doc.text
    assert "Subscribe now" not in doc.text and "All rights reserved" not in doc.text
    assert doc.title == "Checkpoint attack kills four"
    assert doc.author == "Mara Quill"
    assert doc.publisher == "Northern Ledger"
    assert doc.url == "https://ledger.example/news/checkpoint"
    assert (doc.published, doc.published_inferred) == ("2023-11-05", False)
    assert doc.meta["metadata_from"]["published"] == "html"


def test_html_fallback_and_declared_charset(tmp_path: Path) -> None:
    write(tmp_path, "tiny.htm", "<html><head><title>Note</title></head><body><div>Short note.</div></body></html>")
    page = '<html><head><meta charset="windows-1251"></head><body><p>Взрыв у вокзала.</p></body></html>'
    write(tmp_path, "ru.html", page.encode("cp1251"))
    result = ingest_paths([tmp_path])
    assert result.rejections == []
    by_name = {d.name: d for d in result.documents}
    assert by_name["tiny.htm"].text == "Short note."
    assert by_name["ru.html"].text == "Взрыв у вокзала."
    assert by_name["ru.html"].meta["encoding"] == "cp1251"


def test_json_object_list_and_aliases(tmp_path: Path) -> None:
    one = {"content": "A bus was bombed in the capital.", "source": "Daily Wire Service",
           "published_at": "2024-02-01T06:00:00Z", "headline": "Bus Bombed", "tags": ["bombing"]}
    write(tmp_path, "one.json", json.dumps(one))
    many = [
        {"id": "r-1", "text": "Rebels shelled a village."},
        {"body": "Two soldiers were wounded.", "date": "March 2021"},
    ]
    write(tmp_path, "many.json", json.dumps(many))
    write(tmp_path, "wrapped.json", json.dumps({"documents": [{"article": "An arrest was made."}]}))
    result = ingest_paths([tmp_path])
    assert result.rejections == []
    docs = {d.name: d for d in result.documents}
    assert set(docs) == {"r-1", "many.json#2", "one.json", "wrapped.json#1"}
    single = docs["one.json"]
    assert (single.title, single.publisher, single.published) == ("Bus Bombed", "Daily Wire Service", "2024-02-01")
    assert single.source_format == "json" and single.meta["tags"] == ["bombing"]
    assert docs["many.json#2"].published == "2021-03"


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Militants attacked a convoy.", "url": "https://x.example/a"}),
        '{"text": "broken',
        json.dumps({"title": "No text here"}),
        "",
        json.dumps({"text": "A second report on the convoy attack."}),
        json.dumps(["not", "an", "object"]),
    ]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    result = ingest_paths([path])
    assert [d.name for d in result.documents] == ["a", "feed.jsonl#5"]
    assert all(d.source_format == "jsonl" for d in result.documents)
    assert result.documents[0].url == "https://x.example/a"
    assert result.documents[1].meta["record"] == f"{path}:5"
    rejected = {r.source: r.reason for r in result.rejections}
    assert rejected[f"{path}:2"].startswith("not valid JSON (")
    assert rejected[f"{path}:3"].startswith("no text field (expected one of: text, content, body, article)")
    assert rejected[f"{path}:6"] == "expected a JSON object, got a list"


# --- metadata precedence -------------------------------------------------------------------


def test_sidecar_beats_document_metadata(tmp_path: Path) -> None:
    write(tmp_path, "checkpoint.txt", REPORT)
    write(tmp_path, "page.html", PAGE)
    write(tmp_path, "feed.jsonl", json.dumps({"id": "rec-9", "text": "Smugglers were detained.", "author": "Desk"}))
    sidecar = [
        {"doc": "checkpoint.txt", "title": "Four Officers Killed", "author": "M. Quill", "published": "2023-11-05",
         "publisher": "Ledger Weekly", "notes": "checked by hand"},
        {"doc": "page.html", "title": "Sidecar Title", "url": "https://example.org/p"},
        {"doc": "rec-9", "author": "A. Person"},
    ]
    write(tmp_path, "meta.jsonl", "\n".join(json.dumps(s) for s in sidecar))
    result = ingest_paths([tmp_path])
    assert result.rejections == []
    docs = {d.name: d for d in result.documents}
    assert "meta.jsonl" not in docs  # a sidecar is metadata, not a document
    txt = docs["checkpoint.txt"]
    assert (txt.title, txt.author, txt.publisher, txt.published) == (
        "Four Officers Killed", "M. Quill", "Ledger Weekly", "2023-11-05")
    assert txt.published_inferred is False
    assert txt.meta["notes"] == "checked by hand"
    html = docs["page.html"]
    assert (html.title, html.url, html.author) == ("Sidecar Title", "https://example.org/p", "Mara Quill")
    assert html.meta["metadata_from"] == {
        "title": "sidecar", "url": "sidecar", "publisher": "html", "author": "html", "published": "html",
        "language": "identified"}
    assert docs["rec-9"].author == "A. Person"


def test_sidecar_applies_to_an_explicit_file_and_bad_sidecar_lines_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "checkpoint.txt", REPORT)
    write(tmp_path, "meta.jsonl", '{"doc": "checkpoint.txt", "title": "From Sidecar"}\nnot json\n{"title": "x"}\n')
    result = ingest_paths([path])
    assert result.documents[0].title == "From Sidecar"
    rejected = {Path(r.source).name: r.reason for r in result.rejections}
    assert rejected["meta.jsonl:2"].startswith("not valid JSON")
    assert "doc" in rejected["meta.jsonl:3"]


def test_author_and_title_heuristics() -> None:
    assert find_author("Title\nBy Ana Lind for Weekly Post June 2, 2024\n\nText.") == "Ana Lind"
    assert find_author("Title\nAuthor: Ivo Bren\n") == "Ivo Bren"
    assert find_author("Title\nBy the end of 2023 the group had grown.\n") is None
    assert find_title("Site Name\nReports\nsome headline here\nSome Headline Here\nBody text.") == "Some Headline Here"
    assert find_title("This is a sentence.\nShort Title\n") == "Short Title"
    assert normalise_date("July 2024") == "2024-07"
    assert normalise_date("2024-07-19T08:00:00+00:00") == "2024-07-19"


# --- ids and duplicates --------------------------------------------------------------------


def test_normalisation_and_ids() -> None:
    decomposed = "\ufeffCafe\u0301 attack\r\nsecond line\rthird\n\n"
    assert normalise_text(decomposed) == "Caf\u00e9 attack\nsecond line\nthird"
    assert normalise_text(normalise_text(decomposed)) == normalise_text(decomposed)
    doc = document_from_text(decomposed, "x.txt", title="Given", published="2020-01-02", desk="east")
    assert doc.id == content_id("Caf\u00e9 attack\nsecond line\nthird")
    assert (doc.title, doc.published, doc.meta["desk"]) == ("Given", "2020-01-02", "east")
    with pytest.raises(IngestError, match="empty"):
        document_from_text(" \n ", "blank.txt")


def test_same_text_same_id_and_duplicates_kept_once(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", REPORT)
    write(tmp_path, "b.txt", REPORT.replace("\n", "\r\n"))  # same report, saved on Windows
    write(tmp_path, "c.txt", OTHER)
    first = ingest_paths([tmp_path])
    assert [d.name for d in first.documents] == ["a.txt", "c.txt"]
    assert first.rejections == []
    assert first.documents[0].meta["duplicates"] == [str(tmp_path / "b.txt")]
    assert first.duplicates == [(str(tmp_path / "b.txt"), first.documents[0].id)]
    again = ingest_paths([tmp_path])
    assert [d.id for d in again.documents] == [d.id for d in first.documents]
    assert document_from_text(REPORT, "elsewhere.txt").id == first.documents[0].id


# --- files, folders and bad input ----------------------------------------------------------


def test_acceptance_bad_files_do_not_sink_the_batch(tmp_path: Path) -> None:
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "blank.md", "  \n\t\n")
    write(tmp_path, "binary.txt", b"\x00\x01\x02\x03 some bytes \x00\xff")
    write(tmp_path, "scan.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    russian = "Отчёт\n\nВчера вечером в центре города прогремел взрыв. Пострадали три человека.\n" * 4
    write(tmp_path, "legacy.txt", russian.encode("cp1251"))
    write(tmp_path, "huge.txt", b"a" * 20_000_000)
    write(tmp_path, "broken.json", '{"text": "unterminated')
    write(tmp_path, "good.txt", REPORT)
    write(tmp_path, "good.md", OTHER)
    result = ingest_paths([tmp_path])
    assert sorted(d.name for d in result.documents) == ["good.md", "good.txt"]
    why = reasons(result.rejections)
    assert set(why) == {"empty.txt", "blank.md", "binary.txt", "scan.txt", "legacy.txt", "huge.txt", "broken.json"}
    assert why["empty.txt"].startswith("empty file")
    assert why["blank.md"].startswith("empty file")
    assert why["binary.txt"].startswith("binary file (contains NUL bytes)")
    assert why["scan.txt"].startswith("binary file (PDF document); convert it to text first")
    assert why["legacy.txt"].startswith("not valid UTF-8 (byte 0xCE at offset 0, line 1)")
    assert "iconv -f" in why["legacy.txt"] and "-t UTF-8 legacy.txt > legacy.utf8.txt" in why["legacy.txt"]
    assert why["huge.txt"] == "20.0 MB is over the 5.0 MB limit; raise it with --max-bytes"
    assert why["broken.json"].startswith("not valid JSON (Unterminated string")


def test_max_bytes_can_be_raised(tmp_path: Path) -> None:
    write(tmp_path, "big.txt", "word " * 2000)
    assert ingest_paths([tmp_path], IngestOptions(max_bytes=5_000)).rejections[0].reason.startswith(
        "10.0 kB is over the 5.0 kB limit")
    assert len(ingest_paths([tmp_path], IngestOptions(max_bytes=20_000)).documents) == 1


def test_folder_walk_hidden_unknown_and_sorted(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "Second Report\n\nText of the second report.")
    write(tmp_path, "a/z.txt", "Nested Report\n\nText of the nested report.")
    write(tmp_path, ".hidden.txt", "Hidden Report\n\nText of the hidden report.")
    write(tmp_path, ".git/x.txt", "Git Report\n\nText inside a hidden folder.")
    write(tmp_path, "notes.csv", "a,b\n1,2\n")
    names = [d.name for d in ingest_paths([tmp_path]).documents]
    assert names == ["b.txt", "z.txt"]
    hidden = ingest_paths([tmp_path], IngestOptions(follow_hidden=True)).documents
    assert sorted(d.name for d in hidden) == [".hidden.txt", "b.txt", "x.txt", "z.txt"]
    # Named explicitly, an unknown ending is read as text; naming a file twice reads it once.
    explicit = ingest_paths([tmp_path / "notes.csv", tmp_path / "b.txt", tmp_path])
    assert [d.name for d in explicit.documents] == ["notes.csv", "b.txt", "z.txt"]
    assert explicit.documents[0].source_format == "txt"


def test_missing_sidecar_and_unreadable_paths(tmp_path: Path) -> None:
    write(tmp_path, "meta.jsonl", '{"doc": "x.txt"}\n')
    good = write(tmp_path, "ok.txt", OTHER)
    result = ingest_paths([tmp_path / "nope.txt", tmp_path / "meta.jsonl", good])
    why = reasons(result.rejections)
    assert why["nope.txt"].startswith("no such file or directory")
    assert why["meta.jsonl"].startswith("is a metadata sidecar, not a document")
    assert [d.name for d in result.documents] == ["ok.txt"]


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "locked.txt", OTHER)
    write(tmp_path, "open.txt", REPORT)
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        # chmod does not stop root, so the refusal is simulated where the file is opened.
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    result = ingest_paths([tmp_path])
    assert reasons(result.rejections)["locked.txt"].startswith("permission denied; make the file readable")
    assert [d.name for d in result.documents] == ["open.txt"]


def test_unlistable_folder_and_pipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "ok.txt", OTHER)
    write(tmp_path, "locked/inner.txt", REPORT)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")  # reading it would block forever
    real_scandir = os.scandir

    def guarded_scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", guarded_scandir)
    result = ingest_paths([tmp_path])
    assert [d.name for d in result.documents] == ["ok.txt"]
    why = reasons(result.rejections)
    assert why["locked"] == "cannot list folder (Permission denied)"
    if hasattr(os, "mkfifo"):
        assert why["pipe.txt"].startswith("not a regular file")


def test_streaming_survives_a_vanishing_file(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", REPORT)
    write(tmp_path, "b.txt", OTHER)
    stream = iter_ingest([tmp_path])
    first = next(stream)
    assert isinstance(first, Document)
    (tmp_path / "b.txt").unlink()  # deleted between discovery and reading
    [second] = list(stream)
    assert isinstance(second, Rejection) and second.reason.startswith("file not found")


def test_unexpected_errors_become_rejections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(html: str) -> None:
        raise RuntimeError("parser bug")

    monkeypatch.setattr("amu.ingest.extract_html", explode)
    write(tmp_path, "page.html", PAGE)
    write(tmp_path, "plain.txt", OTHER)
    result = ingest_paths([tmp_path])
    assert [d.name for d in result.documents] == ["plain.txt"]
    assert "internal error (RuntimeError: parser bug)" in result.rejections[0].reason


def test_read_document_raises_with_a_hint(tmp_path: Path) -> None:
    bad = write(tmp_path, "legacy.txt", "caf\u00e9 bombing report".encode("latin-1"))
    with pytest.raises(IngestError) as info:
        read_document(bad)
    assert "offset 3" in str(info.value) and info.value.hint and "iconv" in info.value.hint
    feed = write(tmp_path, "feed.jsonl", '{"text": "Good record."}\n{oops\n')
    with pytest.raises(IngestError, match=r"feed\.jsonl:2"):
        read_document(feed)
    problems: list[Rejection] = []
    assert [d.name for d in read_document(feed, on_reject=problems.append)] == ["feed.jsonl#1"]
    assert problems[0].source.endswith("feed.jsonl:2")


def test_progress_bar_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(7):
        write(tmp_path, f"r{i}.txt", f"Report {i}\n\nText number {i}.")
    assert len(ingest_paths([tmp_path], progress=True).documents) == 7
    assert "ingest" in capsys.readouterr().err


# --- the seed corpus -----------------------------------------------------------------------


def use_real_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "amu.extract.dates")
    pytest.importorskip("amu.extract.dates")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")
def test_seeds_ingest_with_sidecar_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    use_real_dates(monkeypatch)
    sidecar = {e["doc"]: e for e in map(json.loads, (SEEDS / "meta.jsonl").read_text().splitlines()) if e}
    result = ingest_paths([SEEDS])
    assert result.rejections == []
    assert sorted(d.name for d in result.documents) == sorted(sidecar)
    for doc in result.documents:
        entry = sidecar[doc.name]
        assert (doc.title, doc.publisher) == (entry["title"], entry["publisher"])
        assert doc.author == entry.get("author", doc.author)
        if "published" in entry:
            assert (doc.published, doc.published_inferred) == (entry["published"], False)
        else:
            assert doc.published and doc.published_inferred, doc.name
    assert [d.id for d in ingest_paths([SEEDS]).documents] == [d.id for d in result.documents]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds not present")
def test_seeds_without_sidecar_read_their_own_bylines_and_datelines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_real_dates(monkeypatch)
    sidecar = {e["doc"]: e for e in map(json.loads, (SEEDS / "meta.jsonl").read_text().splitlines()) if e}
    for seed in SEEDS.glob("*.txt"):  # copied at run time only, to hide the sidecar
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    for doc in ingest_paths([tmp_path]).documents:
        entry = sidecar[doc.name]
        assert doc.title and doc.title.casefold().replace("’", "'") == entry["title"].casefold()
        if "published" in entry:
            assert (doc.author, doc.published, doc.published_inferred) == (entry["author"], entry["published"], False)
        else:
            assert doc.published_inferred and doc.author is None
