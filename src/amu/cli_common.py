"""Helpers shared by the command modules: settings from the context, error handling, opening a store."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import click

from amu.errors import AmuError
from amu.settings import Settings

DB_HELP = "SQLite file or postgresql:// URL [env AMU_DB; default ./amu.db]"


def settings(ctx: click.Context, **overrides: Any) -> Settings:
    """Settings in force for this command: defaults < amu.toml (or --config) < AMU_* < flags."""
    return Settings.load(ctx.obj.get("config") if ctx.obj else None, **overrides)


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Library errors become one message with its hint, and exit status 2."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AmuError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    return wrapper


def open_existing(db: str) -> Any:
    """Open a store that must already exist (reading commands never create an empty database)."""
    from amu.store import Store

    return Store(db, create=False)
