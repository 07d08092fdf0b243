"""Incremental fusion over the seed reports: order-independent, and incident ids never change.

The issue's acceptance: adding the five seeds one at a time in any order gives
the same incidents as adding them all at once, and ids of existing incidents
never change. Two tests: a few orders through the whole pipeline (files ->
store), and *every* order (5! = 120) through the store's fusion step with the
extraction done once.
"""

from __future__ import annotations

import itertools
import json
import random
from typing import Any

import pytest

from amu.extract.mentions import EXTRACTOR
from amu.pipeline import extract_paths, run
from amu.resolve.incidents import fuse_store, resolve_id
from amu.settings import Settings
from amu.store import Store

from conftest import SEEDS

SETTINGS = Settings(use_model=False)


def _incidents(store: Store) -> dict[frozenset[str], dict[str, Any]]:
    """Fused incidents keyed by their set of mention ids, without ids and timestamps."""
    out = {}
    for row in store.incident_rows(limit=10_000):
        data = json.loads(row["data_json"])
        out[frozenset(data.pop("mention_ids"))] = {k: v for k, v in data.items() if k != "id"}
    return out


def _live(store: Store) -> dict[str, frozenset[str]]:
    members: dict[str, set[str]] = {r["id"]: set() for r in store.incident_rows(limit=10_000)}
    for m in store.mentions():
        if m.incident in members:
            members[m.incident].add(m.id)
    return {i: frozenset(ms) for i, ms in members.items()}


def _check_ids_kept(published: dict[str, frozenset[str]], live: dict[str, frozenset[str]]) -> None:
    """Every incident published before is still there, holding at least the mentions it had."""
    for ident, mentions in published.items():
        assert ident in live, f"incident {ident} disappeared"
        assert mentions <= live[ident], f"incident {ident} lost mentions"


@pytest.fixture(scope="module")
def seed_files():
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    return sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")


@pytest.fixture(scope="module")
def all_at_once(seed_files, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("once") / "amu.db")
    run([SEEDS], store, SETTINGS)
    return _incidents(store)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_pipeline_one_at_a_time_in_random_orders(seed, seed_files, all_at_once, tmp_path):
    order = list(seed_files)
    random.Random(seed).shuffle(order)
    store = Store(tmp_path / "amu.db")
    published: dict[str, frozenset[str]] = {}
    for path in order:
        # The sidecar metadata (publication dates) comes with each file, as in a real feed.
        run([path], store, SETTINGS)
        live = _live(store)
        _check_ids_kept(published, live)
        assert all(resolve_id(store, i) == i for i in live)
        published = live
    assert _incidents(store) == all_at_once


@pytest.fixture(scope="module")
def seed_docs(seed_files):
    return list(extract_paths([SEEDS], SETTINGS))


def test_every_order_gives_the_same_incidents_and_keeps_every_id(seed_docs, all_at_once):
    assert len(seed_docs) == 5
    for order in itertools.permutations(range(len(seed_docs))):
        store = Store(":memory:")
        published: dict[str, frozenset[str]] = {}
        for k in order:
            doc, mentions = seed_docs[k]
            store.add_document(doc, mentions, EXTRACTOR)
            fuse_store(store)
            live = _live(store)
            _check_ids_kept(published, live)
            published = live
        assert store.get_state("incident_redirects") == {}, order
        assert _incidents(store) == all_at_once, order
