"""Similarity between mentions and incidents: the fusion rule, applied.

The rule is data (``amu/data/fusion_weights.json``): per feature, a table from
*outcome* (``same``, ``near``, ``different`` ...) to a partial score or
``"veto"``. This module decides which outcome applies to a pair and sums the
table's values; it holds no numbers of its own, so the rule can be tuned
without touching code. :func:`score` is the fast verdict used for decisions;
:func:`compare` gives the same verdict with every partial score and its reason.

Both sides of a comparison are :class:`Profile` objects: a mention's own
fields, or an incident's fused record (:func:`merge_profiles`). Categorical
features of an incident also keep the *set* of values its mentions reported,
so "IS" still counts as the same perpetrator as an incident fused to "ISKP"
from sources that said both; otherwise the score of a mention would depend on
which other mentions happened to arrive first.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from amu.errors import ConfigError
from amu.records import EVENT_TYPES, DateValue, Mention, Place
from amu.resolve.figures import FigureSpan, compare_spans, count_span, merge_spans

FEATURES = ("event_type", "same_document", "date", "place", "perpetrator",
            "attack_type", "target", "killed", "wounded", "arrested")
FIGURES = ("killed", "wounded", "arrested")
_OUTCOMES = {  # every outcome the code can produce must have a weight
    "event_type": ("same", "same_family", "different_family"),
    "same_document": ("distinct", "obviously_same", "different"),
    "date": ("same_day", "adjacent_day", "same_month", "same_year",
             "qualifier_mismatch", "missing", "contradiction"),
    "place": ("same", "near", "same_name", "contains", "region_near", "country_only",
              "unresolved", "missing", "different_venue", "far", "different_country", "undated_unplaced"),
    "perpetrator": ("same", "related", "different", "missing"),
    "attack_type": ("same", "related", "different", "missing"),
    "target": ("same", "overlap", "different", "missing"),
    **{f: ("same", "consistent", "near", "differ", "far", "missing") for f in FIGURES},
}
_PRECISION = {"year": 1, "month": 2, "day": 3}
_ISO_LEN = {1: 4, 2: 7, 3: 10}
_KIND_RANK = {"country": 0, "region": 1, "admin1": 2, "admin2": 3, "city": 4, "venue": 5}
_AREA_KINDS = frozenset({"region", "admin1", "admin2"})
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_STOP = frozenset({"the", "a", "an", "of", "and", "in", "at", "on", "for", "to", "near", "its"})


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Lower-case, punctuation to spaces, collapsed: the key for name comparisons."""
    return _NON_WORD.sub(" ", text.lower()).strip()


@lru_cache(maxsize=1 << 16)
def _one(value: Any) -> frozenset[Any]:
    """A shared one-element set: mentions repeat the same few hundred values."""
    return frozenset((value,))


