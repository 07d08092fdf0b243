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
looks no later than the part's last step. A capped block that the part reads only to learn it is over its
cap need not be replayed: :func:`prove_over_cap` shows from the store that enough unchanged incidents are
complete and filed there before the first read, and a run that reads it earlier than that is run again
with it replayed. The same proofs leave out readers that read a changed block only while it was over its
cap. Stores fused before steps were kept count unknown steps as the earliest filing and the latest read.

What readers weigh narrows them further (:class:`_Sight`): a decision skips a candidate it scores below the
lowest bar it uses, and a rival check passes over a record that cannot be a rival of the incident checked,
so a reader whose every read of a changed block was of that kind decides as before (in blocks that never
pass their cap). That matters most for an incident without a country: it is filed in the blocks that every
dated mention of its family looks up for "country unknown", in every country, and few of them weigh it.
A reader that does weigh a change is left out still when each of its decisions from the change on, made
again at its step in the run's world (:mod:`amu.resolve.as_of`: the part as the run left it, every other
incident as the store has it), joins the reader's incident again; such readers are checked again in each
later run's world. So only the readers whose decisions really change join the part.

What comes out is what a full rebuild gives, ids included: incidents outside R keep
their mentions and ids, and inside it :meth:`IncidentIndex.keep_ids` runs with every
other published id kept out of reach. The part stays near the incidents a change
really reaches, instead of every incident that could be reached through a chain of
shared blocks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from amu.records import Mention
from amu.resolve.fusion import _CAPS, STATE_FORMAT, IncidentIndex, canonical_key
from amu.resolve.fusion_trace import Footprint, Key, Step, Steps, TracedIndex, coarse, key_text
from amu.resolve.incidents import REDIRECTS_KEY, _follow, _row, save_state
from amu.resolve.profiles import Profile, merge_profiles, profile_of_mention
from amu.resolve.as_of import STORED, World

LOOKED, OWN, CHECKED = "l", "o", "x"
READS = (LOOKED, OWN)      # every looked-up key: read in a rival check too (or not known), or for own candidates only


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
        return _cached(self._profile_cache, m, self)

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


def usable_state(store: Any, state: Mapping[str, Any] | None, rule_version: str) -> bool:
    """Whether the store was fused under this rule with block keys kept, so that a part can be re-fused."""
    return bool(state and state.get("format") == STATE_FORMAT and state.get("rule_version") == rule_version
                and store.has_fusion_keys())


_EARLIEST: Step = (-3, -9, "")     # no mention's step comes before it (precision 3, specificity 9 at most)


def _reads(step: str | None) -> tuple[str, str]:
    """The coarse steps an incident first and last read a key at (unknown: from the first step to the last)."""
    if step is None:
        return "", "~"              # "~" sorts after every coarse step
    first, _, last = step.partition(" ")
    return first, last or first


def _earliest(since: dict[str, str], keys: Mapping[str, str | None], began: str) -> None:
    """Lower ``since`` to when each key changed: not before ``began``, nor before the key's own step."""
    for k, step in keys.items():
        at = max(began, step or "")
        if k not in since or at < since[k]:
            since[k] = at


# Kinds of capped block that may be proven over their cap from the store instead of replayed.
PROVABLE = ("c", "p", "a", "u")


@dataclass
class Proof:
    """Block ``key`` holds more incidents than its cap at every step after ``after``: ``uses``, incidents
    outside the part (unchanged), each complete by then and filed under ``key`` for good."""

    key: Key
    after: Step
    uses: set[str]


def prove_over_cap(store: Any, text: str, part: set[str]) -> Proof | None:
    """A :class:`Proof` for the capped block ``text`` from incidents the part does not re-decide, or None.

    An incident with the same mentions is, from its last step on, its final record; a *steady* one is
    filed under every key it was ever stored under. So once ``cap + 1`` steady incidents stored under the
    block are complete, the block is over its cap. The store gives those with the earliest last steps;
    only their recorded steps are read.
    """
    key: Key = ast.literal_eval(text)
    cap = _CAPS.get(key[0])
    if key[0] not in PROVABLE or cap is None:
        return None
    found = [(i, Steps.from_text(t)) for i, t in store.first_complete(text, part, cap + 1)]
    if len(found) <= cap:
        return None
    return Proof(key, max(steps.last for _, steps in found if steps), {i for i, _ in found})


