"""Evaluation: score Amu against gold in the interchange format, or against GTD-coded rows.

``evaluate(gold, corpus)`` reads the corpus, extracts and fuses its mentions and scores them with the
project referee's rules (:mod:`amu.evaluation.scoring`); :mod:`amu.evaluation.gtd` turns GTD rows
into such a corpus and gold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from amu.evaluation.scoring import Report, format_report, load_jsonl, score

if TYPE_CHECKING:
    from amu.settings import Settings

__all__ = ["Report", "evaluate", "extract_corpus", "format_report", "load_jsonl", "score"]


def extract_corpus(corpus: str | Path, settings: "Settings | None" = None, progress: bool = False,
                   fuse: bool = True) -> tuple[list[str], list[dict[str, Any]]]:
    """Names of the documents read and their mentions in the interchange format (fused, as ``amu extract``)."""
    from amu.pipeline import extract_paths
    from amu.resolve.incidents import fuse_mentions

    pairs = list(extract_paths([corpus], settings, progress=progress))
    mentions = [m for _, ms in pairs for m in ms]
    if fuse:
        fuse_mentions(mentions, {d.id: d.published for d, _ in pairs})
    else:
        for m in mentions:
            m.incident = m.id
    return [d.name for d, _ in pairs], [m.to_interchange() for m in mentions]


def evaluate(gold: str | Path, corpus: str | Path | None = None, pred: str | Path | None = None,
             settings: "Settings | None" = None, progress: bool = False) -> Report:
    """Score the corpus's extraction (or a prediction file) against a gold file."""
    golds = load_jsonl(gold)
    if pred is not None:
        return score(golds, load_jsonl(pred))
    if corpus is None:
        raise ValueError("give a corpus folder or a prediction file")
    docs, preds = extract_corpus(corpus, settings, progress)
    return score(golds, preds, docs)
