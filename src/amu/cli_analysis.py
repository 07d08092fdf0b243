"""`amu analyze counts|changes|external|hotspots|network|warning`: thin shells over :mod:`amu.analysis`.

Every subcommand takes the filters of `amu incidents` (one parser, :func:`amu.find.parse_filters`),
calls one library function on the matching rows and prints its :class:`amu.analysis.Analysis` as a
table, JSON or CSV (``-o FILE`` writes it to a file; `network` also writes GraphML).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Callable

import click

from amu.cli_common import DB_HELP, handle_errors, open_existing, settings
from amu.cli_find import FILTER_HELP, _filters, _find, filter_options
from amu.errors import AmuError, ExportError

BY_CHOICE = click.Choice(["month", "country", "type", "group", "nationality"])


def analysis_options(formats: tuple[str, ...] = ("table", "json", "csv")) -> Callable[..., Any]:
    """--db, the filters of `amu incidents`, --format and -o, shared by every subcommand."""
    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option("-o", "--output", type=click.Path(dir_okay=False),
                          help="write to this file instead of standard output")(fn)
        fn = click.option("--format", "fmt", type=click.Choice(list(formats)), default=None,
                          help=f"output format: {', '.join(formats)} [default: table]")(fn)
        fn = filter_options(fn)
        fn = click.option("--db", help=DB_HELP)(fn)
        fn = click.pass_context(fn)
        fn.__doc__ = inspect.cleandoc(fn.__doc__ or "") + "\n\n" + FILTER_HELP
        return fn
    return decorate


def _rows(ctx: click.Context, db: str | None, opts: dict[str, Any]) -> tuple[list[Any], Any, str]:
    store = open_existing(settings(ctx, db=db).db)
    rows, described = _find(store, opts, sources=False)
    return rows, store, described


def _emit(result: Any, fmt: str | None, output: str | None, described: str) -> None:
    """Print (or write) an Analysis as a table, JSON or CSV; notes go with the table, or to stderr for CSV."""
    fmt = fmt or "table"
    if fmt == "json":
        text = result.to_json()
    elif fmt == "csv":
        text = result.to_csv()
    else:
        text = _table(result, described)
    if output:
        _write(output, text)
        click.echo(f"{result.title}: {len(result.rows)} rows written to {output}", err=True)
    else:
        click.echo(text, nl=False)
    if fmt == "csv":
        for note in result.notes:
            click.echo(f"note: {note}", err=True)


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}",
                          hint="check that the folder exists and is writable") from None


def _table(result: Any, described: str) -> str:
    import io

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    buf = io.StringIO()
    con = Console(file=buf, width=200, soft_wrap=False)
    title = result.title + (f" [filters: {described}]" if described else "")
    table = Table(title=escape(title), title_justify="left")
    for col in result.columns:
        table.add_column(col, overflow="fold")
    for row in result.rows:
        table.add_row(*(escape(_cell(row.get(c))) for c in result.columns))
    con.print(table)
    if result.method:
        con.print(escape(f"method: {result.method}"), highlight=False)
    if result.params:
        con.print(escape("parameters: " + ", ".join(f"{k}={v}" for k, v in result.params.items() if v is not None)),
                  highlight=False)
    for note in result.notes:
        con.print(escape(f"note: {note}"), highlight=False)
    return buf.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join("" if v is None else str(v) for v in value)
    return str(value)


@click.group()
def analyze() -> None:
    """Analyses over the incidents that pass the filters of `amu incidents` (see README, Analysis).

    \b
      amu analyze counts --by country          incidents, killed, wounded, arrested (best, low, high)
      amu analyze changes --window 3           change in the monthly rate (exact Poisson test)
      amu analyze external --actor ISKP        share of operations outside Afghanistan and Pakistan
      amu analyze hotspots                     by admin-1 area, with geo precision
      amu analyze network -o net.graphml       actor network (networkx), GraphML
      amu analyze warning                      propaganda, threats and plots before attacks (lead-lag)
    """


@analyze.command("counts")
@analysis_options()
@click.option("--by", type=BY_CHOICE, default="month", show_default=True, help="what to count by")
@handle_errors
def counts_cmd(ctx: click.Context, db: str | None, fmt: str | None, output: str | None, by: str,
               **opts: Any) -> None:
    """Incidents, killed, wounded and arrested (best, low and high sums) by month, country, type, group or
    perpetrators' nationality."""
    from amu.analysis import counts_in_store

    store = open_existing(settings(ctx, db=db).db)
    filters = _filters(store, opts)
    _emit(counts_in_store(store, filters, by=by), fmt, output, filters.describe())


