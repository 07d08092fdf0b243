"""Find incidents: filters with validation, one flat record per incident.

>>> from amu.find import find_incidents, parse_filters
>>> rows = find_incidents(store, parse_filters(since="2022", actor=["ISIS-K"], country=["TJ", "Uzbekistan"]))
"""

from __future__ import annotations

from amu.find.filters import Filters, parse_filters, period
from amu.find.query import RowCache, find_incidents, perpetrators_in
from amu.find.rows import Figure, IncidentRow, Source

__all__ = ["Figure", "Filters", "IncidentRow", "RowCache", "Source", "find_incidents", "parse_filters", "period",
           "perpetrators_in"]
