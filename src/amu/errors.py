"""One exception hierarchy. The CLI turns these into one clear message each."""

from __future__ import annotations


class AmuError(Exception):
    """Base class. ``hint`` says how to fix the problem."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}\n  hint: {self.hint}" if self.hint else base


class IngestError(AmuError):
    """A document could not be read or parsed."""


class ConfigError(AmuError):
    """A setting is missing or invalid."""


class ModelNotAvailable(AmuError):
    """An NLP model or optional dependency is not installed."""


class StoreError(AmuError):
    """The database could not be opened, migrated or written."""


class NotFound(AmuError):
    """An id or name was not found in the store."""


class FilterError(AmuError):
    """A filter value (date, actor, type, country ...) is malformed or unknown; the hint lists valid ones.

    ``valid`` holds the valid values as a list too (empty when they are not a closed set, e.g. dates),
    for an API to return them as data.
    """

    def __init__(self, message: str, hint: str | None = None, valid: "tuple[str, ...] | list[str]" = ()) -> None:
        super().__init__(message, hint)
        self.valid = tuple(valid)


class ExportError(AmuError):
    """An export could not be built or written."""


class QueryError(AmuError):
    """A search or a filter was given a value it cannot use (an unknown country, a bad date)."""
