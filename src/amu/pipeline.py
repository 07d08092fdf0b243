"""The whole path, as a library: files -> documents -> mentions -> store (-> incidents).

The CLI, and any notebook, call these functions; they hold no logic of their own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from amu import __version__
from amu.extract.mentions import EXTRACTOR, ExtractOptions, extract_document
from amu.extract.relations import actor_aliases, extract_relations, store_relations
from amu.ingest import IngestOptions, iter_ingest
from amu.ingest.language import LanguageProfile, profile_of
from amu.records import AliasSeen, Document, Mention, Rejection, Relation
from amu.settings import Settings
from amu.store import Store


@dataclass
class RunReport:
    """What a run did: counts, and every rejected input with its reason."""

    documents: int = 0
    new_documents: int = 0
    mentions: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    incidents: int = 0
    flagged: list[tuple[str, LanguageProfile]] = field(default_factory=list)  # documents Amu cannot fully read


def extract_options(settings: Settings) -> ExtractOptions:
    return ExtractOptions(model=settings.model, use_model=settings.use_model, min_anchor=settings.min_anchor)


def ingest_options(settings: Settings) -> IngestOptions:
    return IngestOptions(max_bytes=settings.max_bytes, store_file=settings.db)


def _progress(items: Iterable[Document | Rejection], enabled: bool) -> Iterator[Document | Rejection]:
    if not enabled:
        yield from items
        return
    from tqdm import tqdm

    with tqdm(desc="documents", unit="doc", file=sys.stderr, leave=False) as bar:
        for item in items:
            bar.update(1)
            yield item


def extract_paths(paths: Iterable[str | Path], settings: Settings | None = None, progress: bool = False,
                  on_rejection: Callable[[Rejection], None] | None = None) -> Iterator[tuple[Document, list[Mention]]]:
    """Ingest and extract without a store: yields each document with its mentions."""
    s = settings or Settings()
    opts = extract_options(s)
    for item in _progress(iter_ingest(paths, ingest_options(s)), progress):
        if isinstance(item, Rejection):
            if on_rejection:
                on_rejection(item)
            continue
        yield item, extract_document(item, opts)


@dataclass
class Extracted:
    """What the CPU-heavy part makes of one document; the part a worker does in a distributed ingest.

    Attributes:
        document: The document.
        mentions: Its mentions, or None when extraction was not asked for.
        relations: Relations stated in it, with evidence.
        aliases: Group names as the document writes them.
        profile: Its languages (what ingest identified); a flagged one is reported to the analyst.
    """

    document: Document
    mentions: list[Mention] | None
    relations: list[Relation] = field(default_factory=list)
    aliases: list[AliasSeen] = field(default_factory=list)
    profile: LanguageProfile | None = None


def extract_one(doc: Document, settings: Settings, extract: bool = True) -> Extracted:
    """Language check, mentions and relations of one document (no store: safe to run anywhere)."""
    profile = profile_of(doc.text, doc.meta)
    if not extract:
        return Extracted(doc, None, profile=profile)
    mentions = extract_document(doc, extract_options(settings))
    relations = extract_relations(doc, mentions, use_model=settings.use_model, model=settings.model)
    return Extracted(doc, mentions, relations, actor_aliases(doc), profile)


def write_extracted(store: Store, done: Extracted, report: RunReport, stamp: str | None) -> None:
    """Store one document with its mentions and relations in one transaction; count it in ``report``.

    Idempotent: ids are content hashes and a document's mentions and relations are replaced,
    so writing the same document again changes nothing.
    """
    doc = done.document
    report.documents += 1
    if done.profile is not None and done.profile.flagged:   # stored and extracted all the same (see flag_summary)
        report.flagged.append((doc.path or doc.name, done.profile))
    with store.transaction():   # document, mentions and relations land together (transactions nest)
        if store.add_document(doc, done.mentions, stamp if done.mentions is not None else None):
            report.new_documents += 1
        if done.mentions is not None:
            store_relations(store, doc, done.relations, done.aliases)
    if done.mentions:
        report.mentions += len(done.mentions)


def extractor_stamp() -> str:
    """The extractor name and version recorded with each extracted document."""
    return f"{EXTRACTOR}@{__version__}"


def run(paths: Iterable[str | Path], store: Store, settings: Settings | None = None, progress: bool = False,
        extract: bool = True, fuse: bool = True) -> RunReport:
    """Ingest files into the store, extract mentions and fuse them into incidents.

    Each document is stored together with its mentions in one transaction, so
    an interrupted run leaves a consistent store; a re-run skips nothing and
    duplicates nothing (ids are content hashes). Files are read one at a time and
    nothing of a stored document is kept, so memory does not grow with the corpus.
    For many cores or machines see :func:`amu.pipeline_dask.run_distributed`.
    """
    s = settings or Settings()
    report = RunReport()
    stamp = extractor_stamp() if extract else None
    touched: set[str] = set()
    for item in _progress(iter_ingest(paths, ingest_options(s)), progress):
        if isinstance(item, Rejection):
            report.rejections.append(item)
            store.add_rejection(item)
            continue
        write_extracted(store, extract_one(item, s, extract), report, stamp)
        touched.add(item.id)
    if fuse and extract:
        report.incidents = fuse_touched(store, touched)
    return report


def fuse_touched(store: Store, touched: set[str]) -> int:
    """Re-fuse the part of the store that the touched documents reach; the incident count."""
    from amu.resolve.incidents import fuse_store

    return fuse_store(store, touched)
