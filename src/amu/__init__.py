"""Amu: event intelligence on violent extremism, from reports to a sourced incident table."""

from __future__ import annotations

__version__ = "0.1.0"

# The generator mark of Amu's own HTML (a brief): ingest refuses such a page, whose incidents came from the store.
GENERATOR = "Amu brief"
