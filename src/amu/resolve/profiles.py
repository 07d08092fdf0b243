"""Profiles: the fields fusion compares, for one mention or a fused incident.

Both sides of a comparison (:mod:`amu.resolve.matching`) are :class:`Profile`
objects: a mention's own fields (:func:`profile_of_mention`), or an incident's
fused record (:func:`merge_profiles`). Categorical features of an incident also
keep the *set* of values its mentions reported, so "IS" still counts as the
same perpetrator as an incident fused to "ISKP" from sources that said both;
otherwise the score of a mention would depend on which other mentions happened
to arrive first. Fused records are functions of their *set* of members.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date as _date
from functools import lru_cache
from typing import Any

from amu.records import EVENT_TYPES, DateValue, Mention, Place
from amu.resolve.figures import FigureSpan, count_span, merge_spans
from amu.resolve.rule import _PRECISION, FIGURES, Rule, norm

_ISO_LEN = {1: 4, 2: 7, 3: 10}
_KIND_RANK = {"country": 0, "region": 1, "admin1": 2, "admin2": 3, "city": 4, "venue": 5}
_HINT = re.compile(r"--(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-W-[1-7]")
_STOP = frozenset({"the", "a", "an", "of", "and", "in", "at", "on", "for", "to", "near", "its"})


@lru_cache(maxsize=1 << 16)
def _one(value: Any) -> frozenset[Any]:
    """A shared one-element set: mentions repeat the same few hundred values."""
    return frozenset((value,))


DocKey = tuple[str, Any, Any, Any, Any]   # event type, place key, date iso, attack type, killed bounds


@dataclass(slots=True)
class Profile:
    """The fields fusion compares: one mention's, or an incident's fused record."""

    id: str
    family: str
    event_type: str
    date: DateValue | None = None
    precision: int = 0                        # 0 undated, 1 year, 2 month, 3 day
    day: int | None = None                    # proleptic ordinal for day precision
    date_conflict: bool = False
    hints: frozenset[str] = frozenset()       # undated: days stated without a year (amu.resolve.hints)
    country: str | None = None
    place: Place | None = None                # below country level only
    place_keys: frozenset[Any] = frozenset()
    names: frozenset[str] = frozenset()       # normalised place names / location strings
    perpetrator: str | None = None
    perpetrators: frozenset[str] = frozenset()
    attack_type: str | None = None
    attack_types: frozenset[str] = frozenset()
    targets: tuple[frozenset[str], ...] = ()
    people: frozenset[str] = frozenset()      # full names the reports tie to the event ("igor kirillov")
    figures: dict[str, FigureSpan] = field(default_factory=dict)
    docs: dict[str, tuple[DocKey, ...]] = field(default_factory=dict)
    specificity: int = 0
    order_key: str = ""                       # smallest mention id: an order-free tie-break
    incident: bool = False                    # fused record rather than a single mention


@lru_cache(maxsize=1 << 16)
def place_key(place: Place) -> Any:
    """Identity of a gazetteer entry."""
    return place.geonameid if place.geonameid is not None else (norm(place.name), place.country, place.kind)


def _date_fields(dv: DateValue | None) -> tuple[DateValue | None, int, int | None]:
    """Validate a date; malformed values degrade to the precision they support."""
    if dv is None or not dv.iso:
        return None, 0, None
    prec = _PRECISION.get(dv.precision, 0)
    iso = dv.iso
    if prec == 3 and dv.qualifier == "reported":
        # The date a source reported the event (a citation, a dateline), not the day it happened:
        # good for the month only.
        prec, iso = 2, iso[:7]
    if prec == 3:
        try:
            return dv, 3, _date.fromisoformat(iso[:10]).toordinal()
        except ValueError:
            prec = 2
    if prec == 2 and re.fullmatch(r"\d{4}-\d{2}", iso[:7]) and 1 <= int(iso[5:7]) <= 12:
        # (a reported day is kept as its month: the profile's date must be the month itself)
        return (dv if len(dv.iso) == 7 else DateValue(iso[:7], "month", qualifier=dv.qualifier)), 2, None
    if prec >= 1 and re.fullmatch(r"\d{4}", iso[:4]):
        return (dv if len(iso) == 4 else DateValue(iso[:4], "year")), 1, None
    return None, 0, None


def _target_tokens(target: str | None) -> frozenset[str]:
    words = (w[:-1] if len(w) > 3 and w.endswith("s") else w for w in norm(target or "").split())
    return frozenset(w for w in words if w not in _STOP)


def profile_of_mention(m: Mention, rule: Rule) -> Profile:
    """The comparable view of one mention."""
    dv, prec, day = _date_fields(m.date)
    place = m.place if m.place is not None and m.place.kind != "country" else None
    country = m.country or (m.place.country if m.place is not None else None)
    # The extractor derives ``location`` from the place (a venue's city, or its
    # province), so it only stands for the place when the place is unresolved.
    names = {norm(place.name)} if place else ({norm(m.location)} if m.location else set())
    if place is not None and place.kind == "venue" and m.location:
        names.add(norm(m.location))   # a venue is also found under its city ("Ataturk Airport" -> Istanbul)
    perp = rule.perpetrator(m.perpetrator)
    attack = m.attack_type or None
    target = _target_tokens(m.target)
    widen = rule.params["approximate_widen"]
    figures = {f: s for f in FIGURES if (s := count_span(getattr(m, f), widen)) is not None}
    pkey = place_key(place) if place else (norm(m.location) if m.location else None)
    killed = figures.get("killed")
    doc_key: DocKey = (m.event_type, pkey, dv.iso if dv else None, attack,
                       (killed.lo, killed.hi) if killed else None)
    specificity = sum((prec == 3, bool(names), perp is not None, attack is not None,
                       bool(target), bool(figures)))
    hint = m.date_hint if dv is None and m.date_hint and _HINT.fullmatch(m.date_hint) else None
    return Profile(
        id=m.id, family=rule.family(m.event_type), event_type=m.event_type,
        date=dv, precision=prec, day=day, hints=_one(hint) if hint else frozenset(),
        country=country.upper() if country else None,
        place=place, place_keys=_one(place_key(place)) if place else frozenset(),
        names=_one(names.pop()) if len(names) == 1 else frozenset(names), perpetrator=perp,
        perpetrators=_one(perp) if perp else frozenset(),
        attack_type=attack, attack_types=_one(attack) if attack else frozenset(),
        targets=(target,) if target else (), figures=figures,
        people=frozenset(n for n in map(norm, m.people) if " " in n),
        docs={m.doc_id: (doc_key,)}, specificity=specificity, order_key=m.id,
    )


def cached_profile(profiles: dict[str, Profile], m: Mention, rule: Rule) -> Profile:
    """A mention's profile, made once per cache (``profiles``: mention id -> profile)."""
    if m.id not in profiles:
        profiles[m.id] = profile_of_mention(m, rule)
    return profiles[m.id]


