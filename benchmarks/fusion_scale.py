"""How incident fusion scales with the size of the store.

Generates a synthetic stream of mentions -- about 30 countries, 200 places,
10 years, 8 event types, 40 groups; each incident reported 1-8 times in varied
precision and wording, its reports arriving close together while incidents
arrive in random date order (an archive backfill, the worst case for blocks)
-- and adds it to an :class:`~amu.resolve.fusion.IncidentIndex` in batches
with ``add_many``. For each requested store size it times the batch that
brings the store to that size and prints: store size, microseconds per added
mention, candidate comparisons per added mention, incidents so far and peak
RSS. Figures only: nothing here asserts on timing.

Usage::

    python benchmarks/fusion_scale.py                        # 10k, 100k, 1M
    python benchmarks/fusion_scale.py --sizes 10000,50000    # quicker

The default run takes about 6 minutes and 3.5 GB of memory on 2 cores
(``--sizes 10000,100000`` takes under a minute). Per-add cost still grows
with the store, mostly through undated incidents at a place, which dated
mentions there must still be compared with.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta

from amu.records import Count, DateValue, Evidence, Mention, Place, Provenance
from amu.resolve.fusion import IncidentIndex

EVENT_MIX = {"attack": 40, "arrest": 15, "clash": 12, "security_operation": 10,
             "plot": 8, "unrest": 7, "threat": 4, "propaganda": 4}
ATTACKS = ("armed_assault", "bombing", "suicide_bombing", "vehicle_ramming",
           "rocket_attack", "assassination", "hostage_taking", "arson")
COUNTRIES = ("AF", "PK", "IQ", "SY", "NG", "ML", "BF", "NE", "SO", "KE", "MZ", "CD", "YE",
             "EG", "LY", "DZ", "TN", "IN", "BD", "PH", "ID", "TJ", "UZ", "KG", "RU", "TR",
             "FR", "DE", "GB", "US")
PROV = Provenance(doc_id="", extractor="bench", version="0")


def _world(rng: random.Random) -> tuple[dict[str, list[Place]], dict[str, list[str]]]:
    """~200 places (cities and venues near them) and ~4 active groups per country."""
    places: dict[str, list[Place]] = {}
    groups: dict[str, list[str]] = {}
    for c in COUNTRIES:
        lat0, lon0 = rng.uniform(-30, 55), rng.uniform(-100, 120)
        cities = [Place(f"{c} city {k}", c, "city", lat0 + rng.uniform(-4, 4), lon0 + rng.uniform(-4, 4),
                        f"{c} province {k % 3}", rng.randrange(10_000, 5_000_000)) for k in range(5)]
        venues = [Place(f"{city.name} venue", c, "venue", city.lat + rng.uniform(-0.1, 0.1),  # type: ignore[operator]
                        city.lon + rng.uniform(-0.1, 0.1), city.admin1)  # type: ignore[operator]
                  for city in cities[:2]]
        places[c] = cities + venues
        groups[c] = [f"Group {rng.randrange(40):02d}" for _ in range(4)]
    return places, groups


def stream(total: int, seed: int = 1, window: int = 5_000) -> Iterator[Mention]:
    """Yield ``total`` synthetic mentions; an incident's reports stay within ``window``."""
    rng = random.Random(seed)
    places, groups = _world(rng)
    types, weights = list(EVENT_MIX), list(EVENT_MIX.values())
    start, days = date(2015, 1, 1), 3652
    dates: dict[str, DateValue] = {}
    counts: dict[tuple[int | None, int | None], Count] = {}

    def dv(iso: str) -> DateValue:
        return dates.setdefault(iso, DateValue(iso, ("year", "month", "day")[(len(iso) - 4) // 3]))

    def count(lo: int | None, hi: int | None) -> Count:
        return counts.setdefault((lo, hi), Count(lo, hi))

    buffer: list[Mention] = []
    made = n_inc = 0
    while made < total:
        n_inc += 1
        country = rng.choice(COUNTRIES)
        event = rng.choices(types, weights)[0]
        place = rng.choice(places[country])
        day = (start + timedelta(days=rng.randrange(days))).isoformat()
        perp = rng.choice(groups[country])
        attack = rng.choice(ATTACKS) if event == "attack" else None
        killed = int(rng.paretovariate(1.2)) if event in ("attack", "clash") else None
        for _ in range(min(8, 1 + int(rng.expovariate(0.5)))):
            if made >= total:
                break
            made += 1
            r = rng.random()
            iso = day if r < 0.75 else day[:7] if r < 0.9 else day[:4] if r < 0.93 else None
            where = place if rng.random() < 0.85 else None
            k = None
            if killed is not None and rng.random() < 0.6:
                k = count(killed, killed) if rng.random() < 0.7 else count(max(0, killed - 1), None)
            text = f"Report {made} on incident {n_inc}."
            doc = f"doc{rng.randrange(total // 3 + 1):07d}"
            buffer.append(Mention(
                id=f"m{made:07d}", doc=doc, doc_id="sha-" + doc, event_type=event,
                evidence=Evidence(text, 0, len(text)), provenance=PROV, date=dv(iso) if iso else None,
                country=country, place=where, perpetrator=perp if rng.random() < 0.7 else None,
                attack_type=attack if rng.random() < 0.8 else None, killed=k))
        if len(buffer) >= window:
            rng.shuffle(buffer)
            yield from buffer
            buffer = []
    rng.shuffle(buffer)
    yield from buffer


def run(sizes: list[int], batch: int, seed: int) -> None:
    """Grow one index to the largest size, printing a row at each requested size."""
    index = IncidentIndex()
    targets = sorted(sizes)
    pending: list[Mention] = []
    per_add: list[float] = []          # us/add of each batch since the previous row
    print(f"{'store size':>12} {'us/add':>8} {'median':>8} {'cmp/add':>8} {'incidents':>10} {'peak RSS MB':>12}")
    began = time.perf_counter()
    for m in stream(targets[-1], seed):
        pending.append(m)
        size = index.mention_count + len(pending)
        if len(pending) < batch and size not in targets:
            continue
        before = index.comparisons
        t0 = time.perf_counter()
        index.add_many(pending)
        per_add.append((time.perf_counter() - t0) / len(pending) * 1e6)
        if size in targets:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{size:>12,} {per_add[-1]:>8.1f} {statistics.median(per_add):>8.1f} "
                  f"{(index.comparisons - before) / len(pending):>8.1f} {len(index):>10,} {rss:>12,.0f}",
                  flush=True)
            per_add = []
        pending = []
    print(f"total {time.perf_counter() - began:.0f} s. us/add: the batch of {batch} ending at that size; "
          "median: over the batches since the previous row; cmp/add: candidate comparisons.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated store sizes")
    parser.add_argument("--batch", type=int, default=2000, help="mentions per add_many call")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    run([int(s) for s in args.sizes.split(",")], args.batch, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
