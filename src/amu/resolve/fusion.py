"""Cross-document incident resolution: group mentions into fused incidents.

:class:`IncidentIndex` adds mentions one at a time. Each new mention is scored
(:func:`amu.resolve.matching.score`) only against incidents sharing a *block*
-- same event family, same country (or an incident without one) and a date
bucket that could be compatible; or, when either side is undated, the same
place -- never against all incidents. It joins the best incident that passes
the rule, or founds a new one (differing tolls lower the score but do not make
a passing candidate incompatible: tolls rise as reports come in). Mentions with
little evidence or no usable date join only a sole compatible candidate, and a
mention joins such a weak incident only if nothing else is compatible with that
incident (either way, otherwise arrival order would decide). A report without a
publication date still states days without a year ("killed Tuesday"): those
hints count as a date where they agree with the candidate's
(:mod:`amu.resolve.hints`). When nothing passes, a dated mention may join the
only conflict-free candidate scoring within ``sole_candidate_margin`` of the
threshold, under the same symmetric check.

Stability and order:

* An incident's id is ``"inc-" + sha1(founding mention id)[:12]`` and never
  changes; existing incidents are never merged or split by :meth:`add`.
* Each decision depends only on the mention and the candidates' fused records,
  and fused records are functions of their *set* of mentions (ties broken by
  values, never by arrival). :meth:`add_many` sorts its input canonically
  (day-precise dates first, then more specific mentions, then date, document
  and mention id). So adding the same documents in any order gives the same
  partition whenever each mention's evidence is pairwise compatible with its
  incident's other mentions.
* Exact order independence of single adds is impossible in general: a vague
  mention that is compatible with two precise ones which are not compatible
  with each other ends up wherever the first arrival puts it, and "the single
  compatible candidate" depends on which candidates exist yet. So the store
  (:func:`amu.resolve.incidents.fuse_store`) always computes the canonical
  partition with :meth:`add_many` (over the part of the store an ingest
  reaches, which gives the same result: :mod:`amu.resolve.incremental`)
  and then takes the ids over from the
  partition it published before with :meth:`keep_ids` (largest overlap
  first). An incident once published keeps its id; an id is retired, and
  redirects, only when a new report shows two published incidents to be one.

Fused records, incident ids and the plain-dict state live in
:mod:`amu.resolve.fusion_state`; their public names are re-exported here.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Container, Iterable, Mapping
from dataclasses import replace
from datetime import date as _date
from datetime import timedelta
from typing import Any

from amu.errors import NotFound
from amu.records import STATUSES, Mention
from amu.resolve.figures import FigureSource, FigureSpan, FusedFigure, fuse_figure, independent_sources
from amu.resolve.fusion_state import (
    STATE_FORMAT,
    Incident,
    incident_id,
    index_state,
    mention_from_dict,
    restore_index,
)
from amu.resolve.hints import ANCHORING, hint_outcome
from amu.resolve.matching import MatchExplanation, compare, corroborated, score
from amu.resolve.profiles import Profile, merge_profiles, profile_of_mention
from amu.resolve.rule import FIGURES, Rule

__all__ = [
    "STATE_FORMAT", "STATUS_PRECEDENCE", "Incident", "IncidentIndex", "canonical_key", "explain",
    "incident_id", "mention_from_dict",
]

_NO_COUNTRY = "?"          # block key for incidents whose country is unknown
_WEAK_BLOCK_CAP = 256     # most incidents searched in a block for a weakly dated or undated mention
_COUNTRY_BLOCK_CAP = 64   # beyond this many incidents in a country, a country-only mention cannot be placed
_ANY_COUNTRY = "*"         # block key for looking up mentions whose country is unknown
# The most incidents a block may hold and still be searched, by block kind (others: no cap).
_CAPS = {"p": _WEAK_BLOCK_CAP, "a": _WEAK_BLOCK_CAP, "u": _WEAK_BLOCK_CAP, "c": _COUNTRY_BLOCK_CAP}
# Status precedence: a claim is the strongest statement of responsibility, an
# official attribution next, then allegation, dispute; "foiled" only when no
# source reports anything stronger. The fused status is the strongest reported.
STATUS_PRECEDENCE = STATUSES      # ("claimed", "attributed", "alleged", "disputed", "foiled")


def canonical_key(p: Profile, m: Mention) -> tuple[Any, ...]:
    """Sort key of :meth:`IncidentIndex.add_many`: precise and specific evidence first."""
    return (-p.precision, -p.specificity, p.date.iso if p.date else "", m.doc, m.id)


def _majority_text(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


class IncidentIndex:
    """Incremental, blocked incident resolution over mentions.

    Args:
        weights: A :class:`Rule`, a mapping or a JSON path; default: the packaged table.
        published: Publication dates (ISO) keyed by ``doc_id`` or document name,
            used for first/last reported and for "latest-reported" figures.
    """

    def __init__(self, weights: Rule | Mapping[str, Any] | str | None = None,
                 published: Mapping[str, str] | None = None) -> None:
        self.rule = Rule.load(weights)
        self.published: dict[str, str] = dict(published or {})
        self._mentions: dict[str, Mention] = {}
        self._profiles: dict[str, Profile] = {}
        self._assign: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._fused: dict[str, Profile] = {}
        self._blocks: dict[tuple[Any, ...], set[str]] = {}
        self._keys: dict[str, list[tuple[Any, ...]]] = {}
        self.comparisons = 0                  # candidate comparisons made (for benchmarks)

    # --- public API -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._members)

    @property
    def mention_count(self) -> int:
        return len(self._mentions)

    def add(self, mention: Mention, published: str | None = None) -> str:
        """Assign one mention to an incident (existing or new) and return its id.

        Adding a mention id twice is a no-op that returns its incident.
        """
        if published:
            self.published[mention.doc_id] = published
        if mention.id in self._assign:
            self._check_duplicate(mention)
            return self._assign[mention.id]
        return self._place(mention, profile_of_mention(mention, self.rule))

    def add_many(self, mentions: Iterable[Mention]) -> list[str]:
        """Add mentions in canonical order; returns incident ids in *input* order."""
        items = [(m, self._profile_of(m)) for m in mentions]
        for m, p in sorted(items, key=lambda mp: canonical_key(mp[1], mp[0])):
            if m.id in self._assign:
                self._check_duplicate(m)
            else:
                self._place(m, p)
        return [self._assign[m.id] for m, _ in items]

    def incident_of(self, mention_id: str) -> str:
        """The incident a mention belongs to."""
        try:
            return self._assign[mention_id]
        except KeyError:
            raise NotFound(f"no mention {mention_id!r} in the incident index") from None

    def step_of(self, mention_id: str) -> tuple[Any, ...]:
        """A placed mention's step in the canonical order (:func:`canonical_key`)."""
        return canonical_key(self._profiles[mention_id], self._mentions[mention_id])

    def get(self, incident_id: str) -> Incident:
        """The fused record of one incident."""
        if incident_id not in self._members:
            raise NotFound(f"no incident {incident_id!r}", hint="list incidents to see valid ids")
        return self._build(incident_id)

    def ids(self) -> list[str]:
        """All incident ids, sorted."""
        return sorted(self._members)

    def members(self, incident_id: str) -> list[str]:
        """The mention ids of one incident."""
        return list(self._members[incident_id])

    def record(self, members: Iterable[str], ident: str = "") -> Profile:
        """The fused record of an incident made of these placed mentions (a function of the set)."""
        return merge_profiles(ident, [self._profiles[m] for m in members], self.rule)

    def incidents(self) -> list[Incident]:
        """All fused incidents, sorted by id."""
        return [self._build(i) for i in sorted(self._members)]

    def partition(self) -> set[frozenset[str]]:
        """The grouping of mention ids, independent of incident ids (for comparisons)."""
        return {frozenset(ms) for ms in self._members.values()}

    def candidates(self, mention: Mention) -> set[str]:
        """Incident ids a mention would be compared with (its blocks)."""
        return self._candidates(profile_of_mention(mention, self.rule))

    def explain(self, a: str | Mention | Incident, b: str | Mention | Incident) -> MatchExplanation:
        """Explain the rule on two mentions/incidents, given as objects or ids.

        A mention compared with its own incident is compared with that incident
        *without* it, which is the question "why does it belong here".
        """
        pa, pb = self._resolve(a), self._resolve(b)
        notes: list[str] = []
        for mine, other in ((pa, pb), (pb, pa)):
            owner = self._assign.get(mine.id)
            if owner is not None and owner == other.id and mine.id in self._profiles:
                rest = [self._profiles[x] for x in self._members[owner] if x != mine.id]
                if rest:
                    fused = merge_profiles(owner, rest, self.rule)
                    pa, pb = (pa, fused) if mine is pa else (fused, pb)
                    notes.append(f"{owner} compared without {mine.id}")
        out = compare(pa, pb, self.rule)
        out.notes += notes + _notes(pa, pb, self.rule, out)
        return out

    def rebuild(self, previous: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
        """Recompute the canonical partition from all mentions, keeping ids by overlap.

        The old incidents are ``previous`` (incident id -> mention ids, e.g. the
        partition last published) or, by default, the current ones; see
        :meth:`keep_ids`.

        Returns:
            Each old incident id -> the id of the group now holding most of its mentions.
        """
        old = previous if previous is not None else {i: list(ms) for i, ms in self._members.items()}
        fresh = IncidentIndex(self.rule, self.published)
        fresh.add_many(self._mentions.values())
        moved = fresh.keep_ids(old)
        self._load(fresh._members)
        return moved

    def keep_ids(self, previous: Mapping[str, Iterable[str]], taken: Container[str] = frozenset()) -> dict[str, str]:
        """Rename the current incidents after an earlier partition of (some of) the same mentions.

        Each group takes the id of the earlier incident it shares most
        mentions with (largest overlaps first, each earlier id used once);
        the others get ids from their founding mention, never an earlier id.
        An earlier id is *retired* only when all of its mentions now lie in
        groups that kept other ids, i.e. when new evidence merged two
        incidents.

        Args:
            previous: The earlier partition (incident id -> mention ids).
            taken: More earlier ids that new groups must not take (when ``previous``
                is only the part of a partition that is being re-fused); any container,
                e.g. one that asks a store.

        Returns:
            Each earlier incident id -> the id of the group now holding most of its mentions.
        """
        old_of = {m: i for i, ms in previous.items() for m in ms}
        overlap = Counter((new, old_of[m]) for new, ms in self._members.items() for m in ms if m in old_of)
        ranked = sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))
        rename: dict[str, str] = {}
        used: set[str] = set()
        for (new, old), _ in ranked:
            if new not in rename and old not in used:
                rename[new] = old
                used.add(old)
        reserved = set(previous) | used     # never recycle an earlier id (nor a taken one) for another group
        either = _Either(reserved, taken)
        for new in sorted(set(self._members) - rename.keys(), key=lambda i: self._members[i][0]):
            rename[new] = incident_id(self._members[new][0], either)
            reserved.add(rename[new])
        self._rename(rename)
        moved: dict[str, str] = {}
        for (new, old), _ in sorted(ranked, key=lambda kv: (-kv[1], rename[kv[0][0]])):
            moved.setdefault(old, rename[new])
        return dict(sorted(moved.items()))

    # --- state ------------------------------------------------------------------------

    def to_state(self, include_mentions: bool = True) -> dict[str, Any]:
        """Plain-dict state: incident membership, publication dates and (optionally) mentions."""
        return index_state(self, include_mentions)

    @classmethod
    def from_state(cls, state: Mapping[str, Any], mentions: Iterable[Mention | Mapping[str, Any]] | None = None,
                   weights: Rule | Mapping[str, Any] | str | None = None) -> IncidentIndex:
        """Restore an index; ``mentions`` may come from the store instead of the state."""
        index = restore_index(cls, state, mentions, weights)
        # Mentions stored but never fused (e.g. saved before fusion ran) are added now.
        index.add_many([m for mid, m in index._mentions.items() if mid not in index._assign])
        return index

    # --- internals --------------------------------------------------------------------

    def _profile_of(self, m: Mention) -> Profile:
        return profile_of_mention(m, self.rule)

    def _merged(self, ident: str) -> Profile:
        """An incident's fused profile, from its members now."""
        return self.record(self._members[ident], ident)

    def _check_duplicate(self, m: Mention) -> None:
        """Ids identify mentions: a *different* mention under a known id is kept out, loudly."""
        if replace(m, incident=None) != replace(self._mentions[m.id], incident=None):
            warnings.warn(f"mention id {m.id!r} ({m.doc}) is already used by a different mention; "
                          "the new one is not fused (mention ids must be unique)", stacklevel=3)

    def _place(self, m: Mention, p: Profile) -> str:
        target = self._decide(p)
        if target is None:
            target = incident_id(m.id, self._members)
        self._mentions[m.id], self._profiles[m.id] = m, p
        self._assign[m.id] = target
        self._members.setdefault(target, []).append(m.id)
        self._refresh(target)
        return target

    def _decide(self, p: Profile) -> str | None:
        """The incident a new mention joins, or ``None`` for a new incident."""
        passing: list[tuple[float, str, str]] = []
        compatible: list[str] = []      # passing with no contrary evidence (tolls may differ)
        clean: list[str] = []           # compatible, and the tolls agree too
        sole: list[str] = []            # no contrary evidence, above the sole-candidate floor
        loose: list[str] = []           # no contrary evidence, above the weak-mention floor
        unique = _needs_unique(p, self.rule)
        for ident in self._candidates(p):
            self.comparisons += 1
            fused, verdict = self._verdict(p, self._fused[ident], unique)
            if verdict is None:
                continue
            total, conflict, contrary = verdict
            if unique and not conflict and total >= self.rule.unique_threshold \
                    and p.family in self.rule.unique_families and corroborated(p, fused, self.rule) \
                    and not _unconfirmed_day(p, fused):
                loose.append(ident)
            threshold = self.rule.threshold_for(p, fused)
            if not conflict and total >= threshold - self.rule.sole_margin_for(p, fused):
                sole.append(ident)
            if total < threshold:
                continue
            # Ties on the total go to the smaller member id, which does not
            # depend on arrival order (incident ids do).
            passing.append((-total, fused.order_key, ident))
            if not contrary:
                compatible.append(ident)
                clean += [] if conflict else [ident]
                if unique and len(clean) > 1:
                    return None   # ambiguous: a second compatible candidate settles it
        if not passing:
            # Nearly enough evidence, but nothing else in sight: the single
            # compatible candidate may be joined (the "sole candidate").
            if len(sole) == 1 and not self._has_rival(sole[0], self.rule.sole_margin):
                return sole[0]
            # A weak mention ("ISKP rocket attacks into Uzbekistan", undated) joins the one
            # incident it is compatible with, when there is exactly one and nothing contradicts it.
            if unique and len(loose) == 1 and not self._has_rival(loose[0]):
                return loose[0]
            return None
        best = min(passing)[2]
        # Too little evidence: join only the single compatible candidate, or the best one when it is the
        # only one whose tolls agree as well.
        if unique and compatible != [best] and clean != [best]:
            return None
        for _, _, ident in sorted(passing):
            if not _needs_unique(self._fused[ident], self.rule) or not self._has_rival(ident):
                return ident
        return None

    def _verdict(self, p: Profile, record: Profile, unique: bool) -> tuple[Profile, tuple[float, bool, bool] | None]:
        """A candidate as :meth:`_decide` sees it (a weak mention: by its reported figures) and its score, ``None``
        below the lowest bar any path of :meth:`_decide` uses (then the candidate is skipped)."""
        fused = _reported_figures(record) if unique else record
        floor = self.rule.threshold_for(p, fused) - self.rule.sole_margin_for(p, fused)
        return fused, score(p, fused, self.rule, min(floor, self.rule.unique_threshold) if unique else floor)

    def sees(self, p: Profile, record: Profile) -> bool:
        """Whether a mention (profile ``p``) placed now would weigh this fused record as a candidate: one it skips
        changes nothing in the decision but, in a capped block, the block's size."""
        return self._verdict(p, record, _needs_unique(p, self.rule))[1] is not None

    def _has_rival(self, ident: str, margin: float = 0.0) -> bool:
        """Whether a weak incident (undated, say) is compatible with another incident.

        Such an incident exists because its mentions could not be placed. A
        mention may join it only if the incident would have joined the
        mention's incident had it arrived later, i.e. if nothing else in the
        index is compatible with it; otherwise arrival order would decide.
        """
        fused = self._fused[ident]
        for other in self._candidates(fused):
            if other != ident:
                self.comparisons += 1
                if self._rival(fused, self._fused[other], margin):
                    return True
        return False

    def _rival(self, fused: Profile, rival: Profile, margin: float) -> bool:
        """Whether ``rival`` is compatible with ``fused`` as :meth:`_decide` counts it."""
        floor = self.rule.threshold_for(fused, rival) - min(margin, self.rule.sole_margin_for(fused, rival))
        verdict = score(fused, rival, self.rule, floor)
        return verdict is not None and verdict[0] >= floor and \
            (not verdict[1] or not verdict[2] and verdict[0] >= self.rule.threshold_for(fused, rival))

    def may_rival(self, fused: Profile, other: Profile) -> bool:
        """Whether a rival check of ``fused`` (:meth:`_has_rival`, either margin) could count ``other`` as a rival
        (the wider margin lowers the floor and nothing else)."""
        return self._rival(fused, other, self.rule.sole_margin)

    def _candidates(self, p: Profile) -> set[str]:
        """Incidents sharing a block with ``p``.

        Blocks: ``("d", family, country, date)`` holds dated incidents under
        their fused date (``"p"``: under each coarser prefix of it), once under
        their country (or "unknown") and once under "any country"; ``("a",
        family, place)`` holds every incident under each place name/key it was
        reported at, ``("u", ...)`` only the undated ones. An undated side can
        only match an identical place (see the rule), so place blocks suffice.
        """
        out: set[str] = set()
        for k in self._lookup_keys(p):
            out |= self._searched(k)
        return out

    def _searched(self, k: tuple[Any, ...]) -> set[str]:
        """The incidents of block ``k``, or none when the block is over its cap."""
        found = self._blocks.get(k)
        # A year-only mention looks at every incident dated inside that year, an undated one at
        # every incident at its place; in a crowded block the evidence cannot single one out
        # (the rule would find several compatible), so such a block is not searched. An undated
        # mention placed only by its country looks at the country's incidents of its family only
        # when they are few enough for one to be the only fit.
        if found and len(found) <= _CAPS.get(k[0], len(found)):
            return found
        return set()

    def _lookup_keys(self, p: Profile) -> list[tuple[Any, ...]]:
        """Every block :meth:`_candidates` reads for ``p`` (those over their cap included: their size is read)."""
        f = p.family
        anchors = p.names | p.place_keys
        if p.date is None:
            keys: list[tuple[Any, ...]] = [("a", f, x) for x in anchors]
            # An undated mention placed only by its country ("rocket attacks into Uzbekistan").
            if not anchors and p.country and f in self.rule.unique_families:
                keys.append(("c", f, p.country))
            return keys
        countries = (p.country, _NO_COUNTRY) if p.country else (_ANY_COUNTRY,)
        # Incidents dated at each coarser precision, and (for day precision)
        # on adjacent days, which score a penalty rather than a veto.
        iso = p.date.iso
        dates = {iso[:4], iso[:7], iso} if p.precision >= 2 else {iso}
        if p.precision == 3:
            adj = self.rule.day_window(f)
            day = _date.fromordinal(p.day)  # type: ignore[arg-type]
            dates.update((day + timedelta(days=k)).isoformat() for k in range(-adj, adj + 1))
        keys = [("d", f, c, d) for c in countries for d in dates]
        if p.precision < 3:   # incidents dated more precisely inside this month/year
            keys += [("p", f, c, iso) for c in countries]
        return keys + [("u", f, x) for x in anchors]

    def _block_keys(self, fp: Profile) -> list[tuple[Any, ...]]:
        anchors = sorted(fp.names | fp.place_keys, key=repr)
        keys: list[tuple[Any, ...]] = [("a", fp.family, x) for x in anchors]
        if fp.country:
            keys.append(("c", fp.family, fp.country))
        if fp.date is None:
            return keys + [("u", fp.family, x) for x in anchors]
        iso = fp.date.iso
        for c in (fp.country or _NO_COUNTRY, _ANY_COUNTRY):
            keys.append(("d", fp.family, c, iso))
            keys += [("p", fp.family, c, iso[:n]) for n in (4, 7) if len(iso) > n]
        return keys

    def _refresh(self, ident: str) -> None:
        """Recompute an incident's fused profile and move it to its new blocks."""
        fused = self._merged(ident)
        self._fused[ident] = fused
        new = self._block_keys(fused)
        old = self._keys.get(ident, [])
        if new != old:
            for k in old:
                self._blocks[k].discard(ident)
            for k in new:
                self._blocks.setdefault(k, set()).add(ident)
            self._keys[ident] = new

    def _rename(self, rename: Mapping[str, str]) -> None:
        """Give incidents new ids (old id -> new id, the new ids distinct) without refiling them: a fused record
        depends on its members, not on its id."""
        moved = {old: new for old, new in rename.items() if old != new}
        if not moved:
            return
        self._members = {moved.get(i, i): ms for i, ms in self._members.items()}
        self._fused = {moved.get(i, i): replace(fp, id=moved[i]) if i in moved else fp for i, fp in self._fused.items()}
        self._keys = {moved.get(i, i): ks for i, ks in self._keys.items()}
        for k, ids in self._blocks.items():
            if not ids.isdisjoint(moved):
                self._blocks[k] = {moved.get(i, i) for i in ids}
        for new in moved.values():
            for m in self._members[new]:
                self._assign[m] = new

    def _load(self, members: Mapping[str, list[str]]) -> None:
        """Replace the partition (rebuild/from_state) and reindex everything."""
        self._members, self._assign = {}, {}
        self._fused, self._blocks, self._keys = {}, {}, {}
        for ident, ms in members.items():
            self._members[ident] = list(ms)
            for m in ms:
                self._assign[m] = ident
                if m not in self._profiles:
                    self._profiles[m] = profile_of_mention(self._mentions[m], self.rule)
            self._refresh(ident)

    def _resolve(self, ref: str | Mention | Incident) -> Profile:
        if isinstance(ref, Mention):
            return self._profiles.get(ref.id) or profile_of_mention(ref, self.rule)
        if isinstance(ref, Incident):
            ref = ref.id
        if ref in self._profiles:
            return self._profiles[ref]
        if ref in self._fused:
            return self._fused[ref]
        raise NotFound(f"{ref!r} is neither a mention nor an incident id in the index")

    def _published_of(self, m: Mention) -> str | None:
        return self.published.get(m.doc_id) or self.published.get(m.doc)

    def _build(self, ident: str) -> Incident:
        ms = sorted((self._mentions[x] for x in self._members[ident]),
                    key=lambda m: canonical_key(self._profiles[m.id], m))
        fp = self._fused[ident]
        pubs = [self._published_of(m) for m in ms]
        widen = self.rule.params["approximate_widen"]
        figures: dict[str, FusedFigure | None] = {}
        for f in FIGURES:
            rows = [(FigureSource(m.id, m.doc, getattr(m, f), m.evidence), pub)
                    for m, pub in zip(ms, pubs, strict=True) if getattr(m, f) is not None]
            figures[f] = fuse_figure([r[0] for r in rows], [r[1] for r in rows], widen)
        evidence: dict[str, list[str]] = {}
        for m in ms:
            evidence.setdefault(m.doc_id, []).append(m.evidence.text)
        statuses = [m.status for m in ms if m.status in STATUS_PRECEDENCE]
        raw_perps = [m.perpetrator for m in ms if self.rule.perpetrator(m.perpetrator) == fp.perpetrator]
        dated = sorted(p for p in pubs if p)
        return Incident(
            id=ident, event_type=fp.event_type, family=fp.family, attack_type=fp.attack_type,
            date=fp.date, date_conflict=fp.date_conflict, place=fp.place,
            location=fp.place.name if fp.place else _majority_text(m.location for m in ms),
            country=fp.country, perpetrator=_majority_text(raw_perps),
            perpetrators=sorted(fp.perpetrators),
            status=min(statuses, key=STATUS_PRECEDENCE.index) if statuses else None,
            target=_majority_text(m.target for m in ms),
            killed=figures["killed"], wounded=figures["wounded"], arrested=figures["arrested"],
            mention_ids=[m.id for m in ms], documents=sorted({m.doc for m in ms}),
            doc_ids=sorted(evidence),
            independent_sources=independent_sources(
                evidence, int(self.rule.params["shingle_size"]), self.rule.params["near_duplicate_jaccard"]),
            first_reported=dated[0] if dated else None, last_reported=dated[-1] if dated else None,
            discrepancy=any(f is not None and f.conflict for f in figures.values()), profile=fp,
        )


