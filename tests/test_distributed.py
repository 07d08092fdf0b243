"""The Dask ingest (amu.pipeline_dask) against the single-process one, on both engines: the same store,
a lost worker costs nothing, a killed ingest run again loses and duplicates nothing, readers see whole
documents, and the corpus is fed in bounded batches."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import text

pytest.importorskip("distributed", reason="the Dask ingest needs dask[distributed] (make install)")
from distributed import Client, LocalCluster, WorkerPlugin  # noqa: E402

import amu.pipeline_dask as engine  # noqa: E402
from amu.cli import cli  # noqa: E402
from amu.pipeline import run  # noqa: E402
from amu.pipeline_dask import DaskOptions, run_distributed  # noqa: E402
from amu.settings import Settings  # noqa: E402
from amu.store import Store  # noqa: E402

from conftest import DEMO, REPORT  # noqa: E402
from test_store_engines import _check_consistent, _dump  # noqa: E402

SETTINGS = Settings(use_model=False)
SMALL = DaskOptions(batch_size=2, window=3)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """One local cluster of two worker processes for the module (starting one takes seconds)."""
    import logging

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus plus what the driver must order right: a copy of a report under another name
    (the first one read is kept), a sidecar with a broken line (reported once, whichever worker reads
    it), a file Amu does not read, and a JSONL file whose two records repeat one text."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(DEMO, root / "a_demo")
    extra = root / "b_extra"
    extra.mkdir()
    (extra / "kulob.txt").write_text(REPORT, encoding="utf-8")
    (extra / "kulob_copy.txt").write_text(REPORT, encoding="utf-8")
    (extra / "khujand.txt").write_text(REPORT.replace("Kulob", "Khujand"), encoding="utf-8")
    (extra / "notes.pdf").write_bytes(b"%PDF-1.4")
    (extra / "meta.jsonl").write_text('{"doc": "kulob.txt", "published": "2025-05-04", "publisher": "Test Wire"}\n'
                                      '{"doc": broken\n', encoding="utf-8")
    record = REPORT.replace("Kulob", "Vahdat").replace("\n", " ")
    (extra / "wire.jsonl").write_text(f'{{"id": "w1", "text": "{record}"}}\n{{"id": "w2", "text": "{record}"}}\n',
                                      encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The single-process ingest's store (SQLite), as a dump."""
    store = Store(tmp_path_factory.mktemp("ref") / "amu.db")
    report = run([corpus], store, SETTINGS)
    assert report.documents >= 20 and report.rejections and report.incidents
    return _dump(store)


def test_two_workers_give_the_single_process_store(db_url: str, corpus: Path, reference: dict[str, Any],
                                                   client: Client) -> None:
    store = Store(db_url)
    single = run([corpus], Store(":memory:"), SETTINGS)
    report = run_distributed([corpus], store, SETTINGS, options=SMALL, client=client)
    assert (report.documents, report.new_documents, report.mentions, report.incidents) == \
        (single.documents, single.new_documents, single.mentions, single.incidents)
    assert sorted(report.rejections, key=repr) == sorted(single.rejections, key=repr)
    assert sum("meta.jsonl" in r.source for r in report.rejections) == 1       # the broken sidecar line, once
    _check_consistent(store)
    assert _dump(store) == reference


class _DieOnce(WorkerPlugin):
    """Makes the worker process that starts the chosen batch exit at once, the first time only."""

    name = "amu-test-die-once"

    def __init__(self, seq: int, marker: str) -> None:
        self.seq, self.marker = seq, marker

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing" and str(key).endswith(f"-{self.seq}"):
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
            os._exit(1)      # no clean-up, no goodbye to the scheduler: as if the machine went away


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(db_url: str, corpus: Path, reference: dict[str, Any],
                                                               client: Client, tmp_path: Path) -> None:
    marker = tmp_path / "died"
    client.register_plugin(_DieOnce(3, str(marker)))
    try:
        report = run_distributed([corpus], Store(db_url), SETTINGS, options=SMALL, client=client)
    finally:
        client.unregister_worker_plugin(_DieOnce.name)
    assert marker.exists()                   # a worker did die holding batch 3; the scheduler ran it again
    store = Store(db_url)
    assert report.documents == sum(1 for _ in store.documents())
    _check_consistent(store)
    assert _dump(store) == reference
    client.wait_for_workers(2, timeout=60)   # the nanny restarted it: the next test has two workers again


_KILLED = """
import os, signal, sys
import amu.pipeline_dask as engine
real, seen = engine.write_extracted, []

def write(*args, **kwargs):
    seen.append(1)
    if len(seen) == 5:      # batches 0 and 1 are committed, batch 2 is half written: no rollback, no close
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)

engine.write_extracted = write
from amu.cli import main
sys.argv = ["amu", "ingest", "--no-model", "-q", "--workers", "2", "--batch-size", "2", "--db", sys.argv[1],
            sys.argv[2]]
main()
"""


