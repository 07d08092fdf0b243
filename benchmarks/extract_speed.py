"""Speed and memory of ingest + extraction, against the bare NLP model on the same text.

Generates a corpus (``corpus_gen.py``: templates plus paragraphs of the demo
corpus), then measures in separate processes, so each has its own peak memory:

* ``amu``: files -> ingest -> extraction (sentences, triggers, dates, places,
  figures, the spaCy model on candidate sentences only, discourse rules);
* ``bare-full``: the spaCy pipeline Amu ships with, all components, ``nlp.pipe``
  over the full text of the same documents;
* ``bare-ner``: the same model with only the components Amu loads (tok2vec, ner).

Prints documents/s, words/s, peak RSS and the ratio ``amu words/s / bare words/s``
(above 1.0: Amu as a whole is faster than running the bare model over the text).
The bare runs use the first ``--bare-docs`` documents (default 300) to keep the
benchmark within CI-sized time; Amu is also timed on that same subset.

Usage: python benchmarks/extract_speed.py [--docs 2000] [--words 800] [--bare-docs 300]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _files(folder: Path, limit: int | None) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    return files[:limit] if limit else files


def phase_amu(folder: Path, limit: int | None) -> dict[str, float]:
    from amu.extract.mentions import ExtractOptions, extract_document
    from amu.extract.nlp import load_model
    from amu.ingest import IngestOptions, iter_ingest
    from amu.records import Document
    from amu.places.gazetteer import Gazetteer

    load_model()          # model and data loading are start-up costs, not per-document ones
    Gazetteer.default()
    files = _files(folder, limit)
    opts = ExtractOptions()
    docs = words = mentions = 0
    t = time.perf_counter()
    for item in iter_ingest(files, IngestOptions()):
        if isinstance(item, Document):
            docs += 1
            words += len(item.text.split())
            mentions += len(extract_document(item, opts))
    dt = time.perf_counter() - t
    return {"docs": docs, "words": words, "seconds": dt, "mentions": mentions, "peak_mb": _peak_mb()}


def phase_bare(folder: Path, limit: int | None, ner_only: bool) -> dict[str, float]:
    import spacy

    from amu.extract.nlp import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    if ner_only:
        nlp.select_pipes(enable=["tok2vec", "ner"])
    texts = [p.read_text(encoding="utf-8") for p in _files(folder, limit)]
    words = sum(len(t.split()) for t in texts)
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    dt = time.perf_counter() - t
    return {"docs": len(texts), "words": words, "seconds": dt, "peak_mb": _peak_mb()}


def _run(phase: str, folder: Path, limit: int | None) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--phase", phase, "--corpus", str(folder)]
    if limit:
        cmd += ["--limit", str(limit)]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row(name: str, r: dict[str, float]) -> str:
    return (f"{name:<22} {int(r['docs']):>6} {int(r['words']):>9} {r['seconds']:>8.1f} "
            f"{r['docs'] / r['seconds']:>8.1f} {r['words'] / r['seconds']:>9.0f} {r['peak_mb']:>8.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--bare-docs", type=int, default=300, help="documents for the bare-model runs")
    ap.add_argument("--phase", choices=["amu", "bare-full", "bare-ner"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help="use this folder of .txt files instead of generating one")
    ap.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        result = phase_amu(a.corpus, a.limit) if a.phase == "amu" else \
            phase_bare(a.corpus, a.limit, ner_only=a.phase == "bare-ner")
        print(json.dumps(result))
        return
    from corpus_gen import write_corpus

    with tempfile.TemporaryDirectory(prefix="amu-bench-") as tmp:
        folder = a.corpus or Path(tmp)
        if a.corpus is None:
            write_corpus(folder, a.docs, a.words)
        print(f"corpus: {len(_files(folder, None))} documents in {folder} (one process each phase, one core)")
        print(f"{'phase':<22} {'docs':>6} {'words':>9} {'seconds':>8} {'docs/s':>8} {'words/s':>9} {'peak MB':>8}")
        full = _run("amu", folder, None)
        print(_row("amu (all docs)", full), flush=True)
        sub = _run("amu", folder, a.bare_docs)
        print(_row(f"amu (first {a.bare_docs})", sub), flush=True)
        bare = _run("bare-full", folder, a.bare_docs)
        print(_row("bare spaCy, full", bare), flush=True)
        ner = _run("bare-ner", folder, a.bare_docs)
        print(_row("bare spaCy, tok2vec+ner", ner), flush=True)
        rate = sub["words"] / sub["seconds"]
        print(f"\nratio amu / bare full pipeline: {rate / (bare['words'] / bare['seconds']):.2f}")
        print(f"ratio amu / bare tok2vec+ner:   {rate / (ner['words'] / ner['seconds']):.2f}")
        print(f"amu mentions: {int(full['mentions'])} from {int(full['docs'])} documents")


if __name__ == "__main__":
    main()
