"""Incident-level CSV with ACLED-like columns, one row per fused incident.

:data:`COLUMNS` is the single list of columns and their meaning; the README's
table is checked against it by the tests. Lists inside a cell are joined with
``"; "``; empty cells are unknown, never zero.
"""

from __future__ import annotations

import csv
from typing import IO, Any, Iterable

from amu.find.rows import Figure, IncidentRow

LIST_SEP = "; "

COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "Amu incident id (stable across re-ingests; `amu show ID`)"),
    ("event_date", "ISO date at the precision known: 2024-03-22, 2024-03 or 2024"),
    ("date_precision", "day, month or year (empty when undated)"),
    ("event_type", "attack, plot, arrest, clash, security_operation, unrest, threat, propaganda, policy"),
    ("attack_type", "sub-type: armed_assault, bombing, suicide_bombing, vehicle_ramming, rocket_attack, "
                    "assassination, hostage_taking, arson"),
    ("status", "claimed, attributed, alleged, disputed or foiled"),
    ("actor1", "main perpetrator group (canonical name of the alias table)"),
    ("actors", "every perpetrator group named by the sources"),
    ("perpetrator_nationality", "perpetrators' nationality as the sources report it, ISO 3166-1 alpha-2, "
                                "most reported first"),
    ("country", "ISO 3166-1 alpha-2 code of the country where it happened"),
    ("country_name", "the country's English name"),
    ("admin1", "province (first-level administrative area)"),
    ("location", "place name as resolved in the gazetteer (town, district, venue)"),
    ("latitude", "WGS84 latitude of the place (empty when only the country is known)"),
    ("longitude", "WGS84 longitude of the place"),
    ("geo_precision", "1 exact town or venue, 2 district, 3 province, 4 country, 5 region (ACLED/GTD style)"),
    ("geo_precision_label", "the same as a word: exact, district, province, country, region"),
    ("killed_best", "fused number killed: best estimate"),
    ("killed_low", "lowest number killed any source allows"),
    ("killed_high", "highest number killed any source allows"),
    ("wounded_best", "fused number wounded: best estimate"),
    ("wounded_low", "lowest number wounded"),
    ("wounded_high", "highest number wounded"),
    ("arrested_best", "fused number arrested: best estimate"),
    ("arrested_low", "lowest number arrested"),
    ("arrested_high", "highest number arrested"),
    ("target", "what was attacked, where a source says (a shrine, an embassy)"),
    ("n_sources", "independent sources (republished copies count once)"),
    ("n_mentions", "mentions fused into the incident"),
    ("sources", "source documents: publisher, title and date, or the file name"),
    ("source_urls", "URLs of the source documents, where known"),
    ("first_reported", "publication date of the earliest source"),
    ("last_reported", "publication date of the latest source"),
    ("notes", "conflicts between sources (figures, date) and revisions"),
)
FIELDNAMES: tuple[str, ...] = tuple(name for name, _ in COLUMNS)


def _figure(prefix: str, f: Figure | None) -> dict[str, int | None]:
    return {f"{prefix}_best": f.best if f else None, f"{prefix}_low": f.low if f else None,
            f"{prefix}_high": f.high if f else None}


def _notes(row: IncidentRow) -> str:
    notes = []
    for name in ("killed", "wounded", "arrested"):
        f: Figure | None = getattr(row, name)
        if f is not None and f.conflict:
            notes.append(f"{name}: sources disagree ({f.low if f.low is not None else '?'}–"
                         f"{f.high if f.high is not None else '?'})")
        if f is not None and f.revised:
            notes.append(f"{name}: revised by a later report")
    if row.date_conflict:
        notes.append("date: sources disagree")
    return LIST_SEP.join(notes)


def _source_label(s: Any) -> str:
    bits = [b for b in (s.publisher, f"“{s.title}”" if s.title else None, s.published) if b]
    return ", ".join(bits) if bits else s.doc


def record(row: IncidentRow, country_names: dict[str, str] | None = None) -> dict[str, Any]:
    """One incident as a dict keyed by :data:`FIELDNAMES` (typed values; None for unknown)."""
    names = country_names if country_names is not None else _country_names()
    out: dict[str, Any] = {
        "event_id": row.id, "event_date": row.date, "date_precision": row.date_precision,
        "event_type": row.event_type, "attack_type": row.attack_type, "status": row.status,
        "actor1": row.perpetrator, "actors": LIST_SEP.join(row.actors) or None,
        "perpetrator_nationality": LIST_SEP.join(row.nationality) or None,
        "country": row.country, "country_name": names.get(row.country or ""),
        "admin1": row.admin1, "location": row.location, "latitude": row.lat, "longitude": row.lon,
        "geo_precision": row.geo_precision_code, "geo_precision_label": row.geo_precision,
        **_figure("killed", row.killed), **_figure("wounded", row.wounded), **_figure("arrested", row.arrested),
        "target": row.target, "n_sources": row.n_sources, "n_mentions": row.n_mentions,
        "sources": LIST_SEP.join(_source_label(s) for s in row.sources) or None,
        "source_urls": LIST_SEP.join(s.url for s in row.sources if s.url) or None,
        "first_reported": row.first_reported, "last_reported": row.last_reported,
        "notes": _notes(row) or None,
    }
    return out


def _country_names() -> dict[str, str]:
    from amu.find.values import country_names

    return country_names()


def write_csv(rows: Iterable[IncidentRow], out: IO[str]) -> int:
    """Write the header and one line per incident; returns the number of incidents written.

    ``out`` should be opened with ``newline=""`` (the csv module's own line endings are kept).
    """
    names = _country_names()
    writer = csv.DictWriter(out, fieldnames=FIELDNAMES, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in record(row, names).items()})
        n += 1
    return n
