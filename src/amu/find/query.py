"""Find incidents: the store's fused incidents, filtered and in a stable order."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

from amu.find.filters import Filters
from amu.find.rows import IncidentRow, load_rows, with_sources


def order_key(row: IncidentRow) -> tuple[int, str, str]:
    """Newest first, undated last; ties by id, so every listing and export has one order."""
    return (0 if row.date else 1, _invert(row.date or ""), row.id)


def _invert(iso: str) -> str:
    # Sort dates descending inside an ascending key: "2024-03" before "2024" before "2023-12-31".
    return "".join(chr(0x7F - ord(c)) for c in iso) + "\x7f"


class RowCache:
    """Every incident row of a store, in order, kept between calls (a long-running server's reads).

    Reloaded when :meth:`Store.incidents_version` (the number of incidents and the latest ``updated_at``)
    changes. ``updated_at`` counts whole seconds, so rows loaded in the same second as the latest write are
    not trusted: the next call loads again. Thread-safe; the rows themselves are immutable.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[int, str | None] | None = None
        self._loaded_at = ""
        self._rows: list[IncidentRow] = []

    def rows(self, store: Any) -> list[IncidentRow]:
        """The store's incident rows, newest first (the cached list: do not change it)."""
        version = store.incidents_version()
        with self._lock:
            fresh = version == self._version and (version[1] is None or self._loaded_at > version[1])
            if not fresh:
                loaded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
                rows = load_rows(store)
                rows.sort(key=order_key)
                self._rows, self._version, self._loaded_at = rows, version, loaded_at
            return self._rows


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
        rows = list(cache.rows(store))
    else:
        rows = load_rows(store)
        rows.sort(key=order_key)
    if filters is not None:
        rows = [r for r in rows if filters.matches(r)]
    return with_sources(store, rows) if sources else rows


def perpetrators_in(store: Any, cache: RowCache | None = None) -> list[str]:
    """Perpetrator names in the store's incidents (valid ``--actor`` values besides the alias table)."""
    rows = cache.rows(store) if cache is not None else load_rows(store)
    return sorted({a for r in rows for a in r.actors})