def test_a_killed_ingest_run_again_gives_the_uninterrupted_store(db_url: str, corpus: Path,
                                                                 reference: dict[str, Any], client: Client) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _KILLED, db_url, str(corpus)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=300)
    finally:
        try:        # its cluster's processes, orphaned by the kill
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")
    store = Store(db_url)
    assert store.stats()["documents"] == 4 and store.stats()["incidents"] == 0   # whole batches only, not fused
    run_distributed([corpus], store, SETTINGS, options=SMALL, client=client)
    _check_consistent(store)
    assert _dump(store) == reference


def test_a_reader_during_a_distributed_ingest_sees_whole_documents(db_url: str, corpus: Path, client: Client,
                                                                   reference: dict[str, Any]) -> None:
    from amu.store.tables import mentions

    doc_id = [c.name for c in mentions.columns].index("doc_id")
    expected: dict[str, int] = {}
    for row in reference["mentions"]:
        expected[row[doc_id]] = expected.get(row[doc_id], 0) + 1
    count = text("SELECT d.id, COUNT(m.id) FROM documents d LEFT JOIN mentions m ON m.doc_id = d.id GROUP BY d.id")
    writer, reader = Store(db_url), Store(db_url)
    done = threading.Event()
    seen: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def ingest() -> None:
        try:
            run_distributed([corpus], writer, SETTINGS, options=DaskOptions(batch_size=1, window=2), client=client)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=ingest)
    thread.start()
    while not done.is_set():
        with reader.engine.connect() as conn:                     # one statement: one snapshot
            seen.append({d: n for d, n in conn.execute(count)})
    thread.join()
    assert errors == []
    assert len({len(s) for s in seen}) > 2                        # it did read while documents arrived
    for snapshot in seen:
        assert all(expected.get(d, 0) == n for d, n in snapshot.items()), snapshot


def test_the_corpus_is_fed_in_bounded_batches(corpus: Path, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    discover, write = engine.discover, engine.write_extracted
    read = [0]
    ahead: list[int] = []

    def counting(*args: Any) -> Iterator[Any]:
        for entry in discover(*args):
            read[0] += 1
            yield entry

    def writing(store: Store, done: Any, report: Any, stamp: Any) -> None:
        ahead.append(read[0] - report.documents)
        write(store, done, report, stamp)

    monkeypatch.setattr(engine, "discover", counting)
    monkeypatch.setattr(engine, "write_extracted", writing)
    options = DaskOptions(batch_size=2, window=2)
    run_distributed([corpus], Store(":memory:"), SETTINGS, options=options, client=client)
    assert read[0] >= 20 and len(ahead) >= 20
    # Files read ahead of the writer: the batches in flight, plus the few rejected or repeated ones behind it.
    assert max(ahead) <= (options.window + 1) * options.batch_size + 4, ahead


def test_cli_ingest_on_a_scheduler_and_its_errors(client: Client, corpus: Path, reference: dict[str, Any],
                                                  tmp_path: Path) -> None:
    db = tmp_path / "amu.db"
    address = client.scheduler.address
    res = CliRunner().invoke(cli, ["ingest", "--no-model", "-q", "--scheduler", address, "--db", str(db),
                                   str(corpus)])
    assert res.exit_code == 0, res.output
    assert _dump(Store(db)) == reference
    res = CliRunner().invoke(cli, ["ingest", "--workers", "0", "--db", str(db), str(corpus)])
    assert res.exit_code == 2 and "--workers" in res.output and "x>=1" in res.output


def test_two_distributed_ingests_started_together_on_a_new_store_both_succeed(
        db_url: str, corpus: Path, reference: dict[str, Any], client: Client) -> None:
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def ingest() -> None:
        start.wait()
        try:        # each opens (and so migrates) the new store itself, then writes batches beside the other
            run_distributed([corpus], Store(db_url), SETTINGS, options=SMALL, client=client)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ingest) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == [] and not any(t.is_alive() for t in threads)
    store = Store(db_url)
    _check_consistent(store)
    assert _dump(store) == reference


class _DieAlways(WorkerPlugin):
    """Makes every worker that starts the 2nd file of batch 1 exit, in its batch or alone: a file that
    crashes whatever reads it."""

    name = "amu-test-die-always"

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "executing" and (str(key).endswith("-1") or str(key).endswith("-1-file1")):
            os._exit(1)


def test_a_file_that_kills_every_worker_becomes_a_rejection_and_the_run_goes_on(corpus: Path) -> None:
    import logging

    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):   # the first death is final
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.CRITICAL)
    try:
        with Client(cluster) as c:
            c.register_plugin(_DieAlways())
            report = run_distributed([corpus / "a_demo"], Store(":memory:"), SETTINGS, options=SMALL, client=c)
    finally:
        cluster.close()
    lost = [r for r in report.rejections if "died each time" in r.reason]
    assert [Path(r.source).name for r in lost] == ["crocus_republished_digest.txt"]   # the 4th file, alone
    single = run([corpus / "a_demo"], Store(":memory:"), SETTINGS)
    assert report.documents == single.documents - 1 and report.incidents > 0       # everything else went on
