"""Resolution: place names to gazetteer entries, and (later) aliases and incident matching."""

from __future__ import annotations

from amu.resolve.gazetteer import Gazetteer, PlaceMatch
from amu.resolve.placenames import normalize_name

__all__ = ["Gazetteer", "PlaceMatch", "normalize_name"]
