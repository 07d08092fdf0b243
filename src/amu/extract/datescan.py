"""Regex scanner for temporal expressions: what the text states, before any resolution.

:func:`scan_dates` finds candidate expressions with a handful of compiled patterns
and returns :class:`RawDate` records (stated year/month/day, or a relative phrase).
It never looks at an anchor; :mod:`amu.extract.dates` resolves, and
:mod:`amu.extract.pubdate` reads absolute dates from it directly.

Speed matters: the scanner runs on every sentence of every document. A word-set
test rejects sentences with no digit, month, weekday or time word; each family of
patterns runs only when its trigger words occur. Overlapping candidates are
settled longest first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from typing import Any

__all__ = ["RULES", "RawDate", "scan_dates"]

RULES: dict[str, Any] = json.loads(
    resources.files("amu").joinpath("data/date_rules.json").read_text(encoding="utf-8")
)


@dataclass(frozen=True)
class RawDate:
    """One temporal expression as stated in the text.

    Attributes:
        kind: "abs" (year, maybe month and day), "md" (month and day, no year),
            "month" (month name alone), "season", "rel" (a phrase of the relative
            table), "ago", "weekday" or "holiday".
        start: Span start in the scanned text.
        end: Span end.
        year: Stated year (also for seasons and holidays given with a year).
        month: Stated month.
        day: Stated day.
        qualifier: See :mod:`amu.extract.dates`.
        key: Season name, relative-table phrase, holiday key or unit of "ago".
        mod: "last", "this" or "next" for months, seasons and weekdays.
        n: Count for "ago"; weekday index (Monday 0) for weekdays.
    """

    kind: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    qualifier: str | None = None
    key: str = ""
    mod: str | None = None
    n: int = 0


# ---------------------------------------------------------------- vocabulary
# Every pattern starts with a flat alternation of literals (or a digit): Python's re
# then skips ahead by first character, which makes the scan several times faster.
# Word boundaries and prefixes ("the", "last", "Friday,") are checked in the handlers.
def _alt(words: list[str] | set[str]) -> str:
    """Regex alternation of literal phrases, longest first so the longest wins."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _cased(words: list[str], lower: bool = False) -> list[str]:
    """Title and UPPER forms (and lower with ``lower``): "may" and "march" are not months."""
    return [w[:1].upper() + w[1:] for w in words] + [w.upper() for w in words] + (list(words) if lower else [])


def _title(phrase: str) -> str:
    # str.title() would give "New Year'S Eve"
    return " ".join(w[:1].upper() + w[1:] for w in phrase.split())


_MONTH_NUM: dict[str, int] = {**RULES["months"], **RULES["month_abbreviations"]}
_WEEKDAY_NUM: dict[str, int] = RULES["weekdays"]
_NUMBER_WORDS: dict[str, int] = RULES["number_words"]
# a dot ends an abbreviation ("Dec.", "Sept.") but not a full name ("in May.")
_MON = rf"(?:{_alt(_cased(list(_MONTH_NUM)))})\b(?:(?<![A-Za-z]{{4}})(?<!May)(?<!MAY)\.|(?<=Sept|SEPT)\.)?"
_WD = _alt(_cased(list(_WEEKDAY_NUM)))
_YEAR = r"(?:19|20)\d\d(?!\d)"
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?(?!\d|,\d)"
_PART = r"(?:early|mid|late)(?:\s+|\s*-\s*)"
_HOLIDAY_KEYS = {re.sub(r"['’]", "", k): k for k in RULES["holidays"]}
_PREPOSITIONS = frozenset(
    "in on since by during until till before after of from through throughout last this next "
    "early mid late each every between and or to that the a around about".split()
)
_YEAR_HYPHEN_OK = frozenset(["mid", "pre", "post", "early", "late"])
_TIME_PREPOSITIONS = frozenset("in since during until till by before after early mid late last this next".split())

