"""Counts of incidents, killed, wounded and arrested by month, country, type, group or nationality."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from amu.analysis.common import FIGURES, Analysis, FigureSum, iter_unique, month_of, month_range
from amu.errors import FilterError
from amu.find.filters import Filters
from amu.find.query import find_incidents, sql_filters
from amu.find.rows import IncidentRow
from amu.store.counts import COUNT_KEYS

UNKNOWN = "unknown"


def _type(row: IncidentRow) -> list[str]:
    return [f"{row.event_type}/{row.attack_type}" if row.attack_type else row.event_type]


KEYS: dict[str, Callable[[IncidentRow], list[str]]] = {
    "month": lambda r: [m] if (m := month_of(r)) else [],
    "country": lambda r: [r.country or UNKNOWN],
    "type": _type,
    "group": lambda r: list(iter_unique(r.actors)) or [UNKNOWN],
    "nationality": lambda r: list(iter_unique(r.nationality)) or [UNKNOWN],
}
BY = tuple(KEYS)
COLUMNS = ("incidents",) + tuple(f"{f}_{k}" for f in FIGURES for k in ("best", "low", "high"))


def check_by(by: str) -> str:
    if by not in KEYS:
        raise FilterError(f"cannot count by {by!r}", hint=f"use one of: {', '.join(BY)}", valid=BY)
    return by


def counts(rows: Sequence[IncidentRow], by: str = "month") -> Analysis:
    """Incidents and the sums of their fused figures per month, country, type, group or nationality.

    Figures: ``best`` sums the best estimates; ``low``/``high`` sum each incident's bounds (its best
    estimate where a bound is missing). An incident with several groups (or perpetrators of several
    nationalities) counts once under each, so those columns may add up to more than the total.
    By month, every month from the first to the last is listed (0 where nothing happened); incidents
    dated only to a year, or undated, are left out and counted in the notes.
    """
    key = KEYS[check_by(by)]
    incidents: dict[str, int] = {}
    sums: dict[str, dict[str, FigureSum]] = {}
    left_out = multi = 0
    for r in rows:
        keys = key(r)
        if not keys:
            left_out += 1
        multi += len(keys) > 1
        for k in keys:
            incidents[k] = incidents.get(k, 0) + 1
            figs = sums.get(k)
            if figs is None:   # made once per key, not once per row (100k rows: half a second)
                figs = sums[k] = {f: FigureSum() for f in FIGURES}
            for f in FIGURES:
                figs[f].add(getattr(r, f))
    totals = {k: {f: (s.best, s.low, s.high) for f, s in figs.items()} for k, figs in sums.items()}
    return _analysis(by, incidents, totals, len(rows), left_out, multi)


def counts_in_store(store: Any, filters: Filters | None = None, by: str = "month") -> Analysis:
    """:func:`counts` over the incidents that pass ``filters``, computed by the store where it can.

    Counts by month, country, type or group, with no filter or only country, date, type and
    minimum-killed filters, are one SQL ``GROUP BY`` (:meth:`amu.store.Store.incident_counts`).
    Counts by nationality, and filters by actor, nationality or status, need each incident's row
    (its groups, its mentions' nationalities, its status are not columns): those load the rows and
    count in Python, with the same result.
    """
    check_by(by)
    sql = sql_filters(filters)
    if by not in COUNT_KEYS or sql is None:
        return counts(find_incidents(store, filters, sources=False), by=by)
    result = store.incident_counts(by, sql)
    incidents = {g.key: g.incidents for g in result.groups if g.key is not None or by != "month"}
    totals = {g.key: g.sums for g in result.groups if g.key is not None or by != "month"}
    if by != "month" and None in incidents:      # no country, no group: UNKNOWN, as the rows count it
        incidents[UNKNOWN], totals[UNKNOWN] = incidents.pop(None), totals.pop(None)
    left_out = sum(g.incidents for g in result.groups if g.key is None) if by == "month" else 0
    return _analysis(by, incidents, totals, result.total, left_out, result.multi)  # type: ignore[arg-type]


def _analysis(by: str, incidents: dict[str, int], sums: dict[str, dict[str, tuple[int, int, int]]], total: int,
              left_out: int, multi: int) -> Analysis:
    """The table, ordered (every month from the first to the last; else the most incidents first), with notes."""
    if by == "month":
        order = month_range(min(incidents), max(incidents)) if incidents else []
    else:
        order = sorted(incidents, key=lambda k: (k == UNKNOWN, -incidents[k], k))
    out = []
    for k in order:
        figs = sums.get(k) or {}
        row: dict[str, object] = {by: k, "incidents": incidents.get(k, 0)}
        for f in FIGURES:
            best, low, high = figs.get(f, (0, 0, 0))
            row.update({f"{f}_best": best, f"{f}_low": low, f"{f}_high": high})
        out.append(row)
    notes = [f"{total} incidents in all"]
    if left_out:
        notes.append(f"{left_out} incidents dated only to a year, or undated, are not in any month")
    if multi:
        notes.append(f"{multi} incidents count under more than one {by} (several named)")
    notes.append("best sums best estimates; low/high sum each incident's bounds (its best estimate where a bound "
                 "is missing); an incident with no figure adds 0")
    return Analysis("counts", f"Incidents and casualties by {by}", (by, *COLUMNS), tuple(out),
                    method="sums over fused incidents", params={"by": by}, notes=tuple(notes))
