"""Which blocks each incident's making read and wrote: what lets fusion redo only part of a store.

:class:`TracedIndex` is an :class:`~amu.resolve.fusion.IncidentIndex` that records,
for every incident it builds, the block keys the incident was ever filed under
(*stored*: every fused profile it had on the way, not only the last) and the
block keys read while placing its mentions (*looked*: the candidate lookups, the
rival checks, and the blocks whose size a cap was checked against).

Why that is enough. :meth:`~amu.resolve.fusion.IncidentIndex.add_many` places
mentions one by one in a canonical order, and each decision reads only the
blocks it looks up. Split the incidents of a run into two sets A and B such that
no key one set looked up was ever stored by the other. Then, step by step in the
canonical order, every block a mention of A reads holds exactly the incidents of
A it would hold in a run over A's mentions alone (and likewise for B), so each
decision, and so the whole trace, is the same. The partition of all mentions is
therefore the union of the partitions of such independent parts, and a part can
be recomputed alone (:mod:`amu.resolve.incremental`).

Keys are encoded as text (:func:`key_text`) so that a store can keep them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from amu.records import Mention
from amu.resolve.fusion import IncidentIndex
from amu.resolve.profiles import Profile


Key = tuple[Any, ...]


def key_text(key: Key) -> str:
    """A block key as text (deterministic: keys hold strings, numbers and tuples of them)."""
    return repr(key)


@dataclass
class Footprint:
    """The blocks one incident was filed under (``stored``) and read (``looked``), as :func:`key_text`."""

    stored: set[str] = field(default_factory=set)
    looked: set[str] = field(default_factory=set)


class TracedIndex(IncidentIndex):
    """An index that records each incident's :class:`Footprint` while :meth:`add_many` runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Raw keys while running (text only at the end: repr on every lookup would cost the run dearly).
        self._trace: dict[str, tuple[set[Key], set[Key]]] | None = {}
        self._reading: set[Key] = set()
        self._run_members: dict[str, list[str]] = {}

    def footprints(self) -> dict[str, Footprint]:
        """Incident id -> footprint, under the ids the incidents have now (after :meth:`keep_ids`)."""
        out: dict[str, Footprint] = {}
        for run_id, (stored, looked) in (self._trace or {}).items():
            ident = self.incident_of(self._run_members[run_id][0])
            mine = out.setdefault(ident, Footprint())
            mine.stored.update(map(key_text, stored))
            mine.looked.update(map(key_text, looked))
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
        self._reading = set()
        target = super()._place(m, p)
        if self._trace is not None:
            self._trace.setdefault(target, (set(), set()))[1].update(self._reading)
        return target

    def _candidates(self, p: Profile) -> set[str]:
        if self._trace is not None:
            self._reading.update(self._lookup_keys(p))
        return super()._candidates(p)

    def _refresh(self, ident: str) -> None:
        super()._refresh(ident)
        if self._trace is not None:
            self._trace.setdefault(ident, (set(), set()))[0].update(self._keys.get(ident, ()))
