"""``amu db upgrade``, ``amu db current`` and ``amu search``: thin shells over :mod:`amu.store`.

Attach them to the main group with ``register(cli)``.
"""

from __future__ import annotations

import json
from typing import Any

import click

from amu.cli_common import DB_HELP, handle_errors, open_existing, settings
from amu.errors import QueryError


@click.group("db")
def db_group() -> None:
    """The database's schema: which version it is at, and bringing it to this Amu's."""


@db_group.command("upgrade")
@click.option("--db", help=DB_HELP)
@click.pass_context
@handle_errors
def db_upgrade(ctx: click.Context, db: str | None) -> None:
    """Create the store, or migrate it to the newest schema (safe to run while others use it)."""
    from amu.store import Store, describe

    s = settings(ctx, db=db)
    done = Store(s.db, migrate=False).upgrade()
    where = describe(s.db)
    if done.converted:
        click.echo(f"{where}: converted from the hand-made schema (revision {done.before})")
    if done.changed:
        click.echo(f"{where}: upgraded from {done.before or 'an empty database'} to {done.after}")
    else:
        click.echo(f"{where}: already at {done.after} (newest)")


@db_group.command("current")
@click.option("--db", help=DB_HELP)
@click.pass_context
@handle_errors
def db_current(ctx: click.Context, db: str | None) -> None:
    """Print the schema revision the database is at, and whether it is the newest."""
    from amu.store import Store, describe
    from amu.store.migrate import head

    s = settings(ctx, db=db)
    rev = Store(s.db, create=False, migrate=False).schema_revision()
    state = "newest" if rev == head() else f"newest is {head()}: run amu db upgrade"
    click.echo(f"{describe(s.db)}: {rev or 'no Amu schema'} ({state})")


def _country(value: str) -> str:
    """An ISO code from a code or a country's name, checked against the gazetteer."""
    from amu.places import Gazetteer

    gaz = Gazetteer.default()
    text = value.strip()
    if len(text) == 2 and gaz.country(text) is not None:
        return text.upper()
    named = [p for p in gaz.lookup(text) if p.kind == "country"]
    if named:
        return named[0].country
    raise QueryError(f"unknown country {value!r}",
                     hint="give an ISO 3166-1 alpha-2 code or a country's English name, e.g. --country UZ "
                          "or --country Uzbekistan")


@click.command()
@click.argument("words")
@click.option("--db", help=DB_HELP)
@click.option("--country", help="ISO code or name (UZ, Uzbekistan)")
@click.option("--type", "event_type", help="event or attack type (attack, arrest, bombing, rocket_attack ...)")
@click.option("--actor", help="perpetrator, by name or alias (ISKP, ISIS-K)")
@click.option("--since", help="from this date on: YYYY, YYYY-MM or YYYY-MM-DD")
@click.option("--until", help="up to this date, included")
@click.option("--source", help="part of the publisher's name, the file name or the URL")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@handle_errors
def search(ctx: click.Context, words: str, db: str | None, country: str | None, event_type: str | None,
           actor: str | None, since: str | None, until: str | None, source: str | None, limit: int,
           fmt: str) -> None:
    """Full-text search over evidence sentences and reports, with filters.

    \b
    WORDS must all occur; "a phrase" in that order; OR between alternatives; -word excludes:
      amu search "rocket Termez" --country UZ --since 2022
      amu search '"suicide bomber" -Kabul' --actor ISKP --format json
    """
    from amu.extract.lexicon import canonical_group
    from amu.store import SearchQuery

    s = settings(ctx, db=db)
    query = SearchQuery(words, country=_country(country) if country else None, event_type=event_type,
                        actor=(canonical_group(actor) or actor) if actor else None, since=since, until=until,
                        source=source, limit=limit)
    hits = open_existing(s.db).search(query)
    if fmt == "json":
        out: dict[str, Any] = {"query": query.__dict__, "count": len(hits), "hits": [h.to_dict() for h in hits]}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    _table(hits)


def _table(hits: list[Any]) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from amu.views import _console

    t = Table(title=f"Search ({len(hits)} hits)")
    for col in ("kind", "date", "type", "place", "perpetrator", "document", "incident", "text"):
        t.add_column(col, no_wrap=col in ("kind", "date", "incident"), overflow="fold", min_width=48 if col == "text" else None)
    for h in hits:
        kind = h.event_type + (f"/{h.attack_type}" if h.attack_type else "") if h.event_type else ""
        # The snippet marks the matched words as [word]: plain text with those words in bold, never rich markup
        # (which would swallow "[suicide]" as a style tag).
        text = Text(h.text)
        text.highlight_regex(r"\[[^\]]+\]", "bold")
        t.add_row(h.kind, h.date or h.published or "", kind, escape(", ".join(x for x in (h.location, h.country) if x)),
                  escape(h.perpetrator or ""), escape(h.doc), h.incident_id or "", text)
    _console().print(t)


def register(cli: click.Group) -> None:
    """Add ``db`` and ``search`` to a click group (the ``amu`` command)."""
    cli.add_command(db_group)
    cli.add_command(search)
