"""End to end: `amu serve` in a subprocess, the dashboard driven in Debian's headless Chromium (Playwright).

The map draws outlines and markers, a country filter narrows the table, an incident page shows its evidence
with the facts highlighted; no console error, and no request leaves loopback. Screenshots go to the test's
temporary folder (and to $AMU_ARTEFACTS when set). Skips only when /usr/bin/chromium is absent (install it
with `apt-get install chromium`; never `playwright install`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from chromium import ARGS, CHROMIUM, needs_chromium

pytestmark = needs_chromium("run the dashboard's browser test")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_db):
    db = demo_db
    port = _free_port()
    amu = Path(sys.executable).with_name("amu")
    cmd = [str(amu)] if amu.exists() else [sys.executable, "-m", "amu.cli"]
    proc = subprocess.Popen([*cmd, "serve", "--db", db, "--port", str(port), "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"amu serve did not start: {proc.communicate()[0]}")
        time.sleep(0.1)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _save(page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    if os.environ.get("AMU_ARTEFACTS"):
        out = Path(os.environ["AMU_ARTEFACTS"])
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, out / path.name)
    return path


def test_dashboard_map_filter_and_evidence_in_headless_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

            page.goto(server + "/")
            page.wait_for_function("document.body.dataset.ready === 'yes' && "
                                   "document.querySelectorAll('#map circle.marker').length > 0")
            assert page.locator("#map path.land").count() > 50
            markers = page.locator("#map circle.marker").count()
            assert markers >= 10
            rows_all = page.locator("#incidents tbody tr").count()
            assert page.locator(".chart svg").count() == 1          # the brief's matplotlib timeline
            _save(page, tmp_path, "dashboard")

            page.select_option("#filters select[name=country]", "TJ")
            page.click("#apply")
            page.wait_for_function("document.getElementById('filter-summary').textContent.includes('country TJ')"
                                   " && document.body.dataset.ready === 'yes'")
            places = page.locator("#incidents tbody tr td:nth-child(4)").all_inner_texts()
            assert 0 < len(places) < rows_all and all("TJ" in p for p in places)
            assert page.locator("#map circle.marker").count() < markers
            assert page.locator("#map path.land.hit").count() == 1
            _save(page, tmp_path, "dashboard-tj")

            page.goto(server + "/#/")
            page.wait_for_function("document.body.dataset.ready === 'yes' && "
                                   "document.querySelectorAll('#incidents tbody tr').length > 20")
            crocus = page.locator("#incidents tbody tr", has_text="Crocus City Hall").first
            crocus.locator("a").first.click()
            page.wait_for_selector("#incident")
            page.wait_for_function("document.body.dataset.ready === 'yes'")
            marks = page.locator(".evidence mark.hl")
            assert marks.count() >= 5
            assert page.locator(".evidence mark.hl-killed", has_text="133").count() >= 1
            assert page.locator("#conflicts table.side-by-side").count() >= 1
            _save(page, tmp_path, "incident")

            page.locator("#incident a", has_text="ISKP").first.click()
            page.wait_for_selector("#actor")
            page.wait_for_function("document.body.dataset.ready === 'yes'")
            assert "ISKP" in page.locator("#actor h2").inner_text()
        finally:
            browser.close()
    assert problems == []
    hosts = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, f"requests left loopback: {sorted(hosts)}"
