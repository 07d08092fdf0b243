"""Counts of incidents, killed, wounded and arrested by month, country, type, group or nationality."""

from __future__ import annotations

from typing import Callable, Sequence

from amu.analysis.common import FIGURES, Analysis, FigureSum, month_of, month_range, iter_unique
from amu.errors import FilterError
from amu.find.rows import IncidentRow

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
            figs = sums.setdefault(k, {f: FigureSum() for f in FIGURES})
            for f in FIGURES:
                figs[f].add(getattr(r, f))
    if by == "month":
        order = month_range(min(incidents), max(incidents)) if incidents else []
    else:
        order = sorted(incidents, key=lambda k: (k == UNKNOWN, -incidents[k], k))
    out = []
    for k in order:
        figs = sums.get(k) or {f: FigureSum() for f in FIGURES}
        row: dict[str, object] = {by: k, "incidents": incidents.get(k, 0)}
        for f in FIGURES:
            row.update({f"{f}_best": figs[f].best, f"{f}_low": figs[f].low, f"{f}_high": figs[f].high})
        out.append(row)
    notes = [f"{len(rows)} incidents in all"]
    if left_out:
        notes.append(f"{left_out} incidents dated only to a year, or undated, are not in any month")
    if multi:
        notes.append(f"{multi} incidents count under more than one {by} (several named)")
    notes.append("best sums best estimates; low/high sum each incident's bounds (its best estimate where a bound "
                 "is missing); an incident with no figure adds 0")
    return Analysis("counts", f"Incidents and casualties by {by}", (by, *COLUMNS), tuple(out),
                    method="sums over fused incidents", params={"by": by}, notes=tuple(notes))