class _Blocks:
    """What the store recorded of block keys: the incidents filed under each by a given (coarse) step, read once
    per key and step, and proofs that capped blocks are over their cap."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._filed: dict[str, list[str]] = {}
        self._upto: dict[str, str] = {}        # key -> the step its incidents were read up to
        self._refused: set[str] = set()        # cannot be proven: nor later, the part only grows
        self._proven: dict[str, Proof] = {}     # holds while the part re-decides none of the incidents it uses
        self._sizes: dict[str, int] = {}

    def before(self, keys: Iterable[str], horizon: str) -> set[str]:
        """The incidents filed under any of these keys at or before the coarse step ``horizon`` (or at a step the
        store does not know)."""
        keys = list(keys)
        todo = [k for k in keys if k not in self._upto or self._upto[k] < horizon]
        for k in todo:
            self._filed[k], self._upto[k] = [], horizon
        for key, incident, _, _ in self._store.fusion_key_holders(todo, (STORED,), upto=horizon):
            self._filed[key].append(incident)
        return {i for k in keys for i in self._filed[k]}

    def prove(self, text: str, part: set[str]) -> Proof | None:
        if text in self._refused:
            return None
        proof = self._proven.get(text)
        if proof is None or not proof.uses.isdisjoint(part):
            proof = prove_over_cap(self._store, text, part)
        if proof is None:
            self._refused.add(text)
        else:
            self._proven[text] = proof
        return proof

    def under_cap(self, text: str, more: int) -> bool:
        """Whether block ``text`` never holds more incidents than its cap, with ``more`` incidents besides those
        the store has filed there."""
        cap = _CAPS.get(ast.literal_eval(text)[0])
        if cap is None:
            return True
        if text not in self._sizes:
            self._sizes[text] = self._store.fusion_key_size(text, cap)
        return self._sizes[text] + more <= cap


def readers_after(store: Any, since: Mapping[str, str], blocks: _Blocks, part: set[str],
                  relied: dict[str, Proof] | None = None, sight: _Sight | None = None) -> set[str]:
    """The incidents that read a key of ``since`` at or after the (coarse) step given for it.

    A decision made before a block changed cannot have seen the change; nor can one made while the block was
    over its cap both before and after it (proven from incidents outside ``part``: then it reads only that).
    A read whose step the store does not know counts. ``relied`` collects the proofs that left readers out.
    With ``sight``, a reader outside ``part`` that neither weighs the records the change filed there nor could
    count them as rivals of the incidents whose rivals it checked is left out (:class:`_Sight`).
    """
    reads: dict[str, list[tuple[str, str]]] = {}
    checks: set[tuple[str, str]] = set()     # (reader, key) read in a rival check
    for key, incident, step, kind in store.fusion_key_holders(since, READS):
        first, last = _reads(step)
        if last >= since[key]:
            reads.setdefault(key, []).append((incident, first))
            if kind == LOOKED:
                checks.add((incident, key))
    reached: dict[str, list[str]] = {}     # reader -> the keys through which the change reaches it
    for key, found in reads.items():
        proof = blocks.prove(key, part)
        after = coarse(proof.after) if proof else "~"
        kept = {i for i, first in found if first <= after}
        if proof is not None and relied is not None and len(kept) < len(found):
            relied[key] = proof
        for i in kept:
            reached.setdefault(i, []).append(key)
    if sight is None:
        return set(reached)
    maybe = {i: keys for i, keys in reached.items()
             if i not in part and all(sight.records.get(k) is not None for k in keys)}
    sight.load(maybe, {i for i, k in checks if i in maybe})
    kept = {i for i, keys in reached.items()
            if i not in maybe or not sight.blind(i, keys, since, {k for k in keys if (i, k) in checks}, part)}
    return kept - sight.unchanged(kept - part, reached, since)


class _Sight:
    """Which readers of a changed block the change can reach, from what they weigh.

    A decision skips a candidate that it does not weigh (:meth:`IncidentIndex.sees`), and a rival check of an
    incident passes over a record that cannot be its rival (:meth:`IncidentIndex.may_rival`); in a block that
    never holds more incidents than its cap, such a record changes nothing. So a reader decides as before when,
    for every changed block it read from the change on, its mentions that read the block weigh none of the
    records the change filed there (old or new, at any step from the change on), and, where a rival check read
    it, none of those records may rival any record that an incident it checked had from the change on.
    ``records``: block key -> those records (by their set of mentions), or None where they are not all known
    (an old incident with a removed or rewritten mention); ``filed``: how many changed incidents were filed
    there, for the cap.
    """

    def __init__(self, store: Any, blocks: _Blocks, old: dict[str, list[str]], loaded: dict[str, Mention],
                 profiles: dict[str, Profile]) -> None:
        self._store, self._blocks, self._old, self._loaded, self._profiles = store, blocks, old, loaded, profiles
        self._probe = IncidentIndex()
        self._reads: dict[str, tuple[Step, str, set[str]]] = {}   # mention id -> (its step, coarse, the keys it looks up)
        self._checks: dict[str, dict[str, str | None]] = {}  # reader -> {incident whose rivals it checked: steps}
        self._as_of: dict[tuple[str, str], list[Profile] | None] = {}   # (incident, step) -> its records since
        self.records: dict[str, dict[frozenset[str], Profile] | None] = {}
        self.filed: dict[str, int] = {}
        self.world = World(store, old, loaded, profiles)
        # reader -> the keys through which it was reached when it was left out because its decisions, made again,
        # came out as before (:meth:`unchanged`): that holds in the world they were made in, and is checked again
        self.remade: dict[str, set[str]] = {}

    def clear(self) -> None:
        self.records, self.filed = {}, {}

    def note(self, keys: Iterable[str], versions: dict[frozenset[str], Profile] | None) -> None:
        """Changed records (``None``: not known) of one incident, filed under ``keys``."""
        for k in keys:
            held = self.records.get(k, {})
            self.records[k] = None if versions is None or held is None else {**held, **versions}
            self.filed[k] = self.filed.get(k, 0) + 1

    def seen(self, key: str) -> tuple[dict[frozenset[str], Profile] | None, int]:
        """What a check of ``key``'s readers weighs now: its records, and how many changed incidents were filed."""
        return self.records.get(key), self.filed.get(key, 0)

    def covered(self, key: str, before: tuple[dict[frozenset[str], Profile] | None, int]) -> bool:
        """Whether a check of ``key``'s readers that weighed ``before`` (:meth:`seen`) also holds now."""
        now, filed = self.seen(key)
        return before[0] is None or (now is not None and now.keys() <= before[0].keys() and filed <= before[1])

    def load(self, readers: Iterable[str], checking: Iterable[str]) -> None:
        """Read from the store, at once, the readers' mentions, the incidents whose rivals ``checking`` checked,
        and those incidents' mentions."""
        todo = set(checking) - self._checks.keys()
        self._checks.update(dict.fromkeys(todo, {}))
        self._checks.update(self._store.fusion_keys(todo, (CHECKED,)))
        incidents = set(readers) | {x for i in checking for x in self._checks[i]}
        self._old.update(self._store.members_of(incidents - self._old.keys()))
        ids = {m for i in incidents for m in self._old.get(i, ())}
        self._loaded.update((m.id, m) for m in self._store.mentions_of(ids=ids - self._loaded.keys()))

    def blind(self, reader: str, keys: list[str], since: Mapping[str, str], checked: set[str], part: set[str]) -> bool:
        """Whether the reader decides as before though ``keys`` changed (``checked``: those a rival check read)."""
        if not all(self._blocks.under_cap(k, self.filed.get(k, 0)) for k in keys):
            return False
        for mid in self._old[reader]:
            _, step, looks = self._read(mid)
            p = self._profiles[mid]
            for k in keys:
                if step >= since[k] and k in looks and \
                        any(self._probe.sees(p, r) for r in self.records[k].values()):  # type: ignore[union-attr]
                    return False
        if checked and not self._checks.get(reader):
            return False      # fused before the incidents checked were kept
        for k in checked:
            for x, steps in self._checks[reader].items():
                if _reads(steps)[1] < since[k]:
                    continue
                records = None if x in part else self._records_since(x, since[k])
                if records is None or any(self._probe.may_rival(xr, r) for xr in records
                                          for r in self.records[k].values()):  # type: ignore[union-attr]
                    return False
        return True

    def unchanged(self, readers: set[str], reached: Mapping[str, list[str]], since: Mapping[str, str]) -> set[str]:
        """Those of ``readers`` whose every decision from the change on (the earliest of the keys ``reached`` gives
        them) joins their incident again, or founds it, in the world (:class:`~amu.resolve.as_of.World`)."""
        if not readers or self.world.fingerprint is None:
            return set()
        self._old.update(self._store.members_of(readers - self._old.keys()))
        ids = {m for i in readers for m in self._old.get(i, ())}
        self._loaded.update((m.id, m) for m in self._store.mentions_of(ids=ids - self._loaded.keys()))
        todo: dict[str, list[tuple[str, str | None]]] = {}     # reader -> its decisions to replay, and their target
        for i in readers:
            if not self._old.get(i):
                continue
            lo = min(since[k] for k in reached[i])
            ordered = sorted(self._old[i], key=lambda m: self._read(m)[0])
            todo[i] = [(m, i if n else None) for n, m in enumerate(ordered) if self._read(m)[1] >= lo]
        reads: dict[str, tuple[str, str]] = {}      # key -> the first and last step a decision reads it
        for m in (m for ms in todo.values() for m, _ in ms):
            _, step, looks = self._read(m)
            for k in looks:
                first, last = reads.get(k, (step, step))
                reads[k] = min(first, step), max(last, step)
        self.world.prefetch(reads)
        out = {i for i, ms in todo.items()
               if all(self.world.decides(self._profiles[m], self._read(m)[0], target) for m, target in ms)}
        for i in out:
            self.remade.setdefault(i, set()).update(reached[i])
        return out

    def recheck(self, since: Mapping[str, str], part: set[str]) -> set[str]:
        """The readers left out by decisions made again in an earlier world whose decisions come out otherwise in
        this one (from the step each key they were reached through changed, where it still differs)."""
        reached = {i: [k for k in keys if k in since] for i, keys in self.remade.items() if i not in part}
        reached = {i: keys for i, keys in reached.items() if keys}
        return set(reached) - self.unchanged(set(reached), reached, since)

    def _records_since(self, incident: str, since: str) -> list[Profile] | None:
        """The records an unchanged incident had at each step from ``since`` (coarse) on; None: not known, or too
        many."""
        if (incident, since) not in self._as_of:
            ordered = sorted(self._old.get(incident) or [], key=lambda m: self._read(m)[0])
            prefixes = _prefixes(ordered, sum(self._read(m)[1] < since for m in ordered)) if ordered else None
            self._as_of[incident, since] = None if prefixes is None else \
                [merge_profiles(incident, [self._profiles[m] for m in ms], self._probe.rule) for ms in prefixes]
        return self._as_of[incident, since]

    def _read(self, mid: str) -> tuple[Step, str, set[str]]:
        if mid not in self._reads:
            m = self._loaded[mid]
            p = _cached(self._profiles, m, self._probe)
            step = canonical_key(p, m)
            self._reads[mid] = step, coarse(step), set(map(key_text, self._probe._lookup_keys(p)))
        return self._reads[mid]


