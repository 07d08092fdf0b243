"""One flat, typed record per fused incident: what `amu incidents` shows and `amu export` writes.

:func:`load_rows` reads the fused incidents, their mentions (for the perpetrators'
nationality) and their source documents (for titles and URLs) through the store.
The fused incidents are read by :func:`stored_incidents`, the one place in this
package that touches the store's tables; everything else works on
:class:`IncidentRow`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Collection, Iterable, Mapping

from amu.errors import NotFound
from amu.gcpause import collector_paused
from amu.records import GEO_PRECISION, Document


@dataclass(frozen=True)
class Figure:
    """A fused figure: ``best`` with the ``low``–``high`` range the sources allow."""

    low: int | None
    best: int | None
    high: int | None
    conflict: bool = False      # the sources disagree beyond rounding
    revised: bool = False       # a later report revised an earlier figure

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> Figure | None:
        if not d:
            return None
        return cls(d.get("low"), d.get("best"), d.get("high"), bool(d.get("conflict")), bool(d.get("revised")))

    @property
    def floor(self) -> int | None:
        """The figure used by ``--min-killed``: the best estimate, else the lower bound."""
        return self.best if self.best is not None else self.low


@dataclass(frozen=True)
class Source:
    """A report an incident rests on."""

    doc: str                    # file name
    doc_id: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None

    @classmethod
    def of(cls, doc: Document) -> Source:
        return cls(doc.name, doc.id, doc.title, doc.url, doc.publisher, doc.published)


@dataclass(frozen=True)
class IncidentRow:
    """A fused incident as a flat record (see the README's table of CSV columns)."""

    id: str
    event_type: str
    attack_type: str | None = None
    date: str | None = None                 # ISO, at the precision known: 2024, 2024-03, 2024-03-22
    date_precision: str | None = None       # year, month, day
    date_conflict: bool = False
    status: str | None = None               # claimed, attributed, alleged, disputed, foiled
    perpetrator: str | None = None          # the main perpetrator group (canonical name)
    actors: tuple[str, ...] = ()            # every perpetrator group named, main one first
    nationality: tuple[str, ...] = ()       # perpetrators' nationality, ISO2, most reported first
    country: str | None = None              # ISO2
    admin1: str | None = None
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None        # exact, district, province, country, region
    geo_precision_code: int | None = None   # 1 (exact) .. 5 (region), as ACLED and the GTD code it
    target: str | None = None
    killed: Figure | None = None
    wounded: Figure | None = None
    arrested: Figure | None = None
    n_mentions: int = 0
    n_sources: int = 0                      # independent sources
    first_reported: str | None = None
    last_reported: str | None = None
    doc_ids: tuple[str, ...] = ()
    sources: tuple[Source, ...] = field(default=())

    @classmethod
    def bulk(cls, **values: Any) -> IncidentRow:
        """A row from every field but ``sources`` (empty), made without the frozen ``__init__``.

        That ``__init__`` sets each of the 29 fields through ``object.__setattr__``: half the time of
        reading 100,000 rows for a brief. The row is as frozen as any other afterwards.
        """
        row = object.__new__(cls)
        row.__dict__.update(values, sources=())
        return row

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def conflict(self) -> bool:
        """Some fused figure, or the date, is disputed between sources."""
        return self.date_conflict or any(f is not None and f.conflict for f in (self.killed, self.wounded,
                                                                                  self.arrested))

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (figures and sources as nested objects); the same as ``dataclasses.asdict``, without
        its deep copies (a server writes many rows a second)."""
        out = {name: getattr(self, name) for name in _ROW_FIELDS}
        for key in ("killed", "wounded", "arrested"):
            if out[key] is not None:
                out[key] = asdict(out[key])
        out["actors"], out["nationality"], out["doc_ids"] = list(self.actors), list(self.nationality), \
            list(self.doc_ids)
        out["sources"] = [asdict(s) for s in self.sources]
        return out


_ROW_FIELDS = tuple(f.name for f in fields(IncidentRow))


def stored_incidents(store: Any, countries: Collection[str] | None = None, since: str | None = None,
                     until: str | None = None) -> list[dict[str, Any]]:
    """The fused incident records as the store keeps them (``Incident.to_dict`` plus the counts).

    ``countries``, ``since`` and ``until`` let the store skip records that cannot pass those filters
    (see :meth:`amu.store.Store.all_incident_rows`); the records kept still need the filters applied.
    """
    return [record_of(r) for r in store.all_incident_rows(countries=countries, since=since, until=until)]


def record_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """One stored incident's record (a row of the store's incidents table): ``data_json`` plus the counts."""
    data: dict[str, Any] = json.loads(row["data_json"])
    data["n_mentions"], data["n_sources"] = row["n_mentions"], row["n_sources"]
    return data


_PRECISION = {4: "year", 7: "month", 10: "day"}


def _precision(iso: str | None) -> str | None:
    return _PRECISION.get(len(iso)) if iso else None


def row_from_record(data: Mapping[str, Any], nationality: Iterable[str] = ()) -> IncidentRow:
    """An :class:`IncidentRow` from one stored incident record (without its sources)."""
    get = data.get                              # a brief reads 100k records: each lookup counts
    place = get("place") or {}
    code, label = GEO_PRECISION.get(place.get("kind", ""), (None, None)) if place else (None, None)
    country = get("country")
    if not place and country:
        code, label = GEO_PRECISION["country"]
    perpetrator, perpetrators = get("perpetrator"), get("perpetrators") or ()
    actors = (perpetrator, *perpetrators) if perpetrator else tuple(perpetrators)
    date = get("date")
    return IncidentRow.bulk(
        id=data["id"], event_type=data["event_type"], attack_type=get("attack_type"),
        date=date, date_precision=_precision(date),
        date_conflict=bool(get("date_conflict")), status=get("status"),
        perpetrator=perpetrator, actors=tuple(dict.fromkeys(a for a in actors if a)),
        nationality=tuple(nationality), country=country or place.get("country"),
        admin1=place.get("admin1"), location=get("location") or place.get("name"),
        lat=place.get("lat"), lon=place.get("lon"), geo_precision=label, geo_precision_code=code,
        target=get("target"), killed=Figure.from_dict(get("killed")), wounded=Figure.from_dict(get("wounded")),
        arrested=Figure.from_dict(get("arrested")),
        n_mentions=int(get("n_mentions") or len(get("mention_ids") or ())),
        n_sources=int(get("n_sources") or get("independent_sources") or 0),
        first_reported=get("first_reported"), last_reported=get("last_reported"),
        doc_ids=tuple(get("doc_ids") or ()),
    )


def nationality_by_incident(store: Any, incident_ids: Collection[str] | None = None) -> dict[str, tuple[str, ...]]:
    """Perpetrators' nationality (ISO2) per incident, most often reported first, from its mentions
    (of every incident, or of those in ``incident_ids``)."""
    counts: dict[str, Counter[str]] = {}
    for incident, nationality in store.incident_nationalities(incident_ids):   # two columns, not whole mentions
        if nationality:
            counts.setdefault(incident, Counter()).update(nationality)
    return {i: tuple(sorted(c, key=lambda k: (-c[k], k))) for i, c in counts.items()}


def load_rows(store: Any, countries: Collection[str] | None = None, since: str | None = None,
              until: str | None = None) -> list[IncidentRow]:
    """Every fused incident in the store as a row, without sources (see :func:`with_sources`).

    With ``countries``, ``since`` or ``until``, rows that cannot pass those filters may be left out
    (the store reads only what its index can reach, and only those incidents' nationalities); the
    others still need the filters applied.
    """
    with collector_paused():      # 100k records and rows hold no cycles: see amu.gcpause
        records = stored_incidents(store, countries, since, until)
        filtered = bool(countries or since or until)
        nat = nationality_by_incident(store, [d["id"] for d in records] if filtered else None)
        return [row_from_record(d, nat.get(d["id"], ())) for d in records]


def with_sources(store: Any, rows: Iterable[IncidentRow]) -> list[IncidentRow]:
    """The rows with their source documents (title, URL, publisher, date) filled in."""
    docs: dict[str, Source | None] = {}

    def source(doc_id: str) -> Source | None:
        if doc_id not in docs:
            try:
                docs[doc_id] = Source.of(store.document(doc_id))
            except NotFound:    # a document removed since fusion leaves the row usable
                docs[doc_id] = None
        return docs[doc_id]

    out = []
    for r in rows:
        found = [s for s in (source(d) for d in r.doc_ids) if s is not None]
        out.append(replace(r, sources=tuple(sorted(found, key=lambda s: (s.published or "", s.doc)))))
    return out
