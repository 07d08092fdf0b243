"""Which blocks each incident's making read and wrote: what lets fusion redo only part of a store.

:class:`TracedIndex` is an :class:`~amu.resolve.fusion.IncidentIndex` that records,
for every incident it builds, the block keys the incident was ever filed under
(*stored*: every fused profile it had on the way, not only the last) and the
block keys read while placing its mentions (*looked*: the candidate lookups, the
rival checks, and the blocks whose size a cap was checked against), marking those
a rival check read (*checked*), and the incidents whose rivals it checked (*rivals*):
a key read for a mention's own candidates concerns a change only where the changed
record is one the mention weighs at all (:meth:`~amu.resolve.fusion.IncidentIndex.sees`),
one read in a rival check only where it could be a rival of the checked incident
(:meth:`~amu.resolve.fusion.IncidentIndex.may_rival`).

Why that is enough. :meth:`~amu.resolve.fusion.IncidentIndex.add_many` places
mentions one by one in a canonical order, and each decision reads only the
blocks it looks up. Split the incidents of a run into two sets A and B such that
no key one set looked up was ever stored by the other. Then, step by step in the
canonical order, every block a mention of A reads holds exactly the incidents of
A it would hold in a run over A's mentions alone (and likewise for B), so each
decision, and so the whole trace, is the same. The partition of all mentions is
therefore the union of the partitions of such independent parts, and a part can
be recomputed alone (:mod:`amu.resolve.incremental`).

Each key comes with a step (:func:`coarse`): when the incident was first filed under it, or
last read it. No decision made before an incident was filed under a block can have seen it
there, and a decision made before a change cannot have seen the change; that narrows which
incidents a change can reach (see :mod:`amu.resolve.incremental`). Each incident's
:class:`Steps` say when it began and ended.

Keys and steps are encoded as text (:func:`key_text`, :meth:`Steps.text`) so that a store can keep them.
"""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from amu.records import Mention
from amu.resolve.fusion import _CAPS, IncidentIndex, canonical_key
from amu.resolve.profiles import Profile


Key = tuple[Any, ...]
Step = tuple[Any, ...]        # a mention's place in the canonical order (:func:`canonical_key`)
# How a store keeps a footprint's keys (:meth:`Footprint.kept`): stored; looked up in a rival check (or not known
# which); looked up for the incident's own candidates only; an incident whose rivals its decisions checked.
STORED, LOOKED, OWN, CHECKED = "s", "l", "o", "x"
READS = (LOOKED, OWN)      # every looked-up key


def key_text(key: Key) -> str:
    """A block key as text (deterministic: keys hold strings, numbers and tuples of them)."""
    return repr(key)


def cap_of(text: str) -> int | None:
    """The cap of the block whose key is this text (:func:`key_text`), None where it has none."""
    return _CAPS.get(_kind(text))


@lru_cache(maxsize=1 << 16)
def _kind(text: str) -> str:
    return str(ast.literal_eval(text)[0])


def coarse(step: Step) -> str:
    """A step as sortable text, to its date (precision, specificity, date: no document, no mention).

    Texts keep the order of the steps they come from wherever they differ, so ``coarse(a) < coarse(b)``
    proves ``a < b``; equal texts prove nothing either way.
    """
    neg_precision, neg_specificity, iso = step[:3]
    return f"{3 + neg_precision}{9 + neg_specificity}{iso}"


@dataclass(frozen=True)
class Steps:
    """When one incident began (its first mention's step) and ended (its last one's), and whether it was
    ``steady``: filed under the same blocks from its first step on (so every key it was stored under holds it
    for good once it is complete)."""

    first: Step
    last: Step
    steady: bool

    def text(self) -> str:
        return json.dumps([list(self.first), list(self.last), self.steady])

    @classmethod
    def from_text(cls, text: str | None) -> Steps | None:
        """The steps a store kept, or None where it kept none (an incident fused before steps were kept)."""
        if text is None:
            return None
        first, last, steady = json.loads(text)
        return cls(tuple(first), tuple(last), bool(steady))


