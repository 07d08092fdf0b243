"""Find incidents: the store's fused incidents, filtered and in a stable order."""

from __future__ import annotations

from typing import Any

from amu.find.filters import Filters
from amu.find.rows import IncidentRow, load_rows, with_sources


def order_key(row: IncidentRow) -> tuple[int, str, str]:
    """Newest first, undated last; ties by id, so every listing and export has one order."""
    return (0 if row.date else 1, _invert(row.date or ""), row.id)


def _invert(iso: str) -> str:
    # Sort dates descending inside an ascending key: "2024-03" before "2024" before "2023-12-31".
    return "".join(chr(0x7F - ord(c)) for c in iso) + "\x7f"


def find_incidents(store: Any, filters: Filters | None = None, sources: bool = True) -> list[IncidentRow]:
    """The incidents that pass ``filters``, newest first.

    Args:
        store: An open :class:`amu.store.Store`.
        filters: From :func:`amu.find.parse_filters`; None keeps every incident.
        sources: Fill in each row's source documents (titles, URLs); the table does not need them.
    """
    if filters is None:
        rows = load_rows(store)
    else:   # the store skips what cannot pass the country and date filters; the rest is checked here
        rows = [r for r in load_rows(store, filters.countries, filters.since, filters.until) if filters.matches(r)]
    rows.sort(key=order_key)
    return with_sources(store, rows) if sources else rows


def perpetrators_in(store: Any) -> list[str]:
    """Perpetrator names in the store's incidents (valid ``--actor`` values besides the alias table)."""
    return sorted({a for r in load_rows(store) for a in r.actors})
