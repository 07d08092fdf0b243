"""Publication date of a report: read it from a date line, or infer it from the text.

:func:`find_dateline` reads the head of a document for the line that dates it
("07/19/2024" alone on a line, "By Jane Doe for Outlet June 27, 2024",
"Published: ...", "Updated ..."). :func:`infer_publication_date` is the fallback for
texts with no date line and no metadata: the latest date the text itself cites,
pushed forward by year-less citations ("(Agency, April 2)") that writers use for
the current year. :func:`detect_publication_date` tries one, then the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from amu.extract.datescan import RULES, RawDate, scan_dates
from amu.records import DateValue

__all__ = ["find_dateline", "infer_publication_date", "detect_publication_date"]



def _alt(words: list[str]) -> str:
    """Regex alternation of literal phrases, longest first."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_LABELS = _alt(RULES["dateline_labels"])
_LABEL = re.compile(rf"^[\W_]*(?P<label>{_LABELS})\b\s*(?:on\b|at\b|:)?", re.I)
_BYLINE = re.compile(r"^[\W_]*by\s+\S", re.I)
# "June 27, 2024 · By Jane Roe": a byline after the date, nothing else on the line
_TRAILING_BYLINE = re.compile(r"^[\s|•·,–—-]*(?:[Bb]y|BY)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*$")
# what may stand beside the date on a line that holds "just a date": times, zones, separators, reading time
_RESIDUE = re.compile(
    r"^(?:[\s|•·,/\-–—:()\[\]]|\d|(?i:a\.?m\.?|p\.?m\.?|gmt|utc|\b[a-z]{1,2}t\b|msk|ist|\d+\s*min(?:ute)?s?\s*read|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day))*$"
)
_CITY_DATELINE = re.compile(r"^[A-Z][\w.'’ -]{1,40},\s*$")
_BOILERPLATE = re.compile(
    rf"^[ \t]*(?:{_alt(RULES['boilerplate_markers'])})[ \t]*:?[ \t]*$",
    re.I | re.M,
)
_FUTURE = re.compile(rf"(?i:\b(?:{_alt(RULES['future_cues'])})\b)")
_DATEPARSER_LANGUAGES = ["en", "ru", "uz", "kk", "ky", "tr", "fa", "ps"]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line.rstrip("\r\n")
        pos += len(line)


def _dated(raws: list[RawDate]) -> RawDate | None:
    """The first value that states at least a year and a month."""
    return next((r for r in raws if r.kind == "abs" and r.month is not None), None)


def _to_value(raw: RawDate, text: str, offset: int, qualifier: str | None = None) -> DateValue:
    assert raw.year is not None and raw.month is not None
    if raw.day:
        iso, precision = f"{raw.year:04d}-{raw.month:02d}-{raw.day:02d}", "day"
    else:
        iso, precision = f"{raw.year:04d}-{raw.month:02d}", "month"
    return DateValue(iso, precision, raw.start + offset, raw.end + offset, text[raw.start:raw.end], qualifier)  # type: ignore[arg-type]


def _dateparser_line(line: str, offset: int) -> DateValue | None:
    """Fallback for short date lines in other languages or formats ("27 июня 2024")."""
    stripped = line.strip()
    if not 6 <= len(stripped) <= 40 or not re.search(r"\d{4}", stripped):
        return None
    import dateparser  # slow to import; only needed for the rare line the regexes cannot read

    parsed = dateparser.parse(
        stripped, languages=_DATEPARSER_LANGUAGES,
        # slash dates never get here (the scanner reads them, US order); dashes and words are day first
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"], "STRICT_PARSING": True,
                  "DATE_ORDER": "DMY"},
    )
    if parsed is None or not 1900 <= parsed.year <= 2099:
        return None
    start = offset + line.index(stripped)
    return DateValue(parsed.date().isoformat(), "day", start, start + len(stripped), stripped)


