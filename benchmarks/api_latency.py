"""Latency of the dashboard API's filtered incident list on a large store, many clients at once.

Fills a SQLite store with ``--size`` synthetic fused incidents (written straight into the incidents table:
no documents or mentions, so no sources and no perpetrators' nationality), starts ``amu serve`` on a free
loopback port, warms it with one request (which loads the rows into the server's cache), then runs
``--clients`` threads that each ask ``--requests`` filtered pages of ``GET /api/incidents`` (a random
country, a start year and half the time an event type; 50 rows, no sources) and prints p50, p95 and p99
and the throughput. Figures only: nothing here asserts on timing.

Usage::

    python benchmarks/api_latency.py                         # 100k incidents, 20 clients
    python benchmarks/api_latency.py --size 10000 --clients 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from amu.store import Store

COUNTRIES = ["AF", "PK", "TJ", "UZ", "KG", "KZ", "TM", "IR", "RU", "TR", "SY", "IQ", "DE", "FR", "AT"]
TYPES = [("attack", "bombing"), ("attack", "armed_assault"), ("attack", "rocket_attack"), ("plot", None),
         ("arrest", None), ("propaganda", None), ("threat", None), ("clash", None)]
GROUPS = ["ISKP", "IS", "Taliban", "TTP", "al-Qaeda", None]


def fill(db: str, size: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    store = Store(db)
    now = "2025-01-01T00:00:00+00:00"
    batch = []
    for i in range(size):
        country = rng.choice(COUNTRIES)
        event, attack = rng.choice(TYPES)
        date = f"{rng.randint(2014, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        group = rng.choice(GROUPS)
        killed = rng.choice([None, 0, 1, 2, 5, 12, 40])
        lat, lon = rng.uniform(30, 45), rng.uniform(55, 75)
        record = {"id": f"inc-{i:012x}", "event_type": event, "attack_type": attack, "date": date,
                  "country": country, "location": f"Place {i % 500}", "perpetrator": group,
                  "perpetrators": [group] if group else [], "status": "claimed" if group else None,
                  "place": {"name": f"Place {i % 500}", "country": country, "kind": "city", "admin1": "Province",
                            "lat": lat, "lon": lon},
                  "killed": {"low": killed, "best": killed, "high": killed} if killed is not None else None,
                  "doc_ids": [], "mention_ids": [f"m{i}"]}
        batch.append({"id": record["id"], "event_type": event, "attack_type": attack, "date": date,
                      "country": country, "location": record["location"], "perpetrator": group,
                      "killed_best": killed, "n_mentions": 1, "n_sources": 1, "data_json": json.dumps(record),
                      "updated_at": now})
        if len(batch) == 5000:
            store.write_incidents(batch)
            batch = []
    store.write_incidents(batch)
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()
    return time.perf_counter() - start


def measure(base: str, clients: int, requests: int, seed: int = 2) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    host, port = base.rsplit("/", 1)[1].split(":")

    def client(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        mine = []
        conn = http.client.HTTPConnection(host, int(port), timeout=60)     # one keep-alive connection a client
        for _ in range(requests):
            q = f"country={rng.choice(COUNTRIES)}&since={rng.randint(2014, 2024)}&limit=50&sources=false"
            if rng.random() < 0.5:
                q += f"&type={rng.choice(TYPES)[0]}"
            start = time.perf_counter()
            conn.request("GET", f"/api/incidents?{q}")
            response = conn.getresponse()
            response.read()
            assert response.status == 200, response.status
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="synthetic incidents in the store")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients")
    ap.add_argument("--requests", type=int, default=25, help="requests per client")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "big.db")
        t0 = time.perf_counter()
        fill(db, args.size)
        print(f"store of {args.size} incidents written in {time.perf_counter() - t0:.1f} s")
        port = _free_port()
        amu = Path(sys.executable).with_name("amu")
        proc = subprocess.Popen([str(amu), "serve", "--db", db, "--port", str(port), "--log-level", "warning"])
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(base + "/api/health")
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        print("amu serve did not start", file=sys.stderr)
                        return 1
                    time.sleep(0.2)
            first = _get(base + "/api/incidents?limit=50&sources=false")
            print(f"first request (loads the rows into the cache): {first * 1000:.0f} ms")
            t0 = time.perf_counter()
            raw = measure(base, args.clients, args.requests)
            if os.environ.get("AMU_BENCH_DEBUG"):
                print([round(x * 1000) for x in raw])
            times = sorted(raw)
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    q = statistics.quantiles(times, n=100)
    print(f"GET /api/incidents (country, since, half with type; 50 rows): {len(times)} requests from "
          f"{args.clients} clients; p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
          f"p99 {q[98] * 1000:.0f} ms; {len(times) / wall:.0f} requests/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
