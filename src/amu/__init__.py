"""Amu: event intelligence on violent extremism, from reports to a sourced incident table."""

from __future__ import annotations

__version__ = "0.1.0"
