"""Make one decision of a full rebuild again at its step, from what a store recorded.

Incremental fusion (:mod:`amu.resolve.incremental`) re-decides a part of the store and
must show that every decision outside it comes out as before. A cheap test leaves out a
decision that does not weigh what changed at all; one that does weigh it may still decide
as before (a stronger candidate, say, stays the best). :class:`World` tells which, by
making that one decision again.

A decision reads the blocks it looks up, as they stand at its step. In the world an
incremental fusion builds, the incidents outside its part are unchanged: at a step ``t``
each is the record of its members placed before ``t`` (records are functions of their set
of members, and members arrive in the canonical order), filed under that record's blocks.
The incidents inside the part are the groups its run made, likewise. So a block at ``t``
is rebuilt from the incidents the store filed under it by then (:meth:`World.block`), and
the decision is made by an :class:`~amu.resolve.fusion.IncidentIndex` that reads those
blocks (:class:`_AsOf`), rival checks included. A block with more incidents than
``_MOST_HOLDERS`` is not rebuilt: the decision is then taken to change.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

from amu.records import Mention
from amu.resolve.fusion import IncidentIndex, canonical_key
from amu.resolve.fusion_trace import STORED, Key, Step, Steps, cap_of, coarse, key_text
from amu.resolve.profiles import Profile, cached_profile, merge_profiles

_MOST_HOLDERS = 512      # beyond this many incidents filed under a block by a step, it is not rebuilt
NEW = "new:"            # the run's groups, apart from the store's ids (a stored id's mention may found a group)


class _Unknown(Exception):
    """A block that is not rebuilt."""


class World:
    """The blocks of a full rebuild at any step, when the incidents outside ``part`` are as the store has them and
    those inside are ``groups`` (:meth:`reset`).

    A capped block reads as empty where it is over its cap. The incidents that hold it for good by a step (steady
    ones complete before it, known from their recorded steps) count without being rebuilt; the others are rebuilt
    first, and the ones held for good only where the block turns out to be under its cap. ``old``,
    ``loaded`` and ``profiles`` are the incremental fusion's caches of stored members, mentions and their
    profiles, filled in here as blocks are rebuilt.
    """

    def __init__(self, store: Any, old: dict[str, list[str]], loaded: dict[str, Mention],
                 profiles: dict[str, Profile]) -> None:
        self._store, self._old, self._loaded, self._profiles = store, old, loaded, profiles
        self.rule = IncidentIndex().rule
        self._probe = IncidentIndex(self.rule)
        self._part: set[str] = set()
        self._members: dict[str, tuple[list[Step], list[Profile]]] = {}     # incident -> its members, in order
        self._at: dict[tuple[str, int], tuple[Profile, set[str]]] = {}      # (incident, n first) -> record, keys
        self._group_keys: dict[str, set[str]] = {}    # group -> every block its records are filed under
        self._sets: dict[str, frozenset[str]] = {}    # group -> its members
        # (mention, step, target) -> whether it decides so, the blocks that decision read, and what its rival checks
        # read (blocks, and the incidents whose rivals were checked)
        self._verdicts: dict[tuple[str, Step, str | None], tuple[bool, set[str], set[str], set[str]]] = {}
        # block -> the coarse steps at which incidents were first filed there, in order, and those incidents, read up
        # to the coarse step kept in _upto
        self._filed: dict[str, tuple[list[str], list[str]]] = {}
        self._upto: dict[str, str] = {}
        self._steps: dict[str, Steps | None] = {}    # incident -> its recorded steps (None: not kept)
        self.fingerprint: Any = None

    def reset(self, groups: Mapping[str, list[tuple[Step, Profile]]], filed: Mapping[str, Iterable[str]],
            part: set[str]) -> None:
        """The part's incidents (left out) and its groups (group id -> its members' steps and profiles; ``filed``:
        -> every block its records were filed under). A verdict of the world before stands where
        none of the blocks it read differs in this one."""
        sets = {frozenset(p.id for _, p in ms): g for g, ms in groups.items()}
        fingerprint = (frozenset(part), frozenset(sets))
        if fingerprint == self.fingerprint:
            return
        before = {members: ident for ident, members in self._sets.items()}
        changed = set().union(*(self._group_keys[i] for members, i in before.items() if members not in sets))
        moved = self._part ^ part
        changed |= {k for k, (_, incidents) in self._filed.items() if not moved.isdisjoint(incidents)}
        self.fingerprint, self._part = fingerprint, set(part)
        for ident in self._sets:
            del self._members[ident]
        self._at = {k: v for k, v in self._at.items() if not k[0].startswith(NEW)}
        self._group_keys, self._sets = {}, {}
        for members, g in sets.items():
            ordered = sorted(groups[g], key=lambda sp: sp[0])
            ident = NEW + g
            self._members[ident] = ([s for s, _ in ordered], [p for _, p in ordered])
            self._sets[ident] = members
            self._group_keys[ident] = set(filed[g])
            if members not in before:
                changed |= self._group_keys[ident]
        self._verdicts = {d: v for d, v in self._verdicts.items() if v[1].isdisjoint(changed)}

    def prefetch(self, reads: Mapping[str, tuple[str, str]]) -> None:
        """Read from the store, at once, what rebuilding these blocks between their first and last reads (coarse
        steps) needs: not the incidents that hold a capped block for good by its first read."""
        self.filings({k: last for k, (_, last) in reads.items()})
        todo: set[str] = set()
        for k, (first, last) in reads.items():
            holders = self._holders(k, last)
            cap = cap_of(k)
            todo.update(holders if cap is None or len(holders) <= cap else set(holders) - self._for_good(k, first))
        self._load(todo)

    def filings(self, upto: Mapping[str, str]) -> None:
        """Read from the store the incidents filed under these blocks by the coarse step given for each, with the
        step each was first filed."""
        todo = {k: step for k, step in upto.items() if k not in self._upto or self._upto[k] < step}
        if not todo:
            return
        found: dict[str, list[tuple[str, str]]] = {k: [] for k in todo}
        for k, incident, step, _ in self._store.fusion_key_holders(todo, (STORED,), upto=todo):
            found[k].append((step or "", incident))     # a step not kept: the earliest
        for k, filings in found.items():
            filings.sort()
            self._filed[k] = ([s for s, _ in filings], [i for _, i in filings])
            self._upto[k] = todo[k]

    def filings_at(self, keys: Iterable[Key], step: Step) -> None:
        """Read the filings of these blocks up to ``step`` at once."""
        now = coarse(step)
        self.filings({key_text(k): now for k in keys})

    def _holders(self, text: str, now: str) -> list[str]:
        """The incidents outside the part filed under block ``text`` (its filings read that far) by the coarse step
        ``now``."""
        steps, incidents = self._filed[text]
        return [i for i in incidents[:bisect_right(steps, now)] if i not in self._part]

    def _for_good(self, text: str, now: str) -> set[str]:
        """The incidents outside the part that hold block ``text`` (its filings read) for good from the coarse step
        ``now`` on: steady, and complete before ``now`` (their recorded steps are read, not their mentions)."""
        holders = self._holders(text, now)
        todo = [i for i in holders if i not in self._steps]
        if todo:
            kept = self._store.fusion_steps(todo)
            self._steps.update((i, Steps.from_text(kept.get(i))) for i in todo)
        return {i for i in holders if (s := self._steps[i]) is not None and s.steady and coarse(s.last) < now}

    def decides(self, p: Profile, step: Step, target: str | None) -> bool:
        """Whether a mention (profile ``p``) placed at ``step`` in this world joins ``target`` (None: founds an
        incident); False where a block it reads cannot be rebuilt."""
        key = (p.order_key, step, target)
        if key not in self._verdicts:
            index = _AsOf(self, step)
            try:
                same = index._decide(p) == target
            except _Unknown:
                same = False
            self._verdicts[key] = same, index.texts, index.checked_texts, index.rivals
        return self._verdicts[key][0]

    def checks(self, p: Profile, step: Step, target: str | None) -> tuple[set[str], set[str]]:
        """What the rival checks of a decision made (:meth:`decides`) read: the blocks, and the incidents whose
        rivals they checked (the run's groups prefixed ``"new:"``)."""
        _, _, texts, rivals = self._verdicts[p.order_key, step, target]
        return texts, rivals

    def block(self, text: str, step: Step) -> dict[str, Profile]:
        """The incidents filed under block ``text`` just before ``step``, with their records then; none where the
        block is over its cap then (a decision reads only its size)."""
        now = coarse(step)
        self.filings({text: now})
        holders = self._holders(text, now)
        groups = [g for g, keys in self._group_keys.items() if text in keys]
        cap = cap_of(text)
        sure: set[str] = set()     # over a cap, the incidents that hold the block for good count unrebuilt
        if cap is not None and len(holders) + len(groups) > cap:
            sure = self._for_good(text, now)
            if len(sure) > cap:
                return {}
        out = self._records_in(text, step, [*(i for i in holders if i not in sure), *groups])
        if cap is not None and len(sure) + len(out) > cap:
            return {}
        out.update(self._records_in(text, step, sorted(sure)))
        return out

    def _records_in(self, text: str, step: Step, incidents: list[str]) -> dict[str, Profile]:
        """Those of these incidents (stored ones, and the run's groups) whose record just before ``step`` is filed
        under block ``text``, with that record."""
        if len(incidents) > _MOST_HOLDERS:
            raise _Unknown(text)
        self._load(i for i in incidents if i not in self._group_keys)
        out: dict[str, Profile] = {}
        for ident in incidents:
            steps, _ = self._members[ident]
            n = bisect_left(steps, step)
            if n:
                record, keys = self._record(ident, n)
                if text in keys:
                    out[ident] = record
        return out

    def _record(self, ident: str, n: int) -> tuple[Profile, set[str]]:
        """The record of an incident's ``n`` first members, and the blocks it is filed under."""
        if (ident, n) not in self._at:
            record = merge_profiles(ident, self._members[ident][1][:n], self.rule)
            self._at[ident, n] = record, set(map(key_text, self._probe._block_keys(record)))
        return self._at[ident, n]

    def load_members(self, incidents: set[str]) -> None:
        """Read from the store, at once, these incidents' member ids and the mentions not read yet."""
        self._old.update(self._store.members_of(incidents - self._old.keys()))
        ids = {m for i in incidents for m in self._old.get(i, ())}
        self._loaded.update((m.id, m) for m in self._store.mentions_of(ids=ids - self._loaded.keys()))

    def _load(self, incidents: Iterable[str]) -> None:
        todo = {i for i in incidents if i not in self._members}
        if not todo:
            return
        self.load_members(todo)
        for i in todo:
            mentions = [self._loaded[m] for m in self._old.get(i, ())]
            ordered = sorted((canonical_key(cached_profile(self._profiles, m, self.rule), m), m.id) for m in mentions)
            self._members[i] = ([s for s, _ in ordered], [self._profiles[m] for _, m in ordered])


class _AsOf(IncidentIndex):
    """An index that reads each block as :meth:`World.block` rebuilds it at one step (for :meth:`_decide` only)."""

    def __init__(self, world: World, step: Step) -> None:
        super().__init__(world.rule)
        self._world, self._at_step = world, step
        self.texts: set[str] = set()     # the blocks read, as text
        self.checked_texts: set[str] = set()     # those a rival check looked up
        self.rivals: set[str] = set()            # the incidents whose rivals were checked

    def _candidates(self, p: Profile) -> set[str]:
        self._world.filings_at(self._lookup_keys(p), self._at_step)     # at once
        return super()._candidates(p)

    def _has_rival(self, ident: str, margin: float = 0.0) -> bool:
        """As :meth:`IncidentIndex._has_rival`, block by block: the first rival found settles it, and the blocks
        after it are not rebuilt."""
        fused = self._fused[ident]
        keys = self._lookup_keys(fused)
        self.rivals.add(ident)
        self.checked_texts.update(map(key_text, keys))
        self._world.filings_at(keys, self._at_step)
        return any(other != ident and self._rival(fused, self._fused[other], margin)
                   for k in keys for other in sorted(self._searched(k)))

    def _searched(self, k: Key) -> set[str]:
        if k not in self._blocks:        # a fresh index: only this fills its blocks
            text = key_text(k)
            self.texts.add(text)
            found = self._world.block(text, self._at_step)
            self._fused.update(found)
            self._blocks[k] = set(found)
        return super()._searched(k)
