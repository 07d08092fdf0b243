"""Document metadata: sidecar files, fields inside a document, and inference.

Precedence, highest first: the ``meta.jsonl`` sidecar beside the file, metadata the document
carries (HTML meta tags, JSON record fields, an "Author:" or "By" line and a date line near the
top of the text), then inference from the text (publication date only, flagged
``published_inferred``). ``Document.meta["metadata_from"]`` records where each field came from.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from amu.errors import IngestError
from amu.ingest.files import SIDECAR_NAME, decode_utf8, read_bytes
from amu.records import DateValue, Rejection

log = logging.getLogger(__name__)

FIELDS = ("title", "url", "publisher", "author", "published", "language")
# Names the same field goes by in sidecars, scraper exports and feeds; first match wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "publisher": ("publisher", "source", "sitename", "site_name", "outlet"),
    "author": ("author", "authors", "byline"),
    "published": ("published", "date", "published_at", "publication_date", "pubdate"),
    "language": ("language", "lang"),
}
NAME_KEYS = ("id", "doc", "name")  # keys that name a record in a JSON file, first match wins
SIDECAR_KEYS = ("doc", "name", "file", "id")  # keys naming the document a sidecar line describes
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ].*)?$")
_HEAD_LINES = 15  # author, title and date lines are looked for among this many non-empty lines

_AUTHOR_LINE = re.compile(r"^(?:authors?\s*:|written\s+by\b|by\b)\s*(?P<rest>.+)$", re.IGNORECASE)
# Where a byline's name ends: "By Jane Roe for Outlet", "By Jane Roe | June 2, 2024", ...
_BYLINE_END = re.compile(
    r"\s+(?:for|of|at|in|on|with)\s+|\s*[|•·,;(]\s*|\s+[-–—]\s+|\s+(?=\d)"
    r"|\s+(?=(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)"
)
_NAME_CONNECTORS = {"and", "&", "de", "da", "del", "van", "von", "bin", "ibn", "al", "el", "la", "le"}


class Sidecars:
    """Loads each folder's ``meta.jsonl`` once and looks documents up in it.

    Problems in a sidecar do not stop ingestion: they are queued in :attr:`pending` as
    rejections for the caller to report, and the documents go on without that metadata.
    """

    def __init__(self, max_bytes: int = 50_000_000) -> None:
        self.max_bytes = max_bytes
        self.pending: list[Rejection] = []
        self._cache: dict[Path, dict[str, dict[str, Any]]] = {}

    def lookup(self, folder: Path, name: str) -> dict[str, Any]:
        """The sidecar entry for document ``name`` in ``folder``, or an empty dict."""
        key = folder.resolve()
        if key not in self._cache:
            self._cache[key] = self._load(folder / SIDECAR_NAME)
        return self._cache[key].get(name, {})

    def _load(self, path: Path) -> dict[str, dict[str, Any]]:
        if not path.is_file():
            return {}
        try:
            text = decode_utf8(read_bytes(path, self.max_bytes))
        except IngestError as exc:
            self.pending.append(Rejection(str(path), reason_of(exc)))
            return {}
        entries: dict[str, dict[str, Any]] = {}
        for lineno, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may sit in a string
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                self.pending.append(Rejection(f"{path}:{lineno}", f"not valid JSON ({exc.msg}, column {exc.colno})"))
                continue
            name = _first(entry, SIDECAR_KEYS) if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name:
                self.pending.append(
                    Rejection(f"{path}:{lineno}", 'sidecar line needs a "doc" field naming the file it describes')
                )
                continue
            entries[name] = entry
        return entries


def reason_of(exc: IngestError) -> str:
    """One-line rejection reason from an error: ``message; hint``."""
    message = exc.args[0] if exc.args else str(exc)
    return f"{message}; {exc.hint}" if exc.hint else str(message)


def _first(record: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def pick_fields(record: Mapping[str, Any]) -> dict[str, str]:
    """Take the known metadata fields out of a sidecar line or JSON record, under their aliases.

    Args:
        record: A mapping such as ``{"doc": ..., "source": ..., "published_at": ...}``.

    Returns:
        Canonical field name -> string value, for the fields present. ``published`` is
        normalised to ISO 8601 at the precision given; an unreadable date is dropped (logged).
    """
    out: dict[str, str] = {}
    for fld, keys in ALIASES.items():
        value = _first(record, keys)
        if isinstance(value, Mapping):  # feeds often nest: {"source": {"name": "..."}}
            value = _first(value, ("name", "title", "url"))
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value in (None, ""):
            continue
        value = str(value).strip()
        if fld == "published":
            iso = normalise_date(value)
            if iso is None:
                log.warning("unreadable publication date %r ignored", value)
                continue
            value = iso
        out[fld] = value
    return out


def extra_fields(record: Mapping[str, Any], skip: Sequence[str] = ()) -> dict[str, Any]:
    """The entries of ``record`` that are neither known metadata nor in ``skip``."""
    known = {k for keys in ALIASES.values() for k in keys} | set(SIDECAR_KEYS) | set(skip)
    return {k: v for k, v in record.items() if k not in known}


def normalise_date(value: str) -> str | None:
    """Turn a publication date into ISO 8601 at the precision it states.

    ``2024-07-19T08:00:00Z`` -> ``2024-07-19``; ``July 2024`` -> ``2024-07``; relative
    expressions ("yesterday") are refused, since there is nothing to resolve them against.
    """
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match:
        return "-".join(part for part in match.groups() if part)
    for languages in (("en",), None):  # English first: detecting the language costs ~1 s
        data = _date_parser(languages).get_date_data(value)
        if data.date_obj is not None:
            fmt = {"year": "%Y", "month": "%Y-%m"}.get(data.period or "day", "%Y-%m-%d")
            return str(data.date_obj.strftime(fmt))
    return None


@lru_cache(maxsize=2)
def _date_parser(languages: tuple[str, ...] | None) -> Any:
    from dateparser.date import DateDataParser  # slow import; only needed for non-ISO dates

    settings = {"PARSERS": ["absolute-time"], "REQUIRE_PARTS": ["year"]}
    return DateDataParser(languages=list(languages) if languages else None, settings=settings)


def _head(text: str) -> list[str]:
    lines = []
    for line in text[:5000].split("\n"):
        if line.strip():
            lines.append(line.strip())
            if len(lines) == _HEAD_LINES:
                break
    return lines


def find_author(text: str) -> str | None:
    """An author from an ``Author: X`` / ``By X`` line near the top of the text, if any."""
    for line in _head(text):
        match = _AUTHOR_LINE.match(line)
        if not match or len(line) > 160:
            continue
        rest = match.group("rest").strip()
        if line[:2].lower() == "by" and not rest[:1].isupper():
            continue  # "By the end of 2023 ..." is a sentence, not a byline
        name = _BYLINE_END.split(rest, maxsplit=1)[0].strip()
        words = name.split()
        if 1 <= len(words) <= 8 and not any(ch.isdigit() for ch in name) and all(
            w[:1].isupper() or w.lower() in _NAME_CONNECTORS for w in words
        ):
            return name
    return None


def looks_like_title(line: str) -> bool:
    """A short line with letters and no final sentence punctuation, not a byline or a URL."""
    return (
        3 <= len(line) <= 200
        and len(line.split()) <= 30
        and line[-1] not in ".,;:"
        and any(ch.isalpha() for ch in line)
        and _AUTHOR_LINE.match(line) is None
        and not line.lower().startswith(("http://", "https://", "www."))
    )


def find_title(text: str, markdown: bool = False) -> str | None:
    """A title from the top of the text.

    In Markdown the first heading wins. Otherwise the first title-like line, except that a
    title-like line repeated near the top is preferred: web copies often carry the
    site's name first and the headline twice (breadcrumb and heading).
    """
    head = _head(text)
    if markdown:
        for line in head:
            if line.startswith("#"):
                return line.lstrip("#").strip() or None
    candidates = [line.lstrip("#").strip() for line in head]
    candidates = [c for c in candidates if looks_like_title(c)]
    if not candidates:
        return None
    folded = [c.casefold() for c in candidates]
    for c in candidates:
        if folded.count(c.casefold()) > 1:
            # Of the copies, keep the one with the most capitals: "ISKP's Resurgence", not "iskp's resurgence".
            copies = [d for d in candidates if d.casefold() == c.casefold()]
            return max(copies, key=lambda s: sum(ch.isupper() for ch in s))
    return candidates[0]


def resolve_metadata(
    text: str,
    layers: Sequence[tuple[str, Mapping[str, str]]],
    markdown: bool = False,
) -> tuple[dict[str, str], dict[str, str], bool]:
    """Merge metadata layers and fill what is missing from the text.

    Args:
        text: The normalised document text.
        layers: ``(origin, fields)`` pairs, highest precedence first, e.g.
            ``[("sidecar", ...), ("html", ...)]``; fields as returned by :func:`pick_fields`.
        markdown: Whether the text is Markdown (for the title).

    Returns:
        ``(fields, origins, published_inferred)``: the merged fields, where each came from
        (``sidecar``, ``html``, ``record``, ``text``, ``dateline``, ``inferred``) and whether
        the publication date was inferred.
    """
    fields: dict[str, str] = {}
    origins: dict[str, str] = {}
    for origin, layer in layers:
        for fld in FIELDS:
            if fld not in fields and layer.get(fld):
                fields[fld], origins[fld] = layer[fld], origin
    if "title" not in fields and (title := find_title(text, markdown)):
        fields["title"], origins["title"] = title, "text"
    if "author" not in fields and (author := find_author(text)):
        fields["author"], origins["author"] = author, "text"
    inferred = False
    if "published" not in fields:
        date, origin = _date_from_text(text)
        if date:
            fields["published"], origins["published"] = date, origin
            inferred = origin in ("inferred", "inferred-year", "inferred-day")
    return fields, origins, inferred


def _date_from_text(text: str) -> tuple[str | None, str]:
    """A dateline near the top, else a publication date inferred from the whole text."""
    # Imported here: amu.extract loads heavier machinery that ingest must not pay for at import.
    from amu.extract.dates import find_dateline, infer_publication_date

    for origin, finder in (("dateline", find_dateline), ("inferred", infer_publication_date)):
        try:
            value = finder(text)
        except Exception:  # noqa: BLE001 - a date finder bug must cost the date, not the document
            log.warning("%s failed; continuing without it", finder.__name__, exc_info=True)
            continue
        if value is not None and value.iso:
            if origin == "inferred" and len(value.iso) == 4:
                iso = _with_wire_dateline(text, value.iso)
                # The day and month come from the wire dateline, only the year from the text.
                return iso, "inferred-year" if len(iso) > 4 else origin
            if origin == "inferred" and _weekday_stated(text, value):
                return value.iso, "inferred-day"
            return value.iso, origin
    # Nothing fully dated: a wire dateline's month and day with the latest year the text names.
    try:
        from amu.extract.dates import find_dates
    except ImportError:   # a stripped-down date module (tests) has no general date finder
        return None, ""
    years = [d.iso[:4] for d in find_dates(text[:20000], None) if d.precision == "year"]
    if years:
        iso = _with_wire_dateline(text, max(years))
        if len(iso) > 4:
            return iso, "inferred-year"
    return None, ""


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_stated(text: str, value: DateValue) -> bool:
    """The inferred date is written with its own weekday ("Saturday, Dec. 20, 2014", a wire photo's caption):
    the writer's today, so days counted from it ("on Saturday", "earlier this week") can be trusted."""
    import datetime as dt

    if value.precision != "day" or value.start is None:
        return False
    try:
        day = dt.date.fromisoformat(value.iso)
    except ValueError:
        return False
    named = text[max(0, value.start - 15):value.end].lower()
    return re.search(rf"\b{_WEEKDAYS[day.weekday()]}\b", named) is not None


_WIRE_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,40},\s*(?:[A-Z][a-z]+,\s*)?([A-Z][a-z]{2,8})\.? (\d{1,2})\b", re.M)


def _with_wire_dateline(text: str, year: str) -> str:
    """A year inferred from the text, made precise by a wire dateline ("ISTANBUL, June 29 (Agency) —")."""
    try:
        from amu.extract.dates import find_dates
    except ImportError:
        return year

    m = _WIRE_DATELINE.search(text[:1500])
    if m is None:
        return year
    found = find_dates(f"{m.group(1)} {m.group(2)}, {year}", None)
    return found[0].iso if found and found[0].precision == "day" else year
