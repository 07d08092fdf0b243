"""End-to-end fusion on reports written for the test (tests/data/fusion):

- a wire story and its near-verbatim republication (one independent source),
- a later report with a revised death toll and the claim,
- a different attack in the same city on the same day (must stay apart).
"""

from __future__ import annotations

import json
from pathlib import Path

from amu.pipeline import run
from amu.settings import Settings
from amu.store import Store

CORPUS = Path(__file__).parent / "data" / "fusion"


def _incidents(store):
    return {r["id"]: json.loads(r["data_json"]) for r in store.incident_rows(limit=10_000)}


def test_wire_republication_revision_and_same_day_attack(tmp_path):
    store = Store(tmp_path / "amu.db")
    run([CORPUS], store, Settings(use_model=False))
    incs = _incidents(store)
    bombing = [i for i in incs.values() if i["attack_type"] == "bombing"]
    shooting = [i for i in incs.values() if i["attack_type"] == "armed_assault"]
    assert len(bombing) == 1 and len(shooting) == 1
    b = bombing[0]
    assert sorted(b["documents"]) == ["revised_toll.txt", "wire_a.txt", "wire_a_republished.txt"]
    assert b["independent_sources"] == 2          # the republished wire counts once
    assert b["perpetrator"] == "TTP" and b["location"] == "Peshawar"
    killed = b["killed"]
    assert killed["best"] == 19 and killed["revised"]
    assert sorted(s["count"] for s in killed["sources"]) == [12, 12, 19]   # every source's own figure kept
    assert b["first_reported"] == "2023-02-06" and b["last_reported"] == "2023-02-08"
    assert shooting[0]["documents"] == ["same_day_other_attack.txt"]


def test_status_not_claimed_when_report_says_nobody_claimed(tmp_path):
    store = Store(tmp_path / "amu.db")
    run([CORPUS / "wire_a.txt"], store, Settings(use_model=False))
    assert [m.status for m in store.mentions()] == [None]
