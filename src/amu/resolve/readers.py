"""Which stored incidents a change reaches: the readers of its blocks, and which of them decide as before.

An incident is re-decided by incremental fusion (:mod:`amu.resolve.incremental`) when a
decision of it may come out otherwise: it read, at or after the step of a change, a block
that a changed incident was filed under (:func:`readers_after`, from the keys and steps
the store kept, :mod:`amu.resolve.fusion_trace`). Three things leave readers out:

* a capped block read only while it was over its cap, before and after the change
  (:func:`prove_over_cap`, from incidents outside the part: :class:`Blocks`);
* a reader whose mentions weigh none of the changed records and whose rival checks could
  count none of them (:meth:`Sight.blind`);
* a reader whose decisions, made again at their steps in the run's world, come out as
  before (:meth:`Sight.unchanged`, :mod:`amu.resolve.as_of`), checked again in every
  later run's world (:meth:`Sight.recheck`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from amu.records import Mention
from amu.resolve.as_of import NEW, World
from amu.resolve.fusion import _CAPS, IncidentIndex, canonical_key
from amu.resolve.fusion_trace import CHECKED, LOOKED, READS, STORED, Key, Step, Steps, cap_of, coarse, key_text
from amu.resolve.profiles import Profile, cached_profile, merge_profiles



def _spans(kept: Mapping[str, str | None], key: str, now: str) -> bool:
    """Whether a trace's reads of ``key`` (``kept``: key -> first and last steps) span the coarse step ``now``."""
    if key not in kept:
        return False
    first, last = _reads(kept[key])
    return first <= now <= last


def _reads(step: str | None) -> tuple[str, str]:
    """The coarse steps an incident first and last read a key at (unknown: from the first step to the last)."""
    if step is None:
        return "", "~"              # "~" sorts after every coarse step
    first, _, last = step.partition(" ")
    return first, last or first


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


class Blocks:
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
        cap = cap_of(text)
        if cap is None:
            return True
        if text not in self._sizes:
            self._sizes[text] = self._store.fusion_key_size(text, cap)
        return self._sizes[text] + more <= cap


def readers_after(store: Any, since: Mapping[str, str], blocks: Blocks, part: set[str],
                  relied: dict[str, Proof] | None = None, sight: Sight | None = None) -> set[str]:
    """The incidents that read a key of ``since`` at or after the (coarse) step given for it.

    A decision made before a block changed cannot have seen the change; nor can one made while the block was
    over its cap both before and after it (proven from incidents outside ``part``: then it reads only that).
    A read whose step the store does not know counts. ``relied`` collects the proofs that left readers out.
    With ``sight``, a reader outside ``part`` that neither weighs the records the change filed there nor could
    count them as rivals of the incidents whose rivals it checked is left out (:class:`Sight`).
    """
    reads: dict[str, list[tuple[str, str]]] = {}
    checks: set[tuple[str, str]] = set()     # (reader, key) read in a rival check
    spans: dict[tuple[str, str], tuple[str, str]] = {}     # (reader, key) -> the steps it first and last read it
    for key, incident, step, kind in store.fusion_key_holders(since, READS):
        first, last = spans[incident, key] = _reads(step)
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
            if i not in maybe or not sight.blind(i, {k: spans[i, k] for k in keys}, since,
                                                 {k for k in keys if (i, k) in checks}, part)}
    return kept - sight.unchanged(kept - part, reached, since)


