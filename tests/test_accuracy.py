"""Accuracy gate: the extractor scored with ../shared/eval/score.py must stay above the floors.

The floors are the issue's acceptance criteria on the five seed reports, and a
lower floor on the project's own demo corpus (written independently of the
extractor's rules, so it shows how the method generalises).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amu.pipeline import extract_paths
from amu.resolve.incidents import fuse_mentions

from conftest import DEMO, DEMO_GOLD, GOLD, SEEDS

SEED_FLOORS = {"event_type": 0.85, "date": 0.80, "country": 0.95, "location": 0.80, "perpetrator": 0.85,
               "killed": 0.85, "arrested": 0.85}


def _predict(folder: Path, out: Path) -> Path:
    pairs = list(extract_paths([folder]))
    mentions = [m for _, ms in pairs for m in ms]
    fuse_mentions(mentions, {d.id: d.published for d, _ in pairs})
    with out.open("w", encoding="utf-8") as f:
        for m in mentions:
            f.write(json.dumps(m.to_interchange()) + "\n")
    return out


@pytest.fixture(scope="module")
def seed_report(scorer, tmp_path_factory):
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    pred = _predict(SEEDS, tmp_path_factory.mktemp("seeds") / "pred.jsonl")
    return scorer.score(scorer.load(GOLD), scorer.load(pred))


def test_seed_mention_f1(seed_report):
    assert seed_report["mentions"]["f1"] >= 0.80, seed_report["mentions"]


@pytest.mark.parametrize("field", sorted(SEED_FLOORS))
def test_seed_field_accuracy(seed_report, field):
    acc = seed_report["fields"][field]["accuracy"]
    assert acc is not None and acc >= SEED_FLOORS[field], (field, seed_report["fields"][field])


def test_demo_corpus_floor(scorer, tmp_path):
    pred = _predict(DEMO, tmp_path / "demo.jsonl")
    report = scorer.score(scorer.load(DEMO_GOLD), scorer.load(pred))
    assert report["mentions"]["f1"] >= 0.70, report["mentions"]
    assert report["fields"]["country"]["accuracy"] >= 0.90
    assert report["fields"]["event_type"]["accuracy"] >= 0.90
    # Fusion on reports written apart from the seeds: never a wrong merge, and most passing references placed.
    assert report["grouping"]["precision"] == 1.0 and report["grouping"]["recall"] >= 0.80, report["grouping"]


def test_every_mention_has_provenance(tmp_path):
    pred = _predict(DEMO, tmp_path / "demo.jsonl")
    docs = {p.name: p for p in DEMO.iterdir()}
    for line in pred.read_text().splitlines():
        m = json.loads(line)
        ev = m["evidence"]
        assert ev["text"] and 0 <= ev["start"] < ev["end"]
        assert m["doc_id"] and m["extractor"].startswith("amu.extract")
        if m["doc"] in docs and m["doc"].endswith(".txt"):
            text = docs[m["doc"]].read_text(encoding="utf-8").replace("\r\n", "\n")
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_seed_grouping(seed_report):
    """Fusion across the seed reports (issue: grouping F1 >= 0.90)."""
    assert seed_report["grouping"]["f1"] >= 0.90, seed_report["grouping"]


def test_seed_fusion_never_merges_different_incidents(scorer, tmp_path):
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    pred = scorer.load(_predict(SEEDS, tmp_path / "pred.jsonl"))
    gold = scorer.load(GOLD)
    owners: dict[str, set[str]] = {}
    for doc in sorted({g["doc"] for g in gold}):
        gs = [g for g in gold if g["doc"] == doc]
        ps = [p for p in pred if p["doc"] == doc]
        for i, j in scorer.match_doc(gs, ps):
            if not gs[i].get("optional"):
                owners.setdefault(ps[j]["incident"], set()).add(gs[i]["incident"])
    wrong = {inc: golds for inc, golds in owners.items() if len(golds) > 1}
    assert not wrong, wrong


HELDOUT = Path(__file__).resolve().parents[1] / "eval" / "heldout"
REAL = Path(__file__).resolve().parents[1] / "eval" / "real"


def test_heldout_corpus_floor(scorer, tmp_path):
    """The held-out corpus (in the repository; written and annotated apart from the rules): never skipped."""
    pred = _predict(HELDOUT / "docs", tmp_path / "heldout.jsonl")
    report = scorer.score(scorer.load(HELDOUT / "expected.jsonl"), scorer.load(pred))
    assert report["mentions"]["f1"] >= 0.85, report["mentions"]
    assert report["grouping"]["precision"] == 1.0 and report["grouping"]["f1"] >= 0.70, report["grouping"]


def test_real_dev_split_floor(tmp_path):
    """Real news excerpts (dev split). Their texts are third-party and not committed: this runs where the
    git-ignored cache was rebuilt (python scripts/real_corpus.py restore|import|fetch, then layout)."""
    from amu.evaluation import evaluate

    folder = REAL / "cache" / "dev"
    if not (folder / "meta.jsonl").exists():
        pytest.skip("real-text cache not built here: see eval/real/README.md")
    report = evaluate(REAL / "dev.gold.jsonl", folder)
    # Floors a little below today's figures (regression guards, not the targets). The dev split
    # doubled in session 5 (180 documents) and grew again in session 6 (285 documents: 105 unread ones on
    # which Amu scored like on test), F1 0.789 -> 0.749 at the same commit.
    assert report.mentions["f1"] >= 0.73, report.mentions
    assert report.grouping["precision"] >= 0.95, report.grouping
    assert report.distractors["share_no_mention"] >= 0.70, report.distractors
