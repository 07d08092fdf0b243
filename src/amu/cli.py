"""The ``amu`` command: a thin shell over :mod:`amu.pipeline` and the store.

Each command parses its options, calls the library, and formats the result.
Errors from the library (:class:`amu.errors.AmuError`) become one message with
a hint on how to fix the problem, and exit status 2.
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import click

from amu import __version__
from amu.cli_common import DB_HELP, handle_errors, open_existing, settings
from amu.errors import AmuError


_settings = settings
_handle_errors = handle_errors
_open_existing = open_existing


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="amu")
@click.option("--config", type=click.Path(dir_okay=False), help="settings file (TOML) [default ./amu.toml]")
@click.pass_context
def cli(ctx: click.Context, config: str | None) -> None:
    """Amu: reports on violent extremism in, a sourced incident table out.

    \b
    Quick start:
      amu demo                      run on the bundled demo corpus
      amu ingest reports/           ingest, extract and fuse into ./amu.db
      amu incidents                 list incidents (filters: amu incidents --help)
      amu export --format csv -o incidents.csv   export (csv, geojson, jsonl, stix)
      amu show ID                   one incident with every source sentence
      amu extract reports/ --jsonl  mentions in the interchange format
      amu search "rocket Termez"    full-text search, with filters
      amu analyze counts --by group counts, changes, external share, hotspots, network, early warning
      amu brief -o brief.html       one self-contained HTML brief (same filters as amu incidents)
      amu serve                     the dashboard and REST API at http://127.0.0.1:8000/
      amu db upgrade --db URL       create or migrate a store (SQLite file or postgresql:// URL)
    """
    ctx.obj = {"config": config}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--db", help=DB_HELP)
@click.option("--max-bytes", type=int, help="reject files larger than this [default 5000000]")
@click.option("--no-model", is_flag=True, help="rules only: skip the NLP model (faster, no people's names)")
@click.option("--no-extract", is_flag=True, help="only store the documents")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="read and extract on a local Dask cluster of N processes (about one per core) [env AMU_WORKERS]")
@click.option("--scheduler", metavar="ADDRESS",
              help="or on a running Dask scheduler, e.g. tcp://10.0.0.5:8786; its workers must see the files "
                   "at the same absolute paths [env AMU_SCHEDULER]")
@click.option("--batch-size", type=click.IntRange(min=1), default=8, show_default=True,
              help="files per Dask task (with --workers or --scheduler)")
@click.pass_context
@_handle_errors
def ingest(ctx: click.Context, paths: tuple[str, ...], db: str | None, max_bytes: int | None, no_model: bool,
           no_extract: bool, quiet: bool, workers: int | None, scheduler: str | None, batch_size: int) -> None:
    """Ingest files and folders (.txt .md .html .json .jsonl), extract incidents and store them.

    \b
    By default one process reads and extracts. For big folders:
      amu ingest BIGFOLDER --workers 4                  a local cluster of 4 processes
      amu ingest /shared/reports --scheduler tcp://HOST:8786
    Workers read and extract; this process alone writes the store and fuses, so the
    result is the same as without workers, and a run killed midway can simply be run again.
    """
    from amu.store import Store

    s = _settings(ctx, db=db, max_bytes=max_bytes, use_model=False if no_model else None, workers=workers,
                  scheduler=scheduler)
    missing = [p for p in paths if not Path(p).exists()]
    store = Store(s.db)
    if s.workers or s.scheduler:
        from amu.pipeline_dask import DaskOptions, run_distributed

        options = DaskOptions(workers=s.workers, scheduler=s.scheduler or None, batch_size=batch_size)
        report = run_distributed(paths, store, s, options=options, progress=not quiet, extract=not no_extract)
    else:
        from amu.pipeline import run

        report = run(paths, store, s, progress=not quiet, extract=not no_extract)
    _print_report(report, s.db)
    if report.documents == 0:
        raise AmuError(f"no document could be read from {', '.join(paths)}",
                       hint="give files or folders of .txt .md .html .json .jsonl reports (see the rejections above)")
    if missing:
        raise AmuError(f"{len(missing)} of the paths given do not exist: {', '.join(missing)} "
                       "(the others were ingested)", hint="check the spelling of the path")


def _print_report(report: Any, db: str) -> None:
    from amu.store import describe

    click.echo(f"{report.documents} documents read ({report.new_documents} new), {report.mentions} mentions, "
               f"{report.incidents} incidents in {describe(db)}")   # a URL's password is never printed
    for r in report.rejections:
        click.echo(f"  rejected {r.source}: {r.reason}", err=True)
    if report.rejections:
        click.echo(f"warning: {len(report.rejections)} files or records skipped (listed above with the reason)",
                   err=True)
    _warn_flagged(report.flagged)


def _warn_flagged(flagged: list[tuple[str, Any]], stored: bool = True) -> None:
    """Say which documents Amu cannot fully read; their empty result must not pass for "nothing happened"."""
    from amu.ingest.language import flag_summary

    lines = flag_summary(flagged, stored)
    if lines:
        click.echo(f"warning: {lines[0]}", err=True)
    for line in lines[1:]:
        click.echo(line, err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--jsonl", "as_jsonl", is_flag=True, help="write mentions in the interchange format (JSON Lines)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="write to this file instead of stdout")
@click.option("--max-bytes", type=int, help="reject files larger than this [default 5000000]")
@click.option("--no-model", is_flag=True, help="rules only: skip the NLP model")
@click.option("--no-fuse", is_flag=True, help="leave each mention in its own incident")
@click.pass_context
@_handle_errors
def extract(ctx: click.Context, paths: tuple[str, ...], as_jsonl: bool, output: str | None, max_bytes: int | None,
            no_model: bool, no_fuse: bool) -> None:
    """Extract incident mentions from files without storing them.

    With --jsonl each line is one mention in the interchange format of
    shared/eval/README.md, its `incident` field the fused incident id.
    """
    from amu.pipeline import extract_paths
    from amu.resolve.incidents import fuse_mentions

    s = _settings(ctx, max_bytes=max_bytes, use_model=False if no_model else None)
    rejected = lambda r: click.echo(f"rejected {r.source}: {r.reason}", err=True)  # noqa: E731
    pairs = list(extract_paths(paths, s, progress=output is not None, on_rejection=rejected))
    from amu.ingest.language import profile_of

    _warn_flagged([(d.path or d.name, p) for d, _ in pairs if (p := profile_of(d.text, d.meta)).flagged],
                  stored=False)
    mentions = [m for _, ms in pairs for m in ms]
    if not no_fuse:
        fuse_mentions(mentions, {d.id: d.published for d, _ in pairs})
    else:
        for m in mentions:
            m.incident = m.id
    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        if as_jsonl:
            for m in mentions:
                out.write(json.dumps(m.to_interchange(), ensure_ascii=False) + "\n")
        else:
            from amu.views import mentions_table

            mentions_table(mentions, file=out)
    finally:
        if output:
            out.close()
    if output:
        click.echo(f"{len(mentions)} mentions from {len(pairs)} documents written to {output}", err=True)


@cli.command()
@click.argument("incident_id")
@click.option("--db", help=DB_HELP)
@click.pass_context
@_handle_errors
def show(ctx: click.Context, incident_id: str, db: str | None) -> None:
    """Show one incident (or mention) with every source sentence."""
    from amu.views import show_incident

    s = _settings(ctx, db=db)
    show_incident(_open_existing(s.db), incident_id)


@cli.command()
@click.option("--db", help="database for the demo [default: a temporary file]")
@click.option("--no-model", is_flag=True, help="rules only: skip the NLP model")
@click.pass_context
@_handle_errors
def demo(ctx: click.Context, db: str | None, no_model: bool) -> None:
    """Run the whole pipeline on the bundled demo corpus and print the incidents."""
    from amu.pipeline import run
    from amu.brief import write_brief
    from amu.find import find_incidents
    from amu.store import Store, describe
    from amu.views import incidents_table

    corpus = resources.files("amu.data").joinpath("demo")
    with resources.as_file(corpus) as folder:
        path = db or str(Path(tempfile.mkdtemp(prefix="amu-demo-")) / "demo.db")
        s = _settings(ctx, db=path, use_model=False if no_model else None)
        store = Store(s.db)
        click.echo(f"Amu demo: ingesting {folder} into {describe(s.db)}")
        report = run([folder], store, s, progress=True)
        _print_report(report, s.db)
        rows = find_incidents(store, sources=False)
        incidents_table(rows[:100], total=len(rows))
        brief = write_brief(store, rows, "", Path(path).with_name("brief.html")) \
            if "://" not in path else None
        click.echo(f"\nNext: amu show ID --db {describe(s.db)}    (one incident with its evidence)")
        if brief is not None:
            click.echo(f"      open {brief}    (the brief: summary, timeline, map, sources; no network needed; amu brief --pdf prints it)")
        click.echo(f"      amu serve --db {describe(s.db)}    (the dashboard: map, timeline, filters, evidence; "
                   "then open http://127.0.0.1:8000/)")


@cli.command("explain-merge")
@click.argument("a")
@click.argument("b")
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="print the explanation as JSON")
@click.pass_context
@_handle_errors
def explain_merge(ctx: click.Context, a: str, b: str, db: str | None, as_json: bool) -> None:
    """Explain the fusion rule on two mentions or incidents (ids): each feature's partial score.

    A mention compared with its own incident is compared with the incident without it.
    """
    from amu.resolve.incidents import load_index

    s = _settings(ctx, db=db)
    index = load_index(_open_existing(s.db))
    result = index.explain(_full_id(index, a), _full_id(index, b))
    click.echo(json.dumps(result.to_dict(), indent=2, default=str) if as_json else str(result))


def _full_id(index: Any, ident: str) -> str:
    """Accept unambiguous id prefixes, as ``amu show`` does."""
    from amu.errors import NotFound

    pool = [i.id for i in index.incidents()] + [m for i in index.incidents() for m in i.mention_ids]
    hits = [x for x in pool if x == ident] or [x for x in pool if x.startswith(ident)]
    if len(hits) != 1:
        raise NotFound(f"{'no' if not hits else 'ambiguous'} mention or incident {ident!r}",
                       hint="copy an id from `amu incidents` or `amu show ID`")
    return hits[0]


@cli.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Report what is installed, which optional parts are missing, and the settings in force."""
    from amu.doctor import report

    ok = report(_settings(ctx))
    sys.exit(0 if ok else 1)


from amu.cli_actors import register as _register_actor_commands  # noqa: E402

_register_actor_commands(cli)
from amu.cli_eval import register as _register_eval_command  # noqa: E402

_register_eval_command(cli)
from amu.cli_find import register as _register_find_commands  # noqa: E402

_register_find_commands(cli)
from amu.cli_store import register as _register_store_commands  # noqa: E402

_register_store_commands(cli)
from amu.cli_analysis import register as _register_analysis_commands  # noqa: E402

_register_analysis_commands(cli)
from amu.cli_brief import register as _register_brief_command  # noqa: E402

_register_brief_command(cli)
from amu.cli_documents import register as _register_documents_command  # noqa: E402

_register_documents_command(cli)
from amu.cli_serve import register as _register_serve_command  # noqa: E402

_register_serve_command(cli)


def main() -> None:
    cli(prog_name="amu")


if __name__ == "__main__":
    main()
