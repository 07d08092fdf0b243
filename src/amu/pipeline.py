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
from amu.records import Document, Mention, Rejection
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


def run(paths: Iterable[str | Path], store: Store, settings: Settings | None = None, progress: bool = False,
        extract: bool = True, fuse: bool = True) -> RunReport:
    """Ingest files into the store, extract mentions and fuse them into incidents.

    Each document is stored together with its mentions in one transaction, so
    an interrupted run leaves a consistent store; a re-run skips nothing and
    duplicates nothing (ids are content hashes).
    """
    s = settings or Settings()
    report = RunReport()
    opts = extract_options(s)
    stamp = f"{EXTRACTOR}@{__version__}"
    added: list[Mention] = []
    touched: set[str] = set()
    for item in _progress(iter_ingest(paths, ingest_options(s)), progress):
        if isinstance(item, Rejection):
            report.rejections.append(item)
            store.add_rejection(item)
            continue
        report.documents += 1
        profile = profile_of(item.text, item.meta)
        if profile.flagged:   # stored and extracted all the same; the analyst is told (see flag_summary)
            report.flagged.append((item.path or item.name, profile))
        mentions = extract_document(item, opts) if extract else None
        with store.transaction():   # document, mentions and relations land together (transactions nest)
            if store.add_document(item, mentions, stamp if extract else None):
                report.new_documents += 1
            touched.add(item.id)
            if extract:
                relations = extract_relations(item, mentions, use_model=s.use_model, model=s.model)
                store_relations(store, item, relations, actor_aliases(item))
        if mentions:
            report.mentions += len(mentions)
            added.extend(mentions)
    if fuse and extract:
        from amu.resolve.incidents import fuse_store

        report.incidents = fuse_store(store, touched)
    return report