@dataclass
class Footprint:
    """The blocks one incident was filed under (``stored``: :func:`key_text` -> the :func:`coarse` step it was
    first filed there) and read (``looked``: -> ``"first last"``, the steps it first and last read it), those of
    ``looked`` that a rival check read (``checked``), the incidents whose rivals its decisions checked (``rivals``:
    incident id -> ``"first last"``), and its :class:`Steps`."""

    stored: dict[str, str]
    looked: dict[str, str]
    checked: set[str]
    rivals: dict[str, str]
    steps: Steps

    def kept(self) -> tuple[dict[str, str], dict[str, str], set[str], dict[str, str], str, str, bool]:
        """What a store keeps of it (:meth:`amu.store.Store.write_fusion_keys`)."""
        return (self.stored, self.looked, self.checked, self.rivals, self.steps.text(), coarse(self.steps.last),
                self.steps.steady)


class TracedIndex(IncidentIndex):
    """An index that records each incident's :class:`Footprint` while :meth:`add_many` runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Raw keys while running (text only at the end: repr on every lookup would cost the run dearly).
        self._trace: dict[str, tuple[dict[Key, str], dict[Key, tuple[str, str]], set[Key],
                                     dict[str, tuple[str, str]]]] | None = {}
        self._reading: set[Key] = set()
        self._checked: set[Key] = set()           # the keys rival checks read (a subset of those read)
        self._rivals: set[str] = set()            # the incidents whose rivals were checked
        self._in_check = False                    # a rival check is running
        self._step: Step = ()       # the step of the mention being placed
        self._now = ""              # the same, coarse
        self._run_members: dict[str, list[str]] = {}

    def footprints(self, only: Container[str] | None = None) -> dict[str, Footprint]:
        """Incident id -> footprint, under the ids the incidents have now (after :meth:`keep_ids`); with ``only``,
        of those incidents only."""
        out: dict[str, Footprint] = {}
        for run_id, (stored, looked, checked, rivals) in (self._trace or {}).items():
            members = self._run_members[run_id]
            ident = self.incident_of(members[0])
            if only is not None and ident not in only:
                continue
            steps = [self.step_of(m) for m in members]
            out[ident] = Footprint({key_text(k): v for k, v in stored.items()},
                                   {key_text(k): f"{a} {b}" for k, (a, b) in looked.items()},
                                   set(map(key_text, checked)),
                                   {self.incident_of(self._run_members[x][0]): f"{a} {b}"
                                    for x, (a, b) in rivals.items()},
                                   Steps(min(steps), max(steps), stored.keys() == set(self._keys.get(ident, ()))))
        return out

    def add_many(self, mentions: Iterable[Mention]) -> list[str]:
        """As :meth:`IncidentIndex.add_many`, on a new index only (one traced run)."""
        if self._members:
            raise ValueError("a TracedIndex traces one add_many on an empty index")
        out = super().add_many(mentions)
        self._run_members = {i: list(ms) for i, ms in self._members.items()}
        return out

    def keep_ids(self, previous: Mapping[str, Iterable[str]], taken: Container[str] = frozenset()) -> dict[str, str]:
        trace, self._trace = self._trace, None     # renaming refiles incidents: not part of the trace
        try:
            return super().keep_ids(previous, taken)
        finally:
            self._trace = trace

    # --- the hooks --------------------------------------------------------------------

    def _place(self, m: Mention, p: Profile) -> str:
        self._reading, self._checked, self._rivals = set(), set(), set()
        self._step = canonical_key(p, m)
        self._now = coarse(self._step)
        target = super()._place(m, p)
        if self._trace is not None:       # steps only grow in a run: the last read is this one
            _, looked, checked, rivals = self._trace.setdefault(target, ({}, {}, set(), {}))
            for k in self._reading | self._checked:
                looked[k] = (looked[k][0] if k in looked else self._now, self._now)
            checked |= self._checked
            for x in self._rivals:
                rivals[x] = (rivals[x][0] if x in rivals else self._now, self._now)
        return target

    def _has_rival(self, ident: str, margin: float = 0.0) -> bool:
        self._rivals.add(ident)
        self._in_check = True
        try:
            return super()._has_rival(ident, margin)
        finally:
            self._in_check = False

    def _candidates(self, p: Profile) -> set[str]:
        if self._trace is not None:
            (self._checked if self._in_check else self._reading).update(self._lookup_keys(p))
        return super()._candidates(p)

    def _refresh(self, ident: str) -> None:
        super()._refresh(ident)
        if self._trace is not None:
            stored = self._trace.setdefault(ident, ({}, {}, set(), {}))[0]
            for k in self._keys.get(ident, ()):
                stored.setdefault(k, self._now)
