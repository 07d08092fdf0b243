"""The share of a group's operations outside Afghanistan and Pakistan ("external operations"), by year."""

from __future__ import annotations

from typing import Sequence

from amu.analysis.common import Analysis, iter_unique, year_of
from amu.find.rows import IncidentRow

HOME = frozenset({"AF", "PK"})
COLUMNS = ("group", "year", "incidents", "external", "share_external", "external_countries")


def external_share(rows: Sequence[IncidentRow], home: frozenset[str] = HOME) -> Analysis:
    """Per group and year: incidents with a known country, how many lie outside ``home``, and the share.

    Every group an incident names counts it (a joint operation counts for each). Incidents with no
    country, no group or no date are left out and counted in the notes; ``share_external`` is
    ``external / incidents`` over incidents with a known country.
    """
    table: dict[tuple[str, str], list[str | None]] = {}
    no_country = no_group = no_date = 0
    for r in rows:
        groups, year = list(iter_unique(r.actors)), year_of(r)
        if not groups:
            no_group += 1
            continue
        if not year:
            no_date += 1
            continue
        if not r.country:
            no_country += 1
            continue
        for g in groups:
            table.setdefault((g, year), []).append(r.country)
    out: list[dict[str, object]] = []
    small = 0
    for (group, year), countries in sorted(table.items()):
        small += len(countries) < 5
        external = [c for c in countries if c not in home]
        out.append({"group": group, "year": year, "incidents": len(countries), "external": len(external),
                    "share_external": round(len(external) / len(countries), 3),
                    "external_countries": sorted(set(c for c in external if c))})
    notes = [f"external: outside {', '.join(sorted(home))}; the share is over incidents with a known country"]
    for n, what in ((no_group, "name no group"), (no_date, "are undated"), (no_country, "have no country")):
        if n:
            notes.append(f"{n} incidents that {what} are left out")
    if small:
        notes.append(f"{small} group-years rest on fewer than 5 incidents: read their shares as anecdotes")
    return Analysis("external", "Share of external operations by group and year", COLUMNS, tuple(out),
                    method="share of incidents by country", params={"home": sorted(home)}, notes=tuple(notes))