_MOST_VERSIONS = 64    # beyond this many records from a change on, an incident's are not made (then: not known)


def _versions(index: IncidentIndex, members: Iterable[str], since: Step,
              ident: str) -> dict[frozenset[str], Profile] | None:
    """The records an incident of these (placed) mentions had at each step from ``since`` on (None: too many)."""
    ordered = sorted(members, key=index.step_of)
    prefixes = _prefixes(ordered, sum(index.step_of(m) < since for m in ordered))
    return None if prefixes is None else {frozenset(ms): index.record(ms, ident) for ms in prefixes}


def _prefixes(ordered: list[str], before: int) -> list[list[str]] | None:
    """The mentions of each record an incident of these mentions (in their order) has from a step on, ``before``
    of them placed earlier: the record as it stands then (a step with none placed yet: the first), and each
    one after; None beyond ``_MOST_VERSIONS`` of them."""
    sizes = range(max(before, 1), len(ordered) + 1)
    return None if len(sizes) > _MOST_VERSIONS else [ordered[:n] for n in sizes]


def first_looks(store: Any, seeds: list[Mention], part: set[str]) -> set[str]:
    """The keys the first run will most likely look up, to spare runs: those the seeds look up, and those the part
    looked up before. Only a guess: the checks after each run decide. (The readers a change reaches are left to
    those checks too: most readers that weigh a seed decide as before, which only a replay in the run's world
    shows, :meth:`_Sight.unchanged`.)
    """
    probe = IncidentIndex()
    return {key_text(k) for m in seeds for k in probe._lookup_keys(profile_of_mention(m, probe.rule))} | \
        _looks(store, part)