_P_MDY = re.compile(
    rf"(?P<m>{_MON})\s+(?P<d>{_DAY})(?:\s*(?P<sep>-|–|—|to\b|through\b|and\b|or\b|&)\s*(?P<d2>{_DAY}))?"
    rf"(?:(?:,\s*|\s+)(?P<y>{_YEAR}))?"
)
_P_DMY = re.compile(
    rf"(?P<d>\d\d?)(?:st|nd|rd|th)?(?!\d|,\d)(?:\s*(?P<sep>-|–|—|to\b|and\b|&)\s*(?P<d2>{_DAY}))?"
    rf"(?:\s+of)?\s+(?P<m>{_MON})(?:(?:,\s*|\s+)(?P<y>{_YEAR}))?"
)
# Day-precise calendar dates ("March 11", "11 March 2024"): their numbers are days, never counts.
DAY_DATES = (_P_MDY, _P_DMY)
_LIST_SEP = r"\s*(?:,\s*(?:and|or)\s+|,|and\b|or\b|&|-|–|—|to\b|through\b|until\b|till\b)\s*"
_P_MONTHS = re.compile(rf"(?P<list>{_MON}(?:{_LIST_SEP}(?:{_PART})?{_MON})*)(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?")
_LIST_ITEM = re.compile(rf"(?:(?P<q>early|mid|late)(?:\s+|\s*-\s*))?(?P<m>{_MON})")
_RANGE_SEP = re.compile(r"-|–|—|to\b|through\b|until\b|till\b")
_P_YRANGE = re.compile(
    rf"(?P<a>{_YEAR})\s*(?P<sep>-|–|—|/|to\b|until\b|till\b|through\b|and\b)\s*(?P<b>(?:19|20)?\d\d)"
    r"(?![\w%]|[.,]\d|[-/]\d)"
)
_P_YEAR = re.compile(rf"(?P<y>{_YEAR})(?![\w%]|[.,:/-]\w|\s*%)")
_P_ISO = re.compile(
    rf"(?P<y>{_YEAR})(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![0-9A-SU-Za-z_]|[-/.]\d)"
)
_P_NUMERIC = re.compile(
    r"(?P<a>\d\d?)(?:(?P<slash>/)|\.)(?P<b>[0-3]?\d)(?(slash)/|\.)"
    r"(?P<y>(?:19|20)\d\d|(?(slash)\d\d|(?!)))(?![\w]|[-/.:]\d)"
)
_P_SEASON = re.compile(rf"(?P<s>{_alt(_cased(list(RULES['seasons']), lower=True))})\b(?:\s+of)?(?:\s+(?P<y>{_YEAR}))?")
_P_REL = re.compile(  # "recent weeks" and "the past few weeks" share one table entry
    rf"(?:(?P<r>{_alt(_cased([k for k in RULES['relative'] if not k.startswith('recent ')], lower=True))})"
    r"|(?:recent|Recent|(?:the|The)\s+(?:past|last)\s+(?:few|several|couple\s+of))\s+(?P<ru>days|weeks|months))\b"
)
_P_AGO = re.compile(rf"(?P<u>{_alt(_cased(['day', 'week', 'month', 'year', 'decade'], lower=True))})s?\s+ago\b")
_AGO_COUNT = re.compile(rf"(?i:(?<![\w])(?P<n>\d{{1,3}}|{_alt(list(_NUMBER_WORDS))})\s+)\Z")
_P_WEEKDAY = re.compile(rf"(?P<wd>{_WD})\b")
_P_HOLIDAY = re.compile(
    "(?P<h>" + "|".join(
        re.escape(form).replace(r"\ ", r"\s+").replace("'", "['’]?")
        for form in sorted({f for k in RULES["holidays"] for f in (k, _title(k), k.upper())}, key=len, reverse=True)
    ) + rf")\b(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?"
)
_WD_PREFIX = re.compile(rf"(?:{_WD}),?\s+\Z")
_THE_PREFIX = re.compile(r"(?<![\w])(?:the|The)\s+\Z")
_MOD_PREFIX = re.compile(r"(?<![\w])(?P<mod>last|this|next|past|on|Last|This|Next|On)\s+(?:(?P<the>the)\s+)?\Z")
_RANGE_PREFIX = re.compile(r"(?<![\w])(?P<w>between|from|Between|From)\s+\Z")

