"""Hotspots: incidents and casualties by admin-1 area (province, region, oblast), with geo precision."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from amu.analysis.common import FIGURES, Analysis, FigureSum
from amu.find.rows import IncidentRow

NO_ADMIN1 = "(admin-1 not known)"
COLUMNS = ("country", "admin1", "incidents", "killed_best", "wounded_best", "arrested_best", "precision")
PRECISION_ORDER = ("exact", "district", "province", "country", "region", "unknown")


def hotspots(rows: Sequence[IncidentRow], top: int | None = None) -> Analysis:
    """Incidents and fused casualties per (country, admin-1), most incidents first.

    ``precision`` tells how precisely the incidents in the area are placed ("exact 3; province 1"): an
    area's count rests on incidents placed at least as precisely as the province. Incidents placed only
    to a country (or a region) are grouped under "(admin-1 not known)" for their country; incidents with
    no place at all are left out and counted in the notes.
    """
    incidents: Counter[tuple[str, str]] = Counter()
    sums: dict[tuple[str, str], dict[str, FigureSum]] = {}
    precision: dict[tuple[str, str], Counter[str]] = {}
    unplaced = 0
    for r in rows:
        if not r.country:
            unplaced += 1
            continue
        key = (r.country, r.admin1 or NO_ADMIN1)
        incidents[key] += 1
        figs = sums.setdefault(key, {f: FigureSum() for f in FIGURES})
        for f in FIGURES:
            figs[f].add(getattr(r, f))
        precision.setdefault(key, Counter())[r.geo_precision or "unknown"] += 1
    order = sorted(incidents, key=lambda k: (k[1] == NO_ADMIN1, -incidents[k], -sums[k]["killed"].best, k))
    out = []
    for key in order[:top] if top else order:
        p = precision[key]
        out.append({"country": key[0], "admin1": key[1], "incidents": incidents[key],
                    **{f"{f}_best": sums[key][f].best for f in FIGURES},
                    "precision": "; ".join(f"{label} {p[label]}" for label in PRECISION_ORDER if p[label])})
    notes = ["precision counts each area's incidents by how precisely they are placed "
             "(exact: town or venue; district; province; country; region)"]
    if unplaced:
        notes.append(f"{unplaced} incidents with no known place are left out")
    vague = sum(incidents[k] for k in incidents if k[1] == NO_ADMIN1)
    if vague:
        notes.append(f"{vague} incidents placed only to a country are listed under {NO_ADMIN1!r}, last")
    if top and len(order) > top:
        notes.append(f"the top {top} of {len(order)} areas are shown")
    return Analysis("hotspots", "Hotspots by admin-1 area", COLUMNS, tuple(out), method="counts by admin-1 area",
                    params={"top": top}, notes=tuple(notes))
