"""Similarity between mentions and incidents: the fusion rule, applied.

The rule is data (``amu/data/fusion_weights.json``, loaded by
:class:`~amu.resolve.rule.Rule`): per feature, a table from *outcome*
(``same``, ``near``, ``different`` ...) to a partial score or ``"veto"``. This
module decides which outcome applies to a pair and sums the table's values; it
holds no numbers of its own, so the rule can be tuned without touching code.
:func:`score` is the fast verdict used for decisions; :func:`compare` gives the
same verdict with every partial score and its reason.

Both sides of a comparison are :class:`~amu.resolve.profiles.Profile` objects:
a mention's own fields, or an incident's fused record (:func:`merge_profiles`).
Categorical features of an incident also keep the *set* of values its mentions
reported, so "IS" still counts as the same perpetrator as an incident fused to
"ISKP" from sources that said both; otherwise the score of a mention would
depend on which other mentions happened to arrive first.

The rule (:mod:`amu.resolve.rule`) and profiles (:mod:`amu.resolve.profiles`)
live in their own modules; their public names are re-exported here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from amu.records import Place
from amu.resolve.figures import FigureSpan, compare_spans
from amu.resolve.hints import dated_pair, hint_outcome
from amu.resolve.profiles import (
    _ISO_LEN,
    _KIND_RANK,
    DocKey,
    Profile,
    fuse_attack_type,
    fuse_date,
    fuse_perpetrator,
    fuse_place,
    merge_profiles,
    place_key,
    profile_of_mention,
)
from amu.resolve.rule import FEATURES, FIGURES, SCORE_ORDER, Rule, norm

__all__ = [
    # re-exported from amu.resolve.rule and amu.resolve.profiles
    "FEATURES", "FIGURES", "Rule", "norm",
    "DocKey", "Profile", "place_key", "profile_of_mention", "fuse_date", "fuse_place",
    "fuse_perpetrator", "fuse_attack_type", "merge_profiles",
    # defined here
    "haversine_km", "contains", "corroborated", "score", "FeatureScore", "MatchExplanation", "compare",
]

_AREA_KINDS = frozenset({"region", "admin1", "admin2"})


# --- features: each returns the outcome whose weight the rule table gives -------------

def haversine_km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two places, ``None`` without coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_NO_GAZETTEER: Any = object()
_gazetteer: Any = None


@lru_cache(maxsize=65536)
def contains(outer: Place, inner: Place) -> bool | None:
    """Whether ``inner`` lies inside the area ``outer``; ``None`` when unknown.

    Uses the places' own ``admin1`` first; the gazetteer (written concurrently,
    so imported lazily and optional) only when that cannot decide.
    """
    global _gazetteer
    if outer.country != inner.country:
        return False
    if outer.kind == "country":
        return True
    if outer.kind == "admin1" and inner.admin1:
        return norm(inner.admin1) == norm(outer.name)
    if _gazetteer is None:
        try:
            from amu.places.gazetteer import Gazetteer
            _gazetteer = Gazetteer.default()
        except Exception:  # any failure means "no gazetteer": fall back to distances
            _gazetteer = _NO_GAZETTEER
    if _gazetteer is _NO_GAZETTEER:
        return None
    try:
        return bool(_gazetteer.contains(outer, inner))
    except Exception:  # a partial gazetteer must not break fusion
        return None


def _geo(pa: Place, pb: Place, rule: Rule) -> str:
    dist = haversine_km(pa, pb)
    near = rule.params["near_km"]
    area_a, area_b = pa.kind in _AREA_KINDS, pb.kind in _AREA_KINDS
    if area_a or area_b:
        outer, inner = (pa, pb) if _KIND_RANK.get(pa.kind, 1) <= _KIND_RANK.get(pb.kind, 1) else (pb, pa)
        if contains(outer, inner):
            return "contains"
        if dist is None:
            return "unresolved"
        # Province centroids are only comparable when close; a place and a province
        # may be farther apart (large provinces) -- that is what region_km allows.
        return "region_near" if dist <= (near if area_a and area_b else rule.params["region_km"]) else "far"
    if dist is None:
        return "same_name" if norm(pa.name) == norm(pb.name) else "unresolved"
    if pa.kind == "venue" and pb.kind == "venue" and dist > rule.params["same_site_km"]:
        return "different_venue" if dist <= near else "far"
    return "near" if dist <= near else "far"


def _place_outcome(a: Profile, b: Profile, rule: Rule) -> str:
    if a.country and b.country and a.country != b.country:
        return "different_country"
    if a.place is not None and b.place is not None:
        return "same" if a.place_keys & b.place_keys else _geo(a.place, b.place, rule)
    if a.names and b.names:
        return "same_name" if a.names & b.names else "unresolved"
    return "country_only" if a.country and b.country else "missing"


def _f_place(a: Profile, b: Profile, rule: Rule) -> str:
    outcome = _place_outcome(a, b, rule)
    # Without a date on one side the place is what pins the event down: only an
    # identical town or venue may stand in for the date (a nearby city is not enough,
    # nor is a whole province: Balochistan has had many attacks).
    if not dated_pair(a, b) and rule.table["place"][outcome] is not None and \
            (outcome not in rule.undated_anchors or _coarse(a) or _coarse(b)):
        return "undated_unplaced"
    return outcome


def _coarse(p: Profile) -> bool:
    """Placed only at a province or a region (a district is small enough to name one event's setting)."""
    return p.place is not None and p.place.kind in ("admin1", "region")


def corroborated(a: Profile, b: Profile, rule: Rule) -> bool:
    """Whether a weak pair shares something distinctive, beyond family and country.

    A dated pair is corroborated by its compatible dates. An undated one needs
    the same kind of attack, the same group, a consistent figure, or the same
    named venue: a city alone is not distinctive (Istanbul has had many attacks).
    An undated pair placed only at a province is never corroborated.
    """
    # ... by its compatible dates; a year alone does not outweigh tolls that differ ("11 killed in January
    # 2021" and "13 killed in 2021" are two of that year's attacks).
    if dated_pair(a, b):
        by_year = a.date is not None and b.date is not None and min(a.precision, b.precision) < 2
        if not (by_year and any(_figure_outcome(f)(a, b, rule) in ("near", "differ", "far") for f in FIGURES)):
            return True
    if _coarse(a) or _coarse(b):
        # A province is not searched whole (its towns' incidents are filed under the towns): the one
        # incident found placed at the province is not the only one that could be meant.
        return False
    if _f_attack_type(a, b, rule) in ("same", "related") or _f_perpetrator(a, b, rule) == "same":
        return True
    if any(_figure_outcome(f)(a, b, rule) in ("same", "consistent") for f in FIGURES):
        return True
    return bool(a.place and b.place and a.place.kind == "venue" and a.place_keys & b.place_keys)


def _f_date(a: Profile, b: Profile, rule: Rule) -> str:
    if a.date is None or b.date is None:
        return hint_outcome(a, b) or "missing"
    if a.precision == 3 and b.precision == 3:
        gap = abs(a.day - b.day)  # type: ignore[operator]
        if gap == 0:
            return "same_day"
        if gap <= rule.params["adjacent_days"] and a.family not in rule.lag_families:
            return "adjacent_day"
        return "announced_lag" if gap <= rule.day_window(a.family) else "contradiction"
    coarse = min(a.precision, b.precision)
    n = _ISO_LEN[coarse]
    if a.date.iso[:n] != b.date.iso[:n]:
        return "contradiction"
    if coarse == 1:
        return "same_year"
    month, exact = (a, b) if a.precision == 2 else (b, a)
    window = rule.qualifiers.get(month.date.qualifier or "")  # type: ignore[union-attr]
    if window and exact.precision == 3:   # "late March" vs 2 March
        slack = rule.params["qualifier_slack_days"]
        if not window[0] - slack <= int(exact.date.iso[8:10]) <= window[1] + slack:  # type: ignore[union-attr]
            return "qualifier_mismatch"
    return "same_month"


def _f_event_type(a: Profile, b: Profile, rule: Rule) -> str:
    if a.family != b.family:
        return "different_family"
    return "same" if a.event_type == b.event_type else "same_family"


def _f_perpetrator(a: Profile, b: Profile, rule: Rule) -> str:
    if not a.perpetrator or not b.perpetrator:
        return "missing"
    if a.perpetrators & b.perpetrators:
        return "same"
    related = any(rule.related_groups(x, y) for x in a.perpetrators for y in b.perpetrators)
    return "related" if related else "different"


def _f_attack_type(a: Profile, b: Profile, rule: Rule) -> str:
    if not a.attack_type or not b.attack_type:
        return "missing"
    if a.attack_types & b.attack_types:
        return "same"
    pairs = rule.related_attacks
    return "related" if any(frozenset((x, y)) in pairs for x in a.attack_types for y in b.attack_types) \
        else "different"


def _f_people(a: Profile, b: Profile, rule: Rule) -> str:
    # Reports name different people (a victim here, a minister there): only a shared name counts.
    return "same" if a.people & b.people else "missing"


def _target_similarity(a: Profile, b: Profile) -> float:
    return max(len(x & y) / len(x | y) for x in a.targets for y in b.targets)


def _f_target(a: Profile, b: Profile, rule: Rule) -> str:
    if not a.targets or not b.targets:
        return "missing"
    best = _target_similarity(a, b)
    return "same" if best >= rule.params["target_same_jaccard"] else "overlap" if best > 0 else "different"


def _obviously_same(x: DocKey, y: DocKey) -> bool:
    """Two mentions of one document that can only be the same incident."""
    if x[0] != y[0] or x[1] is None or x[1] != y[1] or x[2] is None or x[2] != y[2]:
        return False
    if x[3] and y[3] and x[3] != y[3]:
        return False
    return not (x[4] and y[4] and (x[4][1] < y[4][0] or y[4][1] < x[4][0]))


def _shared_docs(a: Profile, b: Profile) -> list[str]:
    small, big = (a, b) if len(a.docs) <= len(b.docs) else (b, a)
    return [d for d in small.docs if d in big.docs]


def _f_same_document(a: Profile, b: Profile, rule: Rule) -> str:
    if len(a.docs) == 1 and next(iter(a.docs)) not in b.docs:
        return "distinct"     # the common case: a single mention from another document
    shared = _shared_docs(a, b)
    if not shared:
        return "distinct"
    ok = all(_obviously_same(x, y) for d in shared for x in a.docs[d] for y in b.docs[d])
    return "obviously_same" if ok else "different"


def _figure_outcome(feature: str) -> Any:
    def outcome(a: Profile, b: Profile, rule: Rule) -> str:
        if not a.figures or not b.figures:
            return "missing"
        sa, sb = a.figures.get(feature), b.figures.get(feature)
        return "missing" if sa is None or sb is None else compare_spans(sa, sb, rule.params)
    return outcome


# Each feature's scorer, in the rule's SCORE_ORDER (cheap, often-vetoing features
# first: the fast path stops at the first veto).
_SCORER_OF = {"event_type": _f_event_type, "date": _f_date, "place": _f_place,
              "same_document": _f_same_document, "perpetrator": _f_perpetrator,
              "attack_type": _f_attack_type, "target": _f_target, "people": _f_people,
              **{f: _figure_outcome(f) for f in FIGURES}}
_SCORERS = tuple((feature, _SCORER_OF[feature]) for feature in SCORE_ORDER)


def score(a: Profile, b: Profile, rule: Rule, floor: float | None = None) -> tuple[float, bool, bool] | None:
    """The rule's verdict without explanations: ``None`` if vetoed, else (total, conflict, contrary).

    ``conflict`` is true when some feature scored negatively; ``contrary`` when one other than a
    figure did. Reports of one attack disagree on its toll as it rises (12 dead in the first wire,
    183 a week later), so a pair that passes the threshold despite differing tolls is still
    compatible; only the weaker paths (a sole candidate below the threshold) need no conflict at all.
    This is what
    :class:`~amu.resolve.fusion.IncidentIndex` calls for every candidate;
    :func:`compare` gives the same numbers with reasons.

    Args:
        a: One side.
        b: The other side.
        rule: The weights table.
        floor: When given, also return ``None`` as soon as the best outcomes of
            the remaining features could no longer lift the total to ``floor``
            (the caller has no use for such a candidate; this halves the cost
            of scanning crowded blocks).
    """
    table, headroom = rule.table, rule.headroom
    total, conflict, contrary = 0.0, False, False
    for i, (feature, fn) in enumerate(_SCORERS):
        weight = table[feature][fn(a, b, rule)]
        if weight is None:
            return None
        total += weight
        if weight < 0:
            conflict = True
            contrary = contrary or feature not in FIGURES
        if floor is not None and total + headroom[i] < floor:
            return None
    return total, conflict, contrary


def _detail(feature: str, a: Profile, b: Profile, rule: Rule) -> str:
    """Human-readable evidence behind one feature's outcome (explanations only)."""
    if feature == "place":
        if a.place is not None and b.place is not None:
            dist = haversine_km(a.place, b.place)
            km = f", {dist:.0f} km" if dist is not None else ""
            text = f"{a.place.name} ({a.place.kind}) / {b.place.name} ({b.place.kind}){km}"
        else:
            text = " / ".join(", ".join(sorted(p.names)) or (p.country or "?") for p in (a, b))
        under = _place_outcome(a, b, rule)
        return text if _f_place(a, b, rule) == under else f"{text} [{under}, but one side is undated]"
    if feature == "date":
        return " / ".join(p.date.iso if p.date else " ".join(sorted(p.hints)) or "undated" for p in (a, b))
    if feature == "same_document":
        return f"{len(_shared_docs(a, b))} shared document(s)"
    if feature == "people":
        return ", ".join(sorted(a.people & b.people))
    if feature == "target":
        return f"jaccard {_target_similarity(a, b):.2f}" if a.targets and b.targets else ""
    if feature in FIGURES:
        return " / ".join(_span_text(p.figures[feature]) if feature in p.figures else "-" for p in (a, b))
    attr = {"event_type": "event_type", "perpetrator": "perpetrator", "attack_type": "attack_type"}[feature]
    return f"{getattr(a, attr) or '-'} / {getattr(b, attr) or '-'}"


def _span_text(s: FigureSpan) -> str:
    if len(s.exacts) == 1 and s.lo == s.hi:
        return str(next(iter(s.exacts)))
    return f"{s.lo:g}.." + ("" if s.hi == math.inf else f"{s.hi:g}")


@dataclass
class FeatureScore:
    """One feature's contribution: the outcome, its weight (``None`` = veto), why."""

    feature: str
    outcome: str
    score: float | None
    detail: str = ""


@dataclass
class MatchExplanation:
    """A pairwise decision, feature by feature (what ``amu explain-merge`` prints)."""

    a: str
    b: str
    features: list[FeatureScore]
    vetoes: list[str]
    total: float
    threshold: float
    conflict: bool = False                       # some feature scored negatively
    notes: list[str] = field(default_factory=list)

    @property
    def merge(self) -> bool:
        """Whether the pair passes the rule (no veto, total at least the threshold)."""
        return not self.vetoes and self.total >= self.threshold

    def partial(self, feature: str) -> float | None:
        """The partial score of one feature (``None`` when vetoed)."""
        return next((f.score for f in self.features if f.feature == feature), None)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "merge": self.merge, "total": self.total,
                "threshold": self.threshold, "vetoes": list(self.vetoes), "notes": list(self.notes),
                "features": [vars(f).copy() for f in self.features]}

    def __str__(self) -> str:
        verdict = "MERGE" if self.merge else ("VETO" if self.vetoes else "NO MERGE")
        lines = [f"{self.a} vs {self.b}: {verdict} (total {self.total:+.2f}, threshold {self.threshold:.2f})",
                 f"  {'feature':<15}{'outcome':<20}{'score':>7}  detail"]
        for f in self.features:
            score = "veto" if f.score is None else f"{f.score:+.2f}"
            lines.append(f"  {f.feature:<15}{f.outcome:<20}{score:>7}  {f.detail}")
        lines.append(f"  vetoes: {', '.join(self.vetoes) or 'none'}")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def compare(a: Profile, b: Profile, rule: Rule) -> MatchExplanation:
    """Apply the rule to a pair and explain every feature (vetoes do not stop it).

    Args:
        a: One side (a mention's profile, usually).
        b: The other side (an incident's fused profile, usually).
        rule: The weights table.
    """
    out = MatchExplanation(a.id, b.id, [], [], 0.0, rule.threshold_for(a, b))
    outcomes = {feature: fn(a, b, rule) for feature, fn in _SCORERS}
    for feature in FEATURES:
        outcome = outcomes[feature]
        weight = rule.table[feature][outcome]
        if weight is None:
            out.vetoes.append(f"{feature}:{outcome}")
        else:
            out.total += weight
            out.conflict = out.conflict or weight < 0
        out.features.append(FeatureScore(feature, outcome, weight, _detail(feature, a, b, rule)))
    return out
