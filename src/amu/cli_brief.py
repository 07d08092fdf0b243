"""`amu brief`: a thin shell over :func:`amu.brief.write_brief` with the filters of `amu incidents`."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import click

from amu.cli_common import DB_HELP, handle_errors, open_existing, settings
from amu.cli_find import FILTER_HELP, _find, filter_options


@click.command()
@click.option("--db", help=DB_HELP)
@filter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="brief.html", show_default=True,
              help="the HTML file to write (with --pdf, the PDF goes beside it: brief.pdf)")
@click.option("--limit", type=int, default=200, show_default=True,
              help="incidents listed with their evidence (0: all); the summary and charts count all")
@click.option("--title", default="Amu brief", show_default=True, help="the brief's title")
@click.option("--pdf", is_flag=True,
              help="render the brief to PDF too, with headless Chromium (apt-get install chromium; or AMU_CHROMIUM)")
@click.pass_context
@handle_errors
def brief(ctx: click.Context, db: str | None, output: str, limit: int, title: str, pdf: bool, **opts: Any) -> None:
    """Write one self-contained HTML brief (no network: inline CSS and SVG charts) of the incidents that
    pass the filters: summary, monthly timeline, a map on the shipped country outlines, top actors, the
    incidents with their sources and evidence sentences, conflicting figures and the early-warning panel
    with its caveats. No incident matching writes a brief that says so. --pdf prints it to PDF too."""
    from amu.brief import write_brief

    s = settings(ctx, db=db)
    html_path, pdf_path = Path(output), None
    if pdf:
        from amu.brief.pdf import find_chromium

        find_chromium(s.chromium or None)          # before the work: a missing browser is said at once
        if html_path.suffix.lower() == ".pdf":
            html_path, pdf_path = html_path.with_suffix(".html"), html_path
        else:
            pdf_path = html_path.with_suffix(".pdf")
    store = open_existing(s.db)
    rows, described = _find(store, opts, sources=False)   # the brief reads the listed ones' sources
    path = write_brief(store, rows, described, html_path, limit=limit, title=title)
    click.echo(f"brief of {len(rows)} incidents written to {path}" + (f" [filters: {described}]" if described
                                                                      else ""), err=True)
    if pdf_path is not None:
        from amu.brief.pdf import html_to_pdf

        click.echo(f"PDF written to {html_to_pdf(path, pdf_path, chromium=s.chromium or None)}", err=True)


brief.help = inspect.cleandoc(brief.help or "") + "\n\n" + FILTER_HELP


def register(cli: click.Group) -> None:
    cli.add_command(brief)