class Sight:
    """Which readers of a changed block the change can reach, from what they weigh.

    A decision skips a candidate that it does not weigh (:meth:`IncidentIndex.sees`), and a rival check of an
    incident passes over a record that cannot be its rival (:meth:`IncidentIndex.may_rival`); in a block that
    never holds more incidents than its cap, such a record changes nothing. So a reader decides as before when,
    for every changed block it read from the change on, none of its mentions that read the block weighs a record
    the change filed there as it stood when that mention was placed (old or new: :class:`Version`), and, where a
    rival check read it, none of the records the change filed there from the change on may rival any record that
    an incident it checked had from the change on. ``records``: block key -> those records (by their set of
    mentions), or None where they are not all known (an old incident with a removed or rewritten mention, or
    too many records); ``filed``: how many changed incidents were filed there, for the cap.
    """

    def __init__(self, store: Any, blocks: Blocks, old: dict[str, list[str]], loaded: dict[str, Mention],
                 profiles: dict[str, Profile]) -> None:
        self._store, self._blocks, self._old, self._loaded, self._profiles = store, blocks, old, loaded, profiles
        self._probe = IncidentIndex()
        self._steps: dict[str, tuple[Step, str]] = {}      # mention id -> its step, and the same coarse
        self._checks: dict[str, dict[str, str | None]] = {}  # reader -> {incident whose rivals it checked: steps}
        self._as_of: dict[tuple[str, str], list[Profile] | None] = {}   # (incident, step) -> its records since
        self.records: dict[str, dict[frozenset[str], Version] | None] = {}
        self.filed: dict[str, int] = {}
        self.world = World(store, old, loaded, profiles)
        # reader -> the keys through which it was reached when it was left out because its decisions, made again,
        # came out as before (:meth:`unchanged`): that holds in the world they were made in, and is checked again
        self.remade: dict[str, set[str]] = {}

    def clear(self) -> None:
        self.records, self.filed = {}, {}

    def note(self, keys: Iterable[str], versions: dict[frozenset[str], Version] | None) -> None:
        """Changed records (``None``: not known) of one incident, filed under ``keys``."""
        for k in keys:
            held = self.records.get(k, {})
            if versions is None or held is None:
                self.records[k] = None
            else:
                for members, v in versions.items():
                    if members in held:
                        held[members].widen(v)
                    else:
                        held[members] = v.copy()
                self.records[k] = held
            self.filed[k] = self.filed.get(k, 0) + 1

    def seen(self, key: str) -> tuple[dict[frozenset[str], Version] | None, int]:
        """What a check of ``key``'s readers weighs now: its records, and how many changed incidents were filed."""
        return self.records.get(key), self.filed.get(key, 0)

    def covered(self, key: str, before: tuple[dict[frozenset[str], Version] | None, int]) -> bool:
        """Whether a check of ``key``'s readers that weighed ``before`` (:meth:`seen`) also holds now."""
        now, filed = self.seen(key)
        was = before[0]
        return was is None or (now is not None and filed <= before[1] and
                               all(m in was and v.within(was[m]) for m, v in now.items()))

    def load(self, readers: Iterable[str], checking: Iterable[str]) -> None:
        """Read from the store, at once, the readers' mentions, the incidents whose rivals ``checking`` checked,
        and those incidents' mentions."""
        todo = set(checking) - self._checks.keys()
        self._checks.update(dict.fromkeys(todo, {}))
        self._checks.update(self._store.fusion_keys(todo, (CHECKED,)))
        self.world.load_members(set(readers) | {x for i in checking for x in self._checks[i]})

    def blind(self, reader: str, keys: Mapping[str, tuple[str, str]], since: Mapping[str, str], checked: set[str],
              part: set[str]) -> bool:
        """Whether the reader decides as before though ``keys`` changed (-> the steps it first and last read each;
        ``checked``: those a rival check read). Each of its mentions placed at a step when it read a changed key is
        taken to have looked it up."""
        if not all(self._blocks.under_cap(k, self.filed.get(k, 0)) for k in keys):
            return False
        for mid in self._old[reader]:
            full, step = self._step(mid)
            p = self._profiles[mid]
            for k, (first, last) in keys.items():
                if max(first, since[k]) <= step <= last and any(
                        v.read_at(full) and self._probe.sees(p, v.record)
                        for v in self.records[k].values()):  # type: ignore[union-attr]
                    return False
        if checked and not self._checks.get(reader):
            return False      # fused before the incidents checked were kept
        for k in checked:
            for x, steps in self._checks[reader].items():
                if _reads(steps)[1] < since[k]:
                    continue
                records = None if x in part else self._records_since(x, since[k])
                if records is None or any(self._probe.may_rival(xr, v.record) for xr in records
                                          for v in self.records[k].values()):  # type: ignore[union-attr]
                    return False
        return True

    def unchanged(self, readers: set[str], reached: Mapping[str, list[str]], since: Mapping[str, str]) -> set[str]:
        """Those of ``readers`` whose every decision from the change on (the earliest of the keys ``reached`` gives
        them) joins their incident again, or founds it, in the world (:class:`~amu.resolve.as_of.World`)."""
        if not readers or self.world.fingerprint is None:
            return set()
        self.world.load_members(readers)
        todo: dict[str, list[tuple[str, str | None]]] = {}     # reader -> its decisions to replay, and their target
        for i in readers:
            if not self._old.get(i):
                continue
            lo = min(since[k] for k in reached[i])
            ordered = sorted(self._old[i], key=lambda m: self._step(m)[0])
            todo[i] = [(m, i if n else None) for n, m in enumerate(ordered) if self._step(m)[1] >= lo]
        reads: dict[str, tuple[str, str]] = {}      # key -> the first and last step a decision reads it
        for m in (m for ms in todo.values() for m, _ in ms):
            _, step = self._step(m)
            for k in map(key_text, self._probe._lookup_keys(self._profiles[m])):
                first, last = reads.get(k, (step, step))
                reads[k] = min(first, step), max(last, step)
        self.world.prefetch(reads)
        out = {i for i, ms in todo.items()
               if all(self.world.decides(self._profiles[m], self._step(m)[0], target) for m, target in ms)}
        out = self._kept_traces(out, todo)
        for i in out:
            self.remade.setdefault(i, set()).update(reached[i])
        return out

    def _kept_traces(self, readers: set[str], todo: Mapping[str, list[tuple[str, str | None]]]) -> set[str]:
        """Those of ``readers`` whose decisions made again checked no rivals that the store's trace of the reader
        does not have. A reader left out keeps its trace, and a later change is found through it: a rival check that
        the decision makes only in this world (it weighs a changed incident, finds a rival and decides as before)
        would go unrecorded. Blocks read for its own candidates need no check: they are those of its mentions."""
        # reader -> for each decision made again: its coarse step, and the blocks and incidents its rival checks read
        checks = {i: [(self._step(m)[1], *self.world.checks(self._profiles[m], self._step(m)[0], target))
                      for m, target in todo[i]] for i in readers}
        checking = [i for i, made in checks.items() if any(rivals for _, _, rivals in made)]
        if not checking:
            return readers
        looked = self._store.fusion_keys(checking, (LOOKED,))
        self._checks.update(self._store.fusion_keys(set(checking) - self._checks.keys(), (CHECKED,)))
        return set(readers) - {
            i for i in checking
            if not all(all(_spans(looked.get(i, {}), k, now) for k in texts) and
                       all(not x.startswith(NEW) and _spans(self._checks.get(i, {}), x, now) for x in rivals)
                       for now, texts, rivals in checks[i])}

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
            ordered = sorted(self._old.get(incident) or [], key=lambda m: self._step(m)[0])
            prefixes = _prefixes(ordered, sum(self._step(m)[1] < since for m in ordered)) if ordered else None
            self._as_of[incident, since] = None if prefixes is None else \
                [merge_profiles(incident, [self._profiles[m] for m in ms], self._probe.rule) for ms in prefixes]
        return self._as_of[incident, since]

    def _step(self, mid: str) -> tuple[Step, str]:
        """A stored mention's step, and the same coarse (its profile made and cached on the way)."""
        if mid not in self._steps:
            m = self._loaded[mid]
            step = canonical_key(cached_profile(self._profiles, m, self._probe.rule), m)
            self._steps[mid] = step, coarse(step)
        return self._steps[mid]


