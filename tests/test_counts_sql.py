"""Counts computed by the store (SQL GROUP BY) equal the counts over loaded rows, on both engines."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from amu.analysis import BY, counts, counts_in_store
from amu.find import find_incidents, parse_filters
from amu.records import Count, DateValue, Document, Evidence, Mention, Place, Provenance
from amu.resolve.incidents import fuse_store
from amu.store import Store

PROV = Provenance(doc_id="", extractor="test", version="0")
COUNTRIES = ("AF", "PK", "UZ", None)
GROUPS = (None, None, "ISKP", "TTP", "Group C")
EVENTS = (("attack", "bombing"), ("attack", "armed_assault"), ("attack", None), ("arrest", None), ("plot", "bombing"))


def _count(rng: random.Random) -> Count | None:
    r = rng.random()
    if r < 0.3:
        return None
    low = rng.randrange(0, 20)
    if r < 0.5:
        return Count(low, low)
    if r < 0.7:
        return Count(low, None)
    return Count(low, low + rng.randrange(1, 30))


def _mentions(seed: int, n: int = 160) -> dict[str, list[Mention]]:
    rng = random.Random(seed)
    places = [Place(f"{c} town {k}", c, "city", 30 + rng.random(), 65 + rng.random())
              for c in COUNTRIES if c for k in range(2)]
    docs: dict[str, list[Mention]] = {}
    for k in range(n):
        doc = f"doc{k // 3:03d}"
        event, attack = rng.choice(EVENTS)
        day = (date(2019, 11, 1) + timedelta(days=rng.randrange(500))).isoformat()
        r = rng.random()
        iso = day if r < 0.6 else day[:7] if r < 0.8 else day[:4] if r < 0.9 else None
        country = rng.choice(COUNTRIES)
        place = rng.choice([p for p in places if p.country == country] or places) if rng.random() < 0.6 else None
        text = f"Report {k}."
        docs.setdefault(doc, []).append(Mention(
            id=f"{doc}-m{k:04d}", doc=doc, doc_id=f"sha-{doc}", event_type=event, attack_type=attack,
            evidence=Evidence(text, 0, len(text)), provenance=PROV,
            date=DateValue(iso, ("year", "month", "day")[(len(iso) - 4) // 3]) if iso else None,
            country=country, place=place, perpetrator=rng.choice(GROUPS),
            perpetrator_nationality=rng.choice(([], [], ["TJ"], ["UZ", "TJ"])),
            killed=_count(rng), wounded=_count(rng), arrested=_count(rng) if event == "arrest" else None))
    return docs


@pytest.fixture()
def store(db_url: str) -> Store:
    s = Store(db_url)
    for doc, ms in _mentions(7).items():
        s.add_document(Document(id=f"sha-{doc}", name=doc, text=f"text of {doc}", published="2021-01-01"), ms, "test")
    fuse_store(s)
    return s


FILTERS = [
    {},
    {"country": "AF"},
    {"country": ["PK", "UZ"]},
    {"since": "2020-03-15"},
    {"until": "2020-06"},
    {"since": "2020", "until": "2020-09-10"},
    {"type": "bombing"},
    {"type": ["attack/armed_assault", "arrest"]},
    {"min_killed": 5},
    {"country": "AF", "since": "2020-02", "type": "attack"},
    {"actor": "ISKP"},               # not in SQL: counted over rows
    {"nationality": "TJ"},
]


@pytest.mark.parametrize("raw", FILTERS, ids=lambda raw: ",".join(f"{k}={v}" for k, v in raw.items()) or "none")
def test_sql_counts_equal_row_counts(store: Store, raw: dict) -> None:
    filters = parse_filters(**raw) if raw else None
    rows = find_incidents(store, filters, sources=False)
    assert rows, "the generated store should have incidents for every filter"
    for by in BY:
        assert counts_in_store(store, filters, by=by) == counts(rows, by=by), by


def test_store_counts_cover_every_key(store: Store) -> None:
    """The generated store exercises what the SQL has to get right: several groups, no group, no month."""
    notes = " ".join(counts_in_store(store, None, by="group").notes)
    assert "more than one group" in notes
    by_group = {r["group"] for r in counts_in_store(store, None, by="group").rows}
    assert "unknown" in by_group
    assert "not in any month" in " ".join(counts_in_store(store, None, by="month").notes)
    assert "unknown" in {r["country"] for r in counts_in_store(store, None, by="country").rows}


def test_incident_rows_newest_first_undated_last(store: Store) -> None:
    """Two index-served queries give the order of `coalesce(date, '') DESC, id`."""
    from sqlalchemy import func, select

    from amu.store.tables import incidents as i

    for country in (None, "AF"):
        stmt = select(i.c.id).order_by(func.coalesce(i.c.date, "").desc(), i.c.id)
        if country:
            stmt = stmt.where(i.c.country == country)
        expected = [r["id"] for r in store._rows(stmt)]
        assert any(r["date"] is None for r in store.incident_rows(country=country, limit=10_000))
        for limit in (1, 5, len(expected) - 1, len(expected), 10_000):
            assert [r["id"] for r in store.incident_rows(country=country, limit=limit)] == expected[:limit]


def test_nationalities_read_for_filtered_incidents(store: Store) -> None:
    """With country or date filters, the nationality read covers every incident those filters load."""
    from amu.find.rows import nationality_by_incident, stored_incidents

    everything = nationality_by_incident(store)
    assert everything
    for countries, since, until in ((("AF",), None, None), (None, "2020-03-01", None), (("PK", "UZ"), "2020", "2020-12-31")):
        ids = [d["id"] for d in stored_incidents(store, countries, since, until)]
        some = nationality_by_incident(store, ids)
        assert 0 < len(some) < len(everything)
        assert set(some) <= set(ids)
        for ident in ids:
            assert some.get(ident) == everything.get(ident)


def test_migration_0008_fills_incidents_fused_before(store: Store) -> None:
    """Incidents written before revision 0008 (no summary columns) are filled from their records."""
    from sqlalchemy import select, update

    from amu.store.incident_summary import FIGURE_COLUMNS
    from amu.store.migrations.versions.v0008_incident_summary import _fill
    from amu.store.tables import incidents as i

    def summary() -> dict:
        cols = [i.c.id, i.c.actors_json, *(i.c[c] for c in FIGURE_COLUMNS)]
        return {r["id"]: dict(r) for r in store._rows(select(*cols))}

    fused = summary()
    with store.transaction() as conn:
        conn.execute(update(i).values(actors_json="[]", **{c: None for c in FIGURE_COLUMNS if c != "killed_best"}))
        assert summary() != fused
        _fill(conn)
    assert summary() == fused
    assert counts_in_store(store, None, by="group") == counts(find_incidents(store, None, sources=False), by="group")


def test_the_rollup_kept_by_incremental_writes_equals_one_built_from_scratch(db_url: str) -> None:
    """Incidents written batch by batch, re-fused in part, some losing mentions: the rollups that each write
    kept up to date are the ones built from every incident, and the counts they answer are the rows' counts."""
    from amu.store.counts import fill_group_rollup, fill_rollup
    from amu.store.tables import incident_group_rollup, incident_rollup

    store = Store(db_url)
    docs = _mentions(11)
    names = sorted(docs)
    for k in range(0, len(names), 5):
        for d in names[k:k + 5]:
            store.add_document(Document(id=f"sha-{d}", name=d, text=f"text of {d}", published="2021-01-01"),
                               docs[d], "test")
        fuse_store(store, {f"sha-{d}" for d in names[k:k + 5]})
    for d in names[::7]:                      # re-extracted with a mention fewer
        store.replace_mentions(f"sha-{d}", docs[d][1:], "test")
        fuse_store(store, {f"sha-{d}"})

    def rollup() -> tuple[set[tuple], set[tuple]]:
        return tuple({tuple(r.values()) for r in store._rows(t.select())}     # type: ignore[return-value]
                     for t in (incident_rollup, incident_group_rollup))

    kept = rollup()
    assert kept[0] and all(r[4] > 0 for r in kept[0]) and all(r[5] > 0 for r in kept[1])   # none left at zero
    assert any(r[-1] for r in kept[1])                   # incidents naming several groups are counted
    with store.transaction() as conn:
        fill_rollup(conn)
        fill_group_rollup(conn)
    assert rollup() == kept
    rows = find_incidents(store, None, sources=False)
    for by in ("month", "country", "type", "group"):
        assert counts_in_store(store, None, by=by) == counts(rows, by=by), by


@pytest.mark.parametrize(("since", "until", "whole"), [
    (None, None, True), ("2020-01-01", None, True), ("2020-03-15", None, False), (None, "2020-06-30", True),
    (None, "2020-02-29", True), (None, "2020-02-28", False), ("2020-02-01", "2021-12-31", True)])
def test_only_windows_of_whole_months_are_read_from_the_rollup(since, until, whole) -> None:
    from amu.store.counts import CountFilters, _whole_months

    assert _whole_months(CountFilters(since=since, until=until)) is whole


@pytest.mark.parametrize("raw", FILTERS, ids=lambda raw: ",".join(f"{k}={v}" for k, v in raw.items()) or "none")
def test_a_page_from_the_store_is_the_head_of_the_full_listing(store: Store, raw: dict) -> None:
    """`amu incidents` asks the store for its first page and the total (SQL filters, order and count): the
    same rows, in the same order, as filtering and sorting every loaded row."""
    from amu.find.query import find_page

    filters = parse_filters(**raw) if raw else None
    rows = find_incidents(store, filters, sources=False)
    for limit in (1, 7, len(rows) + 5, 0):
        page, total = find_page(store, filters, limit, sources=False)
        assert total == len(rows)
        assert page == (rows[:limit] if limit else rows), limit
