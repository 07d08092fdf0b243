"""`amu brief --pdf` without a real browser: a stand-in `chromium` script shows what Amu asks of it and how it
reads the outcome (the real Chromium is driven in test_brief_browser.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from amu.brief.pdf import FLAGS, ChromiumNotFound, find_chromium, html_to_pdf
from amu.cli import cli
from amu.errors import ExportError

WRITES_PDF = """#!/bin/sh
for a in "$@"; do
  case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac
done
echo "$@" > "$(dirname "$0")/args.txt"
printf '%%PDF-1.4\\n1 0 obj << /Type /Page >> endobj\\n%%%%EOF\\n' > "$out"
"""
FAILS = """#!/bin/sh
echo "[0101/000000.000:ERROR:headless_shell.cc] printing failed" >&2
exit 1
"""


def _script(folder: Path, text: str) -> Path:
    path = folder / "chromium"
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_chromium_is_run_headless_offline_with_a_throwaway_profile(tmp_path):
    fake = _script(tmp_path, WRITES_PDF)
    html = tmp_path / "b.html"
    html.write_text("<!DOCTYPE html><p>x</p>")
    out = html_to_pdf(html, tmp_path / "b.pdf", chromium=str(fake))
    assert out.read_bytes().startswith(b"%PDF-")
    args = (tmp_path / "args.txt").read_text().split()
    assert set(FLAGS) <= set(args) and args[-1] == html.resolve().as_uri()
    profile = next(a for a in args if a.startswith("--user-data-dir="))
    assert not Path(profile.split("=", 1)[1]).exists()                 # the profile is removed afterwards


def test_a_failing_chromium_is_an_error_with_its_last_words(tmp_path):
    fake = _script(tmp_path, FAILS)
    html = tmp_path / "b.html"
    html.write_text("<p>x</p>")
    with pytest.raises(ExportError, match="wrote no PDF") as err:
        html_to_pdf(html, tmp_path / "b.pdf", chromium=str(fake))
    assert "printing failed" in str(err.value) and err.value.hint
    with pytest.raises(ExportError, match="no HTML brief"):
        html_to_pdf(tmp_path / "none.html", tmp_path / "b.pdf", chromium=str(fake))


def test_no_chromium_anywhere_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ChromiumNotFound) as err:
        find_chromium()
    assert "apt-get install chromium" in str(err.value)
    _script(tmp_path, WRITES_PDF)
    assert find_chromium() == str(tmp_path / "chromium")               # found on PATH


def test_cli_pdf_goes_beside_the_html_or_where_o_names_it(tmp_path, report_dir):
    fake = _script(tmp_path, WRITES_PDF)
    db = str(tmp_path / "amu.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(report_dir), "--db", db, "--no-model", "-q"]).exit_code == 0
    env = {"AMU_CHROMIUM": str(fake)}
    res = runner.invoke(cli, ["brief", "--db", db, "--pdf", "-o", str(tmp_path / "a.html")], env=env)
    assert res.exit_code == 0 and "PDF written to" in res.output, res.output
    assert (tmp_path / "a.html").exists() and (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF-")
    res = runner.invoke(cli, ["brief", "--db", db, "--pdf", "-o", str(tmp_path / "b.pdf")], env=env)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "b.html").exists() and (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF-")
