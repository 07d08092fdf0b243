"""The ingest stage: files and folders in, :class:`~amu.records.Document` records out.

>>> result = ingest_paths(["reports/"])              # doctest: +SKIP
>>> result.documents[0].id, result.rejections        # doctest: +SKIP

A bad file never stops a batch: it becomes a :class:`~amu.records.Rejection` saying why, and
the other files go on. Documents are identified by a hash of their normalised text, so
ingesting the same report twice, under any file name, gives the same id. Within one call a
repeated text is returned once: the first copy is kept, and the sources of later copies are
listed in its ``meta["duplicates"]`` (and in :attr:`IngestResult.duplicates`); a copy is not
a rejection.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from amu.errors import IngestError
from amu.ingest.files import SIDECAR_NAME, Candidate, IngestOptions, IngestResult, decode_utf8, discover, read_bytes
from amu.ingest.hashing import content_id, normalise_text
from amu import GENERATOR
from amu.ingest.html import decode_html, extract_html
from amu.ingest.language import identify
from amu.ingest.meta import Sidecars, extra_fields, pick_fields, reason_of, resolve_metadata
from amu.ingest.records_json import RawRecord, parse_json, parse_jsonl
from amu.records import Document, Rejection

__all__ = [
    "IngestOptions",
    "IngestResult",
    "build_document",
    "document_from_text",
    "ingest_paths",
    "iter_ingest",
    "read_candidate",
    "read_document",
    "sidecars_for",
]

log = logging.getLogger(__name__)

PROGRESS_MIN_FILES = 5  # below this a progress bar is only noise
_HTML = (".html", ".htm")
_MARKDOWN = (".md", ".markdown")

Layers = Sequence[tuple[str, Mapping[str, str]]]


def ingest_paths(
    paths: Iterable[str | Path],
    options: IngestOptions | None = None,
    progress: bool = False,
) -> IngestResult:
    """Read files and folders into documents, collecting every failure as a rejection.

    Args:
        paths: Files and folders (walked recursively, in sorted order).
        options: Ingest settings; defaults when None.
        progress: Show a progress bar on stderr when there are more than a handful of files.

    Returns:
        The documents (each text once) and the rejections. Never raises for a bad file.
    """
    options = options or IngestOptions()
    entries: Iterable[Candidate | Rejection] = discover(paths, options)
    if progress:
        listed = list(entries)  # the bar needs a total; listing paths is cheap next to reading them
        entries = listed
        if sum(isinstance(e, Candidate) for e in listed) > PROGRESS_MIN_FILES:
            from tqdm import tqdm

            entries = tqdm(listed, desc="ingest", unit="file", file=sys.stderr)
    result = IngestResult(documents=[], rejections=[])
    for item in _ingest(entries, options, on_duplicate=lambda src, id_: result.duplicates.append((src, id_))):
        if isinstance(item, Document):
            result.documents.append(item)
        else:
            result.rejections.append(item)
    return result


def iter_ingest(paths: Iterable[str | Path], options: IngestOptions | None = None) -> Iterator[Document | Rejection]:
    """Stream documents and rejections as files are read, for corpora too big to hold at once.

    Repeated texts are yielded once (see the module docstring). Only the ids seen so far and
    their ``meta`` dicts are kept in memory, not the texts; a copy found later is appended to
    ``meta["duplicates"]`` of the document object already yielded.

    Args:
        paths: Files and folders.
        options: Ingest settings; defaults when None.

    Yields:
        A :class:`Document` or a :class:`Rejection` per input, in input order.
    """
    options = options or IngestOptions()
    yield from _ingest(discover(paths, options), options)


def _ingest(
    entries: Iterable[Candidate | Rejection],
    options: IngestOptions,
    on_duplicate: Callable[[str, str], None] | None = None,
) -> Iterator[Document | Rejection]:
    sidecars = sidecars_for(options)
    # id -> meta dict of the copy kept: enough to note later copies without holding texts.
    kept: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, Rejection):
            yield entry
            continue
        problems, items = read_candidate(entry, options, sidecars)
        yield from problems
        for item in items:
            if isinstance(item, Document) and item.id in kept:
                source = item.meta.get("record") or item.path or item.name
                kept[item.id].setdefault("duplicates", []).append(source)
                if on_duplicate:
                    on_duplicate(source, item.id)
                continue
            if isinstance(item, Document):
                kept[item.id] = item.meta
            yield item


def sidecars_for(options: IngestOptions) -> Sidecars:
    """An empty sidecar cache for one ingest (folders' ``meta.jsonl`` files are read once each)."""
    # A sidecar describes a whole folder; the per-document limit would be the wrong yardstick.
    return Sidecars(max_bytes=max(options.max_bytes, 50_000_000))


def read_candidate(entry: Candidate, options: IngestOptions,
                   sidecars: Sidecars) -> tuple[list[Rejection], list[Document | Rejection]]:
    """Read one discovered file; never raises. The unit of work a distributed ingest hands a worker.

    Args:
        entry: The file, as :func:`amu.ingest.files.discover` found it.
        options: Ingest settings.
        sidecars: The folder sidecars read so far (a sidecar is read once per ``Sidecars``).

    Returns:
        The problems found in a sidecar read for this file (reported once per ``Sidecars``), and
        the file's documents and record-level rejections in file order (or one rejection for
        the whole file). Repeated texts are not removed here: :func:`iter_ingest` does that.
    """
    try:
        items = _read(entry.path, options, sidecars, entry.explicit)
    except IngestError as exc:
        items = [Rejection(str(entry.path), reason_of(exc))]
    except Exception as exc:  # noqa: BLE001 - the batch must survive our own bugs too
        log.exception("unexpected error reading %s", entry.path)
        items = [Rejection(str(entry.path), f"internal error ({type(exc).__name__}: {exc}); please report it")]
    problems = list(sidecars.pending)
    sidecars.pending.clear()
    return problems, items


def read_document(
    path: str | Path,
    options: IngestOptions | None = None,
    *,
    on_reject: Callable[[Rejection], None] | None = None,
) -> list[Document]:
    """Read one file (one document, or several for JSON/JSONL), applying its folder's sidecar.

    Args:
        path: The file; read whatever its ending (unknown endings as text).
        options: Ingest settings; defaults when None.
        on_reject: Called with each bad record of a JSON/JSONL file, and each problem in the
            sidecar. Without it a bad record raises, since nothing else would report it.

    Returns:
        The documents in the file.

    Raises:
        IngestError: The file cannot be read, with the reason and how to fix it.
    """
    sidecars = Sidecars()
    items = _read(Path(path), options or IngestOptions(), sidecars, explicit=True)
    for problem in sidecars.pending:
        # A broken sidecar costs metadata, not the document, so it does not raise here.
        if on_reject:
            on_reject(problem)
        else:
            log.warning("%s: %s", problem.source, problem.reason)
    docs: list[Document] = []
    for item in items:
        if isinstance(item, Document):
            docs.append(item)
        elif on_reject:
            on_reject(item)
        else:
            raise IngestError(f"{item.source}: {item.reason}", "pass on_reject to skip bad records")
    return docs


def document_from_text(text: str, name: str, **meta: Any) -> Document:
    """Build a document from a string, as if it were read from a ``.txt`` file.

    Args:
        text: The report's text.
        name: The document's name (what a file name would be).
        **meta: Metadata, highest precedence: ``title``, ``url``, ``publisher``, ``author``,
            ``published``, ``language`` (and their aliases); ``path`` and ``source_format``;
            anything else goes into ``Document.meta``.

    Returns:
        The document, its id the hash of the normalised text.

    Raises:
        IngestError: The text is empty.
    """
    path = meta.pop("path", None)
    fmt = str(meta.pop("source_format", "txt"))
    extra = dict(meta.pop("meta", None) or {})
    extra.update(extra_fields(meta))
    return build_document(text, name, path=path, source_format=fmt, layers=[("given", pick_fields(meta))], extra=extra)


def build_document(
    raw_text: str,
    name: str,
    *,
    path: str | Path | None,
    source_format: str,
    layers: Layers,
    extra: Mapping[str, Any] | None = None,
) -> Document:
    """Normalise a text, resolve its metadata and make the :class:`Document`.

    Raises:
        IngestError: Nothing is left of the text once normalised.
    """
    text = normalise_text(raw_text)
    if not text.strip():
        raise IngestError("empty file", "the file holds no text; remove it or fill it")
    fields, origins, inferred = resolve_metadata(text, layers, markdown=source_format == "md")
    meta = dict(extra or {})
    profile = identify(text)
    if profile.judged:   # the text's own language wins over a page's or a record's declared one
        declared = fields.get("language")
        if declared and declared.split("-")[0].lower() != profile.language.split("-")[0]:
            meta["declared_language"] = declared
        fields["language"], origins["language"] = profile.language, "identified"
        meta["language_profile"] = profile.to_json()
    meta["metadata_from"] = origins
    return Document(
        id=content_id(text),
        name=name,
        text=text,
        path=str(path) if path is not None else None,
        title=fields.get("title"),
        url=fields.get("url"),
        publisher=fields.get("publisher"),
        author=fields.get("author"),
        published=fields.get("published"),
        published_inferred=inferred,
        language=fields.get("language"),
        source_format=source_format,
        meta=meta,
    )


def _read(path: Path, options: IngestOptions, sidecars: Sidecars, explicit: bool) -> list[Document | Rejection]:
    """Read one file into its documents and record-level rejections, in file order.

    Raises:
        IngestError: The file as a whole cannot be read.
    """
    if path.name == SIDECAR_NAME and explicit:
        raise IngestError("is a metadata sidecar, not a document", "name its folder or the documents beside it")
    data = read_bytes(path, options.max_bytes)
    suffix = path.suffix.lower()
    if suffix in _HTML:
        page, encoding = decode_html(data, path.name)
        if f'content="{GENERATOR}"' in page[:2000]:
            raise IngestError("is an Amu brief (Amu's own output), not a report",
                              "keep briefs out of the folders you ingest; its incidents are already in the store")
        text, fields, extra = extract_html(page)
        if not text:
            raise IngestError("no text found in the page", "check that the page is not empty or built by JavaScript")
        if encoding != "utf-8":
            extra["encoding"] = encoding
        side, side_extra = _sidecar(sidecars, path, path.name)
        layers = [("sidecar", side), ("html", fields)]
        extra.update(side_extra)
        return [build_document(text, path.name, path=path, source_format="html", layers=layers, extra=extra)]
    text = decode_utf8(data, path.name)
    if suffix in (".json", ".jsonl"):
        parsed = parse_json(text, path) if suffix == ".json" else parse_jsonl(text, path)
        return [_from_record(rec, path, suffix[1:], sidecars) if isinstance(rec, RawRecord) else rec for rec in parsed]
    fmt = "md" if suffix in _MARKDOWN else "txt"
    side, side_extra = _sidecar(sidecars, path, path.name)
    return [build_document(text, path.name, path=path, source_format=fmt, layers=[("sidecar", side)], extra=side_extra)]


def _sidecar(sidecars: Sidecars, path: Path, name: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The sidecar's metadata fields for a document, and its other keys (kept in ``meta``)."""
    entry = sidecars.lookup(path.parent, name)
    return pick_fields(entry), extra_fields(entry)


def _from_record(rec: RawRecord, path: Path, fmt: str, sidecars: Sidecars) -> Document | Rejection:
    """A document from one JSON record; a record-level problem becomes its rejection."""
    text, fields, extra = rec.text, rec.fields, dict(rec.extra)
    if rec.is_html:
        text, page_fields, page_extra = extract_html(rec.text)
        fields = {**page_fields, **rec.fields}  # the record's own fields beat the page's tags
        extra = {**page_extra, **extra}
    side, side_extra = _sidecar(sidecars, path, rec.name)
    extra.update(side_extra)
    extra["record"] = rec.source
    layers = [("sidecar", side), ("record", fields)]
    try:
        return build_document(text, rec.name, path=path, source_format=fmt, layers=layers, extra=extra)
    except IngestError as exc:
        return Rejection(rec.source, reason_of(exc))