def fuse_date(dates: Sequence[DateValue]) -> tuple[DateValue | None, bool]:
    """The most precise date consistent with all reported dates.

    Returns:
        ``(date, conflict)``: ``conflict`` is true when some reports were more
        precise than the result but disagreed (22 vs 23 March fuses to March).
    """
    if not dates:
        return None, False
    isos = {d.iso for d in dates}
    most = max(len(i) for i in isos)
    for prec in (3, 2, 1):
        n = _ISO_LEN[prec]
        heads = {i[:n] for i in isos if len(i) >= n}
        if len(heads) == 1:
            head = next(iter(heads))
            if all(head.startswith(i) for i in isos if len(i) < n):
                same = sorted((d for d in dates if d.iso == head), key=lambda d: (d.text, d.start))
                chosen = same[-1] if same else DateValue(head, ("year", "month", "day")[prec - 1])
                return chosen, n < most
    return None, True


def fuse_place(places: Sequence[Place]) -> Place | None:
    """Most specific place (venue > city > province); ties: most reported, then most local."""
    if not places:
        return None
    counts = Counter(place_key(p) for p in places)
    return min(places, key=lambda p: (-_KIND_RANK.get(p.kind, 1), -counts[place_key(p)],
                                      p.population, p.name, p.country, p.lat or 0.0, p.lon or 0.0))


