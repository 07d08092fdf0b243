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

Counts by month, country or type whose filters are countries, types and whole months (no minimum killed)
read ``incident_rollup`` instead: incidents and figure sums by period (the date cut to the month, or the
year), country and type, which :meth:`IncidentCounting.write_incidents` keeps up to date with every write
(it subtracts what the incidents it rewrites or removes added, and adds what they add now). A few thousand
rows, however many incidents there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable, Collection

from sqlalchemy import (
    ColumnElement, Connection, RowMapping, Select, String, Subquery, and_, case, cast, delete, func, insert, literal,
    or_, select, true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from amu.store.incident_summary import FIGURES, PARTS
from amu.store.incidents import IncidentRows
from amu.store.tables import (
    GROUP_ROLLUP_KEYS, GROUP_ROLLUP_SUMS, ROLLUP_KEYS, ROLLUP_SUMS, incident_group_rollup, incident_rollup, incidents,
)

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
        filters = filters or CountFilters()
        if filters.min_killed is None and _whole_months(filters):
            return self._from_rollup(by, filters)
        base = self._count_base(filters)
        total = int(self._rows(select(func.count().label("n")).select_from(base))[0]["n"])
        if by == "group":
            keyed, multi = self._by_group(base)
        else:
            keyed, multi = select(*_figure_columns(base), self._key(by, base).label("k")).subquery(), 0
        sums = [func.sum(keyed.c[f"{f}_{p}"]).label(f"{f}_{p}") for f in FIGURES for p in PARTS]
        groups = _count_groups(self._rows(select(keyed.c.k, func.count().label("n"), *sums).group_by(keyed.c.k)))
        return IncidentCounts(by, total, multi, groups)

    # -- the pieces of the query ------------------------------------------------------------------

    def _from_rollup(self, by: str, filters: CountFilters) -> IncidentCounts:
        """Counts from ``incident_rollup`` (by group: ``incident_group_rollup``); filters: countries, types, whole
        months.

        The rollup's rows go through :meth:`_key` as incidents do: its period stands for the date (cut to the
        month, the same month key) and its country for the row's country.
        """
        table, sums = (incident_group_rollup, GROUP_ROLLUP_SUMS) if by == "group" else (incident_rollup, ROLLUP_SUMS)
        src = _rollup_rows(table, filters, sums).subquery()
        # Sum by the columns the key reads first, then key the few hundred sums: the key's expression runs once
        # per distinct value, not once per row of the rollup.
        raw = [src.c[c] for c in _KEY_COLUMNS[by]]
        inner = select(*raw, *(func.sum(src.c[c]).label(c) for c in sums)).group_by(*raw).subquery()
        key = inner.c.actor if by == "group" else self._key(by, inner)
        rows = self._rows(select(key.label("k"), *(func.sum(inner.c[c]).label(c) for c in sums)).group_by(key))
        groups = _count_groups(rows)
        if by != "group":
            return IncidentCounts(by, sum(g.incidents for g in groups), 0, groups)
        counted = _rollup_rows(incident_rollup, filters, ("n",)).subquery()
        total = self._rows(select(func.coalesce(func.sum(counted.c.n), 0).label("n")))[0]["n"]
        return IncidentCounts(by, int(total), sum(int(r["several"] or 0) for r in rows), groups)

    def write_incidents(self, rows: Iterable[Mapping[str, Any]], remove: Sequence[str] | None = None,
                        remove_all: bool = False) -> None:
        """As :meth:`IncidentRows.write_incidents`, keeping the rollups up to date in the same transaction."""
        rows = list(rows)
        with self.transaction() as conn:
            if remove_all:
                super().write_incidents(rows, remove, remove_all)
                for rollup in _ROLLUPS:
                    rollup.fill(conn)
                return
            ids = sorted({*(remove or ()), *(r["id"] for r in rows)})
            before = [_contributions(conn, ids, rollup) for rollup in _ROLLUPS]
            super().write_incidents(rows, remove, remove_all)
            for rollup, was in zip(_ROLLUPS, before):
                self._apply(conn, rollup, was, _contributions(conn, ids, rollup))

    def _apply(self, conn: Connection, rollup: _Rollup, before: dict[tuple[str, ...], list[int]],
               after: dict[tuple[str, ...], list[int]]) -> None:
        """Add to the rollup what the incidents add now and subtract what they added before."""
        zero = [0] * len(rollup.sums)
        delta = {k: [a - b for a, b in zip(after.get(k, zero), before.get(k, zero))] for k in {*before, *after}}
        changes = [{**dict(zip(rollup.keys, k)), **dict(zip(rollup.sums, v))} for k, v in sorted(delta.items()) if any(v)]
        if changes:
            table = rollup.table
            ins = (pg_insert if self.dialect == "postgresql" else sqlite_insert)(table)
            conn.execute(ins.on_conflict_do_update(
                index_elements=list(rollup.keys), set_={c: table.c[c] + ins.excluded[c] for c in rollup.sums}), changes)
            conn.execute(delete(table).where(table.c.n == 0))

    def _place_country(self) -> ColumnElement[Any]:
        return _place_country(self.dialect)

    def incident_page(self, filters: CountFilters, limit: int) -> tuple[list[RowMapping], int]:
        """The first ``limit`` incidents that pass ``filters``, newest first (undated last, ties by id: the order
        of :func:`amu.find.query.order_key`), and how many pass in all. A listing's first page, without reading
        every incident that passes; rows as :meth:`all_incident_rows` gives them."""
        i = incidents
        stmt = _where(select(i.c.id), filters, _place_country(self.dialect))
        total = int(self._rows(select(func.count().label("n")).select_from(stmt.subquery()))[0]["n"])
        # The ids first (ordered from incidents_country_date alone), then those incidents' rows.
        dated = and_(i.c.date.is_not(None), i.c.date != "")
        ids = [r["id"] for r in self._rows(stmt.where(dated).order_by(i.c.date.desc(), i.c.id).limit(limit))]
        if len(ids) < limit:
            ids += [r["id"] for r in self._rows(stmt.where(or_(i.c.date.is_(None), i.c.date == "")).order_by(i.c.id)
                                                .limit(limit - len(ids)))]
        found = {r["id"]: r for r in self._rows(select(i).where(i.c.id.in_(ids)))} if ids else {}
        return [found[k] for k in ids], total

    def _actors(self, actors_json: ColumnElement[Any]) -> Any:
        return _actors(self.dialect, actors_json)

    def _count_base(self, filters: CountFilters) -> Subquery:
        return _count_base(self.dialect, filters)

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
    stmt = _type_filter(stmt, filters.types, i.c.event_type, i.c.attack_type)
    if filters.min_killed is not None:     # the best estimate, else the lower bound; no toll: left out
        stmt = stmt.where(func.coalesce(i.c.killed_best, i.c.killed_low) >= filters.min_killed)
    return _date_filter(stmt, filters, i.c.date, known=and_(i.c.date.is_not(None), i.c.date != ""))


def _type_filter(stmt: Select[Any], types: Collection[tuple[str, ...]], event: ColumnElement[Any],
                 attack: ColumnElement[Any]) -> Select[Any]:
    if not types:
        return stmt
    singles = sorted({t[0] for t in types if len(t) == 1})
    pairs = sorted({(t[0], t[1]) for t in types if len(t) == 2})
    return stmt.where(or_(event.in_(singles), attack.in_(singles), *(and_(event == e, attack == a) for e, a in pairs)))


def _date_filter(stmt: Select[Any], filters: CountFilters, when: ColumnElement[Any],
                 known: ColumnElement[Any]) -> Select[Any]:
    """Keep (partial) dates that overlap the window; ``when`` is the incident's date, or its period in the rollup
    (the date cut to the month: the same answer for windows of whole months, see :func:`_whole_months`)."""
    if filters.since or filters.until:
        stmt = stmt.where(known)
    if filters.since:
        # A (partial) date's last day is on or after `since` exactly when the date is not before
        # `since` cut to the date's length ("2020-05" reaches a window from 2020-05-15).
        stmt = stmt.where(when >= filters.since[:4],
                          when >= func.substr(literal(filters.since, String), 1, func.length(when)))
    if filters.until:
        stmt = stmt.where(when <= filters.until)    # a partial date sorts before the days it spans
    return stmt


def _whole_months(filters: CountFilters) -> bool:
    """Whether the date window starts on a month's first day and ends on a month's last (or is open)."""
    since_ok = filters.since is None or filters.since[8:] in ("", "01")
    if filters.until is None or len(filters.until) < 10:
        return since_ok and (filters.until is None or len(filters.until) in (4, 7))
    return since_ok and (date.fromisoformat(filters.until) + timedelta(days=1)).day == 1


def _place_country(dialect: str) -> ColumnElement[Any]:
    """The record's place's country, as a subquery by id: the engine reads ``data_json`` only for the
    incidents without a country column that ask for it, not for every row it scans."""
    j = incidents.alias("j")
    doc = j.c.data_json
    if dialect == "postgresql":
        value = cast(doc, postgresql.JSONB).op("->")(literal("place", String)).op("->>")(literal("country", String))
    else:
        value = func.json_extract(doc, "$.place.country")
    return select(value).where(j.c.id == incidents.c.id).scalar_subquery()


def _count_base(dialect: str, filters: CountFilters, ids: Sequence[str] | None = None) -> Subquery:
    """Incidents that pass the filters (and have one of ``ids``): id, the key columns and each figure's parts."""
    i = incidents
    place_country = _place_country(dialect)
    country = case((func.coalesce(i.c.country, "") != "", i.c.country), else_=place_country).label("row_country")
    figures = [i.c[f"{f}_{p}"].label(f"{f}_raw_{p}") for f in FIGURES for p in PARTS]
    stmt = select(i.c.id, i.c.date, i.c.event_type, i.c.attack_type, i.c.actors_json, country, *figures)
    stmt = _where(stmt, filters, place_country)
    if ids is not None:
        stmt = stmt.where(i.c.id.in_(list(ids)))
    return stmt.subquery("base")


def rollup_select(dialect: str, ids: Sequence[str] | None = None) -> Select[Any]:
    """What the incidents (all, or those of ``ids``) add to ``incident_rollup``: one row per key, with sums."""
    base = _count_base(dialect, CountFilters(), ids)
    keyed = select(*_rollup_keys(base), *_figure_columns(base)).subquery()
    return _summed(keyed, ROLLUP_KEYS, ROLLUP_SUMS)


def group_rollup_select(dialect: str, ids: Sequence[str] | None = None) -> Select[Any]:
    """What the incidents (all, or those of ``ids``) add to ``incident_group_rollup``: one row per key and group
    ("" for none), with sums; ``several`` counts an incident naming more groups under its first group only."""
    base = _count_base(dialect, CountFilters(), ids)
    elems = _actors(dialect, base.c.actors_json).alias("p")
    pairs = select(base.c.id, elems.c.value.label("actor")).select_from(base.join(elems, true())).subquery("pairs")
    first = select(pairs.c.id, func.min(pairs.c.actor).label("first"), func.count().label("named")) \
        .group_by(pairs.c.id).subquery("first")
    several = case((and_(first.c.named > 1, pairs.c.actor == first.c.first), 1), else_=0)
    keyed = select(*_rollup_keys(base), func.coalesce(pairs.c.actor, "").label("actor"), *_figure_columns(base),
                   several.label("several")) \
        .select_from(base.outerjoin(pairs, pairs.c.id == base.c.id).outerjoin(first, first.c.id == base.c.id)) \
        .subquery()
    return _summed(keyed, GROUP_ROLLUP_KEYS, GROUP_ROLLUP_SUMS)


def _rollup_keys(base: Subquery) -> list[ColumnElement[Any]]:
    """An incident's rollup key: its period (the date cut to the month, or the year), country and type ("" for none)."""
    period = case((func.length(base.c.date) >= 7, func.substr(base.c.date, 1, 7)),
                  else_=func.coalesce(base.c.date, ""))
    return [period.label("period"), func.coalesce(base.c.row_country, "").label("country"),
            func.coalesce(base.c.event_type, "").label("event_type"),
            func.coalesce(base.c.attack_type, "").label("attack_type")]


def _summed(keyed: Subquery, keys: Sequence[str], sums: Sequence[str]) -> Select[Any]:
    """One row per key of ``keyed``: the rows counted (``n``) and the other sums summed."""
    columns = [keyed.c[k] for k in keys]
    return select(*columns, func.count().label("n"), *(func.sum(keyed.c[c]).label(c) for c in sums[1:])) \
        .group_by(*columns)


@dataclass(frozen=True)
class _Rollup:
    table: Any
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    select: Callable[[str, Sequence[str] | None], Select[Any]]

    def fill(self, conn: Connection) -> None:
        """Rebuild the rollup from every incident."""
        conn.execute(delete(self.table))
        conn.execute(insert(self.table).from_select([*self.keys, *self.sums], self.select(conn.dialect.name)))


_ROLLUPS = (_Rollup(incident_rollup, ROLLUP_KEYS, ROLLUP_SUMS, rollup_select),
            _Rollup(incident_group_rollup, GROUP_ROLLUP_KEYS, GROUP_ROLLUP_SUMS, group_rollup_select))


def fill_rollup(conn: Connection) -> None:
    """Rebuild ``incident_rollup`` from every incident (after a full fusion, and by migration 0011)."""
    _ROLLUPS[0].fill(conn)


def fill_group_rollup(conn: Connection) -> None:
    """Rebuild ``incident_group_rollup`` from every incident (after a full fusion, and by migration 0013)."""
    _ROLLUPS[1].fill(conn)


_CHUNK = 500


def _contributions(conn: Connection, ids: Sequence[str], rollup: _Rollup) -> dict[tuple[str, ...], list[int]]:
    """Key -> what the incidents of ``ids`` add to the rollup now."""
    out: dict[tuple[str, ...], list[int]] = {}
    for start in range(0, len(ids), _CHUNK):
        for row in conn.execute(rollup.select(conn.dialect.name, ids[start:start + _CHUNK])).mappings():
            acc = out.setdefault(tuple(row[k] for k in rollup.keys), [0] * len(rollup.sums))
            for n, c in enumerate(rollup.sums):
                acc[n] += int(row[c] or 0)
    return out


_KEY_COLUMNS = {"month": ("date",), "country": ("row_country",), "type": ("event_type", "attack_type"),
                "group": ("actor",)}     # the columns each key is made from (see IncidentCounting._key)


def _count_groups(rows: Iterable[Mapping[str, Any]]) -> tuple[CountGroup, ...]:
    """One :class:`CountGroup` per row (columns ``k``, ``n`` and each figure part's sum)."""
    return tuple(CountGroup(r["k"] or None, int(r["n"]),
                            {f: tuple(int(r[f"{f}_{p}"] or 0) for p in PARTS) for f in FIGURES})  # type: ignore[misc]
                 for r in rows)


def _rollup_rows(table: Any, filters: CountFilters, sums: Sequence[str]) -> Select[Any]:
    """A rollup's rows that pass the filters (countries, types, whole months), its keys named as the incidents'
    count base names them (``date``, ``row_country``), with the sums asked for."""
    stmt = select(table.c.period.label("date"), table.c.country.label("row_country"), table.c.event_type,
                  table.c.attack_type, *(table.c[k] for k in table.c.keys() if k == "actor"),
                  *(table.c[c] for c in sums))
    if filters.countries:
        stmt = stmt.where(table.c.country.in_(sorted(filters.countries)))
    stmt = _type_filter(stmt, filters.types, table.c.event_type, table.c.attack_type)
    return _date_filter(stmt, filters, table.c.period, known=table.c.period != "")


def _actors(dialect: str, actors_json: ColumnElement[Any]) -> Any:
    """The groups of ``actors_json`` as a table-valued function with one column, ``value``."""
    if dialect == "postgresql":
        return func.jsonb_array_elements_text(cast(actors_json, postgresql.JSONB)).table_valued("value")
    return func.json_each(actors_json).table_valued("value")


def _figure_columns(base: Subquery) -> list[ColumnElement[Any]]:
    """Each figure's best, low and high as FigureSum adds them (0 where not reported)."""
    out = []
    for f in FIGURES:
        best, low, high = (base.c[f"{f}_raw_{p}"] for p in PARTS)
        out += [func.coalesce(best, low, 0).label(f"{f}_best"), func.coalesce(low, best, 0).label(f"{f}_low"),
                func.coalesce(high, best, low, 0).label(f"{f}_high")]
    return out


__all__ = ["COUNT_KEYS", "CountFilters", "CountGroup", "IncidentCounting", "IncidentCounts", "fill_group_rollup",
           "fill_rollup"]
