"""Days without a year: how a report with no publication date still speaks to another report's date.

A report that has no date line cannot resolve "killed Tuesday" or "On August 26" to a day, so its
mention is undated; the extractor keeps the stated day as a *hint* in the ISO 8601 truncated form
(:attr:`amu.records.Mention.date_hint`: ``--08-26``, ``--08``, ``-W-2``). Against a dated side the
hint agrees or disagrees: 26 August 2021 is an August 26 and a Thursday. Two hints agree when they
state the same day. This module decides that outcome; the rule table (``fusion_weights.json``, feature
``date``) gives its weight, and a pair whose hint agrees on the day counts as dated.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from amu.records import DateValue

if TYPE_CHECKING:
    from amu.resolve.profiles import Profile

# Outcomes of the date feature when a hint decides it, strongest first.
HINT_OUTCOMES = ("hint_day", "hint_weekday", "hint_month", "hint_contradiction")
# Outcomes that pin the pair to one day, as two dates would.
ANCHORING = frozenset({"hint_day", "hint_weekday"})


def _parts(hint: str) -> tuple[str, int, int | None]:
    """("md", month, day), ("month", month, None) or ("weekday", ISO weekday, None)."""
    if hint.startswith("-W-"):
        return "weekday", int(hint[3:]), None
    month = int(hint[2:4])
    return ("md", month, int(hint[5:7])) if len(hint) >= 7 else ("month", month, None)


def _against_date(hint: str, iso: str, precision: int) -> str | None:
    """A hint against a dated side (precision 2 month, 3 day); ``None``: nothing to compare.

    A month and day one off the date is consistent, not a match (a night attack is dated either way).
    """
    kind, n, day = _parts(hint)
    if precision < 2 or (kind == "weekday" and precision < 3):
        return None
    month = int(iso[5:7])
    if kind == "weekday":
        return "hint_weekday" if date.fromisoformat(iso[:10]).isoweekday() == n else "hint_contradiction"
    if month != n:
        return "hint_contradiction"
    if kind == "md" and precision == 3:
        off = abs(int(iso[8:10]) - day)  # type: ignore[operator]
        return "hint_day" if off == 0 else "hint_month" if off == 1 else "hint_contradiction"
    return "hint_month"


def _against_hint(x: str, y: str) -> str | None:
    kx, nx, dx = _parts(x)
    ky, ny, dy = _parts(y)
    if (kx == "weekday") != (ky == "weekday"):
        return None
    if kx == "weekday":
        return "hint_weekday" if nx == ny else "hint_contradiction"
    if nx != ny:
        return "hint_contradiction"
    return "hint_day" if kx == ky == "md" and dx == dy else "hint_month" if dx is None or dy is None \
        else "hint_contradiction"


def hint_outcome(a: Profile, b: Profile) -> str | None:
    """The date outcome the hints of an undated side give, or ``None`` when they say nothing here.

    Several hints (an incident's reports) give the best outcome any of them reaches.
    """
    if a.date is not None and b.date is not None:
        return None
    if a.date is None and b.date is None:
        found = {o for x in a.hints for y in b.hints if (o := _against_hint(x, y))}
    else:
        dated, other = (a, b) if a.date is not None else (b, a)
        found = {o for h in other.hints if (o := _against_date(h, dated.date.iso, dated.precision))}  # type: ignore[union-attr]
    return min(found, key=HINT_OUTCOMES.index) if found else None


def dated_pair(a: Profile, b: Profile) -> bool:
    """Whether the pair's dates pin it to a day or period: both dated, or a hint agrees on the day."""
    return (a.date is not None and b.date is not None) or hint_outcome(a, b) in ANCHORING


def day_through_incident(hint: str, incident_date: DateValue | None) -> DateValue | None:
    """The day a hint stands for once its report has joined an incident dated to the day.

    "Killed Tuesday" in a report that joined the attack other reports date to Tuesday 17 December
    2024 is that day. The value carries the qualifier ``"incident"``: it comes from the incident,
    not from the report's own text, and exports say so.
    """
    if incident_date is None or incident_date.precision != "day" or len(incident_date.iso) < 10:
        return None
    if _against_date(hint, incident_date.iso, 3) not in ANCHORING:
        return None
    return DateValue(incident_date.iso[:10], "day", text=hint, qualifier="incident")
