"""Incident counts by month, country, type or group as one SQL ``GROUP BY`` (both engines).

:meth:`IncidentCounting.incident_counts` gives what :func:`amu.analysis.counts` computes from
incident rows, without loading and parsing every incident: keys, filters and figures are the incidents' columns
(the figures' and groups' since migration 0008, see :mod:`amu.store.incident_summary`); the groups
list is unnested with the engine's JSON function (SQLite ``json_each``, PostgreSQL
``jsonb_array_elements_text``), and an incident without a country column is placed by its record's
place (``data_json``), as the rows are.
The keys follow :class:`amu.find.rows.IncidentRow` exactly:

- month: the date's first 7 characters, for dates given at least to the month (else no month);
- country: the ``country`` column, else the place's country (as ``row_from_record`` reads it);
- type: ``event/attack``, or the event type alone;
- group: every group named (``perpetrator`` and ``perpetrators``, each once), none for no group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Collection

from sqlalchemy import ColumnElement, Select, String, Subquery, and_, case, cast, func, literal, or_, select, true
from sqlalchemy.dialects import postgresql

from amu.store.incident_summary import FIGURES, PARTS
from amu.store.incidents import IncidentRows
from amu.store.tables import incidents

COUNT_KEYS = ("month", "country", "type", "group")


@dataclass(frozen=True)
class CountGroup:
    """One key's incidents and figure sums (``sums[figure] = (best, low, high)``); key None: no key."""

    key: str | None
    incidents: int
    sums: dict[str, tuple[int, int, int]]


@dataclass(frozen=True)
class IncidentCounts:
    """Counts by one key over the incidents that pass the filters."""

    by: str
    total: int                      # incidents that pass the filters
    multi: int                      # incidents under more than one key (several groups)
    groups: tuple[CountGroup, ...]  # in no particular order


@dataclass(frozen=True)
class CountFilters:
    """The filters SQL applies exactly (the semantics of :class:`amu.find.Filters`)."""

    countries: Collection[str] = ()
    since: str | None = None                         # first day, ISO
    until: str | None = None                         # last day, ISO
    types: Collection[tuple[str, ...]] = ()          # ("bombing",) or ("attack", "bombing")
    min_killed: int | None = None


