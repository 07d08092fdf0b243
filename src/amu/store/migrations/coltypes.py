"""Column types as the migrations froze them (kept apart from amu.store.tables on purpose)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def text() -> sa.types.TypeEngine[str]:
    """Text that sorts byte-wise on both engines ("C" collation on PostgreSQL, binary on SQLite)."""
    return sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")
