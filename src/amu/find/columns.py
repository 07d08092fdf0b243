"""The incident rows of a store as columns (NumPy arrays), so a server can cut them by the common filters fast.

:class:`RowColumns` answers which rows *can* pass a :class:`~amu.find.filters.Filters`: those of its countries,
statuses and types, dated inside its period and with its least toll. It never drops a row that passes (it
tests exactly what :meth:`Filters.matches` tests for those filters); the rows it keeps still go through
``matches``, which also checks actors and nationalities. At 100k rows a cut takes about a millisecond, where
testing every row in Python took tens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from amu.find.filters import Filters, period
from amu.find.rows import IncidentRow


class RowColumns:
    """Country, status, (event, attack) type, period and least toll of each row, by row position."""

    def __init__(self, rows: Sequence[IncidentRow]) -> None:
        self.countries = _Codes([r.country for r in rows])
        self.statuses = _Codes([r.status for r in rows])
        self.types = _Codes([(r.event_type, r.attack_type) for r in rows])
        spans = [period(r.date) if r.date else ("", "") for r in rows]
        self.dated = np.array([bool(r.date) for r in rows], dtype=bool)
        self.first = np.array([a for a, _ in spans], dtype="U10")
        self.last = np.array([b for _, b in spans], dtype="U10")
        floors = [r.killed.floor if r.killed is not None and r.killed.floor is not None else np.nan for r in rows]
        self.killed = np.array(floors, dtype=float)
        self.size = len(rows)

    def candidates(self, filters: Filters | None) -> np.ndarray:
        """Positions of the rows that can pass ``filters``, in row order."""
        keep = np.ones(self.size, dtype=bool)
        if filters is None:
            return np.flatnonzero(keep)
        if filters.countries:
            keep &= self.countries.among(lambda c: c in filters.countries)
        if filters.statuses:
            keep &= self.statuses.among(lambda s: s in filters.statuses)
        if filters.types:
            keep &= self.types.among(lambda t: filters.type_passes(*t))
        if filters.since:
            keep &= self.dated & (self.last >= filters.since)
        if filters.until:
            keep &= self.dated & (self.first <= filters.until)
        if filters.min_killed is not None:
            with np.errstate(invalid="ignore"):
                keep &= self.killed >= filters.min_killed
        return np.flatnonzero(keep)


class _Codes:
    """One column of repeated values as small integer codes, with the distinct values."""

    def __init__(self, values: list[object]) -> None:
        self.values: list[object] = list(dict.fromkeys(values))
        index = {v: i for i, v in enumerate(self.values)}
        self.codes = np.array([index[v] for v in values], dtype=np.int32)

    def among(self, wanted: Callable[[Any], bool]) -> np.ndarray:
        """Rows whose value passes ``wanted`` (a test run once per distinct value)."""
        ok = [i for i, v in enumerate(self.values) if wanted(v)]
        return np.isin(self.codes, np.array(ok, dtype=np.int32))