_MOST_VERSIONS = 512    # beyond this many records from a change on, an incident's are not listed (then: not known)


class Version:
    """One record a changed incident had from the change on (made when first asked), and when a decision found it
    so: at a step after ``after`` (its last member's) and at or before ``until`` (the next member's; None: for
    good). The same set of members makes the same record; where two incidents had it, the steps are widened to
    cover both."""

    def __init__(self, index: IncidentIndex, members: list[str], ident: str, after: Step, until: Step | None) -> None:
        self._index, self._members, self._ident = index, members, ident
        self.after, self.until = after, until
        self._made: list[Profile] = []      # the record once made, shared with copies

    @property
    def record(self) -> Profile:
        if not self._made:
            self._made.append(self._index.record(self._members, self._ident))
        return self._made[0]

    def copy(self) -> Version:
        out = Version(self._index, self._members, self._ident, self.after, self.until)
        out._made = self._made
        return out

    def read_at(self, step: Step) -> bool:
        """Whether a decision at ``step`` finds the incident as this record."""
        return self.after < step and (self.until is None or step <= self.until)

    def within(self, other: Version) -> bool:
        """Whether every step at which a decision finds this record is one at which it finds ``other``."""
        if other.after > self.after:
            return False
        return other.until is None or (self.until is not None and self.until <= other.until)

    def widen(self, other: Version) -> None:
        self.after = min(self.after, other.after)
        self.until = None if self.until is None or other.until is None else max(self.until, other.until)


def versions(index: IncidentIndex, members: Iterable[str], since: Step,
             ident: str) -> dict[frozenset[str], Version] | None:
    """The records an incident of these (placed) mentions had at each step from ``since`` on (None: too many)."""
    ordered = sorted(members, key=index.step_of)
    steps = [index.step_of(m) for m in ordered]
    prefixes = _prefixes(ordered, sum(step < since for step in steps))
    if prefixes is None:
        return None
    return {frozenset(ms): Version(index, ms, ident, steps[len(ms) - 1],
                                   steps[len(ms)] if len(ms) < len(steps) else None) for ms in prefixes}


def _prefixes(ordered: list[str], before: int) -> list[list[str]] | None:
    """The mentions of each record an incident of these mentions (in their order) has from a step on, ``before``
    of them placed earlier: the record as it stands then (a step with none placed yet: the first), and each
    one after; None beyond ``_MOST_VERSIONS`` of them."""
    sizes = range(max(before, 1), len(ordered) + 1)
    return None if len(sizes) > _MOST_VERSIONS else [ordered[:n] for n in sizes]

