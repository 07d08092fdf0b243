"""What fusion costs the store when one more report arrives.

``fuse_store`` (run at the end of every ``amu ingest``) recomputes the
canonical partition from every stored mention and takes the published ids
over, so that results never depend on the order reports arrived in. Its cost
therefore grows with the store. This script fills a SQLite store with the
synthetic stream of ``fusion_scale.py``, fuses it once, then adds one more
document of five mentions and times the ``fuse_store`` that follows, split
into loading the mentions, the canonical partition and writing back.
Figures only: nothing here asserts on timing.

Usage::

    python benchmarks/store_fusion.py                    # 10k and 50k stored mentions
    python benchmarks/store_fusion.py --sizes 100000     # about 1.5 minutes
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
from amu.resolve.fusion import IncidentIndex
from amu.store import Store


def _fill(store: Store, mentions: list[Mention]) -> None:
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc].append(m)
    with store.transaction():
        for name, ms in by_doc.items():
            store.add_document(Document(id=ms[0].doc_id, name=name, text=f"synthetic {name}"), ms, "bench")


def measure(size: int, seed: int) -> tuple[float, float, float, float]:
    """Seconds for: load mentions, canonical partition + ids, the whole fuse_store; and peak RSS MB."""
    ms = list(stream(size + 5, seed))
    extra = [Mention(**{**vars(m), "doc": "doc-new", "doc_id": "sha-doc-new"}) for m in ms[size:]]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "amu.db")
        _fill(store, ms[:size])
        fusion_io.fuse_store(store)
        _fill(store, extra)
        t0 = time.perf_counter()
        loaded = store.mentions()
        t1 = time.perf_counter()
        index = IncidentIndex()
        index.add_many(loaded)
        index.keep_ids(fusion_io._published_partition(store.get_state(fusion_io.STATE_KEY), loaded) or {})
        t2 = time.perf_counter()
        fusion_io.fuse_store(store, touched_docs={"sha-doc-new"})
        t3 = time.perf_counter()
        store.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return t1 - t0, t2 - t1, t3 - t2, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000", help="comma-separated numbers of stored mentions")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'stored':>10} {'load s':>8} {'partition s':>12} {'fuse_store s':>13} {'us/stored':>10} "
          f"{'peak RSS MB':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        load, part, whole, rss = measure(size, args.seed)
        print(f"{size:>10,} {load:>8.2f} {part:>12.2f} {whole:>13.2f} {whole / size * 1e6:>10.1f} {rss:>12,.0f}",
              flush=True)
    print("fuse_store after adding one 5-mention document; load and partition are its first two steps, "
          "timed apart.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
