"""Issue 9's two speed targets in one run: the brief of a 100k-incident store (≤ 10 s) and the dashboard API's
filtered list at 20 concurrent clients (p99 ≤ 200 ms). Runs `brief_scale.py` and `api_latency.py` at that
size, one after the other, and prints their figures; each prints its own details. Figures only.

Usage::

    python benchmarks/desk.py               # 100k incidents
    python benchmarks/desk.py --size 10000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=100_000, help="incidents in the generated store")
    a = ap.parse_args(argv)
    runs = [("brief (target: ≤ 10 s at 100k)", ["brief_scale.py", "--sizes", str(a.size)]),
            ("API filtered list (target: p99 ≤ 200 ms, 20 clients)", ["api_latency.py", "--size", str(a.size)])]
    for title, args in runs:
        print(f"== {title}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], check=False)
        if done.returncode:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