_Q_PART: dict[str, str] = RULES["part_qualifiers"]
_Q_APPROX: dict[str, str] = RULES["approx_qualifiers"]
_Q_BOUND: dict[str, str] = RULES["bound_qualifiers"]
_Q_WORDS = frozenset(re.findall(r"[a-z]+", " ".join([*_Q_PART, *_Q_APPROX, *_Q_BOUND]))) - {"the", "of", "in", "to"}
_LOOKBACK = re.compile(
    rf"(?i:(?:(?<![\w.])(?P<bound>{_alt(list(_Q_BOUND))})(?:\s+|\s*-\s*))?"
    rf"(?:(?<![\w.])(?P<approx>{_alt(list(_Q_APPROX))})\s+)?"
    rf"(?:(?<![\w.])(?P<part>{_alt(list(_Q_PART))})(?:\s+|\s*-\s*))?)\Z"
)
_YEAR_BLOCK_BEFORE = re.compile(rf"(?i:(?<![\w.])(?:{_alt(RULES['year_blockers_before'])})\s*)\Z")
_YEAR_BLOCK_AFTER = re.compile(rf"(?i:\s*(?:{_alt(RULES['year_blockers_after'])})\b)")
_WEEKDAY_BLOCK = re.compile(rf"(?i:\b(?:{_alt(RULES['weekday_blockers'])})\s+)\Z")
_PREV_WORD = re.compile(r"([\w’'.-]+)\W*\Z")
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*")
_TOKEN = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"\d")

Candidate = tuple[int, int, list[RawDate]]


# ---------------------------------------------------------------- helpers
def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _month(name: str) -> int:
    return _MONTH_NUM[name.rstrip(".").lower()]


def _prev_word(text: str, start: int) -> str:
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    return m.group(1) if m else ""


