"""JSON and JSON Lines files holding one or many report records.

A record is an object with the text under ``text``, ``content``, ``body`` or ``article`` (or
page markup under ``html``) and optional metadata (``title``, ``url``, ``publisher`` /
``source`` / ``sitename``, ``author``, ``published`` / ``date`` / ``published_at``). Each bad
record is rejected on its own; the other records of the file go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amu.errors import IngestError
from amu.ingest.meta import NAME_KEYS, extra_fields, pick_fields
from amu.records import Rejection

TEXT_KEYS = ("text", "content", "body", "article")
HTML_KEY = "html"
# Wrappers that exports put around a list of records: {"documents": [...]}.
_LIST_KEYS = ("documents", "articles", "items", "records", "data")


@dataclass
class RawRecord:
    """A record's text and metadata before normalisation.

    Attributes:
        name: The record's ``id``/``doc``/``name``, else ``file.jsonl#LINE`` (``file.json#N``).
        text: The text, or page markup when ``is_html``.
        source: Where the record is, for messages: ``path:LINE`` or ``path#N``.
        fields: Metadata fields under their canonical names.
        extra: Other keys of the record, kept in ``Document.meta``.
        is_html: The text is HTML to extract (it came from an ``html`` field).
    """

    name: str
    text: str
    source: str
    fields: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    is_html: bool = False


def parse_json(text: str, path: Path) -> Iterator[RawRecord | Rejection]:
    """Records of a ``.json`` file: one object, a list of objects, or ``{"documents": [...]}``.

    Args:
        text: The decoded file.
        path: The file, for names and messages.

    Yields:
        A :class:`RawRecord` per good record, a :class:`Rejection` per bad one.

    Raises:
        IngestError: The file is not valid JSON or holds no records at all.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            "fix the file; python -m json.tool FILE shows where it breaks",
        ) from None
    if isinstance(data, dict) and not _has_text(data):
        wrapped = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        data = wrapped if wrapped is not None else data
    if isinstance(data, dict):
        # A lone object is the file itself: it takes the file's name unless it names itself.
        yield _record(data, default_name=path.name, source=str(path))
        return
    if not isinstance(data, list):
        raise IngestError(f"expected a JSON object or a list of objects, got {_kind(data)}")
    if not data:
        raise IngestError("empty file", "the JSON list holds no records")
    for index, item in enumerate(data, start=1):
        yield _record(item, default_name=f"{path.name}#{index}", source=f"{path}#{index}")


def parse_jsonl(text: str, path: Path) -> Iterator[RawRecord | Rejection]:
    """Records of a ``.jsonl`` file, one per line; blank lines are skipped.

    Args:
        text: The decoded file.
        path: The file, for names and messages.

    Yields:
        A :class:`RawRecord` per good line, a :class:`Rejection` (source ``path:LINE``) per bad one.
    """
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{path}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(source, f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        yield _record(item, default_name=f"{path.name}#{lineno}", source=source)


def _has_text(record: dict[str, Any]) -> bool:
    return any(k in record for k in (*TEXT_KEYS, HTML_KEY))


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _record(item: Any, default_name: str, source: str) -> RawRecord | Rejection:
    """Check one record and split it into text, name and metadata."""
    if not isinstance(item, dict):
        return Rejection(source, f"expected a JSON object, got {_kind(item)}")
    key = next((k for k in (*TEXT_KEYS, HTML_KEY) if k in item), None)
    if key is None:
        return Rejection(source, f"no text field (expected one of: {', '.join(TEXT_KEYS)})")
    value = item[key]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(value)  # a list of paragraphs
    if not isinstance(value, str):
        return Rejection(source, f'the "{key}" field is {_kind(value)}, not a string')
    if not value.strip():
        return Rejection(source, f'the "{key}" field is empty')
    name = next((str(item[k]) for k in NAME_KEYS if item.get(k) not in (None, "")), default_name)
    return RawRecord(
        name=name,
        text=value,
        source=source,
        fields=pick_fields(item),
        extra=extra_fields(item, skip=(*TEXT_KEYS, HTML_KEY)),
        is_html=key == HTML_KEY,
    )
