"""Batch runs on the local pool of processes: a hanging page is timed out and its worker
replaced, a worker over its memory bound is replaced, items are taken lazily, and a run killed
with SIGKILL then resumed has every input exactly once in the store."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from batch_kit import HANG_ENV, HOG_ENV, SLEEP_ENV, BatchTestEngine, make_pages
from ocrxtract.batch import BatchSettings, discover, run_batch
from ocrxtract.engines import register, unregister
from ocrxtract.errors import MemoryLimitError
from ocrxtract.pipeline import EngineStep, FileInput, ProcessExecutor, Steps, run

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"


@pytest.fixture
def engine():
    register(BatchTestEngine)
    yield BatchTestEngine.name
    unregister(BatchTestEngine.name)


def _records(out: Path) -> dict[str, dict[str, object]]:
    with sqlite3.connect(out / "_batch" / "manifest.sqlite") as db:
        db.row_factory = sqlite3.Row
        return {Path(r["path"]).name: dict(r) for r in db.execute("SELECT * FROM inputs")}


def _square(value: int) -> int:
    return value * value


def test_the_pool_takes_items_as_workers_free_up_not_all_at_once():
    pulled: list[int] = []

    def items():  # type: ignore[no-untyped-def]
        for value in range(6):
            pulled.append(value)
            yield value

    results = ProcessExecutor(workers=2).map(_square, items())
    first = next(results)
    assert len(pulled) <= 3  # two in flight, at most one more taken when the first came back
    rest = list(results)
    assert sorted(c.value for c in [first, *rest]) == [0, 1, 4, 9, 16, 25]
    assert all(c.worker and c.peak_rss for c in [first, *rest])


@pytest.mark.slow
def test_a_hanging_page_is_timed_out_its_worker_replaced_and_the_run_goes_on(
    tmp_path, engine, monkeypatch
):
    make_pages(tmp_path / "in", 6)
    monkeypatch.setenv(HANG_ENV, "102x60")  # page-002.png hangs
    out = tmp_path / "out"
    settings = BatchSettings(engine=engine, workers=2, page_timeout=2)
    start = time.monotonic()
    summary = run_batch(discover([tmp_path / "in"]), out, settings)
    assert time.monotonic() - start < 60  # not the 600 s of the hang
    assert summary.counts == {"done": 5, "timed_out": 1}
    assert summary.exit_code == 1 and summary.reasons == {"ProcessingTimeoutError": 1}
    records = _records(out)
    assert records["page-002.png"]["status"] == "timed_out"
    assert "budget: 2 s" in str(records["page-002.png"]["error"])
    assert {r["status"] for n, r in records.items() if n != "page-002.png"} == {"done"}


@pytest.mark.slow
def test_a_worker_over_its_memory_bound_is_replaced_and_its_input_reported(
    tmp_path, engine, monkeypatch
):
    make_pages(tmp_path / "in", 3)
    monkeypatch.setenv(HOG_ENV, "101x60:400")  # page-001.png holds 400 MiB for 5 s
    executor = ProcessExecutor(workers=2, classes=[BatchTestEngine], max_memory=250 * 2**20)
    files = [FileInput(p) for p in sorted((tmp_path / "in").glob("*.png"))]
    results = {Path(r.name).name: r for r in run(files, Steps((EngineStep(engine),)), executor)}
    assert results["page-000.png"].status == "success"
    assert results["page-002.png"].status == "success"
    assert isinstance(results["page-001.png"].error, MemoryLimitError)
    assert "over its bound of 250 MiB" in str(results["page-001.png"].error)


_KILLED_RUN = textwrap.dedent(
    """
    import sys
    from batch_kit import BatchTestEngine
    from ocrxtract.engines import register
    from ocrxtract.cli import main

    if __name__ == "__main__":
        register(BatchTestEngine)
        sys.argv = ["ocrxtract", *sys.argv[1:]]
        main()
    """
)


@pytest.mark.slow
def test_a_run_killed_with_sigkill_then_resumed_has_every_input_exactly_once(tmp_path, engine):
    inputs = make_pages(tmp_path / "in", 40)
    out = tmp_path / "out"
    script = tmp_path / "killed_run.py"
    script.write_text(_KILLED_RUN, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), str(SRC), os.environ.get("PYTHONPATH", "")]),
        SLEEP_ENV: "0.1",
    }
    arguments = [str(tmp_path / "in"), "-o", str(out), "-e", engine, "-j", "2", "--part-rows", "3"]
    process = subprocess.Popen(
        [sys.executable, str(script), "batch", *arguments],
        env=env,
        start_new_session=True,  # its workers too are killed with it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    manifest = out / "_batch" / "manifest.sqlite"
    done = 0
    readable = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and done < 12:
            time.sleep(0.2)
            if not manifest.is_file():
                continue
            try:
                with sqlite3.connect(f"file:{manifest}?mode=ro", uri=True) as db:
                    done = db.execute("SELECT COUNT(*) FROM inputs WHERE status='done'").fetchone()[
                        0
                    ]
            except sqlite3.OperationalError:  # the schema is being made
                continue
            if done >= 6 and not readable:  # the page dataset is readable during the run
                readable = len(pd.read_parquet(out / "_batch" / "pages"))
        assert process.poll() is None, "the run ended before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert done >= 12 and readable >= 3
    summary = run_batch(
        discover([tmp_path / "in"]), out, BatchSettings(engine=engine, workers=0), resume=True
    )
    assert summary.outcome == "all done"
    assert summary.counts["already"] >= 12 and sum(summary.counts.values()) == 40
    records = _records(out)
    assert len(records) == 40 and {r["status"] for r in records.values()} == {"done"}
    pages = pd.read_parquet(out / "_batch" / "pages")
    assert sorted(pages["path"]) == sorted(p.name for p in inputs)  # each exactly once
    assert pages["input_id"].is_unique
    assert len(list(out.glob("*.json"))) == 40
