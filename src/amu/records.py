"""Typed records that cross stage boundaries: Document -> Mention -> Incident.

Every extracted fact carries provenance: the document it came from and the
character span of the evidence. Records are plain dataclasses so they can be
pickled (for multiprocessing) and serialised to JSON without ceremony.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EVENT_TYPES = (
    "attack", "plot", "arrest", "clash", "security_operation",
    "unrest", "threat", "propaganda", "policy",
)
ATTACK_TYPES = (
    "armed_assault", "bombing", "suicide_bombing", "vehicle_ramming",
    "rocket_attack", "assassination", "hostage_taking", "arson",
)
STATUSES = ("claimed", "attributed", "alleged", "disputed", "foiled")

Precision = Literal["year", "month", "day"]


@dataclass(frozen=True)
class Span:
    """A character span ``[start, end)`` of a document's text."""

    start: int
    end: int
    text: str


@dataclass
class Document:
    """One ingested report. ``id`` is a content hash: same text, same id."""

    id: str
    name: str
    text: str
    path: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None          # ISO date, at whatever precision is known
    published_inferred: bool = False      # True when guessed from the text
    language: str | None = None
    source_format: str = "txt"            # txt, md, html, json, jsonl
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    """A file or record that could not be ingested, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class DateValue:
    """A resolved temporal expression."""

    iso: str                      # "2024", "2024-03", "2024-03-22"
    precision: Precision
    start: int = -1               # character span in the text it came from (-1: not from text)
    end: int = -1
    text: str = ""
    qualifier: str | None = None  # "early", "mid", "late", "around" ...


# Geocoding precision by kind of gazetteer entry, as ACLED and the GTD code it (1 = the exact town or
# venue, larger = coarser), with a name so that an export reads without a codebook.
GEO_PRECISION: dict[str, tuple[int, str]] = {
    "venue": (1, "exact"), "city": (1, "exact"), "admin2": (2, "district"),
    "admin1": (3, "province"), "country": (4, "country"), "region": (5, "region"),
}


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    name: str                     # common English name
    country: str                  # ISO 3166-1 alpha-2
    kind: str                     # country, admin1, admin2, city, venue, region
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None     # name of the province the place lies in, if known
    population: int = 0
    geonameid: int | None = None

    @property
    def precision(self) -> tuple[int, str]:
        """How exactly this place locates an event: ``(code, name)``, e.g. ``(1, "exact")``."""
        return GEO_PRECISION.get(self.kind, (3, "province"))


@dataclass(frozen=True)
class Count:
    """A reported figure: exact (``min == max``) or bounded."""

    min: int | None
    max: int | None
    text: str = ""
    start: int = -1
    end: int = -1

    @property
    def exact(self) -> int | None:
        return self.min if self.min is not None and self.min == self.max else None

    def to_json(self) -> int | dict[str, int]:
        if self.exact is not None:
            return self.exact
        out: dict[str, int] = {}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        return out


@dataclass(frozen=True)
class Evidence:
    """The sentence that supports a mention, with its character span in the document."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Provenance:
    doc_id: str
    extractor: str
    version: str
    model: str | None = None


@dataclass
class Mention:
    """One incident as one document reports it (the interchange format's unit)."""

    id: str
    doc: str                          # document file name
    doc_id: str
    event_type: str
    evidence: Evidence
    provenance: Provenance
    attack_type: str | None = None
    date: DateValue | None = None
    country: str | None = None
    location: str | None = None
    place: Place | None = None
    perpetrator: str | None = None
    perpetrator_nationality: list[str] = field(default_factory=list)
    killed: Count | None = None
    wounded: Count | None = None
    arrested: Count | None = None
    status: str | None = None
    target: str | None = None
    people: list[str] = field(default_factory=list)
    incident: str | None = None
    confidence: float = 0.5
    # A day or month the report gives the event without a year, when it has no publication date to place
    # it by: ISO 8601 truncated ("--08-26", "--08", "-W-2" for a Tuesday). Fusion compares it with dated
    # reports; it is never a date of its own.
    date_hint: str | None = None

    def to_interchange(self) -> dict[str, Any]:
        """The mention as one line of the shared interchange format."""
        out: dict[str, Any] = {"doc": self.doc, "incident": self.incident, "event_type": self.event_type}
        if self.attack_type:
            out["attack_type"] = self.attack_type
        if self.date:
            out["date"] = self.date.iso
            if self.date.qualifier == "incident":   # the incident's day, which the report's hint agrees with
                out["date_from"] = "incident"
                out["date_hint"] = self.date_hint
        elif self.date_hint:
            out["date_hint"] = self.date_hint
        for key in ("country", "location", "perpetrator"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.place is not None and self.place.lat is not None and self.place.lon is not None:
            out["lat"], out["lon"] = round(self.place.lat, 4), round(self.place.lon, 4)
            out["geo_precision"] = self.place.precision[1]
            if self.place.admin1:
                out["admin1"] = self.place.admin1
            if self.place.geonameid:
                out["geonameid"] = self.place.geonameid
        for key in ("killed", "wounded", "arrested"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value.to_json()
        if self.perpetrator_nationality:
            out["perpetrator_nationality"] = list(self.perpetrator_nationality)
        if self.status:
            out["status"] = self.status
        if self.people:
            out["people"] = list(self.people)
        out["evidence"] = {"text": self.evidence.text, "start": self.evidence.start, "end": self.evidence.end}
        out["mention_id"] = self.id
        out["doc_id"] = self.doc_id
        out["extractor"] = f"{self.provenance.extractor}@{self.provenance.version}"
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


RELATION_EXTRACTOR = "amu.extract.relations.v1"


@dataclass(frozen=True)
class Relation:
    """A relation a report states: ``subject relation object``, with the sentence that says so.

    Kinds: an alias-table kind (militant, de_facto_authority, media_wing), ``group`` or
    ``media_wing`` for a name the table lacks, ``person``, or ``incident`` (the incident
    reported in the sentence: ``mention_id`` when an extracted mention has it as evidence,
    else a short phrase of the sentence).
    """

    subject: str
    subject_kind: str
    relation: str
    object: str
    object_kind: str
    doc_id: str
    doc: str
    evidence: Evidence
    mention_id: str | None = None
    extractor: str = RELATION_EXTRACTOR


@dataclass(frozen=True)
class AliasSeen:
    """One surface form of a group or outlet as written in one document."""

    name: str          # canonical name in the alias table (outlets keep their own name)
    kind: str
    alias: str         # as first written in the document
    doc_id: str
    doc: str
    count: int
    start: int         # first occurrence
    end: int
    parent: str | None = None   # the group an outlet or wing belongs to, per the alias table


def person_key(name: str) -> str:
    """How one person's name is matched across documents: exact, up to case, spacing and apostrophes."""
    return " ".join(name.replace("’", "'").casefold().split())
