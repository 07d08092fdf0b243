"""Shared fixtures: paths to the shared corpus and scorer, and a small report written for the tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "seeds.gold.jsonl"
SCORER = SHARED / "eval" / "score.py"
DEMO = ROOT / "src" / "amu" / "data" / "demo"
DEMO_GOLD = ROOT / "demo" / "expected.jsonl"

REPORT = """Blast at Kulob market kills nine

DUSHANBE, May 3 (Test Wire) — A bomb hidden in a parked car exploded at a crowded market in Kulob on Friday, \
killing nine people and wounding at least 20, police said. Islamic State Khorasan Province (ISKP) claimed \
responsibility for the bombing on Saturday.

Security forces later detained four suspects, all of them Tajik nationals, in connection with the attack.
"""


@pytest.fixture(scope="session")
def scorer():
    """The shared scorer as a module (skips when ../shared is not there)."""
    if not SCORER.exists():
        pytest.skip("../shared/eval/score.py not found")
    spec = importlib.util.spec_from_file_location("amu_shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def report_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "kulob.txt").write_text(REPORT, encoding="utf-8")
    (folder / "meta.jsonl").write_text('{"doc": "kulob.txt", "published": "2025-05-04", "publisher": "Test Wire"}\n')
    return folder
