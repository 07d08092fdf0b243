"""What fusion costs the store when one more report arrives.

``fuse_store`` (run at the end of every ``amu ingest``) re-fuses only the
part of the store that the ingested documents reach (:mod:`amu.resolve.incremental`);
a full rebuild recomputes the canonical partition from every stored mention.
Both give the same incidents. This script fills a SQLite store with the
synthetic stream of ``fusion_scale.py``, fuses it once, then adds one more
document of five mentions and times the incremental ``fuse_store`` that
follows, then a full rebuild of the same store. Figures only: nothing here
asserts on timing.

Usage::

    python benchmarks/store_fusion.py                    # 10k and 100k stored mentions (a few minutes)
    python benchmarks/store_fusion.py --sizes 10000      # quicker
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from fusion_scale import stream

from amu.records import Document, Mention
from amu.resolve import incidents as fusion_io
from amu.resolve import incremental
from amu.store import Store


def _fill(store: Store, mentions: list[Mention]) -> None:
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc].append(m)
    with store.transaction():
        for name, ms in by_doc.items():
            store.add_document(Document(id=ms[0].doc_id, name=name, text=f"synthetic {name}"), ms, "bench")


def measure(size: int, seed: int) -> tuple[float, float, int, int, int, int, float]:
    """Seconds of the incremental and of the full ``fuse_store`` after one 5-mention document,
    the incidents and mentions the incremental one re-decided, the incidents it replayed around
    them, its runs, and peak RSS MB."""
    ms = list(stream(size + 5, seed))
    extra = [Mention(**{**vars(m), "doc": "doc-new", "doc_id": "sha-doc-new"}) for m in ms[size:]]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "amu.db")
        _fill(store, ms[:size])
        fusion_io.fuse_store(store)
        _fill(store, extra)
        seen: dict[str, int] = {}
        find_part = incremental.find_part

        def spy(*args: object) -> incremental.Part:
            part = find_part(*args)  # type: ignore[arg-type]
            seen.update(incidents=len(part.incidents), mentions=len(part.mentions), runs=part.runs,
                        context=len(part.context))
            return part

        incremental.find_part = spy  # type: ignore[assignment]
        t0 = time.perf_counter()
        fusion_io.fuse_store(store, touched_docs={"sha-doc-new"})
        t1 = time.perf_counter()
        incremental.find_part = find_part  # type: ignore[assignment]
        fusion_io.fuse_store(store)
        t2 = time.perf_counter()
        store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (t1 - t0, t2 - t1, seen.get("incidents", 0), seen.get("mentions", 0), seen.get("context", 0),
            seen.get("runs", 0), rss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of stored mentions")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'stored':>10} {'incremental s':>14} {'full s':>8} {'part incidents':>15} {'part mentions':>14} "
          f"{'context':>8} {'runs':>5} {'peak RSS MB':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        inc, full, n_inc, n_ms, n_ctx, runs, rss = measure(size, args.seed)
        print(f"{size:>10,} {inc:>14.3f} {full:>8.2f} {n_inc:>15,} {n_ms:>14,} {n_ctx:>8,} {runs:>5} {rss:>12,.0f}",
              flush=True)
    print("fuse_store after adding one 5-mention document: incremental (the part the document reaches, re-decided, "
          "and the context replayed around it), then a full rebuild of the same store.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
