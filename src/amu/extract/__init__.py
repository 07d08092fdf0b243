"""Extraction stage: documents in, incident mentions (with provenance) out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator

from amu.records import Document, Mention

if TYPE_CHECKING:
    from amu.extract.mentions import ExtractOptions


def extract(doc: Document, options: "ExtractOptions | None" = None) -> list[Mention]:
    """Incident mentions of one document (see :mod:`amu.extract.mentions`)."""
    from amu.extract.mentions import extract_document

    return extract_document(doc, options)


def extract_many(docs: Iterable[Document], options: "ExtractOptions | None" = None) -> Iterator[tuple[Document, list[Mention]]]:
    """Mentions of many documents, one ``(document, mentions)`` pair at a time."""
    from amu.extract.mentions import extract_document

    for doc in docs:
        yield doc, extract_document(doc, options)


def __getattr__(name: str) -> object:
    if name == "ExtractOptions":
        from amu.extract.mentions import ExtractOptions

        return ExtractOptions
    raise AttributeError(name)
