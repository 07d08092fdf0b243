"""Re-fuse only the part of a store that new, changed or removed mentions touch.

A full rebuild places every stored mention, one by one in the canonical order of
:meth:`IncidentIndex.add_many`, and each decision reads only the blocks it looks up
(:mod:`amu.resolve.fusion_trace` records them: the keys each incident was ever
*stored* under, and the keys looked up while placing its mentions). Two facts make
a part enough:

* An incident whose set of mentions is unchanged is, at every step of the canonical
  order, the same fused record in the same blocks (its members arrive at the same
  steps, and its record depends only on the members placed so far).
* So a mention decides as before unless a block it read held, at some step, an
  incident whose set of mentions changed (old or new): that is, unless it *looked*
  up a key that a *changed* incident was stored under.

An ingest therefore

1. re-decides the incidents that held a touched or removed mention (the part, R);
2. replays, without deciding, every other incident stored under a key that R looks
   up (the context, C): its mentions go back to the incident they were in, so the
   blocks R reads hold what they would hold in a full rebuild;
3. after the run: a context incident that a mention of R joined moves into R; the
   incidents that looked up a key a changed incident (old or new) was stored under
   join R; incidents stored under a key R now looks up join C; and the run is
   repeated, until nothing moves.

Steps (:mod:`amu.resolve.fusion_trace`) narrow all three: a changed incident reaches only the incidents that
read its blocks at or after the step where it stopped matching its counterpart in the last fusion (before
that, both were the same record in the same blocks); the context holds only incidents filed where the part
looks no later than the part's last step. A capped block that the part reads only to learn it is over its cap
need not be replayed: :func:`~amu.resolve.readers.prove_over_cap` shows from the store that enough unchanged
incidents are complete and filed there before the first read, and a run that reads it earlier than that is run
again with it replayed. The same proofs leave out readers that read a changed block only while it was over its
cap. Stores fused before steps were kept count unknown steps as the earliest filing and the latest read.

What readers weigh narrows them further (:class:`~amu.resolve.readers.Sight`): a decision skips a candidate it
scores below the lowest bar it uses, and a rival check passes over a record that cannot be a rival of the
incident checked, so a reader whose every read of a changed block was of that kind decides as before (in
blocks that never pass their cap). That matters most for an incident without a country: it is filed in the
blocks that every dated mention of its family looks up for "country unknown", in every country, and few of
them weigh it. A reader that does weigh a change is left out still when each of its decisions from the change
on, made again at its step in the run's world (:mod:`amu.resolve.as_of`: the part as the run left it, every
other incident as the store has it), joins the reader's incident again; such readers are checked again in each
later run's world. So only the readers whose decisions really change join the part.

What comes out is what a full rebuild gives, ids included: incidents outside R keep
their mentions and ids, and inside it :meth:`IncidentIndex.keep_ids` runs with every
other published id kept out of reach. The part stays near the incidents a change
really reaches, instead of every incident that could be reached through a chain of
shared blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from amu.records import Mention
from amu.resolve.fusion import STATE_FORMAT, IncidentIndex, canonical_key
from amu.resolve.fusion_trace import READS, STORED, Footprint, Key, Step, Steps, TracedIndex, coarse, key_text
from amu.resolve.incidents import REDIRECTS_KEY, _follow, _row, save_state
from amu.resolve.profiles import Profile, cached_profile, profile_of_mention
from amu.resolve.readers import Blocks, Proof, Sight, Version, readers_after, versions


class ContextIndex(TracedIndex):
    """A traced index in which the mentions of ``replay`` go back to their incident without a decision.

    A replayed incident runs under ``"ctx:" + its id``: never an id the run gives a new incident, which
    must be the one a full rebuild gives it (a published id is often another mention's founding id). Only
    decisions read blocks, so a replayed incident is refiled once before the next decision, not after each
    of its mentions. ``profiles`` (mention id -> profile) and ``records`` (incident id and members -> its
    fused profile) are caches shared between runs: a run replays what the run before it replayed.
    """

    def __init__(self, replay: Mapping[str, str], over_cap: Mapping[Key, tuple[Any, ...]] | None = None,
                 profiles: dict[str, Profile] | None = None,
                 records: dict[tuple[str, frozenset[str]], Profile] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._replay = {m: "ctx:" + i for m, i in replay.items()}
        self._over_cap = dict(over_cap or {})     # block -> the step after which it is proven over its cap
        self._back: str | None = None             # the replayed incident of the mention being placed
        self._stale: set[str] = set()             # replayed incidents not refiled since their last mention
        self._profile_cache = profiles if profiles is not None else {}
        self._records = records if records is not None else {}
        self.early_reads: set[Key] = set()        # proven blocks read at or before that step: the proof fails

    def add_many(self, mentions: Iterable[Mention]) -> list[str]:
        out = super().add_many(mentions)
        self._back = None
        self._catch_up()
        return out

    def _profile_of(self, m: Mention) -> Profile:
        return cached_profile(self._profile_cache, m, self.rule)

    def _merged(self, ident: str) -> Profile:
        key = (ident, frozenset(self._members[ident]))
        if key not in self._records:
            self._records[key] = super()._merged(ident)
        return self._records[key]

    def _refresh(self, ident: str) -> None:
        if ident == self._back:           # replaying: nothing reads a block before the next decision
            self._stale.add(ident)
        else:
            super()._refresh(ident)

    def _catch_up(self) -> None:
        back, self._back = self._back, None
        for ident in sorted(self._stale):
            self._refresh(ident)
        self._stale.clear()
        self._back = back

    def _searched(self, k: Key) -> set[str]:
        after = self._over_cap.get(k)
        if after is None:
            return super()._searched(k)
        if self._step <= after:
            self.early_reads.add(k)
        return set()

    def _place(self, m: Mention, p: Profile) -> str:
        self._back = self._replay.get(m.id)
        if self._back is None and self._stale:
            self._catch_up()
        return super()._place(m, p)

    def _decide(self, p: Profile) -> str | None:
        return self._back if self._back is not None else super()._decide(p)

    def replayed(self, incident: str) -> list[str]:
        """The mentions the run left in a replayed incident (its own, and any a decision added)."""
        return self.members("ctx:" + incident) if "ctx:" + incident in self._members else []

    def decided(self) -> list[str]:
        """The incidents the run made by decisions: all but the replayed ones (whatever their ids now)."""
        return [i for i, ms in sorted(self._members.items()) if ms[0] not in self._replay]


@dataclass
class Part:
    """The incidents re-decided together (``incidents``), the context replayed around them, and the run."""

    incidents: set[str]
    context: set[str]
    index: ContextIndex
    mentions: list[Mention]     # the mentions re-decided (the context's are not)
    runs: int = 1               # runs it took until nothing moved

    def footprints(self) -> dict[str, Footprint]:
        """The footprints of the incidents the run decided (the context's are as before)."""
        return self.index.footprints(only=set(self.index.decided()))


def usable_state(store: Any, state: Mapping[str, Any] | None, rule_version: int) -> bool:
    """Whether the store was fused under this rule with block keys kept, so that a part can be re-fused."""
    return bool(state and state.get("format") == STATE_FORMAT and state.get("rule_version") == rule_version
                and store.has_fusion_keys())


_EARLIEST: Step = (-3, -9, "")     # no mention's step comes before it (precision 3, specificity 9 at most)


def _earliest(since: dict[str, str], keys: Mapping[str, str | None], began: str) -> None:
    """Lower ``since`` to when each key changed: not before ``began``, nor before the key's own step."""
    for k, step in keys.items():
        at = max(began, step or "")
        if k not in since or at < since[k]:
            since[k] = at


def first_looks(store: Any, seeds: list[Mention], part: set[str]) -> set[str]:
    """The keys the first run will most likely look up, to spare runs: those the seeds look up, and those the part
    looked up before. Only a guess: the checks after each run decide. (The readers a change reaches are left to
    those checks too: most readers that weigh a seed decide as before, which only a replay in the run's world
    shows, :meth:`~amu.resolve.readers.Sight.unchanged`.)
    """
    probe = IncidentIndex()
    return {key_text(k) for m in seeds for k in probe._lookup_keys(profile_of_mention(m, probe.rule))} | \
        _looks(store, part)


def find_part(store: Any, old: dict[str, list[str]], seeds: list[Mention], part: set[str]) -> Part:
    """Grow ``part`` (old incident ids re-decided) and its context until a run moves nothing; return that run.

    ``old`` (incident id -> its stored mentions' ids) is filled in from the store as incidents are reached.
    The context is the incidents filed where the part looks no later than the part's last step (the
    *horizon*: one filed there later is not there yet when the part reads). A capped block the part reads
    only for its size is proven over its cap where the store allows
    (:func:`~amu.resolve.readers.prove_over_cap`) instead of having its incidents replayed; a run that reads it
    earlier than the proof holds is run again with the block's incidents replayed.
    """
    start = set(part)       # held a touched or removed mention: changed, whatever their members are now
    blocks = Blocks(store)
    loaded: dict[str, Mention] = {m.id: m for m in seeds}
    profiles: dict[str, Profile] = {}     # shared by the runs
    records: dict[tuple[str, frozenset[str]], Profile] = {}
    sight = Sight(store, blocks, old, loaded, profiles)
    looked = first_looks(store, seeds, part)
    proofs: dict[str, Proof] = {}
    replayed: set[str] = set()            # proven, but read before the proof holds: replayed instead
    # changed key -> the step from which its readers already joined the part, and what that check weighed
    checked: dict[str, tuple[str, tuple[dict[frozenset[str], Version] | None, int]]] = {}
    relied: dict[str, Proof] = {}         # changed key -> the proof that left some of its readers out
    stored_ids = {m.id for m in seeds}
    probe = IncidentIndex()
    runs = 0
    while True:
        for text in [t for t, proof in proofs.items() if proof.uses & part]:
            del proofs[text]              # it counted an incident that is now re-decided
        for text in [t for t, proof in relied.items() if proof.uses & part]:
            del relied[text]              # its readers are checked again
            checked.pop(text, None)
        for text in sorted(looked - replayed - proofs.keys()):
            proof = blocks.prove(text, part)
            if proof is not None:
                proofs[text] = proof
        old.update(store.members_of(part - old.keys()))
        own = {m for i in part for m in old.get(i, ())} - stored_ids
        loaded.update((m.id, m) for m in store.mentions_of(ids=own - loaded.keys()))
        horizon = coarse(max([canonical_key(cached_profile(profiles, m, probe.rule), m)
                              for m in [*seeds, *(loaded[i] for i in own)]], default=_EARLIEST))
        context = blocks.before(looked - proofs.keys(), horizon) - part
        runs += 1
        old.update(store.members_of(context - old.keys()))
        replay = {m: i for i in context for m in old[i]}
        ids = {m for i in part | context for m in old.get(i, ())}
        loaded.update((m.id, m) for m in store.mentions_of(ids=ids - loaded.keys()))
        mentions = seeds + [loaded[m] for m in sorted(ids - stored_ids)]
        index = ContextIndex(replay, over_cap={p.key: p.after for p in proofs.values()}, profiles=profiles,
                             records=records,
                             # only decided incidents are built (first and last reported), not replayed ones
                             published=store.published_of(sorted({m.doc_id for m in mentions if m.id not in replay})))
        index.add_many(mentions)
        if index.early_reads:         # read before its proof holds: replay that block's incidents instead
            early = {t for t, p in proofs.items() if p.key in index.early_reads}
            replayed |= early
            for text in early:
                del proofs[text]
            continue
        joined = {i for i in context if len(index.replayed(i)) != len(old[i])}
        if joined:                  # a re-decided mention joined a context incident: re-decide it too
            part |= joined
            looked |= _looks(store, joined)
            continue
        decided = index.decided()
        fps = index.footprints(only=set(decided))
        # An incident that held a touched or removed mention had another record than its mentions left now make.
        before = {frozenset(old[i]) for i in part if old.get(i) and i not in start}
        after = {frozenset(index.members(i)) for i in decided}
        # Changed: a group with a touched mention (its text may differ under the same id), or whose set of
        # mentions no old incident had; an old incident that held a touched or removed mention, or whose set
        # no group has now. Each from the step where it stops being its counterpart (:class:`_Counterparts`):
        # nothing read before that can have seen a difference.
        since: dict[str, str] = {}
        sight.clear()
        counterpart = _Counterparts(index, old, part, decided, start)
        for i in decided:
            if i in fps and (frozenset(index.members(i)) not in before or not stored_ids.isdisjoint(index.members(i))):
                at = counterpart.of_new(i, fps[i].steps.first)
                _earliest(since, fps[i].stored, coarse(at))
                sight.note(fps[i].stored, versions(index, index.members(i), at, i))
        gone = [i for i in part if i in start or frozenset(old.get(i, ())) not in after]
        old_steps = store.fusion_steps(gone)
        for i, keys in store.fusion_keys(gone, (STORED,)).items():
            steps = Steps.from_text(old_steps.get(i))
            at = counterpart.of_old(i, steps.first if steps else _EARLIEST)
            _earliest(since, keys, coarse(at))
            sight.note(keys, None if i in start else versions(index, old[i], at, i))
        sight.world.reset({i: [(index.step_of(m), profiles[m]) for m in index.members(i)] for i in decided},
                        {i: fp.stored for i, fp in fps.items()}, part)
        todo = {k: s for k, s in since.items()
                if k not in checked or s < checked[k][0] or not sight.covered(k, checked[k][1])}
        readers = (readers_after(store, todo, blocks, part, relied, sight) | sight.recheck(since, part)) - part
        checked.update((k, (s, sight.seen(k))) for k, s in todo.items())
        # A key this run read that was neither proven for it nor had its incidents in the run: run again.
        now = set().union(*(fps[i].looked for i in decided if i in fps))
        run_horizon = coarse(max((fps[i].steps.last for i in decided if i in fps), default=_EARLIEST))
        unseen = now - looked - proofs.keys()
        missing = blocks.before(unseen, run_horizon) - part - context
        looked |= now
        if not readers and not missing:
            return Part(part, context, index, [m for m in mentions if m.id not in replay], runs)
        part |= readers
        looked |= _looks(store, readers)


def _looks(store: Any, incidents: set[str]) -> set[str]:
    """The keys these incidents looked up when last fused: most likely where they look when re-decided (a guess that
    spares a run where it holds, :func:`first_looks`)."""
    return set().union(*store.fusion_keys(incidents, READS).values())


class _Counterparts:
    """Where a changed incident of a run stops matching its counterpart in the store's last fusion.

    Records are functions of the members placed so far, so an old incident and a new group that began with the
    same mention are the same record, in the same blocks, until the first step at which their members differ.
    An incident that held a touched or removed mention (``start``) differs from the step it began at.
    """

    def __init__(self, index: IncidentIndex, old: Mapping[str, list[str]], part: set[str], decided: list[str],
                 start: set[str]) -> None:
        self._index, self._old, self._start = index, old, start
        self._old_of = {m: i for i in part if i not in start for m in old.get(i, ())}
        self._new_of = {m: i for i in decided for m in index.members(i)}

    def _first(self, members: Iterable[str]) -> str:
        return min(members, key=self._index.step_of)

    def _diverges(self, a: set[str], b: set[str]) -> Step:
        return min(map(self._index.step_of, a ^ b))

    def of_new(self, group: str, began: Step) -> Step:
        members = set(self._index.members(group))
        first = self._first(members)
        was = self._old_of.get(first)
        if was is None or self._first(self._old[was]) != first:
            return began
        return self._diverges(set(self._old[was]), members)

    def of_old(self, incident: str, began: Step) -> Step:
        if incident in self._start or not self._old.get(incident):
            return began
        members = set(self._old[incident])
        first = self._first(members)
        now = self._new_of.get(first)
        if now is None or self._first(self._index.members(now)) != first:
            return began
        return self._diverges(members, set(self._index.members(now)))


class _Assigned:
    """The incident ids the store's mentions are assigned to, asked one at a time (ids a new incident must avoid)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and bool(self._store.assigned([ident]))


def fuse_part(store: Any, touched_docs: Iterable[str], rule_version: int) -> int:
    """Re-fuse the part of the store that the touched documents reach; write it back. Returns the incident count.

    Reads the partition from ``mentions.incident_id`` (as the last fusion left it) for the incidents reached
    only, and the incidents that lost a mention since from the store's pending list.
    """
    touched = set(touched_docs)
    seeds = {m.id: m for m in store.mentions_of(doc_ids=touched)}
    seeds.update((m.id, m) for m in store.unfused_mentions())         # stored, never fused (an ingest cut short)
    start = {m.incident for m in seeds.values() if m.incident} | store.pending_incidents()
    old: dict[str, list[str]] = {}
    part = find_part(store, old, [seeds[k] for k in sorted(seeds)], set(start))
    index = part.index

    previous = {i: old[i] for i in part.incidents | part.context if old.get(i)}
    moved = index.keep_ids(previous, taken=_Assigned(store))     # the context keeps its ids: same mentions
    decided = index.decided()
    redirects = dict(store.get_state(REDIRECTS_KEY) or {})
    redirects.update({o: n for o, n in moved.items() if o != n})
    named = set(redirects) | set(redirects.values())
    live = set(decided) | (store.assigned(named - part.incidents) if named else set())
    redirects = {o: _follow(n, redirects, live) for o, n in redirects.items() if o not in live}

    fresh = {m.id for m in part.mentions if m.doc_id in touched}     # rewritten: a removed mention counts too
    dirty = [i for i in decided if i in start                    # held a touched or removed mention
             or set(index.members(i)) != set(old.get(i, ())) or not fresh.isdisjoint(index.members(i))]
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.set_incident({m.id: index.incident_of(m.id) for m in part.mentions
                        if m.incident != index.incident_of(m.id)})
    store.write_incidents([_row(index.get(i), now) for i in sorted(dirty)],
                          remove=sorted(part.incidents - set(decided)))
    store.write_fusion_keys({i: fp.kept() for i, fp in part.footprints().items()}, remove=part.incidents)
    save_state(store, rule_version, redirects)
    return store.count("incidents")
