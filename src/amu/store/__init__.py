"""Storage: the embedded SQLite store is the default."""

from __future__ import annotations

from amu.store.sqlite import Store

__all__ = ["Store"]
