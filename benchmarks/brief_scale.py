"""Time `amu brief` (the library call) on generated stores of 1k, 10k and 100k incidents.

For each size, fills a SQLite store with synthetic fused incidents (``api_latency.fill``: written straight
into the incidents table, coordinates spread over Central Asia and its neighbours, no documents, so no
evidence sentences to cite), then, in a fresh Python process so that its peak memory is its own, reads the
rows (``amu.find.find_incidents`` without sources, as `amu brief` does: the brief reads the sources of the
incidents it lists) and writes the brief (``amu.brief.write_brief``: summary, timeline, map, actors, the
first 200 incidents, conflicts, early warning). Prints the time of each step, the process's peak resident
memory and the size of the HTML and of its map. Figures only: nothing here asserts on timing. Issue 9 asks for ≤ 10 s at 100k incidents.

Usage::

    python benchmarks/brief_scale.py                          # 1k and 10k incidents
    python benchmarks/brief_scale.py --sizes 1000,10000,100000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_latency import fill  # noqa: E402  (the benchmarks folder is not a package)


def measure(db: str, out: str) -> dict[str, float]:
    """One brief of every incident in ``db`` written to ``out``: seconds per step, peak MiB, sizes."""
    from amu.brief import write_brief
    from amu.find import find_incidents
    from amu.store import Store

    t0 = time.perf_counter()
    store = Store(db)
    rows = find_incidents(store, None, sources=False)
    t1 = time.perf_counter()
    path = write_brief(store, rows, "", out)
    t2 = time.perf_counter()
    store.close()
    text = path.read_text(encoding="utf-8")
    start = text.find('<section class="map')
    map_bytes = text.find("</section>", start) - start if start >= 0 else 0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss            # KiB on Linux
    return {"incidents": len(rows), "read_s": t1 - t0, "write_s": t2 - t1, "total_s": t2 - t0,
            "peak_mib": peak_kib / 1024, "html_bytes": len(text.encode()), "map_bytes": map_bytes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated store sizes (e.g. 1000,10000,100000)")
    ap.add_argument("--one", nargs=2, metavar=("DB", "OUT"), help=argparse.SUPPRESS)   # the child's job
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(measure(*args.one)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"{'incidents':>10} {'read s':>7} {'write s':>8} {'total s':>8} {'peak MiB':>9} {'HTML kB':>8} {'map kB':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            db, out = str(Path(tmp) / f"s{size}.db"), str(Path(tmp) / f"brief{size}.html")
            fill(db, size)
            done = subprocess.run([sys.executable, __file__, "--one", db, out], capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{r['incidents']:>10} {r['read_s']:>7.2f} {r['write_s']:>8.2f} {r['total_s']:>8.2f} "
                  f"{r['peak_mib']:>9.0f} {r['html_bytes'] / 1000:>8.0f} {r['map_bytes'] / 1000:>7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
