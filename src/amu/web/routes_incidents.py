"""Incidents: the filtered list, one incident with its evidence, exports, and the valid filter values."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from amu.export import FORMATS, export
from amu.find import perpetrators_in
from amu.find import values
from amu.find.rows import with_sources
from amu.records import STATUSES
from amu.web.deps import CacheDep, SelectionDep, StoreDep
from amu.web.detail import incident_detail
from amu.web.errors import ERRORS, ApiError

router = APIRouter(prefix="/api", tags=["incidents"], responses=ERRORS)

MEDIA = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "json": "application/json",
         "jsonl": "application/x-ndjson", "stix": "application/json"}
SUFFIX = {"csv": "csv", "geojson": "geojson", "json": "json", "jsonl": "jsonl", "stix": "stix.json"}


@router.get("/incidents", summary="Incidents that pass the filters, newest first, a page at a time")
def list_incidents(
    store: StoreDep, selection: SelectionDep,
    limit: Annotated[int, Query(ge=0, le=10000, description="incidents in this page (0: all)")] = 50,
    offset: Annotated[int, Query(ge=0, description="incidents skipped before this page")] = 0,
    sources: Annotated[bool, Query(description="include each incident's source documents")] = True,
) -> JSONResponse:
    """The same filters as `amu incidents` (values within one filter are alternatives; filters combine).
    ``total`` is the number matching; ``items`` the page, each an incident row as `amu incidents --format
    json` writes it."""
    rows = selection.rows(store)
    page = rows[offset:offset + limit] if limit else rows[offset:]
    if sources:
        page = with_sources(store, page)
    # Plain JSON values already: sent as they are, without FastAPI's field-by-field encoding of every row.
    return JSONResponse({"total": len(rows), "offset": offset, "limit": limit, "filters": selection.described,
                         "items": [r.to_dict() for r in page]})


@router.get("/incidents/{incident_id}", summary="One incident with its mentions, evidence spans and conflicts")
def get_incident(store: StoreDep, incident_id: str) -> dict[str, Any]:
    """The fused incident; each mention with its source document, evidence sentence and the spans of the
    facts in it (``highlights``: offsets into ``evidence.text``); each figure by source beside the fused
    value (``conflicts``); relations stated in the evidence and related incidents."""
    return incident_detail(store, incident_id)


@router.get("/export", summary="The incidents that pass the filters as a file: csv, geojson, json, jsonl, stix",
            response_class=Response,
            responses={200: {"content": {m: {} for m in sorted(set(MEDIA.values()))},
                             "description": "The export, as `amu export --format FORMAT` writes it"}})
def export_incidents(
    store: StoreDep, selection: SelectionDep,
    format: Annotated[str, Query(description="csv, geojson, json, jsonl or stix")] = "csv",  # noqa: A002
) -> Response:
    """ACLED-like CSV, GeoJSON points (``amu.without_coordinates`` counts those left out), JSON, JSON Lines
    or a STIX 2.1 bundle (see the README's Finding and exporting)."""
    if format not in FORMATS:
        raise ApiError(400, "invalid_filter", f"unknown export format {format!r}",
                       f"use one of: {', '.join(FORMATS)}", FORMATS)
    buf = io.StringIO()
    result = export(selection.rows(store, sources=True), format, buf)
    return Response(buf.getvalue(), media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="incidents.{SUFFIX[format]}"',
                             "X-Amu-Written": str(result.written), "X-Amu-Left-Out": str(result.left_out)})


@router.get("/filters", summary="The valid values of each filter (for forms)")
def filter_values(store: StoreDep, cache: CacheDep) -> dict[str, Any]:
    """Types, statuses, country codes and names, and actors (alias-table groups and perpetrators in the store);
    ``present`` lists the countries and types that the store's incidents have."""
    rows = cache.rows(store)
    names = values.country_names()
    return {"type": list(values.TYPES), "status": list(STATUSES),
            "country": [{"code": c, "name": names[c]} for c in sorted(names)],
            "actor": list(dict.fromkeys([*perpetrators_in(store, cache), *values.actor_names()])),
            "present": {"country": sorted({r.country for r in rows if r.country}),
                        "type": sorted({r.event_type for r in rows} | {r.attack_type for r in rows if r.attack_type}),
                        "actor": sorted({a for r in rows for a in r.actors})}}
