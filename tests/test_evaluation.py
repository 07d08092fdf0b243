"""`amu eval` and the GTD conversion: same figures as the project's referee, clear errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from amu.cli import cli
from amu.evaluation import extract_corpus, score
from amu.evaluation.gtd import convert, read_rows, split_of
from amu.evaluation.scoring import count_ok, load_jsonl, match_doc

from conftest import ROOT

HELDOUT = ROOT / "eval" / "heldout"


def test_same_figures_as_the_referee(scorer, tmp_path: Path) -> None:
    docs, preds = extract_corpus(HELDOUT / "docs")
    gold = load_jsonl(HELDOUT / "expected.jsonl")
    ours = score(gold, preds, docs)
    theirs = scorer.score(scorer.load(HELDOUT / "expected.jsonl"), preds)
    assert ours.mentions == theirs["mentions"]
    assert ours.grouping == theirs["grouping"]
    assert ours.fields == theirs["fields"]


def test_counts_and_matching_rules() -> None:
    assert count_ok(5, 5) and not count_ok(5, {"min": 5})
    assert count_ok({"min": 141}, {"min": 140}) and count_ok({"min": 141}, 141)
    assert not count_ok({"min": 141}, 100)
    assert count_ok(None, 3) is None
    gold = [{"doc": "a", "incident": "x", "event_type": "attack", "date": "2024-03", "country": "RU"}]
    # an arrest cannot match an attack; an attack in another country cannot either
    assert match_doc(gold, [{"doc": "a", "event_type": "arrest"}]) == []
    assert match_doc(gold, [{"doc": "a", "event_type": "attack", "country": "TJ"}]) == []
    assert match_doc(gold, [{"doc": "a", "event_type": "attack", "date": "2024-03-22"}]) == [(0, 0)]


def test_distractors_are_documents_without_required_gold() -> None:
    gold = [{"doc": "a", "incident": "x", "event_type": "attack"},
            {"doc": "b", "incident": "y", "event_type": "attack", "optional": True}]
    preds = [{"doc": "a", "incident": "1", "event_type": "attack"},
             {"doc": "b", "incident": "2", "event_type": "attack"},
             {"doc": "c", "incident": "3", "event_type": "attack"}]
    r = score(gold, preds, ["a", "b", "c", "d"])
    assert r.distractors["documents"] == 3          # b (optional only), c, d
    assert r.distractors["no_mention"] == 1         # d
    assert r.distractors["only_optional"] == 2      # b's mention matches its optional gold line; d is empty
    assert r.distractors["flagged"] == ["b", "c"]


def _gtd_csv(path: Path) -> Path:
    """Three GTD-shaped rows written for this test (not GTD data)."""
    cols = ["eventid", "iyear", "imonth", "iday", "country_txt", "provstate", "city", "latitude", "longitude",
            "specificity", "attacktype1_txt", "weaptype1_txt", "weapsubtype1_txt", "suicide", "gname", "nkill",
            "nkillter", "nwound", "nwoundte", "summary"]
    rows = [
        ["201501010001", "2015", "1", "1", "Afghanistan", "Kabul", "Kabul", "34.5167", "69.1833", "1",
         "Bombing/Explosion", "Explosives", "Suicide (carried bodily by human being)", "1",
         "Tehrik-i-Taliban Pakistan (TTP)", "6", "1", "12", "0",
         "01/01/2015: A suicide bomber blew himself up near a bus stop in Kabul city, Kabul province, "
         "Afghanistan. Five people, including the bomber, ... were killed and 12 others were injured."],
        ["201502000002", "2015", "2", "0", "Pakistan", "Balochistan", "Unknown", "", "", "4",
         "Armed Assault", "Firearms", "", "0", "Unknown", "3", "", "", "",
         "February 2015: Assailants opened fire on a checkpoint in Balochistan province, Pakistan."],
        ["201503030003", "2015", "3", "3", "Pakistan", "Sindh", "Karachi", "24.9", "67.0", "1",
         "Armed Assault", "Firearms", "", "0", "Unknown", "1", "", "", "", ""],
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        w.writerows(rows)
    return path


def test_gtd_rows_become_corpus_and_gold(tmp_path: Path) -> None:
    out = convert(read_rows(_gtd_csv(tmp_path / "g.csv")), tmp_path / "set")
    assert out.skipped == 1                          # the row without a summary
    first, second = out.gold
    assert (out.folder / first["doc"]).read_text(encoding="utf-8").startswith("01/01/2015: A suicide bomber")
    assert first["attack_type"] == "suicide_bombing" and first["country"] == "AF" and first["date"] == "2015-01-01"
    assert first["perpetrator"] == "TTP"              # the coder's label in Amu's group names
    assert first["killed"] == {"min": 5} and first["wounded"] == {"min": 12}   # victims only, as bounds
    assert (first["lat"], first["lon"]) == (34.5167, 69.1833)
    assert second["date"] == "2015-02" and second["location"] == "Balochistan"
    assert "perpetrator" not in second and "lat" not in second   # 'Unknown' is no group; province-level place
    assert [json.loads(x)["doc"] for x in (tmp_path / "set" / "gold.jsonl").read_text().splitlines()] == \
        [first["doc"], second["doc"]]
    assert split_of("201501010001") == split_of("201501010001") and {split_of(str(i)) for i in range(50)} == {"dev", "test"}


def test_eval_command_scores_and_reports_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["eval", str(HELDOUT / "expected.jsonl"), "--no-model"])
    assert ok.exit_code == 0, ok.output
    assert "mentions  P" in ok.output and "grouping  P" in ok.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc": "a.txt", "event_type": "attack"}\nnot json\n')
    res = runner.invoke(cli, ["eval", str(bad), str(HELDOUT / "docs")])
    assert res.exit_code == 2 and "bad.jsonl:2: not JSON" in res.output
    res = runner.invoke(cli, ["eval", "--gtd", str(tmp_path / "missing.csv")])
    assert res.exit_code == 2 and "no GTD file" in res.output
    res = runner.invoke(cli, ["eval", "--gtd", str(_gtd_csv(tmp_path / "g.csv")), "--workdir", str(tmp_path / "w"),
                              "--no-model"])
    assert res.exit_code == 0, res.output
    assert "2 GTD rows" in res.output and "mentions  P" in res.output
