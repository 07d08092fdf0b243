"""The fusion rule: the weights table of ``amu/data/fusion_weights.json``, loaded.

The rule is data: per feature, a table from *outcome* (``same``, ``near``,
``different`` ...) to a partial score or ``"veto"``, plus the thresholds, event
families, attack-type relations and the perpetrator table (the extractor's
``actors.json`` and the rule's extra groups). :class:`Rule` loads and validates
it; :mod:`amu.resolve.matching` decides which outcome applies to a pair.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amu.errors import ConfigError
from amu.resolve.hints import HINT_OUTCOMES, dated_pair

if TYPE_CHECKING:
    from amu.resolve.profiles import Profile

FEATURES = ("event_type", "same_document", "date", "place", "perpetrator",
            "attack_type", "target", "people", "killed", "wounded", "arrested")
FIGURES = ("killed", "wounded", "arrested")
_OUTCOMES = {  # every outcome the code can produce must have a weight
    "event_type": ("same", "same_family", "different_family"),
    "same_document": ("distinct", "obviously_same", "different"),
    "date": ("same_day", "adjacent_day", "announced_lag", "same_month", "same_year",
             "qualifier_mismatch", "missing", "contradiction", *HINT_OUTCOMES),
    "place": ("same", "near", "same_name", "contains", "region_near", "country_only",
              "unresolved", "missing", "different_venue", "far", "different_country", "undated_unplaced"),
    "perpetrator": ("same", "related", "different", "missing"),
    "attack_type": ("same", "related", "different", "missing"),
    "target": ("same", "overlap", "different", "missing"),
    "people": ("same", "missing"),
    **{f: ("same", "consistent", "near", "differ", "far", "missing") for f in FIGURES},
}
_PRECISION = {"year": 1, "month": 2, "day": 3}
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# The order in which :func:`amu.resolve.matching.score` evaluates the features.
# Cheap, often-vetoing features first: the fast path stops at the first veto.
SCORE_ORDER = ("event_type", "date", "place", "same_document", "perpetrator",
               "attack_type", "target", "people", *FIGURES)


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Lower-case, punctuation to spaces, collapsed: the key for name comparisons."""
    return _NON_WORD.sub(" ", text.lower()).strip()


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
            # Families whose reports date the announcement, days after the event (arrests, foiled plots).
            self.lag_families = frozenset(data.get("lag_families", ()))
            self.family_of = {t: fam for fam, types in data["families"].items() for t in types}
            self.table: dict[str, dict[str, float | None]] = {}
            for feature, outcomes in _OUTCOMES.items():
                row = data["features"][feature]
                self.table[feature] = {o: None if row[o] == "veto" else float(row[o]) for o in outcomes}
            self.params = {k: float(v) for k, v in data["params"].items()}
            self.qualifiers = {k: (int(v[0]), int(v[1])) for k, v in data["qualifiers"].items()}
            attack = data["attack_types"]
            self.refines: dict[str, frozenset[str]] = {
                k: frozenset([v] if isinstance(v, str) else v) for k, v in attack["refines"].items()}
            self.related_attacks = {frozenset(p) for p in attack["related"]}
            self.related_attacks |= {frozenset((k, g)) for k, gs in self.refines.items() for g in gs}
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
        # Most the features after each position of SCORE_ORDER can still add (for score's floor).
        best = [max([w for w in self.table[f].values() if w is not None] + [0.0]) for f in SCORE_ORDER]
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
        return self.threshold if dated_pair(a, b) else self.undated_threshold

    def sole_margin_for(self, a: Profile, b: Profile) -> float:
        """How far below the threshold a sole compatible candidate may be joined.

        Only dated pairs: undated ones already need ``undated_threshold``, and
        a sole undated match mostly means the right incident is not indexed yet.
        """
        return self.sole_margin if dated_pair(a, b) else 0.0

    def day_window(self, family: str) -> int:
        """Days apart that two day-precise dates of this family may be and still tell one event."""
        key = "lag_days" if family in self.lag_families else "adjacent_days"
        return int(self.params[key])

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
