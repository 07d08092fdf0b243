"""STIX 2.1 bundles built with the ``stix2`` library, for OpenCTI, MISP and other CTI tools.

Mapping (one bundle per export):

- each incident -> an ``incident`` SDO; Amu's fields that STIX 2.1 has no place
  for (event and attack type, date, figures, status, perpetrators' nationality)
  are custom properties prefixed ``x_amu_``; every source report is an external
  reference (publisher, title, URL, document id), and the Amu id is one too;
- each perpetrator group -> an ``intrusion-set`` with its aliases from
  ``data/actors.json``, linked ``incident attributed-to intrusion-set``;
- each place -> a ``location`` (name, country, admin-1, latitude and longitude,
  ``x_amu_geo_precision``), linked ``incident located-at location``;
- Amu itself -> the ``identity`` every object is ``created_by_ref``; the
  ``x_amu_`` properties are declared in one ``extension-definition``
  (a top-level property extension, STIX 2.1 §7.3) that the objects using them name.

Re-exporting the same store gives the same bytes: ids are UUIDv5 over Amu's own
keys (the incident id, the group name, the place), timestamps come from the
data (an incident is ``created`` at its first report's publication date and
``modified`` at its latest; groups, places and the identity at
:data:`MAPPING_TIME`), and objects are written in a fixed order. Two of the
STIX validator's "should" checks are broken on purpose: ids are UUIDv5 (for
determinism) where it recommends v4, and ``attributed-to``/``located-at`` from
an incident are permitted but not among the spec's suggested relationships.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import IO, Any, Iterable

import stix2

from amu.export.csv import LIST_SEP, record
from amu.find.filters import period
from amu.find.rows import Figure, IncidentRow, Source

NAMESPACE = uuid.UUID("5d3e52ad-1f0c-4f38-9d2e-8a7f3b1c6e01")   # Amu's STIX namespace: never change it
MAPPING_TIME = "2025-01-01T00:00:00.000Z"                       # version 1 of this mapping
IDENTITY_ID = f"identity--{uuid.uuid5(NAMESPACE, 'identity:amu')}"
EXTENSION_ID = f"extension-definition--{uuid.uuid5(NAMESPACE, 'extension:amu-fields/1')}"
# The top-level properties Amu adds, declared in one extension definition (STIX 2.1 §7.3).
PROPERTIES: dict[str, str] = {
    "x_amu_id": "Amu incident id (amu show ID)",
    "x_amu_event_type": "attack, plot, arrest, clash, security_operation, unrest, threat, propaganda or policy",
    "x_amu_attack_type": "armed_assault, bombing, suicide_bombing, vehicle_ramming, rocket_attack, assassination, "
                         "hostage_taking or arson",
    "x_amu_date": "ISO date of the incident at the precision known (2024, 2024-03, 2024-03-22)",
    "x_amu_date_precision": "year, month or day",
    "x_amu_status": "claimed, attributed, alleged, disputed or foiled",
    "x_amu_perpetrator_nationality": "perpetrators' nationality as reported, ISO 3166-1 alpha-2 codes",
    "x_amu_target": "what was attacked, where a source says",
    "x_amu_killed": "fused number killed: {best, low, high}",
    "x_amu_wounded": "fused number wounded: {best, low, high}",
    "x_amu_arrested": "fused number arrested: {best, low, high}",
    "x_amu_n_sources": "number of independent source reports",
    "x_amu_geo_precision": "on a location: exact, district, province, country or region",
}
_EXTENDED = {EXTENSION_ID: {"extension_type": "toplevel-property-extension"}}


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: ``kind--uuid5(NAMESPACE, kind:key)``."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def incident_stix_id(incident_id: str) -> str:
    """The STIX id of an Amu incident (``inc-…``)."""
    return f"incident--{uuid.uuid5(NAMESPACE, incident_id)}"


def _stamp(iso: str | None, last: bool = False) -> str | None:
    if not iso:
        return None
    try:
        day = period(iso[:10])[1 if last else 0]
    except ValueError:
        return None
    return f"{day}T00:00:00.000Z"


def _identity() -> stix2.v21.Identity:
    return stix2.v21.Identity(id=IDENTITY_ID, created=MAPPING_TIME, modified=MAPPING_TIME, name="Amu",
                              identity_class="system",
                              description="Amu: sourced, deduplicated, geocoded incidents from reports "
                                          "on violent extremism")


def _extension() -> stix2.v21.ExtensionDefinition:
    schema = "Top-level properties added by Amu: " + "; ".join(f"{k}: {v}" for k, v in PROPERTIES.items())
    return stix2.v21.ExtensionDefinition(
        id=EXTENSION_ID, created=MAPPING_TIME, modified=MAPPING_TIME, created_by_ref=IDENTITY_ID,
        name="Amu incident fields", version="1.0.0", schema=schema,
        description="Event type, date precision, fused figures and other incident fields that STIX 2.1 has no "
                    "property for", extension_types=["toplevel-property-extension"],
        extension_properties=list(PROPERTIES))


def _aliases() -> dict[str, list[str]]:
    from amu.extract.lexicon import load_json

    return {g["name"]: [a for a in g["aliases"] if a != g["name"]] for g in load_json("actors.json")["groups"]}


def _group(name: str, aliases: dict[str, list[str]]) -> stix2.v21.IntrusionSet:
    extra: dict[str, Any] = {"aliases": aliases[name]} if aliases.get(name) else {}
    return stix2.v21.IntrusionSet(id=stix_id("intrusion-set", name), created=MAPPING_TIME, modified=MAPPING_TIME,
                                  created_by_ref=IDENTITY_ID, name=name, **extra)


def _place_key(row: IncidentRow) -> str | None:
    if row.has_point:
        return f"{row.country}|{row.location}|{row.lat:.4f}|{row.lon:.4f}"
    return f"{row.country}" if row.country else None


def _location(row: IncidentRow, names: dict[str, str]) -> stix2.v21.Location:
    props: dict[str, Any] = {"country": row.country} if row.country else {}
    if row.has_point:
        props.update(name=row.location or names.get(row.country or "", row.country or ""),
                     latitude=round(float(row.lat), 4), longitude=round(float(row.lon), 4),  # type: ignore[arg-type]
                     x_amu_geo_precision=row.geo_precision)
        if row.admin1:
            props["administrative_area"] = row.admin1
    else:
        props.update(name=names.get(row.country or "", row.country or ""), x_amu_geo_precision="country")
    return stix2.v21.Location(id=stix_id("location", _place_key(row) or ""), created=MAPPING_TIME,
                              modified=MAPPING_TIME, created_by_ref=IDENTITY_ID, extensions=_EXTENDED,
                              allow_custom=True, **props)


def _reference(s: Source) -> dict[str, str]:
    ref = {"source_name": s.publisher or s.doc, "external_id": s.doc_id,
           "description": LIST_SEP.join(b for b in (s.title, s.published and f"published {s.published}", s.doc) if b)}
    if s.url:
        ref["url"] = s.url
    return ref


def _figure(f: Figure | None) -> dict[str, int] | None:
    if f is None:
        return None
    out = {k: v for k, v in (("best", f.best), ("low", f.low), ("high", f.high)) if v is not None}
    return out or None


def _incident(row: IncidentRow, names: dict[str, str]) -> stix2.v21.Incident:
    rec = record(row, names)
    kind = row.event_type + (f"/{row.attack_type}" if row.attack_type else "")
    where = ", ".join(x for x in (row.location, row.admin1, names.get(row.country or "", row.country)) if x)
    name = f"{kind}{f' in {where}' if where else ''}{f', {row.date}' if row.date else ''}"
    facts = [f"{k.replace('_', ' ')}: {rec[k]}" for k in ("status", "actors", "perpetrator_nationality",
                                                           "killed_best", "wounded_best", "arrested_best",
                                                           "notes") if rec[k] not in (None, "")]
    created = _stamp(row.first_reported) or MAPPING_TIME
    modified = max(_stamp(row.last_reported, last=True) or created, created)
    custom = {
        "x_amu_id": row.id, "x_amu_event_type": row.event_type, "x_amu_attack_type": row.attack_type,
        "x_amu_date": row.date, "x_amu_date_precision": row.date_precision, "x_amu_status": row.status,
        "x_amu_perpetrator_nationality": list(row.nationality) or None, "x_amu_target": row.target,
        "x_amu_killed": _figure(row.killed), "x_amu_wounded": _figure(row.wounded),
        "x_amu_arrested": _figure(row.arrested), "x_amu_n_sources": row.n_sources,
    }
    refs = [{"source_name": "amu", "external_id": row.id}] + [_reference(s) for s in row.sources]
    return stix2.v21.Incident(
        id=incident_stix_id(row.id), created=created, modified=modified, created_by_ref=IDENTITY_ID,
        name=name, description=f"{name}. " + "; ".join(facts) if facts else name,
        labels=[x for x in (row.event_type, row.attack_type) if x], external_references=refs,
        extensions=_EXTENDED, allow_custom=True, **{k: v for k, v in custom.items() if v is not None})


def _relationship(source: str, kind: str, target: str, when: str) -> stix2.v21.Relationship:
    return stix2.v21.Relationship(id=stix_id("relationship", f"{source}|{kind}|{target}"), created=when,
                                  modified=when, created_by_ref=IDENTITY_ID, relationship_type=kind,
                                  source_ref=source, target_ref=target)


def bundle(rows: Iterable[IncidentRow]) -> stix2.v21.Bundle:
    """The STIX 2.1 bundle of the incidents (with their groups, places and relationships)."""
    from amu.find.values import country_names

    names, aliases = country_names(), _aliases()
    groups: dict[str, stix2.v21.IntrusionSet] = {}
    places: dict[str, stix2.v21.Location] = {}
    incidents, relations = [], []
    for row in rows:
        inc = _incident(row, names)
        incidents.append(inc)
        for actor in row.actors:
            group = groups.setdefault(actor, _group(actor, aliases))
            relations.append(_relationship(inc.id, "attributed-to", group.id, inc.modified))
        key = _place_key(row)
        if key is not None:
            place = places.setdefault(key, _location(row, names))
            relations.append(_relationship(inc.id, "located-at", place.id, inc.modified))
    objects = [_identity(), _extension(), *(groups[k] for k in sorted(groups)), *sorted(places.values(), key=lambda o: o.id),
               *incidents, *sorted(relations, key=lambda o: o.id)]
    digest = hashlib.sha256("\n".join(f"{o.id}@{o.get('modified', '')}" for o in objects).encode()).hexdigest()
    return stix2.v21.Bundle(objects=objects, id=f"bundle--{uuid.uuid5(NAMESPACE, 'bundle:' + digest)}",
                            allow_custom=True)


def _stable(value: Any) -> Any:
    """The same JSON with custom ``x_`` keys sorted after the standard ones in every object.

    ``stix2`` orders standard properties by their definition, but custom ones in
    set order, which changes from one Python process to the next.
    """
    if isinstance(value, dict):
        keys = [k for k in value if not k.startswith("x_")] + sorted(k for k in value if k.startswith("x_"))
        return {k: _stable(value[k]) for k in keys}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def serialize(b: stix2.v21.Bundle) -> str:
    """The bundle as indented JSON, the same bytes in every process."""
    return json.dumps(_stable(json.loads(b.serialize(pretty=True))), indent=4, ensure_ascii=False)


def write_stix(rows: Iterable[IncidentRow], out: IO[str]) -> int:
    """Write the bundle as pretty JSON; returns the number of incidents in it."""
    b = bundle(rows)
    out.write(serialize(b))
    out.write("\n")
    return sum(1 for o in b.objects if o.type == "incident")