class _Either:
    """Holds what any of its containers holds."""

    def __init__(self, *containers: Container[str]) -> None:
        self._containers = containers

    def __contains__(self, item: object) -> bool:
        return any(item in c for c in self._containers)


def _unconfirmed_day(p: Profile, fused: Profile) -> bool:
    """The weak mention states a day ("on 26 August", "on Tuesday") that nothing of the candidate confirms:
    in a sparse store the one incident in town is often another one, its own still unreported. (Only the
    mention's own day counts: a candidate that later gets a date must not shed what it took.)"""
    return p.date is None and any(_DAY_HINT.match(h) for h in p.hints) and hint_outcome(p, fused) not in ANCHORING


_DAY_HINT = re.compile(r"^(?:-W-\d|--\d\d-\d\d)$")   # a weekday or a day of a month, not a month alone


def _needs_unique(p: Profile, rule: Rule) -> bool:
    """Mentions with little evidence, or no usable date, may join only a sole candidate."""
    return p.specificity < rule.min_specific_fields or p.precision < rule.unique_below


def _notes(a: Profile, b: Profile, rule: Rule, out: MatchExplanation) -> list[str]:
    """What the pairwise verdict alone does not say about the index's decision."""
    notes = []
    for p in (a, b):
        if not p.incident and _needs_unique(p, rule):
            notes.append(f"{p.id} has little evidence or no usable date ({p.specificity} specific field(s), "
                         f"date precision {p.precision}): it joins only a single compatible candidate")
            break
    margin = rule.sole_margin_for(a, b)
    if not out.vetoes and not out.conflict and not out.merge and out.total >= out.threshold - margin:
        notes.append(f"within the sole-candidate margin ({margin:g}): merged only when it is the only "
                     "compatible candidate")
    return notes


def explain(a: Mention | Incident, b: Mention | Incident,
            weights: Rule | Mapping[str, Any] | str | None = None) -> MatchExplanation:
    """Explain the fusion rule on two mentions or incidents (without an index).

    Incidents must come from :meth:`IncidentIndex.get`/``incidents()``, which
    attach their matching profile.
    """
    rule = Rule.load(weights)

    def profile(x: Mention | Incident) -> Profile:
        if isinstance(x, Mention):
            return profile_of_mention(x, rule)
        if x.profile is None:
            raise ValueError(f"incident {x.id} has no matching profile; get it from an IncidentIndex")
        return x.profile

    pa, pb = profile(a), profile(b)
    out = compare(pa, pb, rule)
    out.notes += _notes(pa, pb, rule, out)
    return out


def _reported_figures(fused: Profile) -> Profile:
    """An incident as a weak mention is checked against it: by the exact figures its reports give, where
    they give any, not by the open range that "at least 2" opens ("at least 170" is not that incident)."""
    narrowed = {f: FigureSpan(min(s.exacts), max(s.exacts), s.exacts) if s.exacts else s
                for f, s in fused.figures.items()}
    return fused if narrowed == fused.figures else replace(fused, figures=narrowed)