class Rule:
    """The fusion rule loaded from its JSON table."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self.version = int(data.get("version", 1))
            self.threshold = float(data["threshold"])
            self.undated_threshold = float(data.get("undated_threshold", self.threshold))
            self.sole_margin = float(data.get("sole_candidate_margin", 0.0))
            self.min_specific_fields = int(data["min_specific_fields"])
            self.unique_threshold = float(data.get("unique_threshold", data["threshold"]))
            # Families whose weak mentions may join their single compatible incident: violent events
            # are few and distinctive; arrests and plots are many and alike.
            self.unique_families = frozenset(data.get("unique_families", ()))
            self.family_of = {t: fam for fam, types in data["families"].items() for t in types}
            self.table: dict[str, dict[str, float | None]] = {}
            for feature, outcomes in _OUTCOMES.items():
                row = data["features"][feature]
                self.table[feature] = {o: None if row[o] == "veto" else float(row[o]) for o in outcomes}
            self.params = {k: float(v) for k, v in data["params"].items()}
            self.qualifiers = {k: (int(v[0]), int(v[1])) for k, v in data["qualifiers"].items()}
            attack = data["attack_types"]
            self.refines: dict[str, str] = dict(attack["refines"])
            self.related_attacks = {frozenset(p) for p in attack["related"]}
            self.related_attacks |= {frozenset(p) for p in self.refines.items()}
            self.undated_anchors = frozenset(data["features"]["place"]["undated_anchors"])
            self.unique_below = _PRECISION[data["unique_below_precision"]]
            perps = data["perpetrators"]
            self.parent: dict[str, str] = {}
            self.alias: dict[str, str] = {}
            for name, parent, aliases in _groups(perps):
                if parent and name not in self.parent:
                    self.parent[name] = parent
                for a in (name, *aliases):   # first definition wins: the extractor's table
                    self.alias.setdefault(norm(a), name)
            self.unknown = frozenset(norm(u) for u in perps["unknown"])
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ConfigError(f"invalid fusion weights: missing or malformed {exc}",
                              hint="compare with amu/data/fusion_weights.json") from exc
        self._canon: dict[str, str | None] = {}
        # Most the features after each position of _SCORERS can still add (for score's floor).
        best = [max([w for w in self.table[f].values() if w is not None] + [0.0]) for f, _ in _SCORERS]
        self.headroom = [sum(best[i + 1:]) for i in range(len(best))]

    @classmethod
    def load(cls, source: Rule | Mapping[str, Any] | str | Path | None = None) -> Rule:
        """The rule from a mapping, a JSON file, or the packaged default (cached)."""
        if isinstance(source, Rule):
            return source
        if isinstance(source, Mapping):
            return cls(source)
        if source is not None:
            try:
                return cls(json.loads(Path(source).read_text(encoding="utf-8")))
            except (OSError, json.JSONDecodeError) as exc:
                raise ConfigError(f"cannot read fusion weights {source}: {exc}") from exc
        return _default_rule()

    def threshold_for(self, a: Profile, b: Profile) -> float:
        """The threshold a pair must reach: higher when a date cannot corroborate it."""
        return self.undated_threshold if a.date is None or b.date is None else self.threshold

    def sole_margin_for(self, a: Profile, b: Profile) -> float:
        """How far below the threshold a sole compatible candidate may be joined.

        Only dated pairs: undated ones already need ``undated_threshold``, and
        a sole undated match mostly means the right incident is not indexed yet.
        """
        return 0.0 if a.date is None or b.date is None else self.sole_margin

    def weight(self, feature: str, outcome: str) -> float | None:
        """Partial score for an outcome; ``None`` means veto."""
        return self.table[feature][outcome]

    def family(self, event_type: str) -> str:
        """Event family; unknown types form a family of their own."""
        return self.family_of.get(event_type, event_type)

    def perpetrator(self, raw: str | None) -> str | None:
        """Canonical group: the table's name for known aliases, else the normalised name."""
        if not raw:
            return None
        if raw not in self._canon:
            key = norm(raw)
            key = key[4:] if key.startswith("the ") else key
            self._canon[raw] = None if not key or key in self.unknown else self.alias.get(key, key)
        return self._canon[raw]

    def ancestors(self, group: str) -> set[str]:
        """Parent organisations of a group (ISKP -> {Islamic State})."""
        out: set[str] = set()
        while group in self.parent and group not in out:
            group = self.parent[group]
            out.add(group)
        return out

    def related_groups(self, a: str, b: str) -> bool:
        """Parent/child in either direction."""
        return a in self.ancestors(b) or b in self.ancestors(a)


