"""GeoJSON (RFC 7946): a FeatureCollection of incidents with coordinates, as Points.

Each feature's ``properties`` are the incident's CSV record (:func:`amu.export.csv.record`,
typed: numbers stay numbers). Incidents located only to a country have no
coordinates and are left out; their number is returned and written in the
collection's foreign member ``amu`` (RFC 7946 §6.1), so a map never claims to
be complete when it is not.
"""

from __future__ import annotations

import json
from typing import IO, Any, Iterable

from amu.export.csv import record
from amu.find.rows import IncidentRow


def feature(row: IncidentRow, country_names: dict[str, str]) -> dict[str, Any]:
    """One incident as a Point feature (the row must have coordinates)."""
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
        "properties": record(row, country_names),
    }


def feature_collection(rows: Iterable[IncidentRow]) -> tuple[dict[str, Any], int]:
    """The FeatureCollection and the number of incidents left out for want of coordinates."""
    from amu.find.values import country_names

    names = country_names()
    features, missing = [], 0
    for row in rows:
        if row.has_point:
            features.append(feature(row, names))
        else:
            missing += 1
    collection = {
        "type": "FeatureCollection",
        "features": features,
        "amu": {"incidents": len(features) + missing, "without_coordinates": missing},
    }
    return collection, missing


def write_geojson(rows: Iterable[IncidentRow], out: IO[str]) -> tuple[int, int]:
    """Write the collection; returns (features written, incidents left out without coordinates)."""
    collection, missing = feature_collection(rows)
    json.dump(collection, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(collection["features"]), missing
