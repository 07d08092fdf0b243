"""Find incidents: the store's fused incidents, filtered and in a stable order."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any

from amu.find.columns import RowColumns
from amu.find.filters import Filters
from amu.find.rows import IncidentRow, load_rows, nationality_by_incident, record_of, row_from_record, with_sources
from amu.store.counts import CountFilters


def order_key(row: IncidentRow) -> tuple[int, str, str]:
    """Newest first, undated last; ties by id, so every listing and export has one order."""
    return (0 if row.date else 1, _invert(row.date or ""), row.id)


_INVERTED = {c: 0x7F - c for c in range(0x80)}


def _invert(iso: str) -> str:
    # Sort dates descending inside an ascending key: "2024-03" before "2024" before "2023-12-31".
    # (One C-level translate per date: sorting 100k rows spent a second in a per-character generator.)
    return iso.translate(_INVERTED) + "\x7f"


class RowCache:
    """Every incident row of a store, in order, kept between calls (a long-running server's reads).

    Reloaded when :meth:`Store.incidents_version` (the number of incidents and the latest ``updated_at``)
    changes; that is asked at most every ``refresh_s`` seconds (0: at every call), so a server's view of
    the store is at most that stale. ``updated_at`` counts whole seconds, so rows loaded in the same
    second as the latest write are not trusted: the next check loads again. Thread-safe; the rows are
    immutable. The rows are also kept as columns, so the common filters cut them without a Python loop.

    Args:
        refresh_s: Seconds between two checks of the store's version.
    """

    def __init__(self, refresh_s: float = 0.0) -> None:
        self.refresh_s = refresh_s
        self._lock = threading.Lock()
        self._version: tuple[int, str | None] | None = None
        self._loaded_at = ""
        self._checked = 0.0
        self._rows: list[IncidentRow] = []
        self._columns = RowColumns([])
        self._checking = False

    def rows(self, store: Any) -> list[IncidentRow]:
        """The store's incident rows, newest first (the cached list: do not change it).

        Once rows are loaded, the check of the store's version runs outside the lock and by one caller at a
        time: the others keep the rows they have meanwhile (a version query scans the incidents table, tens
        of milliseconds at 100k incidents, and every request waiting on it made a server's slowest ones)."""
        with self._lock:
            loaded = self._version is not None
            if loaded and (self._checking or time.monotonic() - self._checked < self.refresh_s):
                return self._rows
            self._checking = loaded
        if loaded:
            try:
                version = store.incidents_version()
            finally:
                with self._lock:
                    self._checking = False
            with self._lock:
                self._checked = time.monotonic()
                if self._fresh(version):
                    return self._rows
        with self._lock:
            version = store.incidents_version()
            self._checked = time.monotonic()
            if not self._fresh(version):
                loaded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
                rows = load_rows(store)
                rows.sort(key=order_key)
                self._rows, self._columns = rows, RowColumns(rows)
                self._version, self._loaded_at = version, loaded_at
            return self._rows

    def _fresh(self, version: tuple[int, str | None]) -> bool:
        return version == self._version and (version[1] is None or self._loaded_at > version[1])

    def candidates(self, store: Any, filters: Filters | None) -> list[IncidentRow]:
        """The rows that can pass ``filters`` (cut by the columns' filters, see :mod:`amu.find.columns`), in order."""
        rows = self.rows(store)
        if filters is None:
            return list(rows)
        with self._lock:
            columns = self._columns if rows is self._rows else RowColumns(rows)
        return [rows[i] for i in columns.candidates(filters)]


def find_incidents(store: Any, filters: Filters | None = None, sources: bool = True,
                   cache: RowCache | None = None) -> list[IncidentRow]:
    """The incidents that pass ``filters``, newest first.

    Args:
        store: An open :class:`amu.store.Store`.
        filters: From :func:`amu.find.parse_filters`; None keeps every incident.
        sources: Fill in each row's source documents (titles, URLs); the table does not need them.
        cache: Keep the rows between calls (a server); None reads the store each time.
    """
    if cache is not None:
        rows = cache.candidates(store, filters)
        exact = filters is None or not (filters.actors or filters.nationalities)   # the columns test the rest
    else:   # the store skips what cannot pass the country and date filters; the rest is checked below
        rows = load_rows(store) if filters is None else load_rows(store, filters.countries, filters.since,
                                                                  filters.until)
        rows.sort(key=order_key)
        exact = filters is None
    if not exact:
        rows = [r for r in rows if filters.matches(r)]  # type: ignore[union-attr]
    return with_sources(store, rows) if sources else rows


def sql_filters(filters: Filters | None) -> CountFilters | None:
    """The filters as the store applies them in SQL (country, date, type, minimum killed), or None where some
    filter is not a column (actor, nationality, status: those need each incident's row)."""
    if filters is None:
        return CountFilters()
    if filters.actors or filters.nationalities or filters.statuses:
        return None
    return CountFilters(countries=filters.countries, since=filters.since, until=filters.until, types=filters.types,
                        min_killed=filters.min_killed)


def find_page(store: Any, filters: Filters | None, limit: int, sources: bool = True) -> tuple[list[IncidentRow], int]:
    """The first ``limit`` incidents (0: all) that pass ``filters``, in the order of :func:`find_incidents`, and
    how many pass in all.

    Where every filter is a column (:func:`sql_filters`), the store filters, orders and counts, and only the
    page's records are read: a page of a million-incident store in milliseconds. Else the rows are loaded.
    """
    sql = sql_filters(filters)
    if limit <= 0 or sql is None:
        rows = find_incidents(store, filters, sources=False)
        page = rows[:limit] if limit > 0 else rows
        total = len(rows)
    else:
        stored, total = store.incident_page(sql, limit)
        records = [record_of(r) for r in stored]
        nat = nationality_by_incident(store, [d["id"] for d in records])
        page = [row_from_record(d, nat.get(d["id"], ())) for d in records]
    return (with_sources(store, page) if sources else page), total


def perpetrators_in(store: Any, cache: RowCache | None = None) -> list[str]:
    """Perpetrator names in the store's incidents (valid ``--actor`` values besides the alias table)."""
    rows = cache.rows(store) if cache is not None else load_rows(store)
    return sorted({a for r in rows for a in r.actors})