def _groups(perps: Mapping[str, Any]) -> list[tuple[str, str | None, list[str]]]:
    """Group hierarchy: the extractor's ``actors.json`` first, then the rule's extras.

    ``actors.json`` belongs to the extractor and is read, never written; when it
    is missing or its shape changes, only the extras remain (names are then
    compared after normalisation, without parent/child links).
    """
    out: list[tuple[str, str | None, list[str]]] = []
    if perps.get("groups_file"):
        try:
            raw = json.loads(resources.files("amu").joinpath("data", perps["groups_file"]).read_text("utf-8"))
            out += [(g["name"], g.get("parent"), list(g.get("aliases", []))) for g in raw["groups"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    out += [(n, g.get("parent"), list(g.get("aliases", []))) for n, g in perps.get("extra_groups", {}).items()]
    return out


@lru_cache(maxsize=1)
def _default_rule() -> Rule:
    text = resources.files("amu").joinpath("data/fusion_weights.json").read_text(encoding="utf-8")
    return Rule(json.loads(text))


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
    country: str | None = None
    place: Place | None = None                # below country level only
    place_keys: frozenset[Any] = frozenset()
    names: frozenset[str] = frozenset()       # normalised place names / location strings
    perpetrator: str | None = None
    perpetrators: frozenset[str] = frozenset()
    attack_type: str | None = None
    attack_types: frozenset[str] = frozenset()
    targets: tuple[frozenset[str], ...] = ()
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
        return (dv if len(iso) == 7 else DateValue(iso[:7], "month")), 2, None
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
    return Profile(
        id=m.id, family=rule.family(m.event_type), event_type=m.event_type,
        date=dv, precision=prec, day=day, country=country.upper() if country else None,
        place=place, place_keys=_one(place_key(place)) if place else frozenset(),
        names=_one(names.pop()) if len(names) == 1 else frozenset(names), perpetrator=perp,
        perpetrators=_one(perp) if perp else frozenset(),
        attack_type=attack, attack_types=_one(attack) if attack else frozenset(),
        targets=(target,) if target else (), figures=figures,
        docs={m.doc_id: (doc_key,)}, specificity=specificity, order_key=m.id,
    )


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
    folded = [t for t in types if not any(rule.refines.get(q) == t for q in present)]
    return _majority(folded)


_EVENT_RANK = {t: i for i, t in enumerate(EVENT_TYPES)}


def merge_profiles(ident: str, members: Sequence[Profile], rule: Rule) -> Profile:
    """An incident's fused profile: a function of the *set* of members, not their order."""
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
        country=_majority([m.country for m in members if m.country]),
        place=fuse_place([m.place for m in members if m.place is not None]),
        place_keys=frozenset().union(*(m.place_keys for m in members)),
        names=frozenset().union(*(m.names for m in members)),
        perpetrator=fuse_perpetrator(perps, rule), perpetrators=frozenset(perps),
        attack_type=fuse_attack_type(attacks, rule), attack_types=frozenset(attacks),
        targets=tuple(sorted({t for m in members for t in m.targets}, key=sorted)),
        figures={f: merged for f, group in spans.items() if (merged := merge_spans(group)) is not None},
        docs=docs, specificity=max(m.specificity for m in members),
        order_key=min(m.order_key for m in members), incident=True,
    )


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
            from amu.resolve.gazetteer import Gazetteer
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
    # identical place may stand in for the date (a nearby city is not enough).
    if ((a.date is None or b.date is None) and outcome not in rule.undated_anchors
            and rule.table["place"][outcome] is not None):
        return "undated_unplaced"
    return outcome


def corroborated(a: Profile, b: Profile, rule: Rule) -> bool:
    """Whether a weak pair shares something distinctive, beyond family and country.

    A dated pair is corroborated by its compatible dates. An undated one needs
    the same kind of attack, the same group, a consistent figure, or the same
    named venue: a city alone is not distinctive (Istanbul has had many attacks).
    """
    if a.date is not None and b.date is not None:
        return True
    if _f_attack_type(a, b, rule) in ("same", "related") or _f_perpetrator(a, b, rule) == "same":
        return True
    if any(_figure_outcome(f)(a, b, rule) in ("same", "consistent") for f in FIGURES):
        return True
    return bool(a.place and b.place and a.place.kind == "venue" and a.place_keys & b.place_keys)


def _f_date(a: Profile, b: Profile, rule: Rule) -> str:
    if a.date is None or b.date is None:
        return "missing"
    if a.precision == 3 and b.precision == 3:
        gap = abs(a.day - b.day)  # type: ignore[operator]
        return "same_day" if gap == 0 else "adjacent_day" if gap <= rule.params["adjacent_days"] else "contradiction"
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


# Cheap, often-vetoing features first: the fast path stops at the first veto.
_SCORERS = (("event_type", _f_event_type), ("date", _f_date), ("place", _f_place),
            ("same_document", _f_same_document), ("perpetrator", _f_perpetrator),
            ("attack_type", _f_attack_type), ("target", _f_target),
            *((f, _figure_outcome(f)) for f in FIGURES))


def score(a: Profile, b: Profile, rule: Rule, floor: float | None = None) -> tuple[float, bool] | None:
    """The rule's verdict without explanations: ``None`` if vetoed, else (total, conflict).

    ``conflict`` is true when some feature scored negatively. This is what
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
    total, conflict = 0.0, False
    for i, (feature, fn) in enumerate(_SCORERS):
        weight = table[feature][fn(a, b, rule)]
        if weight is None:
            return None
        total += weight
        conflict = conflict or weight < 0
        if floor is not None and total + headroom[i] < floor:
            return None
    return total, conflict


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
        return " / ".join(p.date.iso if p.date else "undated" for p in (a, b))
    if feature == "same_document":
        return f"{len(_shared_docs(a, b))} shared document(s)"
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
