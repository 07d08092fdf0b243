"""Analysis over the incident rows that :mod:`amu.find` gives (the same filters; no SQL here, except
:func:`counts_in_store`, which asks the store for the counts it can compute in SQL).

>>> from amu.find import find_incidents, parse_filters
>>> from amu.analysis import counts, changes, external_share, hotspots, network, early_warning
>>> rows = find_incidents(store, parse_filters(actor=["ISKP"]), sources=False)
>>> counts(rows, by="country").rows[0]
{'country': 'AF', 'incidents': 12, 'killed_best': 80, ...}

Each function takes rows and returns an :class:`Analysis` (title, method, parameters, one dict per
row, notes on what was left out and how far the numbers can be trusted); ``network`` also returns the
networkx graph for :func:`write_graphml`.
"""

from __future__ import annotations

from amu.analysis.changes import changes
from amu.analysis.common import Analysis, FigureSum, monthly_counts
from amu.analysis.counts import BY, counts, counts_in_store
from amu.analysis.external import external_share
from amu.analysis.hotspots import hotspots
from amu.analysis.network import actor_graph, network, people_by_incident, write_graphml
from amu.analysis.warning import early_warning, lagged_correlation

__all__ = ["BY", "Analysis", "FigureSum", "actor_graph", "changes", "counts", "counts_in_store", "early_warning", "external_share",
           "hotspots", "lagged_correlation", "monthly_counts", "network", "people_by_incident", "write_graphml"]
