"""Storage: one interface over the embedded SQLite default and PostgreSQL (SQLAlchemy Core, Alembic).

Depends on :mod:`amu.records` and :mod:`amu.errors` only.

| module | holds |
|---|---|
| ``engine`` | ``--db`` value (path or URL) -> engine; per-engine transaction set-up |
| ``tables`` | the tables, declared once |
| ``migrate``, ``migrations/`` | versioned schema, applied under a lock; pre-Alembic stores converted |
| ``base`` | opening, transactions (one writer at a time), upserts, state |
| ``documents``, ``actors``, ``incidents`` | each kind of row, written and read |
| ``incident_summary``, ``counts`` | the incident columns counts read; counts by month, country, type, group in SQL |
| ``fusion_keys`` | what incremental fusion reads: block keys, each incident's mentions, incidents pending |
| ``search`` | full-text search with filters |
"""

from __future__ import annotations

from amu.records import person_key
from amu.store.core import Store
from amu.store.engine import describe, is_url
from amu.store.search import SearchHit, SearchQuery

__all__ = ["SearchHit", "SearchQuery", "Store", "describe", "is_url", "person_key"]
