"""Places: the gazetteer shipped as data, place-name matching, and geocoding precision.

A place is resolved to a :class:`amu.records.Place` with coordinates, GeoNames id, province
(admin-1) and kind; ``Place.precision`` names how exactly it locates an event.
"""

from __future__ import annotations

from amu.places.gazetteer import Gazetteer, PlaceMatch
from amu.places.names import normalize_name

__all__ = ["Gazetteer", "PlaceMatch", "normalize_name"]
