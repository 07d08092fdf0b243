"""`amu brief`: one self-contained HTML file of the incidents that pass the filters."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from amu.cli import cli
from conftest import SEEDS

EXTERNAL = re.compile(r"""\b(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


class _Page(HTMLParser):
    """Counts the rows of each table and collects the text and every src/href value."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[int] = []
        self.refs: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "table":
            self.tables.append(0)
        elif tag == "tr" and self.tables:
            self.tables[-1] += 1
        self.refs += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]

    def handle_data(self, data):
        self.text.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> str:
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    db = str(tmp_path_factory.mktemp("brief") / "seeds.db")
    res = invoke("ingest", str(SEEDS), "--db", db, "--no-model", "-q")
    assert res.exit_code == 0, res.output
    return db


def test_brief_of_the_seeds_is_self_contained_with_charts_tables_and_citations(tmp_path, seeds_db):
    from amu.cli_common import open_existing

    out = tmp_path / "brief.html"
    res = invoke("brief", "--db", seeds_db, "-o", str(out))
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    page = _parse(text)
    assert text.count("<svg") == 2 and "<h2>Map</h2>" in text and 'id="land-TJ"' in text
    assert not {"script", "link", "img", "iframe"} & page.tags
    assert not EXTERNAL.search(text)
    assert all(r.startswith("#") for r in page.refs), page.refs     # only references inside the page
    assert len(page.tables) >= 3 and max(page.tables) > 10           # incidents table: header + a row each
    store = open_existing(seeds_db)
    mentions = store.mentions()
    assert mentions
    body = " ".join(page.text)
    cited = [m for m in mentions if m.incident and m.evidence.text in body]
    assert len(cited) == len([m for m in mentions if m.incident])    # every evidence sentence is cited
    assert "Crocus City Hall" in body and "Conflicting figures" in body and "conflict" in body
    assert "correlation of counts, not cause" in body                # the early-warning caveats
    n = len(store.all_incident_rows())
    assert f"<dt>Incidents</dt><dd>{n}</dd>" in text and len(set(re.findall(r'<span id="(inc-[0-9a-f]+)"', text))) == n


def test_filters_narrow_the_brief_and_an_empty_selection_says_so(tmp_path, seeds_db):
    everything = tmp_path / "all.html"
    narrow = tmp_path / "kg.html"
    empty = tmp_path / "none.html"
    assert invoke("brief", "--db", seeds_db, "-o", str(everything)).exit_code == 0
    res = invoke("brief", "--db", seeds_db, "--country", "KG", "-o", str(narrow))
    assert res.exit_code == 0 and "country KG" in res.output, res.output
    all_text, kg_text = everything.read_text(), narrow.read_text()
    assert "Filters: country KG" in kg_text
    incidents_all = set(re.findall(r'<span id="(inc-[0-9a-f]+)"', all_text))
    incidents_kg = set(re.findall(r'<span id="(inc-[0-9a-f]+)"', kg_text))
    assert incidents_kg and incidents_kg < incidents_all
    assert "Crocus City Hall" not in kg_text and "Bishkek" in kg_text
    res = invoke("brief", "--db", seeds_db, "--since", "2090", "-o", str(empty))
    assert res.exit_code == 0, res.output
    assert "No incidents match these filters." in empty.read_text() and "<svg" not in empty.read_text()


def test_every_text_is_escaped(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "x.txt").write_text(
        "A bomb <script>alert(1)</script> exploded at a market in Kulob on 3 May 2025, killing nine people, "
        "police said. Islamic State Khorasan Province (ISKP) claimed responsibility for the bombing.\n",
        encoding="utf-8")
    db = str(tmp_path / "x.db")
    assert invoke("ingest", str(reports), "--db", db, "--no-model", "-q").exit_code == 0
    out = tmp_path / "b.html"
    res = invoke("brief", "--db", db, "--title", "<b>T</b>", "-o", str(out))
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script" not in text.lower() and "<b>T</b>" not in text and "&lt;b&gt;T&lt;/b&gt;" in text


def test_an_unwritable_path_is_an_error_with_a_hint(tmp_path, report_dir):
    db = str(tmp_path / "amu.db")
    assert invoke("ingest", str(report_dir), "--db", db, "--no-model", "-q").exit_code == 0
    res = invoke("brief", "--db", db, "-o", str(tmp_path / "no" / "such" / "brief.html"))
    assert res.exit_code != 0 and "cannot write" in res.output and "hint:" in res.output



def test_pdf_without_chromium_is_an_error_that_says_how_to_install_it(tmp_path, report_dir, monkeypatch):
    db = str(tmp_path / "amu.db")
    assert invoke("ingest", str(report_dir), "--db", db, "--no-model", "-q").exit_code == 0
    monkeypatch.setenv("AMU_CHROMIUM", str(tmp_path / "no-such-chromium"))
    res = invoke("brief", "--db", db, "--pdf", "-o", str(tmp_path / "b.html"))
    assert res.exit_code != 0 and "Chromium not found" in res.output
    assert "apt-get install chromium" in res.output and not (tmp_path / "b.pdf").exists()
    monkeypatch.setenv("PATH", str(tmp_path))                        # nothing on PATH either
    monkeypatch.delenv("AMU_CHROMIUM")
    res = invoke("brief", "--db", db, "--pdf", "-o", str(tmp_path / "b.html"))
    assert res.exit_code != 0 and "Chromium is not installed" in res.output and "apt-get install chromium" in res.output


def test_charts_are_svg_text_without_external_references():
    from amu.brief.charts import timeline_svg
    from amu.brief.mapchart import map_svg

    svg = timeline_svg(["2024-01", "2024-02", "2024-03"], [2, 0, 5])
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "Incidents per month" in svg and "2024-03" in svg          # text kept as text (svg.fonttype none)
    pts = map_svg([69.1, 74.6], [34.5, 42.9], [3, 0], {"AF", "KG"}, ["Kabul", "Bishkek"])
    assert "Bishkek" in pts and 'id="land-AF"' in pts and not EXTERNAL.search(pts + svg)


def test_a_brief_left_in_an_input_folder_is_refused_with_its_reason(tmp_path, demo_db):
    """Amu's own HTML is not a report: ingesting it again would count its incidents twice."""
    from click.testing import CliRunner

    from amu.cli import cli
    from amu.pipeline import run
    from amu.settings import Settings
    from amu.store import Store

    folder = tmp_path / "reports"
    folder.mkdir()
    res = CliRunner().invoke(cli, ["brief", "--db", demo_db, "-o", str(folder / "brief.html")])
    assert res.exit_code == 0, res.output
    report = run([folder], Store(tmp_path / "again.db"), Settings(use_model=False))
    assert report.documents == 0 and len(report.rejections) == 1
    assert report.rejections[0].reason.startswith("is an Amu brief (Amu's own output), not a report; keep briefs out")