class IncidentCounting(IncidentRows):
    """Aggregates over the fused incidents, computed by the engine."""

    def incident_counts(self, by: str, filters: CountFilters | None = None) -> IncidentCounts:
        """Incidents and the sums of their killed/wounded/arrested figures per month, country, type or group.

        Figures sum as :class:`amu.analysis.FigureSum` does: best (else low), low (else best), high
        (else best), 0 for a figure not reported.
        """
        if by not in COUNT_KEYS:
            raise ValueError(f"cannot count by {by!r} in SQL; use one of {', '.join(COUNT_KEYS)}")
        base = self._count_base(filters or CountFilters())
        total = int(self._rows(select(func.count().label("n")).select_from(base))[0]["n"])
        if by == "group":
            keyed, multi = self._by_group(base)
        else:
            keyed, multi = select(*_figure_columns(base), self._key(by, base).label("k")).subquery(), 0
        sums = [func.sum(keyed.c[f"{f}_{p}"]).label(f"{f}_{p}") for f in FIGURES for p in PARTS]
        stmt = select(keyed.c.k, func.count().label("n"), *sums).group_by(keyed.c.k)
        groups = tuple(CountGroup(r["k"] or None, int(r["n"]),
                                  {f: tuple(int(r[f"{f}_{p}"] or 0) for p in PARTS) for f in FIGURES})  # type: ignore[misc]
                       for r in self._rows(stmt))
        return IncidentCounts(by, total, multi, groups)

    # -- the pieces of the query ------------------------------------------------------------------

    def _place_country(self) -> ColumnElement[Any]:
        """The record's place's country, as a subquery by id: the engine reads ``data_json`` only for the
        incidents without a country column that ask for it, not for every row it scans."""
        j = incidents.alias("j")
        doc = j.c.data_json
        if self.dialect == "postgresql":
            value = cast(doc, postgresql.JSONB).op("->")(literal("place", String)).op("->>")(literal("country", String))
        else:
            value = func.json_extract(doc, "$.place.country")
        return select(value).where(j.c.id == incidents.c.id).scalar_subquery()

    def _actors(self, actors_json: ColumnElement[Any]) -> Any:
        """The groups of ``actors_json`` as a table-valued function with one column, ``value``."""
        if self.dialect == "postgresql":
            return func.jsonb_array_elements_text(cast(actors_json, postgresql.JSONB)).table_valued("value")
        return func.json_each(actors_json).table_valued("value")

    def _count_base(self, filters: CountFilters) -> Subquery:
        """Incidents that pass the filters: id, the key columns and each figure's parts."""
        i = incidents
        place_country = self._place_country()
        country = case((func.coalesce(i.c.country, "") != "", i.c.country), else_=place_country).label("row_country")
        figures = [i.c[f"{f}_{p}"].label(f"{f}_raw_{p}") for f in FIGURES for p in PARTS]
        stmt = select(i.c.id, i.c.date, i.c.event_type, i.c.attack_type, i.c.actors_json, country, *figures)
        stmt = _where(stmt, filters, place_country)
        if filters.min_killed is not None:     # the best estimate, else the lower bound; no toll: left out
            stmt = stmt.where(func.coalesce(i.c.killed_best, i.c.killed_low) >= filters.min_killed)
        return stmt.subquery("base")

    def _key(self, by: str, base: Subquery) -> ColumnElement[Any]:
        c = base.c
        if by == "month":
            return case((func.length(c.date) >= 7, func.substr(c.date, 1, 7)), else_=None)
        if by == "country":
            return func.nullif(c.row_country, "")
        return case((func.coalesce(c.attack_type, "") != "", c.event_type + "/" + c.attack_type),
                    else_=c.event_type)

    def _by_group(self, base: Subquery) -> tuple[Subquery, int]:
        """(incident figures joined to each of its groups, or to no group; incidents with several groups)."""
        elems = self._actors(base.c.actors_json).alias("p")
        pairs = select(base.c.id, elems.c.value.label("actor")).select_from(base.join(elems, true())) \
            .subquery("pairs")
        several = select(pairs.c.id).group_by(pairs.c.id).having(func.count() > 1).subquery()
        multi = int(self._rows(select(func.count().label("n")).select_from(several))[0]["n"])
        keyed = select(*_figure_columns(base), pairs.c.actor.label("k")) \
            .select_from(base.outerjoin(pairs, pairs.c.id == base.c.id)).subquery()
        return keyed, multi


def _where(stmt: Select[Any], filters: CountFilters, place_country: ColumnElement[Any]) -> Select[Any]:
    i = incidents
    if filters.countries:
        wanted = sorted(filters.countries)
        # Three indexable branches (SQLite reads each from incidents_country_date; one OR over coalesce would scan).
        stmt = stmt.where(or_(i.c.country.in_(wanted), and_(i.c.country.is_(None), place_country.in_(wanted)),
                              and_(i.c.country == "", place_country.in_(wanted))))
    if filters.types:
        singles = sorted({t[0] for t in filters.types if len(t) == 1})
        pairs = sorted({(t[0], t[1]) for t in filters.types if len(t) == 2})
        stmt = stmt.where(or_(i.c.event_type.in_(singles), i.c.attack_type.in_(singles),
                              *(and_(i.c.event_type == e, i.c.attack_type == a) for e, a in pairs)))
    if filters.since or filters.until:
        stmt = stmt.where(i.c.date.is_not(None), i.c.date != "")
    if filters.since:
        # A (partial) date's last day is on or after `since` exactly when the date is not before
        # `since` cut to the date's length ("2020-05" reaches a window from 2020-05-15).
        stmt = stmt.where(i.c.date >= filters.since[:4],
                          i.c.date >= func.substr(literal(filters.since, String), 1, func.length(i.c.date)))
    if filters.until:
        stmt = stmt.where(i.c.date <= filters.until)    # a partial date sorts before the days it spans
    return stmt


def _figure_columns(base: Subquery) -> list[ColumnElement[Any]]:
    """Each figure's best, low and high as FigureSum adds them (0 where not reported)."""
    out = []
    for f in FIGURES:
        best, low, high = (base.c[f"{f}_raw_{p}"] for p in PARTS)
        out += [func.coalesce(best, low, 0).label(f"{f}_best"), func.coalesce(low, best, 0).label(f"{f}_low"),
                func.coalesce(high, best, low, 0).label(f"{f}_high")]
    return out


__all__ = ["COUNT_KEYS", "CountFilters", "CountGroup", "IncidentCounting", "IncidentCounts"]
