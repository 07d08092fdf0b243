"""One report, one telling per incident: mentions of a report that tell the same incident become one.

A report tells its incident in its headline, its lead and again further down ("A suicide bomber killed
at least 12 people outside a court in Islamabad" ... "the explosion outside the district court"); the
extractor reads each telling as a mention. Across reports, fusion keeps those of one report apart
unless they are identical (a report that names two attacks means two). Inside the report the
presumption runs the other way: two tellings of the same kind of event that the fusion rule finds
compatible (no veto, no contrary evidence, enough in common) are one incident, told twice. The
merged mention keeps the most specific telling's evidence and fields and takes what it lacks from
the others (a date from the lead, a toll from the headline).
"""

from __future__ import annotations

from dataclasses import replace

from amu.records import Mention
from amu.resolve.hints import ANCHORING
from amu.resolve.matching import Profile, Rule, _f_date, _place_outcome, profile_of_mention, score

_OTHER: dict = {"\x00other-telling": ()}   # stands for "another document" to the same-document feature
# Date outcomes of two tellings of one incident: the same day, or a day without a year that agrees.
_SAME_TIME = frozenset({"same_day"}) | ANCHORING
_SAME_PLACE = frozenset({"same", "same_name", "near"})   # a town or site, not a province


def one_report(mentions: list[Mention], rule: Rule | None = None) -> list[Mention]:
    """Merge the mentions of one report that tell the same incident; the rest are returned as they are.

    Args:
        mentions: The mentions of a single document, in text order.
        rule: The fusion rule (default: the packaged one); its ``same_report_threshold`` is the
            least score two tellings need.

    Returns:
        The mentions, merged groups replaced by one mention each, in text order.
    """
    if len(mentions) < 2:
        return mentions
    rule = Rule.load(rule)
    profiles = [profile_of_mention(m, rule) for m in mentions]
    days = [_day(m) for m in mentions]
    order = sorted(range(len(mentions)), key=lambda i: (-profiles[i].specificity, -profiles[i].precision,
                                                         mentions[i].evidence.start, mentions[i].id))
    groups: list[list[int]] = []
    for i in order:
        home = next((g for g in groups if all(
            _same(profiles[i], profiles[j], rule, days[i] is not None and days[i] == days[j]) for j in g)), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    out = [_merge([mentions[i] for i in g]) for g in groups]
    return sorted(out, key=lambda m: (m.evidence.start, m.id))


def _same(a: Profile, b: Profile, rule: Rule, same_day: bool = False) -> bool:
    """Two tellings of one incident: same family, the same day (or, one side undated, the same town or
    site; both undated, nothing that differs), and the rule finds
    them compatible with enough in common. A month in common is not enough: an analysis lists a
    month's attacks in one province, each its own incident. ``same_day``: the two state the same day,
    one of them as the day the report was filed (which fusion reads as the month only)."""
    if a.family != b.family:
        return False
    other = replace(b, docs=_OTHER)
    verdict = score(a, other, rule)
    if verdict is None:
        return False
    total, conflict, contrary = verdict
    date = _f_date(a, other, rule)
    if date == "missing":    # undated: the same town or site, or (both undated) nothing that differs
        same_time = _place_outcome(a, b, rule) in _SAME_PLACE or a.date is None and b.date is None and not conflict
    else:
        same_time = date in _SAME_TIME or date == "same_month" and same_day
    return not contrary and same_time and total >= rule.params["same_report_threshold"]


def _day(m: Mention) -> str | None:
    return m.date.iso if m.date is not None and len(m.date.iso) == 10 else None


_FILLED = ("attack_type", "perpetrator", "status", "target", "killed", "wounded", "arrested", "date_hint")


def _merge(tellings: list[Mention]) -> Mention:
    """The first (most specific) telling, completed from the others."""
    first, rest = tellings[0], tellings[1:]
    if not rest:
        return first
    changes: dict = {}
    for field in _FILLED:
        if getattr(first, field) is None:
            value = next((v for m in rest if (v := getattr(m, field)) is not None), None)
            if value is not None:
                changes[field] = value
    if first.date is None:
        dated = next((m for m in rest if m.date is not None), None)
        if dated is not None:
            changes["date"] = dated.date
    if first.place is None and first.location is None:
        placed = next((m for m in rest if m.place is not None or m.location), None)
        if placed is not None:
            changes.update(place=placed.place, location=placed.location, country=placed.country or first.country)
    nationality = list(dict.fromkeys(n for m in tellings for n in m.perpetrator_nationality))
    people = list(dict.fromkeys(p for m in tellings for p in m.people))
    return replace(first, perpetrator_nationality=nationality, people=people,
                   confidence=max(m.confidence for m in tellings), **changes)