def _glued(text: str, start: int, chars: str) -> bool:
    """True when the match continues a word, number or code (the character before is in ``chars``)."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in chars)


def _back(text: str, start: int, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """``pattern`` (anchored with ``\\Z``) matched right before ``start``."""
    return pattern.search(text, max(0, start - 30), start)


def _day_values(text: str, m: re.Match[str]) -> Candidate | None:
    """Dates from a month-day or day-month match, with an optional second day (a range or pair)."""
    month_first = m.re is _P_MDY
    month = _month(m["m"])
    d1 = int(m["d"].rstrip("stndrh"))
    year = int(m["y"]) if m["y"] else None
    check_year = year or 2000  # a leap year, so "February 29" passes without a year
    if not _valid(check_year, month, d1):
        return None
    start = m.start()
    if not month_first and (the := _back(text, start, _THE_PREFIX)):
        start = the.start()
    if wd := _back(text, start, _WD_PREFIX):
        start = wd.start()  # "Friday, March 22": one expression
    kind = "abs" if year else "md"
    d2 = int(m["d2"].rstrip("stndrh")) if m["d2"] else None
    pair = d2 is not None and d2 > d1 and _valid(check_year, month, d2)
    if pair and m["sep"] in ("and", "or", "&") and not year and month_first:
        pair = False  # "April 2 and 3 militants": a count, not a second day
    if not pair:
        if m["d2"] and not month_first:
            return None  # "2 and 45 March": too odd to guess
        end = m.end("d") if m["d2"] else m.end()  # "April 2 and 3 militants": keep "April 2"
        return start, end, [RawDate(kind, start, end, year, month, d1)]
    q1, q2 = ("from", "until") if m["sep"] not in ("and", "or", "&") else (None, None)
    return start, m.end(), [
        RawDate(kind, start, m.end("d"), year, month, d1, q1),
        RawDate(kind, m.start("d2"), m.end(), year, month, d2, q2),
    ]


def _bare_month_ok(text: str, start: int, end: int, name: str) -> bool:
    """A month name with no day or year is a date only in a date-like context."""
    if name.rstrip(".").lower() in RULES["month_abbreviations"]:
        return False  # "Jan", "Mar" alone are names or words
    prev = _prev_word(text, start)
    prev_l = prev.lower()
    if prev_l in ("mid", "early", "late") or prev_l.endswith(("-mid", "mid-")):
        return True
    if name.lower() in RULES["ambiguous_bare_months"]:
        return prev_l in _PREPOSITIONS
    if not prev or prev[0].isupper() and prev_l not in _PREPOSITIONS:
        return False  # sentence start ("March on ...") or a name ("the Long March")
    nxt = text[end:end + 2]
    if len(nxt) == 2 and nxt[0] == " " and nxt[1].isupper() and prev_l not in _TIME_PREPOSITIONS:
        return False  # "said April Ryan", "to April Ryan"; but "in April Kyrgyz police ..."
    return True


# ---------------------------------------------------------------- pattern handlers
def _h_months(text: str, m: re.Match[str]) -> Candidate | None:
    items = list(_LIST_ITEM.finditer(text, m.start("list"), m.end("list")))
    year = int(m["y"]) if m["y"] else None
    if year is None and not _bare_month_ok(text, m.start(), items[0].end(), items[0]["m"]):
        return None  # a year-less list must read as dates from its first item on
    months = [_month(it["m"]) for it in items]
    years: list[int | None] = [year] * len(items)
    for i in range(len(items) - 2, -1, -1):  # "December and January 2023": December is 2022
        nxt = years[i + 1]
        years[i] = nxt - 1 if nxt is not None and months[i] > months[i + 1] else nxt
    ranged = len(items) == 2 and bool(_RANGE_SEP.search(text, items[0].end(), items[1].start("m")))
    prev = _prev_word(text, m.start()).lower()
    mod = prev if prev in ("last", "this", "next") and year is None else None
    out = []
    for i, (it, month, yr) in enumerate(zip(items, months, years, strict=True)):
        q = _Q_PART[it["q"].lower()] if it["q"] else ("from", "until")[i] if ranged else None
        start, end = it.start(), (m.end() if i == len(items) - 1 else it.end())
        out.append(RawDate("abs" if yr else "month", start, end, yr, month, None, q, mod=mod))
    return m.start(), m.end(), out


def _h_yrange(text: str, m: re.Match[str]) -> Candidate | None:
    a, b_txt = int(m["a"]), m["b"]
    b = int(b_txt) if len(b_txt) == 4 else a // 100 * 100 + int(b_txt)
    prefix = _back(text, m.start(), _RANGE_PREFIX)
    if not a < b <= a + 50 or (m["sep"] == "and") != bool(prefix and prefix["w"].lower() == "between"):
        return None  # "in 2014 and 2016" is two years, "between 2014 and 2016" a range
    start = prefix.start() if prefix else m.start()
    return start, m.end(), [
        RawDate("abs", m.start("a"), m.end("a"), a, qualifier="from"),
        RawDate("abs", m.start("b"), m.end("b"), b, qualifier="until"),
    ]


def _h_year(text: str, m: re.Match[str]) -> Candidate | None:
    start = m.start()
    if start and text[start - 1] == "-" and _prev_word(text, start - 1).lower() not in _YEAR_HYPHEN_OK:
        return None  # "AK-2019", "COVID-2019"; but "mid-2021", "pre-2014"
    if _YEAR_BLOCK_BEFORE.search(text, max(0, start - 20), start) or _YEAR_BLOCK_AFTER.match(text, m.end()):
        return None  # "Resolution 2178", "some 2000 troops", "2030 GMT"
    return start, m.end(), [RawDate("abs", start, m.end(), int(m["y"]))]


def _h_iso(text: str, m: re.Match[str]) -> Candidate | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not _valid(y, mo, d):
        return None
    return m.start(), m.end(), [RawDate("abs", m.start(), m.end(), y, mo, d)]


def _h_numeric(text: str, m: re.Match[str]) -> Candidate | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    y = y if y > 100 else 2000 + y if y < 70 else 1900 + y
    # slashes: US month/day unless the first number cannot be a month; dots: day.month
    month, day = (a, b) if m["slash"] and a <= 12 else (b, a)
    ok = _valid(y, month, day)
    return (m.start(), m.end(), [RawDate("abs", m.start(), m.end(), y, month, day)]) if ok else None


def _h_season(text: str, m: re.Match[str]) -> Candidate | None:
    season = RULES["season_names"][m["s"].lower()]
    pre = _back(text, m.start(), _MOD_PREFIX)
    the = _back(text, m.start(), _THE_PREFIX)
    start = pre.start() if pre else the.start() if the else m.start()
    if m["y"]:
        return start, m.end(), [RawDate("season", start, m.end(), int(m["y"]), key=season)]
    end = m.end("s")
    mod = {"past": "last", "on": None}.get(pre["mod"].lower(), pre["mod"].lower()) if pre else None
    if mod is None:
        start = the.start() if the else m.start()
        if not the or _prev_word(text, start).lower() not in _PREPOSITIONS or re.match(r"\s+of\b", text[end:]):
            return None  # "the fall of Kabul", "spring into action"
    return start, end, [RawDate("season", start, end, key=season, mod=mod)]


def _h_rel(text: str, m: re.Match[str]) -> Candidate | None:
    if m["ru"]:
        return m.start(), m.end(), [RawDate("rel", m.start(), m.end(), key="recent " + m["ru"])]
    key = " ".join(m["r"].lower().split())
    if key.startswith(("last ", "this ")) and _prev_word(text, m.start()).lower() in ("the", "past"):
        return None  # "over the last year" is a duration, not a date
    return m.start(), m.end(), [RawDate("rel", m.start(), m.end(), key=key)]


def _h_ago(text: str, m: re.Match[str]) -> Candidate | None:
    count = _back(text, m.start(), _AGO_COUNT)
    if count is None:
        return None
    n_txt = " ".join(count["n"].lower().split())
    n = int(n_txt) if n_txt.isdigit() else _NUMBER_WORDS[n_txt]
    return count.start(), m.end(), [RawDate("ago", count.start(), m.end(), key=m["u"].lower(), n=n)]


def _h_weekday(text: str, m: re.Match[str]) -> Candidate | None:
    pre = _back(text, m.start(), _MOD_PREFIX)
    mod = pre["mod"].lower() if pre and not pre["the"] and pre["mod"].lower() != "past" else ""
    if not mod and _WEEKDAY_BLOCK.search(text, max(0, m.start() - 12), m.start()):
        return None  # "Black Friday", "Bloody Sunday"
    nxt = text[m.end():m.end() + 2]
    if mod in ("", "on") and len(nxt) == 2 and nxt[0] == " " and nxt[1].isupper():
        return None  # "Sunday Times"
    start = pre.start() if pre and mod and mod != "on" else m.start()
    return start, m.end(), [RawDate("weekday", start, m.end(), mod=mod if mod != "on" else None,
                                    n=_WEEKDAY_NUM[m["wd"].lower()])]


def _h_holiday(text: str, m: re.Match[str]) -> Candidate | None:
    key = _HOLIDAY_KEYS[re.sub(r"['’]", "", " ".join(m["h"].lower().split()))]
    rule = RULES["holidays"][key]
    year = int(m["y"]) if m["y"] else None
    context = _prev_word(text, m.start()).lower()
    if year is None and not rule["bare_ok"] and context not in RULES["holiday_context_words"]:
        return None  # "the Christmas market"
    return m.start(), m.end(), [RawDate("holiday", m.start(), m.end(), year, key=key)]


Handler = Callable[[str, re.Match[str]], "Candidate | None"]
_NUM_GLUE = "_$€£#.,/:-"  # a number right after these continues an amount, code, time or decimal
# family -> (pattern, handler, characters that must not come right before the match)
_FAMILIES: dict[str, list[tuple[re.Pattern[str], Handler, str]]] = {
    "mon": [(_P_MDY, _day_values, "_"), (_P_DMY, _day_values, _NUM_GLUE), (_P_MONTHS, _h_months, "_")],
    "digit": [(_P_YRANGE, _h_yrange, _NUM_GLUE), (_P_YEAR, _h_year, "_$€£#.,/:"), (_P_ISO, _h_iso, _NUM_GLUE),
              (_P_NUMERIC, _h_numeric, _NUM_GLUE)],
    "season": [(_P_SEASON, _h_season, "_")],
    "rel": [(_P_REL, _h_rel, "_")],
    "ago": [(_P_AGO, _h_ago, "")],
    "hol": [(_P_HOLIDAY, _h_holiday, "_")],
    "wd": [(_P_WEEKDAY, _h_weekday, "_")],
}
# lower-case word -> families it wakes up; month and weekday names are matched by case
_WAKE: dict[str, tuple[str, ...]] = {
    **{w: ("season",) for w in RULES["seasons"]},
    **{w: ("rel",) for w in "today tonight yesterday tomorrow night morning afternoon evening week weeks month "
                            "months recent".split()},
    "year": ("rel", "hol"), "years": ("rel",), "ago": ("ago",),
    **{w: ("hol",) for k in RULES["holidays"] for w in re.findall(r"[a-z]+", k) if len(w) > 3 and w != "year"},
}
_MON_FORMS = frozenset(_cased(list(_MONTH_NUM)))
_WD_FORMS = frozenset(_cased(list(_WEEKDAY_NUM)))


# ---------------------------------------------------------------- scanning
def _families(text: str) -> set[str]:
    """The pattern families worth running on ``text`` (empty for most sentences)."""
    found = {"digit"} if _DIGIT.search(text) else set()
    for word in set(_TOKEN.findall(text)):
        if word in _MON_FORMS:
            found.add("mon")
        elif word in _WD_FORMS:
            found.add("wd")
        found.update(_WAKE.get(word.lower(), ()))
    return found


def _with_lookback(text: str, raw: RawDate, floor: int) -> RawDate:
    """Attach qualifier words just before the expression ("by mid-2021", "in late December")."""
    lo = max(floor, raw.start - 40)
    if not _Q_WORDS.intersection(_TOKEN.findall(text[lo:raw.start].lower())[-4:]):
        return raw  # cheap test first: the regex below is slow-ish
    m = _LOOKBACK.search(text, lo, raw.start)
    if m is None or m.start() == raw.start:
        return raw
    if m["part"] and (raw.day is not None or raw.kind in ("weekday", "holiday")):
        return raw  # "early" before a day is not a part of that day ("early March 22" does not occur)
    words = [(_Q_PART, m["part"]), (_Q_APPROX, m["approx"]), (_Q_BOUND, m["bound"])]
    found = [table[" ".join(w.lower().split())] for table, w in words if w]
    return replace(raw, start=m.start(), qualifier=raw.qualifier or found[0])


def scan_dates(text: str) -> list[RawDate]:
    """All temporal expressions stated in ``text``, in text order, without resolution."""
    families = _families(text)
    if not families:
        return []
    cands = [
        cand
        for family in _FAMILIES  # fixed order (not set order), so ties break the same way in every run
        if family in families
        for pattern, handler, glue in _FAMILIES[family]
        for m in pattern.finditer(text)
        if not (glue and _glued(text, m.start(), glue)) and (cand := handler(text, m)) is not None
    ]
    chosen: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):  # longest first
        if all(cand[1] <= s or cand[0] >= e for s, e, _ in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    raws: list[RawDate] = []
    floor = 0
    for _, end, values in chosen:
        raws.append(_with_lookback(text, values[0], floor))
        raws.extend(values[1:])
        floor = end
    return _link(text, raws)


def _link(text: str, raws: list[RawDate]) -> list[RawDate]:
    """Cross-value fixes: years for "March 30 - April 2, 2024", weekdays next to their date."""
    out = list(raws)
    for i in range(len(out) - 2, -1, -1):
        cur, nxt = out[i], out[i + 1]
        if cur.kind == "md" and nxt.kind == "abs" and nxt.day and _RANGE_GAP.fullmatch(text, cur.end, nxt.start):
            assert cur.month is not None and cur.day is not None and nxt.year is not None and nxt.month
            year = nxt.year if (cur.month, cur.day) <= (nxt.month, nxt.day) else nxt.year - 1
            if _valid(year, cur.month, cur.day):
                ranged = text[cur.end:nxt.start].strip() != "and"
                out[i] = replace(cur, kind="abs", year=year, qualifier=cur.qualifier or ("from" if ranged else None))
                if ranged and nxt.qualifier is None:
                    out[i + 1] = replace(nxt, qualifier="until")
    dated = [r for r in out if r.day is not None]
    return [
        r for r in out
        if r.kind != "weekday" or not any(0 <= d.start - r.end <= 4 or 0 <= r.start - d.end <= 4 for d in dated)
    ]