def find_dateline(text: str, head_chars: int = 1500) -> DateValue | None:
    """Read the publication date from a date line in the head of ``text``.

    Accepted lines, in the first ``head_chars`` characters: a line holding just a date
    (times, zones and separators may stand beside it), a byline that holds a date,
    "Published/Posted/Date: <date>", a city dateline ("KABUL, March 22, 2024 —"), and
    "Updated <date>", which is used only when no other line dates the text.

    Returns:
        The date at day precision when the line gives the day (month precision for
        "June 2024" alone), with the span of the date in ``text``; ``None`` if no line
        qualifies.
    """
    fallback: DateValue | None = None
    for offset, line in _lines(text[:head_chars]):
        if not line.strip() or len(line) > 300:
            continue
        label = _LABEL.match(line)
        if label:
            rest = label.end()
            raw = _dated(scan_dates(line[rest:]))
            value = _to_value(raw, line[rest:], offset + rest) if raw else _dateparser_line(line[rest:], offset + rest)
            if value is not None:
                if not label["label"].lower().endswith(("updated", "modified")):
                    return value
                fallback = fallback or value
            continue
        raws = scan_dates(line)
        raw = _dated(raws)
        if raw is None:
            if (value := _dateparser_line(line, offset)) is not None:
                return value  # a short line in another language or format ("27 июня 2024")
            continue
        residue = line[:raw.start] + line[raw.end:]
        if (_RESIDUE.match(residue) or _BYLINE.match(line) or _TRAILING_BYLINE.match(line[raw.end:])
                or (_CITY_DATELINE.match(line[:raw.start]) and re.match(r"\s*[(—–-]", line[raw.end:]))):
            return _to_value(raw, line, offset)
    return fallback


def _strip_boilerplate(text: str) -> str:
    """Cut end-of-page boilerplate: from a "Related Articles"/"Read more" line in the last two thirds."""
    for m in _BOILERPLATE.finditer(text):
        if m.start() >= len(text) / 3:
            return text[:m.start()]
    return text


def infer_publication_date(text: str) -> DateValue | None:
    """Infer when ``text`` was written from the dates it cites.

    The latest fully dated reference (day, month and year) bounds the publication
    date from below; a month-year reference later than every full date also does.
    Year-less day references ("(Agency, April 2)", "on March 9") are the current year
    in a writer's mind, so each is placed at its first occurrence on or after
    (latest full date - 30 days; latest month-year reference when no full date
    exists). The result is the latest of all these. Dates in end-of-page
    boilerplate and dates announced as future plans ("scheduled for ...") are ignored.

    Returns:
        A value with ``qualifier="inferred"``, day precision when a day-dated reference
        wins (month precision otherwise), spanning the winning reference; ``None`` when
        the text cites no date with a month and a year.
    """
    body = _strip_boilerplate(text)
    points: list[tuple[date, RawDate]] = []  # (earliest day the reference allows, reference)
    yearless: list[RawDate] = []
    for raw in scan_dates(body):
        if raw.kind == "md":
            yearless.append(raw)
        elif raw.kind == "abs" and raw.month is not None and raw.year is not None:
            if raw.qualifier in ("by", "before") or _FUTURE.search(body, max(0, raw.start - 40), raw.start):
                continue  # "scheduled for October 27, 2030", "by December 2030": plans and bounds
            points.append((date(raw.year, raw.month, raw.day or 1), raw))
    if not points:
        return None
    # the spec'd floor comes from full dates; month-year references only stand in when there are none
    full = [d for d, raw in points if raw.day is not None]
    floor = max(full or [d for d, _ in points]) - timedelta(days=30)
    for raw in yearless:
        assert raw.month is not None and raw.day is not None
        for year in (floor.year, floor.year + 1, floor.year + 2, floor.year + 3, floor.year + 4):
            try:
                placed = date(year, raw.month, raw.day)
            except ValueError:
                continue  # February 29 outside a leap year
            if placed >= floor:
                points.append((placed, replace_year(raw, year)))
                break
    # on ties prefer the reference that gives the day
    best_day, best = max(points, key=lambda p: (p[0], p[1].day is not None))
    return _to_value(best, body, 0, "inferred")


def replace_year(raw: RawDate, year: int) -> RawDate:
    """``raw`` with its year set (a year-less reference once placed)."""
    return RawDate("abs", raw.start, raw.end, year, raw.month, raw.day, raw.qualifier)


def detect_publication_date(text: str, head_chars: int = 1500) -> DateValue | None:
    """The date line if there is one, else the inferred date (``qualifier="inferred"``)."""
    return find_dateline(text, head_chars) or infer_publication_date(text)
