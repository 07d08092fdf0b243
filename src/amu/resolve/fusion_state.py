"""What the incident index hands out and persists: fused incident records and state.

:class:`Incident` is the fused record :class:`~amu.resolve.fusion.IncidentIndex`
returns, :func:`incident_id` the deterministic id it gives new incidents, and
the rest turns an index into plain-dict state (``STATE_FORMAT``) and back,
mentions included (:func:`mention_from_dict`). The index itself lives in
:mod:`amu.resolve.fusion`, which re-exports these names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amu.errors import StoreError
from amu.records import Count, DateValue, Evidence, Mention, Place, Provenance
from amu.resolve.figures import FusedFigure
from amu.resolve.profiles import Profile
from amu.resolve.rule import FIGURES, Rule

if TYPE_CHECKING:
    from amu.resolve.fusion import IncidentIndex

STATE_FORMAT = "amu.fusion.index/1"


@dataclass
class Incident:
    """One fused incident: the consensus of its mentions, with provenance."""

    id: str
    event_type: str
    family: str
    attack_type: str | None
    date: DateValue | None
    date_conflict: bool
    place: Place | None
    location: str | None
    country: str | None
    perpetrator: str | None
    perpetrators: list[str]
    status: str | None
    target: str | None
    killed: FusedFigure | None
    wounded: FusedFigure | None
    arrested: FusedFigure | None
    mention_ids: list[str]
    documents: list[str]
    doc_ids: list[str]
    independent_sources: int
    first_reported: str | None = None
    last_reported: str | None = None
    discrepancy: bool = False                 # some fused figure has conflicting sources
    profile: Profile | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (without the matching profile)."""
        out = {k: v for k, v in vars(self).items() if k != "profile"}
        out["date"] = self.date.iso if self.date else None
        out["place"] = vars(self.place).copy() if self.place else None
        for f in FIGURES:
            out[f] = getattr(self, f).to_dict() if getattr(self, f) else None
        return out


def incident_id(seed: str, taken: Container[str] = frozenset()) -> str:
    """Deterministic id from a founding mention id; rehashed on the rare collision."""
    ident, n = "inc-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12], 0
    while ident in taken:
        n += 1
        ident = "inc-" + hashlib.sha1(f"{seed}#{n}".encode()).hexdigest()[:12]
    return ident


def index_state(index: IncidentIndex, include_mentions: bool = True) -> dict[str, Any]:
    """Plain-dict state: incident membership, publication dates and (optionally) mentions."""
    state: dict[str, Any] = {
        "format": STATE_FORMAT, "rule_version": index.rule.version,
        "incidents": [{"id": i, "mentions": list(index._members[i])} for i in sorted(index._members)],
        "published": dict(sorted(index.published.items())),
    }
    if include_mentions:
        state["mentions"] = [m.to_dict() for m in index._mentions.values()]
    return state


def restore_index(cls: type[IncidentIndex], state: Mapping[str, Any],
                  mentions: Iterable[Mention | Mapping[str, Any]] | None = None,
                  weights: Rule | Mapping[str, Any] | str | None = None) -> IncidentIndex:
    """An index of class ``cls`` with the state's partition loaded (:meth:`IncidentIndex.from_state`).

    ``mentions`` may come from the store instead of the state. Mentions stored
    but never fused are left for the caller to add.
    """
    if state.get("format") != STATE_FORMAT:
        raise StoreError(f"unknown incident-index state format {state.get('format')!r}")
    index = cls(weights, state.get("published"))
    source = mentions if mentions is not None else state.get("mentions", [])
    for m in source:
        m = m if isinstance(m, Mention) else mention_from_dict(m)
        index._mentions[m.id] = m
    members = {inc["id"]: list(inc["mentions"]) for inc in state["incidents"]}
    missing = [m for ms in members.values() for m in ms if m not in index._mentions]
    if missing:
        raise StoreError(f"incident-index state refers to {len(missing)} unknown mention(s), "
                         f"e.g. {missing[0]!r}", hint="pass the stored mentions to from_state")
    index._load(members)
    return index


def mention_from_dict(d: Mapping[str, Any]) -> Mention:
    """Inverse of :meth:`Mention.to_dict` (nested records rebuilt)."""
    def opt(cls: Any, value: Any) -> Any:
        return cls(**value) if isinstance(value, Mapping) else value
    kwargs = dict(d)
    kwargs["evidence"] = opt(Evidence, d["evidence"])
    kwargs["provenance"] = opt(Provenance, d["provenance"])
    kwargs["date"] = opt(DateValue, d.get("date"))
    kwargs["place"] = opt(Place, d.get("place"))
    for f in FIGURES:
        kwargs[f] = opt(Count, d.get(f))
    return Mention(**kwargs)