@analyze.command("changes")
@analysis_options()
@click.option("--by", type=BY_CHOICE, default="month", show_default=True,
              help="month: all incidents as one series; else one series per country, type, group ...")
@click.option("--window", type=int, default=3, show_default=True, help="recent months tested")
@click.option("--baseline", type=int, help="baseline months before the window [default: every earlier month]")
@click.option("--end", metavar="MONTH", help="last month of the window, e.g. 2025-06 [default: the last month seen]")
@click.option("--alpha", type=float, default=0.05, show_default=True, help="significance level")
@click.option("--min-events", type=int, default=10, show_default=True,
              help="fewest incidents (both windows) for any claim")
@handle_errors
def changes_cmd(ctx: click.Context, db: str | None, fmt: str | None, output: str | None, by: str, window: int,
                baseline: int | None, end: str | None, alpha: float, min_events: int, **opts: Any) -> None:
    """Has the monthly incident rate changed? Exact conditional Poisson test of the last --window months
    against the baseline before them; small samples are reported as too few to say."""
    from amu.analysis import changes
    from amu.find.filters import parse_date

    if end is not None:
        end = parse_date(end, "--end")
        if len(end) != 7:
            raise AmuError(f"--end {end} is not a month", hint="give a month: --end 2025-06")
    if not 0 < alpha < 1:
        raise AmuError(f"--alpha {alpha} is not between 0 and 1", hint="give e.g. --alpha 0.05")
    rows, _, described = _rows(ctx, db, opts)
    _emit(changes(rows, by=by, window=window, baseline=baseline, end=end, alpha=alpha, min_events=min_events),
          fmt, output, described)


@analyze.command("external")
@analysis_options()
@handle_errors
def external_cmd(ctx: click.Context, db: str | None, fmt: str | None, output: str | None, **opts: Any) -> None:
    """Share of each group's incidents outside Afghanistan and Pakistan, by year."""
    from amu.analysis import external_share

    rows, _, described = _rows(ctx, db, opts)
    _emit(external_share(rows), fmt, output, described)


@analyze.command("hotspots")
@analysis_options()
@click.option("--top", type=int, default=0, show_default=True, help="at most this many areas (0: all)")
@handle_errors
def hotspots_cmd(ctx: click.Context, db: str | None, fmt: str | None, output: str | None, top: int,
                 **opts: Any) -> None:
    """Incidents and casualties by admin-1 area, with how precisely they are placed."""
    from amu.analysis import hotspots

    rows, _, described = _rows(ctx, db, opts)
    _emit(hotspots(rows, top=top or None), fmt, output, described)


@analyze.command("network")
@analysis_options(("table", "json", "csv", "graphml"))
@click.option("--top", type=int, default=30, show_default=True, help="nodes listed (0: all; GraphML has all)")
@handle_errors
def network_cmd(ctx: click.Context, db: str | None, fmt: str | None, output: str | None, top: int,
                **opts: Any) -> None:
    """Groups, places and people linked through shared incidents: centrality and communities (networkx).
    `-o FILE.graphml` (or --format graphml -o FILE) writes the graph as GraphML."""
    from amu.analysis import network, people_by_incident, write_graphml

    if fmt is None and output and output.lower().endswith(".graphml"):
        fmt = "graphml"
    if fmt == "graphml" and not output:
        raise AmuError("GraphML needs a file", hint="add -o network.graphml")
    rows, store, described = _rows(ctx, db, opts)
    result, graph = network(rows, people_by_incident(store), top=None if fmt == "graphml" else (top or None))
    if fmt == "graphml":
        assert output is not None
        write_graphml(graph, output)
        click.echo(f"{graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges written to {output}",
                   err=True)
        return
    _emit(result, fmt, output, described)


@analyze.command("warning")
@analysis_options()
@click.option("--max-lag", type=click.IntRange(0, 24), default=6, show_default=True, help="longest lead, months")
@click.option("--min-months", type=int, default=24, show_default=True, help="fewest months for a reading")
@handle_errors
def warning_cmd(ctx: click.Context, db: str | None, fmt: str | None, output: str | None, max_lag: int,
                min_months: int, **opts: Any) -> None:
    """Early warning: lead-lag correlation of propaganda, threat and plot events with later attacks
    (best lag, r, months behind it; co-movement, never cause)."""
    from amu.analysis import early_warning

    rows, _, described = _rows(ctx, db, opts)
    _emit(early_warning(rows, max_lag=max_lag, min_months=min_months), fmt, output, described)


def register(cli: click.Group) -> None:
    cli.add_command(analyze)
