"""`amu incidents` and `amu export`: the same filters, one parser (:func:`amu.find.parse_filters`)."""

from __future__ import annotations

import sys
from typing import Any, Callable

import click

from amu.cli_common import DB_HELP, handle_errors, open_existing, settings

FILTER_HELP = """\b
Filters (values within one filter are alternatives, filters combine):
  --since/--until 2022 | 2022-03 | 2022-03-22   whole periods, both ends included
  --actor ISIS-K          any alias of a group (amu actors lists them)
  --type rocket_attack    event or attack type, or attack/bombing as the table shows
  --country TJ --country Uzbekistan   ISO codes or names, repeatable or comma-separated
  --nationality Tajik     perpetrators' nationality: code, country or demonym
  --min-killed 10 --status claimed
An unknown value is an error that lists the valid ones."""


def filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The filter options shared by every command that lists incidents."""
    options = [
        click.option("--since", metavar="DATE", help="on or after this year, month or day (2022, 2022-03, 2022-03-22)"),
        click.option("--until", metavar="DATE", help="on or before this year, month or day"),
        click.option("--actor", multiple=True, metavar="NAME", help="perpetrator group, any alias (repeatable)"),
        click.option("--type", "type_", multiple=True, metavar="TYPE",
                     help="event or attack type, e.g. attack, plot, bombing, attack/rocket_attack (repeatable)"),
        click.option("--nationality", multiple=True, metavar="C",
                     help="perpetrators' nationality: ISO code, country or demonym (repeatable)"),
        click.option("--country", multiple=True, metavar="C",
                     help="country: ISO code or name, any case (repeatable, or comma-separated)"),
        click.option("--min-killed", type=int, metavar="N", help="at least N killed (best estimate)"),
        click.option("--status", multiple=True, metavar="S",
                     help="claimed, attributed, alleged, disputed, foiled (repeatable)"),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filters(store: Any, opts: dict[str, Any]) -> Any:
    """The filter options, parsed and checked (:class:`amu.find.Filters`)."""
    from amu.find import parse_filters, perpetrators_in

    raw = {k: opts[k] for k in ("since", "until", "actor", "nationality", "country", "min_killed", "status")}
    known = perpetrators_in(store) if opts["actor"] else ()
    return parse_filters(type=opts["type_"], known_actors=known, **raw)


def _find(store: Any, opts: dict[str, Any], sources: bool = True) -> tuple[list[Any], str]:
    """Parse the filter options and return the matching rows and a description of the filters."""
    from amu.find import find_incidents

    filters = _filters(store, opts)
    return find_incidents(store, filters, sources=sources), filters.describe()


def _page(store: Any, opts: dict[str, Any], limit: int, sources: bool) -> tuple[list[Any], int, str]:
    """Parse the filter options; return the first ``limit`` matching rows (0: all), how many match, and a
    description of the filters."""
    from amu.find.query import find_page

    filters = _filters(store, opts)
    rows, total = find_page(store, filters, limit, sources=sources)
    return rows, total, filters.describe()


@click.command()
@click.option("--db", help=DB_HELP)
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl"]), default="table",
              show_default=True, help="output format (csv has the columns of `amu export`)")
@click.option("--limit", type=int, default=200, show_default=True, help="at most this many incidents (0: all)")
@click.pass_context
@handle_errors
def incidents(ctx: click.Context, db: str | None, fmt: str, limit: int, **opts: Any) -> None:
    """List incidents in the store, newest first, with place precision and perpetrators' nationality."""
    s = settings(ctx, db=db)
    store = open_existing(s.db)
    shown, total, described = _page(store, opts, limit, sources=fmt != "table")
    if fmt == "table":
        from amu.views import incidents_table

        incidents_table(shown, total=total, filters=described)
        return
    from amu.export import export

    export(shown, fmt, sys.stdout)
    if len(shown) < total:
        click.echo(f"{len(shown)} of {total} incidents written; --limit 0 writes all", err=True)


incidents.help = (incidents.help or "") + "\n\n" + FILTER_HELP


@click.command("export")
@click.option("--db", help=DB_HELP)
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson", "jsonl", "json", "stix"]), required=True,
              help="csv (ACLED-like columns, see README), geojson (points), jsonl, json, stix (STIX 2.1 bundle)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="file to write ('-' for standard output)")
@click.pass_context
@handle_errors
def export_cmd(ctx: click.Context, db: str | None, fmt: str, output: str, **opts: Any) -> None:
    """Export the incidents that pass the filters (the same filters as `amu incidents`)."""
    from amu.export import export, export_file

    s = settings(ctx, db=db)
    store = open_existing(s.db)
    rows, described = _find(store, opts)
    if output == "-":
        result = export(rows, fmt, sys.stdout)
    else:
        result = export_file(rows, fmt, output)
    click.echo(result.summary("standard output" if output == "-" else output)
               + (f" [filters: {described}]" if described else ""), err=True)


export_cmd.help = (export_cmd.help or "") + "\n\n" + FILTER_HELP


def register(cli: click.Group) -> None:
    cli.add_command(incidents)
    cli.add_command(export_cmd)