def _majority(values: Sequence[str], rank: Mapping[str, int] | None = None) -> str | None:
    if not values:
        return None
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], (rank or {}).get(v, 99), v))


def fuse_perpetrator(perps: Sequence[str], rule: Rule) -> str | None:
    """Most specific group: drop any group that is the parent of another reported one."""
    present = set(perps)
    specific = [p for p in perps if not any(p in rule.ancestors(q) for q in present)]
    return _majority(specific)


def fuse_attack_type(types: Sequence[str], rule: Rule) -> str | None:
    """Majority attack type, after folding general types into a reported refinement."""
    present = set(types)
    folded = [t for t in types if not any(t in rule.refines.get(q, ()) for q in present)]
    return _majority(folded)


_EVENT_RANK = {t: i for i, t in enumerate(EVENT_TYPES)}


def merge_profiles(ident: str, members: Sequence[Profile], rule: Rule) -> Profile:
    """An incident's fused profile: a function of the *set* of members, not their order."""
    return _merge_one(ident, members[0], rule) if len(members) == 1 else _merge_many(ident, members, rule)


def _merge_many(ident: str, members: Sequence[Profile], rule: Rule) -> Profile:
    date, conflict = fuse_date([m.date for m in members if m.date is not None])
    dv, prec, day = _date_fields(date)
    spans: dict[str, list[FigureSpan]] = {}
    docs: dict[str, tuple[DocKey, ...]] = {}
    for m in members:
        for f, s in m.figures.items():
            spans.setdefault(f, []).append(s)
        for d, keys in m.docs.items():
            docs[d] = docs.get(d, ()) + keys
    perps = [m.perpetrator for m in members if m.perpetrator]
    attacks = [m.attack_type for m in members if m.attack_type]
    event_type = _majority([m.event_type for m in members], _EVENT_RANK) or members[0].event_type
    return Profile(
        id=ident, family=rule.family(event_type), event_type=event_type,
        date=dv, precision=prec, day=day, date_conflict=conflict,
        hints=frozenset().union(*(m.hints for m in members)) if dv is None else frozenset(),
        country=_majority([m.country for m in members if m.country]),
        place=fuse_place([m.place for m in members if m.place is not None]),
        place_keys=frozenset().union(*(m.place_keys for m in members)),
        names=frozenset().union(*(m.names for m in members)),
        perpetrator=fuse_perpetrator(perps, rule), perpetrators=frozenset(perps),
        attack_type=fuse_attack_type(attacks, rule), attack_types=frozenset(attacks),
        targets=tuple(sorted({t for m in members for t in m.targets}, key=sorted)),
        people=frozenset().union(*(m.people for m in members)),
        figures={f: merged for f, group in spans.items() if (merged := merge_spans(group)) is not None},
        docs=docs, specificity=max(m.specificity for m in members),
        order_key=min(m.order_key for m in members), incident=True,
    )


def _merge_one(ident: str, m: Profile, rule: Rule) -> Profile:
    """What :func:`merge_profiles` makes of one member, without the folding that several need (most incidents and
    the first record of every one have a single member)."""
    dv, prec, day = _date_fields(m.date)
    return replace(
        m, id=ident, family=rule.family(m.event_type), date=dv, precision=prec, day=day, date_conflict=False,
        hints=m.hints if dv is None else frozenset(), country=m.country or None,
        perpetrator=fuse_perpetrator([m.perpetrator], rule) if m.perpetrator else None,
        perpetrators=frozenset((m.perpetrator,)) if m.perpetrator else frozenset(),
        attack_type=fuse_attack_type([m.attack_type], rule) if m.attack_type else None,
        attack_types=frozenset((m.attack_type,)) if m.attack_type else frozenset(),
        targets=tuple(sorted(set(m.targets), key=sorted)), figures=dict(m.figures),
        docs=dict(m.docs), incident=True,
    )
