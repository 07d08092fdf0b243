"""The command line: the commands of the README, errors with hints, bad input reported."""

from __future__ import annotations

import json

from click.testing import CliRunner

from amu.cli import cli


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_help_lists_commands():
    out = invoke("--help").output
    for cmd in ("ingest", "extract", "incidents", "show", "demo", "doctor"):
        assert cmd in out


def test_ingest_bad_folder_reports_each_file_and_keeps_good_ones(tmp_path, report_dir):
    (report_dir / "empty.txt").write_text("")
    (report_dir / "binary.txt").write_bytes(b"\x00\x01\x02\x89PNG" * 50)
    (report_dir / "latin1.txt").write_bytes("Attaque à Douchanbé".encode("latin-1"))
    (report_dir / "broken.json").write_text('{"text": "unterminated')
    (report_dir / "huge.txt").write_text("word " * 4_200_000)   # about 21 MB
    db = tmp_path / "amu.db"
    res = CliRunner().invoke(cli, ["ingest", str(report_dir), "--db", str(db), "--no-model", "-q"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "1 documents read" in out
    for name, reason in [("empty.txt", "empty"), ("binary.txt", "binary"), ("latin1.txt", "UTF-8"),
                         ("broken.json", "JSON"), ("huge.txt", "limit")]:
        line = next(ln for ln in out.splitlines() if name in ln)
        assert reason.lower() in line.lower(), line


def test_incidents_and_show(tmp_path, report_dir):
    db = str(tmp_path / "amu.db")
    invoke("ingest", str(report_dir), "--db", db, "--no-model", "-q")
    out = invoke("incidents", "--db", db).output
    assert "Kulob" in out and "ISKP" in out
    ident = next(tok for tok in out.split() if tok.startswith("inc-"))
    shown = invoke("show", ident, "--db", db).output
    assert "killed" in shown and "kulob.txt" in shown and "Evidence" in shown


def test_show_names_the_report_of_each_relation_once(tmp_path):
    """Two sentences of one report say the group claimed the attack: one line, with the report's name (a name
    in square brackets is not taken for console markup)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "claim.txt").write_text(
        "ISKP claims bombing in Kulob\n\nOn 3 May 2025 a bomb killed four people at a market in Kulob, Tajikistan. "
        "Islamic State Khorasan Province claimed responsibility for the bombing in a statement.\n", encoding="utf-8")
    db = str(tmp_path / "amu.db")
    invoke("ingest", str(folder), "--db", db, "--no-model", "-q")
    ident = next(tok for tok in invoke("incidents", "--db", db).output.split() if tok.startswith("inc-"))
    lines = [ln for ln in invoke("show", ident, "--db", db).output.splitlines() if " claimed " in ln]
    assert len(lines) == 1 and "[claim.txt" in lines[0], lines


def test_show_unknown_id_says_how_to_fix(tmp_path, report_dir):
    db = str(tmp_path / "amu.db")
    invoke("ingest", str(report_dir), "--db", db, "--no-model", "-q")
    res = CliRunner().invoke(cli, ["show", "nope", "--db", db])
    assert res.exit_code == 2 and "hint:" in res.output


def test_missing_database_says_how_to_fix(tmp_path):
    res = CliRunner().invoke(cli, ["incidents", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "amu ingest" in res.output


def test_extract_jsonl_is_interchange_format(tmp_path, report_dir):
    out = tmp_path / "m.jsonl"
    res = CliRunner().invoke(cli, ["extract", str(report_dir), "--jsonl", "-o", str(out), "--no-model"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    attack = next(r for r in rows if r["event_type"] == "attack")
    assert attack["doc"] == "kulob.txt" and attack["incident"].startswith("inc-")
    assert attack["killed"] == 9 and attack["country"] == "TJ" and attack["location"] == "Kulob"
    assert set(attack["evidence"]) == {"text", "start", "end"}


def test_doctor_reports_model_and_settings():
    res = CliRunner().invoke(cli, ["doctor"])
    assert res.exit_code == 0, res.output
    assert "en_core_web_sm" in res.output and "gazetteer" in res.output and "db = " in res.output


def test_demo_prints_incident_table(tmp_path):
    res = CliRunner().invoke(cli, ["demo", "--db", str(tmp_path / "demo.db"), "--no-model"])
    assert res.exit_code == 0, res.output
    assert "Incidents" in res.output and "Crocus" in res.output or "Krasnogorsk" in res.output
    # ... and ends by saying where its brief is, a page that exists and names the demo's incidents
    brief = tmp_path / "brief.html"
    assert f"open {brief}" in res.output and "<svg" in brief.read_text(encoding="utf-8")
    assert f"amu serve --db {tmp_path / 'demo.db'}" in res.output      # ... and how to open the dashboard


def test_figure_cells_show_bounds():
    from amu.views import _fig

    assert _fig({"low": None, "best": 1700, "high": 1700}) == "≤1700"
    assert _fig({"low": 141, "best": 141, "high": None}) == "141"
    assert _fig({"low": 139, "best": 139, "high": 145}) == "139 (139–145)"
    assert _fig(None) == ""


def test_unsupported_files_are_reported_and_nothing_read_is_an_error(tmp_path, report_dir):
    (report_dir / "brief.pdf").write_bytes(b"%PDF-1.4 not really")
    res = CliRunner().invoke(cli, ["ingest", str(report_dir), "--db", str(tmp_path / "a.db"), "--no-model", "-q"])
    assert res.exit_code == 0 and "brief.pdf" in res.output and "pdftotext" in res.output
    res = CliRunner().invoke(cli, ["ingest", str(tmp_path / "no-such-folder"), "--db", str(tmp_path / "b.db"), "-q"])
    assert res.exit_code == 2 and "no document could be read" in res.output


def test_ingesting_the_folder_that_holds_the_store_passes_the_store_over(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from amu.cli import cli

    (tmp_path / "report.txt").write_text("Gunmen attacked a police post in Quetta on Monday, killing two officers.",
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "-q", "--no-model", "--db", "amu.db", "."])
    second = runner.invoke(cli, ["ingest", "-q", "--no-model", "--db", "amu.db", "."])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "amu.db" not in second.output.replace("in amu.db", "") and "skipped" not in second.output
