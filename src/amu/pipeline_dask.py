"""Distributed ingest on Dask: workers read and extract, this process writes the store and fuses.

>>> from amu.pipeline_dask import DaskOptions, run_distributed     # doctest: +SKIP
>>> run_distributed(["reports/"], Store("amu.db"), options=DaskOptions(workers=4))   # doctest: +SKIP

Why Dask (``distributed``) and not Ray: it is pure Python and light (no separate runtime or
object store to install and run), a :class:`~distributed.LocalCluster` starts inside this
process, and the same code talks to a scheduler on other machines (``--scheduler ADDRESS``).

How a run goes:

- The files are discovered lazily in this process (the *driver*) and cut into batches of
  ``batch_size`` files. A batch is a task: a worker reads its files and extracts each
  document's mentions, relations and aliases (:func:`amu.pipeline.extract_one`).
- At most ``window`` batches are out at once (submitted and not yet written), so neither the
  corpus nor its mentions are ever held whole, here or on the workers.
- Results come back in any order (:func:`distributed.as_completed`) and are written in input
  order, one transaction per batch, by this process alone: the store has one writer, and the
  result is the single-process ingest's, document for document (the first copy of a repeated
  text is the one kept, as in :func:`amu.ingest.iter_ingest`).
- Delivery is at least once: when a worker dies, the scheduler runs its batches again on
  another worker. Writes are idempotent (content-hash ids, a document's mentions replaced),
  so a batch computed twice is written once, and a killed ingest run again gives the same store.
- Fusion runs here at the end, on the part of the store the documents reach (as without Dask).
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from amu.errors import AmuError
from amu.ingest import read_candidate, sidecars_for
from amu.ingest.files import Candidate, IngestOptions, discover
from amu.ingest.meta import Sidecars
from amu.pipeline import Extracted, RunReport, extract_one, extractor_stamp, fuse_touched, ingest_options, \
    write_extracted
from amu.records import Document, Rejection
from amu.settings import Settings
from amu.store import Store

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["Batch", "BatchResult", "DaskOptions", "FileResult", "extract_batch", "open_client", "run_distributed"]

log = logging.getLogger(__name__)

LOST_REASON = ("the worker reading it died each time it was tried (out of memory, or a crash in a library); "
               "ingest this file without --workers to see the error")
INSTALL_HINT = "install Dask with: pip install 'dask[distributed]' (make install does)"


@dataclass(frozen=True)
class DaskOptions:
    """How to run a distributed ingest.

    Attributes:
        workers: Start a local cluster of this many worker processes (one thread each).
        scheduler: Or connect to a running Dask scheduler (``tcp://HOST:8786``); its workers
            must see the files at the same absolute paths (a shared filesystem).
        batch_size: Files per task: larger batches cost less scheduling, smaller ones lose
            less work when a worker dies.
        window: Tasks out at once (submitted and not yet written); 0 means 4 per worker.
        connect_timeout: Seconds to wait for the scheduler.
    """

    workers: int = 0
    scheduler: str | None = None
    batch_size: int = 8
    window: int = 0
    connect_timeout: float = 30.0


@dataclass(frozen=True)
class Batch:
    """One task: consecutive entries of the discovery order (files to read, or paths already rejected)."""

    run: str                                   # this run's id: a worker keeps its sidecar cache per run
    seq: int                                   # position in the run; results are written in this order
    entries: tuple[Candidate | Rejection, ...]
    options: IngestOptions
    settings: Settings
    extract: bool


@dataclass
class FileResult:
    """What a worker made of one entry: sidecar problems first met here, then the file's items."""

    problems: list[Rejection] = field(default_factory=list)
    items: list[Extracted | Rejection] = field(default_factory=list)


@dataclass
class BatchResult:
    seq: int
    files: list[FileResult]


# -- the worker's side -------------------------------------------------------------------------
_SIDECARS: dict[str, Sidecars] = {}            # run id -> the sidecars this worker process has read


def _sidecars(run: str, options: IngestOptions) -> Sidecars:
    if run not in _SIDECARS:
        _SIDECARS.clear()                      # one run at a time per worker is the common case; keep memory flat
        _SIDECARS[run] = sidecars_for(options)
    return _SIDECARS[run]


def extract_batch(batch: Batch) -> BatchResult:
    """Read and extract one batch (runs on a worker; touches no store).

    Pure in effect: running it twice gives the same result, which is what makes the
    scheduler's re-runs after a lost worker harmless.
    """
    sidecars = _sidecars(batch.run, batch.options)
    out: list[FileResult] = []
    for entry in batch.entries:
        if isinstance(entry, Rejection):
            out.append(FileResult(items=[entry]))
            continue
        problems, items = read_candidate(entry, batch.options, sidecars)
        done: list[Extracted | Rejection] = [
            extract_one(i, batch.settings, batch.extract) if isinstance(i, Document) else i for i in items]
        out.append(FileResult(problems, done))
    return BatchResult(batch.seq, out)


# -- the driver's side -------------------------------------------------------------------------
def _batches(entries: Iterable[Candidate | Rejection], size: int) -> Iterator[tuple[Candidate | Rejection, ...]]:
    it = iter(entries)
    while chunk := tuple(islice(it, size)):
        yield chunk


@contextmanager
def open_client(options: DaskOptions) -> Iterator[Client]:
    """A Dask client: on a local cluster of ``options.workers`` processes, or on ``options.scheduler``.

    Raises:
        AmuError: Dask is not installed, the scheduler cannot be reached, or neither was asked for.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise AmuError(f"distributed ingest needs Dask: {exc}", hint=INSTALL_HINT) from exc
    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout=options.connect_timeout)
        except (OSError, TimeoutError) as exc:
            raise AmuError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc}",
                           hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                                "or use --workers N for a local cluster") from exc
        try:
            yield client
        finally:
            client.close()
        return
    if options.workers < 1:
        raise AmuError(f"--workers must be at least 1 (got {options.workers})",
                       hint="give --workers N, or leave it out for the single-process ingest")
    cluster = LocalCluster(n_workers=options.workers, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=logging.ERROR)
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def run_distributed(paths: Iterable[str | Path], store: Store, settings: Settings | None = None, *,
                    options: DaskOptions | None = None, client: Client | None = None, progress: bool = False,
                    extract: bool = True, fuse: bool = True) -> RunReport:
    """Ingest like :func:`amu.pipeline.run`, with reading and extraction spread over Dask workers.

    Args:
        paths: Files and folders.
        store: The store; only this process writes to it.
        settings: Settings in force (the extraction options travel to the workers).
        options: Workers or scheduler, batch size and window.
        client: A Dask client to use instead of one made from ``options`` (tests, notebooks).
        progress: Show a progress bar of documents written.
        extract: False to only store the documents.
        fuse: False to leave fusion for later.

    Returns:
        The same report, and the same store, as the single-process ingest.
    """
    s = settings or Settings()
    opts = options or DaskOptions()
    if client is None:
        with open_client(opts) as made:
            return run_distributed(paths, store, s, options=opts, client=made, progress=progress,
                                   extract=extract, fuse=fuse)
    if opts.scheduler:
        # Workers elsewhere do not share this process's working folder.
        paths = [os.path.abspath(p) for p in paths]
    writer = _Writer(store, RunReport(), extractor_stamp() if extract else None)
    window = opts.window or 4 * max(1, len(client.nthreads()), opts.workers)
    ingest = ingest_options(s)
    run_id = uuid.uuid4().hex
    batches = (Batch(run_id, seq, chunk, ingest, s, extract)
               for seq, chunk in enumerate(_batches(discover(paths, ingest), max(1, opts.batch_size))))
    with _bar(progress) as bar:
        for result in _in_order(client, batches, window, run_id):
            writer.write(result)
            bar(sum(len(f.items) for f in result.files))
    if fuse and extract:
        writer.report.incidents = fuse_touched(store, writer.touched)
    return writer.report


def _in_order(client: Client, batches: Iterator[Batch], window: int, run_id: str) -> Iterator[BatchResult]:
    """Batch results in input order, with at most ``window`` batches submitted and not yet yielded."""
    from distributed import KilledWorker, as_completed

    waiting: dict[int, BatchResult] = {}
    out: dict[str, Batch] = {}                          # future key -> its batch, while it is out
    next_out = 0
    submitted = 0
    pool = as_completed()

    def submit_more() -> None:
        nonlocal submitted
        while submitted - next_out < window:
            batch = next(batches, None)
            if batch is None:
                return
            future = client.submit(extract_batch, batch, key=f"amu-extract-{run_id}-{batch.seq}", pure=False)
            out[future.key] = batch
            pool.add(future)
            submitted += 1

    submit_more()
    for future in pool:
        batch = out.pop(future.key)
        try:
            result: BatchResult = future.result()      # a task's own error is raised here, as without Dask
        except KilledWorker:
            result = _one_by_one(client, batch, run_id)
        future.release()
        waiting[result.seq] = result
        while next_out in waiting:
            yield waiting.pop(next_out)
            next_out += 1
        submit_more()
    if waiting:     # never expected: every submitted batch comes back once
        raise AmuError(f"{len(waiting)} batches came back out of sequence", hint="please report it")


def _one_by_one(client: Client, batch: Batch, run_id: str) -> BatchResult:
    """A batch that took down every worker that ran it, tried again one file at a time, in turn.

    Only the file that still kills its worker becomes a rejection; the batch's other files, and
    batches that merely shared a worker with it, come through. Rare, so done while the run waits.
    """
    from distributed import KilledWorker

    files: list[FileResult] = []
    for i, entry in enumerate(batch.entries):
        future = client.submit(extract_batch, replace(batch, entries=(entry,)),
                               key=f"amu-extract-{run_id}-{batch.seq}-file{i}", pure=False)
        try:
            files.extend(future.result().files)
        except KilledWorker as exc:
            log.error("%s killed the workers that read it: %s", getattr(entry, "path", entry), exc)
            source = str(entry.path) if isinstance(entry, Candidate) else entry.source
            files.append(FileResult(items=[Rejection(source, LOST_REASON)]))
        future.release()
    return BatchResult(batch.seq, files)


class _Writer:
    """Writes batch results in input order, the way :func:`amu.pipeline.run` writes documents."""

    def __init__(self, store: Store, report: RunReport, stamp: str | None) -> None:
        self.store, self.report, self.stamp = store, report, stamp
        self.touched: set[str] = set()
        self.kept: set[str] = set()                          # ids written in this run (a later copy is skipped)
        self.problems: set[tuple[str, str]] = set()          # sidecar problems are reported once, by any worker

    def write(self, result: BatchResult) -> None:
        with self.store.transaction():                       # one commit per batch, not per document
            for file in result.files:
                for problem in file.problems:
                    if (problem.source, problem.reason) not in self.problems:
                        self.problems.add((problem.source, problem.reason))
                        self._reject(problem)
                for item in file.items:
                    if isinstance(item, Rejection):
                        self._reject(item)
                    elif item.document.id not in self.kept:
                        self.kept.add(item.document.id)
                        write_extracted(self.store, item, self.report, self.stamp)
                        self.touched.add(item.document.id)

    def _reject(self, rejection: Rejection) -> None:
        self.report.rejections.append(rejection)
        self.store.add_rejection(rejection)


@contextmanager
def _bar(enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield lambda n: None
        return
    from tqdm import tqdm

    with tqdm(desc="documents", unit="doc", file=sys.stderr, leave=False) as bar:
        yield bar.update