def find_part(store: Any, old: dict[str, list[str]], seeds: list[Mention], part: set[str]) -> Part:
    """Grow ``part`` (old incident ids re-decided) and its context until a run moves nothing; return that run.

    ``old`` (incident id -> its stored mentions' ids) is filled in from the store as incidents are reached.
    The context is the incidents filed where the part looks no later than the part's last step (the
    *horizon*: one filed there later is not there yet when the part reads). A capped block the part reads
    only for its size is proven over its cap where the store allows (:func:`prove_over_cap`) instead of
    having its incidents replayed; a run that reads it earlier than the proof holds is run again with the
    block's incidents replayed.
    """
    start = set(part)       # held a touched or removed mention: changed, whatever their members are now
    blocks = _Blocks(store)
    loaded: dict[str, Mention] = {m.id: m for m in seeds}
    profiles: dict[str, Profile] = {}     # shared by the runs
    records: dict[tuple[str, frozenset[str]], Profile] = {}
    sight = _Sight(store, blocks, old, loaded, profiles)
    looked = first_looks(store, seeds, part)
    proofs: dict[str, Proof] = {}
    replayed: set[str] = set()            # proven, but read before the proof holds: replayed instead
    # changed key -> the step from which its readers already joined the part, and what that check weighed
    checked: dict[str, tuple[str, tuple[dict[frozenset[str], Profile] | None, int]]] = {}
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
        horizon = coarse(max([canonical_key(_cached(profiles, m, probe), m)
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
                sight.note(fps[i].stored, _versions(index, index.members(i), at, i))
        gone = [i for i in part if i in start or frozenset(old.get(i, ())) not in after]
        old_steps = store.fusion_steps(gone)
        for i, keys in store.fusion_keys(gone, (STORED,)).items():
            steps = Steps.from_text(old_steps.get(i))
            at = counterpart.of_old(i, steps.first if steps else _EARLIEST)
            _earliest(since, keys, coarse(at))
            sight.note(keys, None if i in start else _versions(index, old[i], at, i))
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


def _cached(profiles: dict[str, Profile], m: Mention, index: IncidentIndex) -> Profile:
    if m.id not in profiles:
        profiles[m.id] = profile_of_mention(m, index.rule)
    return profiles[m.id]


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


def fuse_part(store: Any, touched_docs: Iterable[str], rule_version: str) -> int:
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
