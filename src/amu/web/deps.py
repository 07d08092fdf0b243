"""Dependencies shared by the routes: the store, and the filters of `amu incidents` as query parameters.

The filters are parsed by :func:`amu.find.parse_filters`, the one parser the CLI uses, so an unknown
value gives the same message, and the API's 400 lists the same valid values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from amu.find import Filters, RowCache, find_incidents, parse_filters, perpetrators_in
from amu.find.rows import IncidentRow


def get_store(request: Request) -> Any:
    """The store the server was started on (one per process; reads take a pooled connection each)."""
    return request.app.state.store


def get_cache(request: Request) -> RowCache:
    """The incident rows kept between requests, reloaded when the store's incidents change."""
    cache: RowCache = request.app.state.rows
    return cache


StoreDep = Annotated[Any, Depends(get_store)]
CacheDep = Annotated[RowCache, Depends(get_cache)]


@dataclass(frozen=True)
class Selection:
    """The parsed filters and a description of them ("country TJ; since 2022-01-01")."""

    filters: Filters
    described: str
    cache: RowCache | None = None

    def rows(self, store: Any, sources: bool = False) -> list[IncidentRow]:
        """The matching incidents, newest first."""
        return find_incidents(store, self.filters, sources=sources, cache=self.cache)


def get_selection(
    store: StoreDep, cache: CacheDep,
    since: Annotated[str | None, Query(description="on or after this year, month or day (2022, 2022-03, "
                                                   "2022-03-22)")] = None,
    until: Annotated[str | None, Query(description="on or before this year, month or day")] = None,
    actor: Annotated[list[str] | None, Query(description="perpetrator group, any alias (repeatable or "
                                                         "comma-separated)")] = None,
    type: Annotated[list[str] | None, Query(description="event or attack type, or EVENT/ATTACK (attack/bombing)"  # noqa: A002
                                            )] = None,
    nationality: Annotated[list[str] | None, Query(description="perpetrators' nationality: ISO code, country "
                                                               "or demonym")] = None,
    country: Annotated[list[str] | None, Query(description="where it happened: ISO code or country name "
                                                           "(repeatable or comma-separated)")] = None,
    min_killed: Annotated[int | None, Query(ge=0, description="at least this many killed (best estimate)")] = None,
    status: Annotated[list[str] | None, Query(description="claimed, attributed, alleged, disputed, foiled")] = None,
) -> Selection:
    """The filters of `amu incidents`, as query parameters; an unknown value is a 400 listing the valid ones."""
    known = perpetrators_in(store, cache) if actor else ()
    filters = parse_filters(since=since or None, until=until or None, actor=actor, type=type,
                            nationality=nationality, country=country, min_killed=min_killed, status=status,
                            known_actors=known)
    return Selection(filters, filters.describe(), cache)


SelectionDep = Annotated[Selection, Depends(get_selection)]
