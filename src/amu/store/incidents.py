"""The fused incidents table: written by :func:`amu.resolve.incidents.fuse_store`, read by the views."""

from __future__ import annotations

import json
from typing import Any, Collection, Iterable, Mapping, Sequence

from sqlalchemy import RowMapping, Select, and_, delete, func, or_, select

from amu.store.actors import ActorFacts
from amu.store.tables import incidents, mentions


ID_BATCH = 2000     # ids per IN list


class IncidentRows(ActorFacts):
    """Incidents as rows (the fused record itself is ``data_json``)."""

    def incident_rows(self, country: str | None = None, event_type: str | None = None,
                      limit: int = 200) -> list[RowMapping]:
        """Incidents, newest first, optionally of one country (ISO code) and event type."""
        i = incidents
        stmt = select(i)
        if country:
            stmt = stmt.where(i.c.country == country.upper())
        if event_type:
            stmt = stmt.where(i.c.event_type == event_type)
        # Dated first, then undated: two queries that walk incidents_country_date (or incidents_block)
        # backwards on both engines. One `ORDER BY date DESC NULLS LAST` would not: PostgreSQL's index
        # read backwards gives NULLS FIRST, and coalesce(date, '') is an expression no index serves.
        dated = self._rows(stmt.where(i.c.date.is_not(None)).order_by(i.c.date.desc(), i.c.id).limit(limit))
        if len(dated) >= limit:
            return dated
        return dated + self._rows(stmt.where(i.c.date.is_(None)).order_by(i.c.id).limit(limit - len(dated)))

    def all_incident_rows(self, countries: Collection[str] | None = None, since: str | None = None,
                          until: str | None = None) -> list[RowMapping]:
        """Every fused incident (its record is ``data_json``, with ``n_mentions`` and ``n_sources``), by id.

        Args:
            countries: Keep incidents of these ISO codes, and those without a country column (a
                record may still place them by its place).
            since, until: Keep dated incidents whose (partial) date can overlap the window: a
                coarse cut, in the index, that callers refine on the records.
        """
        return self._rows(_reach(select(incidents), countries, since, until).order_by(incidents.c.id))

    def incident_nationalities(self, incident_ids: Collection[str] | None = None) -> list[tuple[str, list[str]]]:
        """(incident id, perpetrators' nationalities) of each fused mention that reports any.

        Two narrow columns instead of whole mentions; with ``incident_ids``, only those incidents'
        mentions, looked up through ``mentions_incident`` in batches, so a filtered list never scans
        every mention (a join lets PostgreSQL choose a hash join over the whole mentions table).
        """
        m = mentions
        stmt = select(m.c.incident_id, m.c.nationality_json).where(m.c.nationality_json != "[]")
        if incident_ids is None:
            rows = self._rows(stmt.where(m.c.incident_id.is_not(None)))
        else:
            ids = sorted(set(incident_ids))
            rows = [r for k in range(0, len(ids), ID_BATCH)
                    for r in self._rows(stmt.where(m.c.incident_id.in_(ids[k:k + ID_BATCH])))]
        return [(r["incident_id"], json.loads(r["nationality_json"])) for r in rows]

    def incidents_version(self) -> tuple[int, str | None]:
        """(number of incidents, latest ``updated_at``): changes whenever fusion writes or removes incidents
        (``updated_at`` has a resolution of one second; see :class:`amu.find.RowCache`)."""
        i = incidents
        row = self._rows(select(func.count().label("n"), func.max(i.c.updated_at).label("latest")))[0]
        return int(row["n"]), row["latest"]

    def incident_row(self, ident: str) -> RowMapping | None:
        """One incident by id or unambiguous id prefix (the exact id wins)."""
        i = incidents
        rows = self._rows(select(i).where(or_(i.c.id == ident, i.c.id.startswith(ident, autoescape=True)))
                          .order_by((i.c.id != ident), i.c.id).limit(1))
        return rows[0] if rows else None

    def related_incidents(self, row: Mapping[str, Any], limit: int = 8) -> list[RowMapping]:
        """Other incidents of the same perpetrator in the same country, or at the same place."""
        i = incidents
        same_group = and_(i.c.perpetrator.is_not(None), i.c.perpetrator == row["perpetrator"],
                          i.c.country == row["country"])
        same_place = and_(i.c.location.is_not(None), i.c.location == row["location"])
        stmt = (select(i.c.id, i.c.date, i.c.event_type, i.c.location, i.c.country, i.c.perpetrator)
                .where(i.c.id != row["id"], or_(same_group, same_place))
                .order_by(func.coalesce(i.c.date, "").desc(), i.c.id).limit(limit))
        return self._rows(stmt)

    def write_incidents(self, rows: Iterable[Mapping[str, Any]], remove: Sequence[str] | None = None,
                        remove_all: bool = False) -> None:
        """Upsert fused incidents; first remove the ones listed (or every incident)."""
        with self.transaction() as conn:
            if remove_all:
                conn.execute(delete(incidents))
            elif remove:
                conn.execute(delete(incidents).where(incidents.c.id.in_(list(remove))))
            self._insert(conn, incidents, list(rows), on_conflict="update")


def _reach(stmt: Select[Any], countries: Collection[str] | None, since: str | None, until: str | None) -> Select[Any]:
    """``stmt`` cut to incidents that can pass these filters: a coarse cut, in the index, that callers refine.

    An incident without a country column is kept (its record may still place it by its place); a dated
    incident is kept when its (partial) date can overlap the window.
    """
    i = incidents
    if countries:
        stmt = stmt.where(or_(i.c.country.in_(sorted(countries)), i.c.country.is_(None), i.c.country == ""))
    if since or until:
        stmt = stmt.where(i.c.date.is_not(None))
    if since:
        stmt = stmt.where(i.c.date >= since[:4])     # "2020" and "2020-05" both reach a window from 2020-03
    if until:
        stmt = stmt.where(i.c.date <= until)         # a partial date sorts before the days it spans
    return stmt
