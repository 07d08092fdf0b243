"""Analysis panels: thin wrappers over :mod:`amu.analysis`, and the charts the brief draws.

Each ``/api/analysis/NAME`` takes the filters of `amu incidents` and the options of `amu analyze NAME`, and
returns the :class:`amu.analysis.Analysis` as JSON (title, method, params, columns, rows, notes). The
charts come from :mod:`amu.brief.charts`, the one chart code path of the brief and the dashboard.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from amu.analysis import BY, changes, counts, early_warning, external_share, hotspots, network, people_by_incident
from amu.find.filters import parse_date
from amu.web.deps import SelectionDep, StoreDep
from amu.web.errors import ERRORS, ApiError

router = APIRouter(prefix="/api", tags=["analysis"], responses=ERRORS)
ByQuery = Annotated[str, Query(description=f"one of: {', '.join(BY)}")]


def _out(result: Any, described: str) -> dict[str, Any]:
    return {**result.to_dict(), "filters": described}


@router.get("/analysis/counts", summary="Incidents, killed, wounded, arrested by month, country, type, group or "
                                        "nationality")
def counts_route(store: StoreDep, selection: SelectionDep, by: ByQuery = "month") -> dict[str, Any]:
    """`amu analyze counts --by BY`: best, low and high sums of the fused figures."""
    return _out(counts(selection.rows(store), by=by), selection.described)


@router.get("/analysis/changes", summary="Has the monthly rate changed? (exact conditional Poisson test)")
def changes_route(
    store: StoreDep, selection: SelectionDep, by: ByQuery = "month",
    window: Annotated[int, Query(ge=1, description="recent months tested")] = 3,
    baseline: Annotated[int | None, Query(ge=1, description="baseline months (default: every earlier month)")] = None,
    end: Annotated[str | None, Query(description="last month of the window, YYYY-MM")] = None,
    alpha: Annotated[float, Query(gt=0, lt=1, description="significance level")] = 0.05,
    min_events: Annotated[int, Query(ge=0, description="fewest incidents, both windows, for any claim")] = 10,
) -> dict[str, Any]:
    """`amu analyze changes`: both windows, counts, rate ratio, expected count and two-sided p-value."""
    if end is not None:
        end = parse_date(end, "end")
        if len(end) != 7:
            raise ApiError(400, "invalid_filter", f"end {end} is not a month", "give a month: end=2025-06")
    result = changes(selection.rows(store), by=by, window=window, baseline=baseline, end=end, alpha=alpha,
                     min_events=min_events)
    return _out(result, selection.described)


@router.get("/analysis/external", summary="Share of each group's incidents outside Afghanistan and Pakistan, "
                                          "by year")
def external_route(store: StoreDep, selection: SelectionDep) -> dict[str, Any]:
    return _out(external_share(selection.rows(store)), selection.described)


@router.get("/analysis/hotspots", summary="Incidents and casualties by admin-1 area, with geo precision")
def hotspots_route(store: StoreDep, selection: SelectionDep,
                   top: Annotated[int, Query(ge=0, description="at most this many areas (0: all)")] = 0) -> dict[str, Any]:
    return _out(hotspots(selection.rows(store), top=top or None), selection.described)


@router.get("/analysis/network", summary="Groups, places and people linked through shared incidents")
def network_route(store: StoreDep, selection: SelectionDep,
                  top: Annotated[int, Query(ge=0, description="nodes listed (0: all)")] = 30) -> dict[str, Any]:
    """`amu analyze network`: centrality and communities (networkx); ``edges`` lists the graph's edges with
    their weight (incidents shared)."""
    result, graph = network(selection.rows(store), people_by_incident(store), top=top or None)
    edges = [{"source": a, "target": b, "weight": d.get("weight", 1)} for a, b, d in graph.edges(data=True)]
    return {**_out(result, selection.described), "edges": edges}


@router.get("/analysis/warning", summary="Early warning: propaganda, threats and plots before attacks (lead-lag)")
def warning_route(
    store: StoreDep, selection: SelectionDep,
    max_lag: Annotated[int, Query(ge=0, le=24, description="longest lead, months")] = 6,
    min_months: Annotated[int, Query(ge=1, description="fewest months for a reading")] = 24,
) -> dict[str, Any]:
    """`amu analyze warning`: best lag, r, months behind it and the noise band; co-movement, never cause."""
    return _out(early_warning(selection.rows(store), max_lag=max_lag, min_months=min_months), selection.described)


@router.get("/charts/timeline.svg", summary="Incidents per month as an SVG chart (the brief's chart)",
            response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def timeline_chart(store: StoreDep, selection: SelectionDep) -> Response:
    """The brief's timeline (matplotlib, inline SVG, text as text) over the incidents that pass the filters."""
    from amu.brief.charts import timeline_svg

    result = counts(selection.rows(store), by="month")
    if not result.rows:
        svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="4" y="24">'
               'No incident is dated to a month or a day.</text></svg>')
    else:
        svg = timeline_svg([str(r["month"]) for r in result.rows], [int(r["incidents"]) for r in result.rows])
    return Response(svg, media_type="image/svg+xml")
