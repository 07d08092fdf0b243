"""``amu eval``: score Amu against gold annotations (the interchange format) or GTD-coded rows.

A thin shell over :mod:`amu.evaluation`. Attach it to the main group with ``register(cli)``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from amu.cli_common import handle_errors, settings
from amu.errors import AmuError


@click.command("eval")
@click.argument("gold", required=False, type=click.Path(dir_okay=False))
@click.argument("corpus", required=False, type=click.Path(file_okay=False))
@click.option("--pred", type=click.Path(dir_okay=False), help="score this prediction file instead of extracting")
@click.option("--gtd", type=click.Path(dir_okay=False), help="a GTD release (.csv or .xlsx): its summaries become the "
              "corpus and its coded fields the gold")
@click.option("--country", "countries", multiple=True, help="with --gtd: only rows of this ISO country (repeatable)")
@click.option("--since", type=int, help="with --gtd: only rows from this year on")
@click.option("--until", type=int, help="with --gtd: only rows up to this year")
@click.option("--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True,
              help="with --gtd: the half of the rows (a stable split by event id)")
@click.option("--limit", type=int, help="with --gtd: at most this many rows")
@click.option("--workdir", type=click.Path(file_okay=False), help="with --gtd: keep the converted corpus and gold here")
@click.option("--save-pred", type=click.Path(dir_okay=False), help="also write the predictions (JSON Lines) here")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="write the whole report as JSON here")
@click.option("-v", "--verbose", is_flag=True, help="list missed, spurious and wrong mentions, and flagged distractors")
@click.option("--no-model", is_flag=True, help="rules only: skip the NLP model")
@click.pass_context
@handle_errors
def eval_cmd(ctx: click.Context, gold: str | None, corpus: str | None, pred: str | None, gtd: str | None,
             countries: tuple[str, ...], since: int | None, until: int | None, split: str, limit: int | None,
             workdir: str | None, save_pred: str | None, json_out: str | None, verbose: bool, no_model: bool) -> None:
    """Score Amu against GOLD (JSON Lines, the interchange format) on the documents in CORPUS.

    \b
    The figures are those of the project's scorer: mention precision, recall and F1, field accuracy,
    grouping F1; plus distractors (documents in CORPUS with no required gold mention) left clean.
    CORPUS defaults to the folder `docs` beside GOLD.
    \b
      amu eval eval/heldout/expected.jsonl eval/heldout/docs
      amu eval my_coding.jsonl reports/ -v
      amu eval --gtd globalterrorismdb_0718dist.csv --country AF --country PK --since 2014 --limit 500
    """
    from amu.evaluation import evaluate, extract_corpus, format_report, score
    from amu.evaluation.gtd import convert, read_rows

    s = settings(ctx, use_model=False if no_model else None)
    if gtd:
        folder = Path(workdir or tempfile.mkdtemp(prefix="amu-gtd-"))
        converted = convert(read_rows(gtd), folder, countries, since, until, split, limit)
        if not converted.gold:
            raise AmuError("no GTD row with a summary matched the filters", hint="check --country (ISO codes) and years")
        click.echo(f"{len(converted.gold)} GTD rows -> {converted.folder} (gold: {folder / 'gold.jsonl'})", err=True)
        docs, preds = extract_corpus(converted.folder, s, progress=True, fuse=False)
        report = score(converted.gold, preds, docs)
    else:
        if not gold:
            raise AmuError("give a gold file, or --gtd FILE", hint="amu eval GOLD.jsonl CORPUS_FOLDER")
        if pred is None and corpus is None:
            corpus = str(Path(gold).parent / "docs")
            if not Path(corpus).is_dir():
                raise AmuError(f"no corpus folder given and none at {corpus}",
                               hint="amu eval GOLD.jsonl CORPUS_FOLDER, or --pred PRED.jsonl")
        if pred is None and save_pred:
            docs, preds = extract_corpus(corpus or "", s, progress=True)
            from amu.evaluation import load_jsonl

            report = score(load_jsonl(gold), preds, docs)
        else:
            report = evaluate(gold, corpus, pred, s, progress=True)
            preds = []
    if save_pred and preds:
        with open(save_pred, "w", encoding="utf-8") as f:
            for p in preds:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    if json_out:
        Path(json_out).write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    click.echo(format_report(report, verbose))


def register(cli: click.Group) -> None:
    cli.add_command(eval_cmd)
