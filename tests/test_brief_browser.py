"""`amu brief` in Debian's headless Chromium (Playwright): the brief opened from a file draws its timeline,
its map (country outlines, shaded countries, markers) and its tables without a console error and without a
single request leaving the page; `amu brief --pdf` prints it to a PDF of several pages.

Skips only when /usr/bin/chromium is absent (install it with `apt-get install chromium`; never
`playwright install`). A screenshot of the brief goes to the test's temporary folder (and to $AMU_ARTEFACTS).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from amu.cli import cli
from chromium import ARGS, CHROMIUM, needs_chromium

pytestmark = needs_chromium("open the brief in a browser and print it to PDF")


@pytest.fixture(scope="module")
def brief(tmp_path_factory, demo_db) -> tuple[Path, Path]:
    """The demo corpus's brief as HTML and PDF, from one `amu brief --pdf`."""
    html = tmp_path_factory.mktemp("brief-browser") / "brief.html"
    res = CliRunner().invoke(cli, ["brief", "--db", demo_db, "--pdf", "-o", str(html)], env={"AMU_CHROMIUM": CHROMIUM})
    assert res.exit_code == 0, res.output
    assert "PDF written to" in res.output
    return html, html.with_suffix(".pdf")


@contextmanager
def _opened(html: Path) -> Iterator[tuple[Any, dict[str, list[Any]]]]:
    """The page ``html`` in headless Chromium, and what it did: the requests it made, those aborted because they
    would have left the page (anything but file: and data:), its console messages (type, text) and its errors."""
    from playwright.sync_api import sync_playwright

    seen: dict[str, list[Any]] = {"requests": [], "left": [], "console": [], "errors": []}

    def route(r):
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            seen["left"].append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route("**/*", route)
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.on("console", lambda m: seen["console"].append((m.type, m.text)))
            page.on("pageerror", lambda e: seen["errors"].append(str(e)))
            page.goto(html.as_uri(), wait_until="load")
            yield page, seen
        finally:
            browser.close()


def _fill(page, selector: str) -> str:
    return str(page.eval_on_selector(selector, "e => getComputedStyle(e).fill"))


def test_the_brief_opens_offline_with_its_map_charts_and_tables(brief, tmp_path):
    html, _ = brief
    with _opened(html) as (page, seen):
        land = page.locator("section.map svg g[id^='land-'] path")
        assert land.count() > 20                                        # country outlines under the markers
        markers = page.locator("section.map svg g#markers circle")
        assert markers.count() >= 10
        assert _fill(page, "g#land-TJ path") != _fill(page, "g#land-KZ path")   # a country with incidents shaded
        box = page.locator("section.map svg").bounding_box()
        assert box and box["width"] > 500 and box["height"] > 300
        inside = page.eval_on_selector_all(
            "section.map svg g#markers circle",
            "cs => cs.every(c => { const b = c.getBoundingClientRect(), m = c.closest('svg').getBoundingClientRect();"
            " return b.width > 0 && b.left >= m.left && b.right <= m.right && b.top >= m.top && b.bottom <= m.bottom; })")
        assert inside                                                   # every marker drawn, inside the map
        assert page.locator("section.timeline svg g[id^='patch'] path").count() > 5   # the timeline's bars
        assert page.locator("section.incidents table tbody tr").count() >= 20
        assert page.locator("section.conflicts h2").count() == 1 and page.locator("section.warning h2").count() == 1
        shot = tmp_path / "brief.png"
        page.locator("section.map").screenshot(path=str(shot))
        assert shot.stat().st_size > 20_000
        if os.environ.get("AMU_ARTEFACTS"):
            out = Path(os.environ["AMU_ARTEFACTS"])
            out.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, out / "brief-map.png")
    problems = [f"console {t}: {x}" for t, x in seen["console"] if t in ("error", "warning")] + \
        [f"page error: {e}" for e in seen["errors"]]
    assert problems == []
    assert seen["left"] == [], f"requests left the page: {seen['left']}"
    assert seen["requests"] and all(u.startswith(("file://", "data:")) for u in seen["requests"])


@pytest.fixture(scope="module")
def seeds_brief(tmp_path_factory) -> Path:
    """The brief of the seed reports (the issue's acceptance names them), rules only."""
    from conftest import SEEDS

    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    folder = tmp_path_factory.mktemp("seeds-brief")
    db, html = str(folder / "seeds.db"), folder / "brief.html"
    for args in (["ingest", str(SEEDS), "--db", db, "--no-model", "-q"], ["brief", "--db", db, "-o", str(html)]):
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 0, res.output
    return html


def test_the_seeds_brief_draws_a_chart_a_map_and_a_table_offline(seeds_brief):
    with _opened(seeds_brief) as (page, seen):
        assert page.locator("section.timeline svg g[id^='patch'] path").count() > 0    # a chart
        assert page.locator("section.map svg g[id^='land-'] path").count() > 20        # a map ...
        assert page.locator("section.map svg g#markers circle").count() >= 3           # ... with incidents
        assert page.locator("section.incidents table tbody tr").count() >= 10          # a table
    problems = [x for t, x in seen["console"] if t == "error"] + seen["errors"]
    assert problems == [] and seen["left"] == []


def test_pdf_of_the_brief_has_pages(brief):
    html, pdf = brief
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert pages >= 3, pages                              # summary and timeline; map; incidents (page breaks)
    assert html.exists()
