"""Temporal expressions: find them in a sentence and resolve them against a publication date.

:func:`find_dates` is the entry point. A regex scanner (:mod:`amu.extract.datescan`)
records what the text states; this module turns each statement into a
:class:`~amu.records.DateValue` with the precision the text supports, resolving
partial and relative expressions against the *anchor* (the publication date).

Resolution rules, chosen to be predictable rather than clever:

* Absolute dates ("31 July 2018", "2024-03-22", "07/19/2024": slashes are US order
  unless the first number is over 12; dots are day first) need no anchor.
* A month or month-day without a year ("in March", "March 9", "mid-June") is the most
  recent occurrence not after the anchor (:func:`resolve_partial`). A story that
  announces a future "March 5" therefore gets last year's March 5.
* "last/this/next March" and seasons ("last summer", "winter 2022") give the month or
  the year; a season is given at year precision with the season as qualifier
  (winter is dated by the year of its January).
* Relative phrases ("yesterday", "last month", "two years ago", "on Tuesday") shift the
  anchor. Week-level phrases give a day with qualifier "around"; "recent weeks" gives
  the month of anchor - 14 days and "recent months" the year of anchor - 45 days, both
  "around"; "recent years" and durations ("the past year") give nothing.
  A weekday is its most recent occurrence on or before the anchor ("last Tuesday":
  strictly before). Day arithmetic on a coarse anchor ("2024-06") is done from the
  middle of the period and the result is cut to the anchor's precision.
* Ranges ("between 2014 and 2016", "2014-16", "2020/2021", "March 22-23, 2024") give
  two values with qualifiers "from" and "until"; lists ("April and May 2022") give one
  value per item and no qualifier.
* Year-less slash dates ("9/11", "7/7") are names of events, not dates: ignored.
* With ``anchor=None`` only values that need no anchor are returned.

Qualifiers (one per value): "early", "mid", "late" > "around" > "before", "after",
"since", "until", "by"; ranges use "from"/"until"; seasons use the season name;
:mod:`amu.extract.pubdate` uses "inferred".

The publication-date helpers (:func:`find_dateline`, :func:`infer_publication_date`,
:func:`detect_publication_date`) live in :mod:`amu.extract.pubdate` and are re-exported here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from amu.extract.datescan import RULES, RawDate, scan_dates
from amu.extract.pubdate import detect_publication_date, find_dateline, infer_publication_date
from amu.records import DateValue, Precision

__all__ = [
    "find_dates", "unanchored_days", "resolve_partial", "parse_anchor", "Anchor", "easter",
    "find_dateline", "infer_publication_date", "detect_publication_date",
]

_RANK: dict[str, int] = {"year": 0, "month": 1, "day": 2}
_SEASON_MONTHS: dict[str, list[int]] = {RULES["season_names"][k]: v for k, v in RULES["seasons"].items()}


@dataclass(frozen=True)
class Anchor:
    """A publication date at year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        return "day" if self.day else "month" if self.month else "year"

    def middle(self) -> date:
        """A representative day for arithmetic: the period's middle when it is coarse."""
        return date(self.year, self.month or 7, self.day or (15 if self.month else 1))

    def last_day(self) -> date:
        """The last day the anchor may stand for ("2024-03" may be any day in March)."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


@lru_cache(maxsize=256)
def parse_anchor(anchor: str) -> Anchor:
    """Parse an anchor: ISO ("2024", "2024-06", "2024-06-27", "2024-06-27T10:00Z") or any
    absolute date the scanner reads ("June 27, 2024").

    Raises:
        ValueError: when no date can be read from ``anchor``.
    """
    text = anchor.strip()
    parts = text[:10].split("-")
    try:
        if len(text) >= 4 and text[:4].isdigit() and (len(text) == 4 or text[4] in "-T "):
            year = int(parts[0])
            month = int(parts[1]) if len(parts) > 1 and parts[1][:2].isdigit() else None
            day = int(parts[2][:2]) if month and len(parts) > 2 and parts[2][:2].isdigit() else None
            date(year, month or 1, day or 1)  # validates
            return Anchor(year, month, day)
    except ValueError:
        pass
    for raw in scan_dates(text):
        if raw.kind == "abs" and raw.year:
            return Anchor(raw.year, raw.month, raw.day)
    raise ValueError(f"cannot read a date from anchor {anchor!r}")


def find_dates(text: str, anchor: str | None, offset: int = 0) -> list[DateValue]:
    """Find and resolve every temporal expression in ``text``.

    Args:
        text: Usually one sentence; any length works.
        anchor: The publication date, ISO at any precision, or ``None`` (then only
            expressions that need no anchor are returned).
        offset: Added to spans so that they are offsets into the whole document.

    Returns:
        One :class:`DateValue` per resolved expression, in text order. ``text`` of
        each value is the matched expression, qualifier words included.

    Raises:
        ValueError: when ``anchor`` is given but holds no readable date.
    """
    anc = parse_anchor(anchor) if anchor else None  # cached: one parse per document
    raws = scan_dates(text)
    out = []
    for raw in raws:
        value = _resolve(raw, anc)
        if value is not None:
            out.append(
                DateValue(value.iso, value.precision, raw.start + offset, raw.end + offset,
                          text[raw.start:raw.end], value.qualifier)
            )
    return out


def unanchored_days(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """The days and months ``text`` states without a year, for a report with no publication date.

    Such a report cannot resolve "on Tuesday" or "August 26", but fusion can still compare them with
    another report's dated incident. Each is given in the ISO 8601 truncated form: ``--08-26`` (a
    month and day), ``--08`` (a month), ``-W-2`` (a weekday, Monday 1), with its span. "next Tuesday",
    "last March" and the like are left out: they point away from the report's own week or month
    ("last Tuesday" is kept: it is still a day of the days just before the report).

    Returns:
        ``(start, end, form)`` per expression, in text order, spans offset by ``offset``.
    """
    out = []
    for raw in scan_dates(text):
        form = None
        if raw.kind == "md" and raw.month and raw.day:
            form = f"--{raw.month:02d}-{raw.day:02d}"
        elif raw.kind == "month" and raw.month and not raw.mod and not raw.qualifier:
            form = f"--{raw.month:02d}"
        elif raw.kind == "weekday" and raw.n is not None and raw.mod in (None, "", "last"):
            form = f"-W-{raw.n + 1}"
        if form:
            out.append((raw.start + offset, raw.end + offset, form))
    return out


def resolve_partial(month: int, day: int | None, anchor: str) -> DateValue:
    """Place a year-less month (and day) at its most recent occurrence not after ``anchor``.

    A coarse anchor counts as its last day: with anchor "2024-03", "March 22" is 2024-03-22.
    February 29 goes back to the latest leap year.

    Raises:
        ValueError: on an unreadable anchor or an impossible month/day.
    """
    iso, precision = _partial(month, day, parse_anchor(anchor))
    return DateValue(iso, precision)


def _partial(month: int, day: int | None, anc: Anchor) -> tuple[str, Precision]:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        raise ValueError(f"impossible month/day {month}/{day}")
    limit = anc.last_day()
    year = limit.year if (month, day or 1) <= (limit.month, limit.day) else limit.year - 1
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    for _ in range(8):  # Feb 29 may need to go back up to 8 years (1900 and 2100 are not leap)
        if day <= calendar.monthrange(year, month)[1]:
            return f"{year:04d}-{month:02d}-{day:02d}", "day"
        year -= 1
    raise ValueError(f"impossible month/day {month}/{day}")


def _iso(d: date, precision: Precision) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}", "day": d.isoformat()}[precision]


def _coarser(a: Precision, b: Precision) -> Precision:
    return a if _RANK[a] <= _RANK[b] else b


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _shift(anc: Anchor, unit: str, amount: int) -> date:
    base = anc.middle()
    if unit == "day":
        return base + timedelta(days=amount)
    if unit == "week":
        return base + timedelta(days=7 * amount)
    if unit == "month":
        return _add_months(base, amount)
    return _add_months(base, 12 * amount)  # year, decade (already multiplied)


def _season_year(season: str, mod: str | None, anc: Anchor) -> int:
    """The year of the season occurrence meant by "[last|this|next] <season>"."""
    months = _SEASON_MONTHS[season]
    start = date(anc.year, anc.month or 7, 1)
    current = start.month in months

    def mid_year(d: date) -> int:  # year of the middle month of the occurrence holding d
        return _add_months(d, 1 - months.index(d.month)).year

    if mod == "this" or (mod is None and current):
        if current:
            return mid_year(start)
        back = next(k for k in range(1, 13) if _add_months(start, -k).month in months)
        ahead = next(k for k in range(1, 13) if _add_months(start, k).month in months)
        # the nearer occurrence: "this summer" in March is the coming one, in October the past one
        return mid_year(_add_months(start, ahead if ahead + 2 <= back else -back))
    step, k = (1, 1) if mod == "next" else (-1, 1)
    if mod in ("last", "next"):
        while current and _add_months(start, step * k).month in months:
            k += 1  # step out of the occurrence we are in
    while _add_months(start, step * k).month not in months:
        k += 1
    return mid_year(_add_months(start, step * k))


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    h = (19 * a + b - b // 4 - (b - (b + 8) // 25 + 1) // 3 + 15) % 30
    l_ = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
    m = (a + 11 * h + 22 * l_) // 451
    return date(year, (h + l_ - 7 * m + 114) // 31, (h + l_ - 7 * m + 114) % 31 + 1)


def _holiday_date(key: str, year: int) -> date:
    rule = RULES["holidays"][key]
    if "easter_offset" in rule:
        return easter(year) + timedelta(days=rule["easter_offset"])
    return date(year, rule["month"], rule["day"])


def _value(iso: str, precision: Precision, qualifier: str | None) -> DateValue:
    return DateValue(iso, precision, qualifier=qualifier)


def _resolve(raw: RawDate, anc: Anchor | None) -> DateValue | None:
    """Turn one scanned statement into a DateValue, or None when it cannot be placed."""
    q = raw.qualifier
    if raw.kind == "abs":
        assert raw.year is not None
        if raw.day and raw.month:
            return _value(date(raw.year, raw.month, raw.day).isoformat(), "day", q)
        if raw.month:
            return _value(f"{raw.year:04d}-{raw.month:02d}", "month", q)
        return _value(f"{raw.year:04d}", "year", q)
    if raw.kind == "holiday" and raw.year is not None:
        return _value(_holiday_date(raw.key, raw.year).isoformat(), "day", q)
    if raw.kind == "season" and raw.year is not None:
        return _value(f"{raw.year:04d}", "year", raw.key)
    if anc is None:
        return None
    if raw.kind == "md":
        assert raw.month is not None
        iso, precision = _partial(raw.month, raw.day, anc)
        return _value(iso, precision, q)
    if raw.kind == "month":
        assert raw.month is not None
        if raw.mod in ("last", "next"):
            # "last March": the latest March before the anchor's month; "next March": the first after
            step = -1 if raw.mod == "last" else 1
            start = date(anc.year, anc.month or (12 if step < 0 else 1), 1)
            d = next(d for d in (_add_months(start, step * k) for k in range(1, 13)) if d.month == raw.month)
            return _value(_iso(d, "month"), "month", q)
        if raw.mod == "this":
            return _value(f"{anc.year:04d}-{raw.month:02d}", "month", q)
        iso, precision = _partial(raw.month, None, anc)
        return _value(iso, precision, q)
    if raw.kind == "season":
        return _value(f"{_season_year(raw.key, raw.mod, anc):04d}", "year", raw.key)
    if raw.kind == "holiday":
        limit = anc.last_day()
        d = _holiday_date(raw.key, limit.year)
        if d > limit:
            d = _holiday_date(raw.key, limit.year - 1)
        return _value(d.isoformat(), "day", q)
    if raw.kind == "rel":
        unit, amount, precision, table_q = RULES["relative"][raw.key]
        d = _shift(anc, unit, amount)
        precision = _coarser(precision, anc.precision)
        return _value(_iso(d, precision), precision, q or table_q)
    if raw.kind == "ago":
        unit, n = raw.key, raw.n
        if unit == "decade":
            unit, n = "year", 10 * n
        unit_precision: Precision = "day" if unit == "week" else unit  # type: ignore[assignment]
        precision = _coarser(unit_precision, anc.precision)
        around = "around" if unit == "week" or raw.key == "decade" else None
        return _value(_iso(_shift(anc, unit, -n), precision), precision, q or around)
    if raw.kind == "weekday":
        base = anc.middle()
        assert raw.n is not None
        if raw.mod == "next":
            d = base + timedelta(days=(raw.n - base.weekday()) % 7 or 7)
        else:
            back = (base.weekday() - raw.n) % 7
            d = base - timedelta(days=back or (7 if raw.mod == "last" else 0))
        precision = _coarser("day", anc.precision)
        return _value(_iso(d, precision), precision, q or (None if precision == "day" else "around"))
    return None
