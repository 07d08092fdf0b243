"""Incremental fusion over the seed reports: order-independent, and incident ids are never renumbered."""

from __future__ import annotations

import random

import pytest

from amu.pipeline import run
from amu.resolve.incidents import resolve_id
from amu.settings import Settings
from amu.store import Store

from conftest import SEEDS

SETTINGS = Settings(use_model=False)


def _partition(store):
    groups = {}
    for m in store.mentions():
        groups.setdefault(m.incident, set()).add(m.id)
    return {frozenset(v) for v in groups.values()}


@pytest.fixture(scope="module")
def seed_files():
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    return sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")


@pytest.fixture(scope="module")
def all_at_once(seed_files, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("once") / "amu.db")
    run([SEEDS], store, SETTINGS)
    return _partition(store)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_one_at_a_time_in_any_order_matches_all_at_once(seed, seed_files, all_at_once, tmp_path):
    order = list(seed_files)
    random.Random(seed).shuffle(order)
    store = Store(tmp_path / "amu.db")
    seen: set[str] = set()
    for path in order:
        # The sidecar metadata (publication dates) comes with each file, as in a real feed.
        run([path], store, SETTINGS)
        live = {r[0] for r in store.conn.execute("SELECT id FROM incidents")}
        for old in seen:
            # An existing id is never renumbered: it still exists, or points at the incident that absorbed it.
            assert old in live or resolve_id(store, old) in live
        seen |= live
    assert _partition(store) == all_at_once
