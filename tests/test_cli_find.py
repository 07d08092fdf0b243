"""`amu incidents` filters and formats, `amu export`, and what `amu ingest` says about inputs it cannot use."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from amu.cli import cli
from amu.export.csv import FIELDNAMES

RUSSIAN = ("В пятницу вечером в концертном зале в Красногорске неизвестные открыли стрельбу по посетителям. "
           "По данным Следственного комитета, погибли более 140 человек, еще сотни получили ранения. "
           "Ответственность за нападение взяла на себя группировка. Задержаны четыре гражданина.")


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def _db(tmp_path, report_dir) -> str:
    db = str(tmp_path / "amu.db")
    res = invoke("ingest", str(report_dir), "--db", db, "--no-model", "-q")
    assert res.exit_code == 0, res.output
    return db


def test_incidents_filters_and_formats(tmp_path, report_dir):
    db = _db(tmp_path, report_dir)
    table = invoke("incidents", "--db", db, "--country", "tajikistan", "--actor", "ISIS-K", "--since", "2025-05")
    assert table.exit_code == 0 and "Kulob" in table.output and "exact" in table.output and "TJ" in table.output
    assert "country TJ" in table.output            # the title says which filters are in force
    empty = invoke("incidents", "--db", db, "--country", "UZ")
    assert empty.exit_code == 0 and "0 shown" in empty.output
    out = invoke("incidents", "--db", db, "--format", "json", "--nationality", "Tajik", "--type", "attack/bombing")
    rows = json.loads(out.output)
    assert [(r["location"], r["nationality"], r["geo_precision"]) for r in rows] == [("Kulob", ["TJ"], "exact")]
    lines = invoke("incidents", "--db", db, "--format", "jsonl", "--min-killed", "9").output.splitlines()
    assert [json.loads(x)["killed"]["best"] for x in lines] == [9]
    assert invoke("incidents", "--db", db, "--format", "jsonl", "--min-killed", "10").output == ""
    reader = csv.DictReader(io.StringIO(invoke("incidents", "--db", db, "--format", "csv").output))
    assert tuple(reader.fieldnames or ()) == FIELDNAMES and any(r["location"] == "Kulob" for r in reader)


def test_unknown_filter_values_exit_2_and_list_the_valid_ones(tmp_path, report_dir):
    db = _db(tmp_path, report_dir)
    for args, listed in [(["--country", "Narnia"], "TH TJ TK"), (["--actor", "ISKPP"], "ISKP, IS, Taliban"),
                         (["--type", "rocket"], "rocket_attack"), (["--status", "maybe"], "claimed, attributed"),
                         (["--since", "2022-13"], "2022-03")]:
        for command in (["incidents"], ["export", "--format", "csv", "-o", str(tmp_path / "x.csv")]):
            res = invoke(*command, "--db", db, *args)
            assert res.exit_code == 2, (command, args, res.output)
            assert res.output.startswith("error: ") and "hint:" in res.output and listed in res.output
    assert not (tmp_path / "x.csv").exists()


def test_export_writes_the_file_and_says_what_it_left_out(tmp_path, report_dir):
    db = _db(tmp_path, report_dir)
    out = tmp_path / "inc.geojson"
    res = invoke("export", "--db", db, "--format", "geojson", "-o", str(out), "--country", "TJ")
    assert res.exit_code == 0, res.output
    assert "incidents written to" in res.output and "filters: country TJ" in res.output
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection" and data["features"][0]["properties"]["location"] == "Kulob"
    stix = tmp_path / "inc.json"
    assert invoke("export", "--db", db, "--format", "stix", "-o", str(stix)).exit_code == 0
    assert json.loads(stix.read_text())["type"] == "bundle"
    res = invoke("export", "--db", db, "--format", "csv", "-o", str(tmp_path / "no" / "such" / "x.csv"))
    assert res.exit_code == 2 and "no folder" in res.output and "hint:" in res.output


def test_show_prints_place_precision_and_nationality(tmp_path, report_dir):
    db = _db(tmp_path, report_dir)
    ident = json.loads(invoke("incidents", "--db", db, "--format", "json", "--type", "bombing").output)[0]["id"]
    shown = invoke("show", ident, "--db", db).output
    assert "Kulob, Khatlon, TJ (exact; 37.9146, 69.7845)" in shown
    assert "nationality  TJ (1 mention)" in shown


TAJIK = ("Дар шаҳри Кӯлоб рӯзи ҷумъа дар назди бозор таркиш ба амал омад. Ба гуфтаи Вазорати корҳои дохилӣ, "
         "се нафар ҳалок ва даҳ нафари дигар захмӣ шуданд. Масъулиятро ягон гурӯҳ ба дӯш нагирифтааст.")


def test_ingest_warns_about_documents_in_a_language_amu_cannot_read(tmp_path, report_dir):
    (report_dir / "kulob_tg.txt").write_text(TAJIK, encoding="utf-8")
    res = invoke("ingest", str(report_dir), "--db", str(tmp_path / "a.db"), "--no-model", "-q")
    assert res.exit_code == 0, res.output
    assert "warning: 1 document in Tajik was stored and flagged: Amu extracts English and Russian only for now" \
        in res.output
    assert "kulob_tg.txt" in res.output
    res = invoke("extract", str(report_dir), "--jsonl", "-o", str(tmp_path / "m.jsonl"), "--no-model")
    assert res.exit_code == 0 and "1 document in Tajik was flagged: Amu extracts" in res.output


def test_a_russian_report_is_read_not_flagged(tmp_path, report_dir):
    (report_dir / "crocus_ru.txt").write_text(RUSSIAN, encoding="utf-8")
    res = invoke("extract", str(report_dir / "crocus_ru.txt"), "--jsonl", "--no-model")
    assert res.exit_code == 0 and "flagged" not in res.output
    rows = [json.loads(line) for line in res.output.splitlines() if line.startswith("{")]
    assert [(r["event_type"], r["location"], r["killed"]) for r in rows] == [("attack", "Krasnogorsk", {"min": 141})]


def test_ingest_of_a_missing_path_exits_2_even_when_others_were_read(tmp_path, report_dir):
    res = invoke("ingest", str(report_dir), str(tmp_path / "reprots"), "--db", str(tmp_path / "a.db"), "--no-model",
                 "-q")
    assert res.exit_code == 2
    assert "1 documents read" in res.output and "reprots" in res.output and "do not exist" in res.output


def test_ingest_of_unreadable_files_says_which_and_why(tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "brief.pdf").write_bytes(b"%PDF-1.4")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    res = invoke("ingest", str(folder), "--db", str(tmp_path / "a.db"), "--no-model", "-q")
    assert res.exit_code == 2
    assert "brief.pdf" in res.output and "notes.docx" in res.output
    assert "warning: 2 files or records skipped" in res.output and "no document could be read" in res.output


def test_help_documents_the_filters():
    for command in ("incidents", "export"):
        out = invoke(command, "--help").output
        for option in ("--since", "--until", "--actor", "--type", "--nationality", "--country", "--min-killed",
                       "--status", "--format"):
            assert option in out, (command, option)
