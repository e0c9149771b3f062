"""Killing a benchmark run midway and restarting it loses nothing and recomputes nothing.

A script runs a campaign in a subprocess, with two worker processes and a slow scripted engine
that writes every page and line crop it reads to a counter file. The test kills the whole
process group (SIGKILL: no clean-up at all) once three rows are in the journal, notes what the
cache and the journal hold at that moment, and runs the same script again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ocrxtract.bench import read_rows
from ocrxtract.bench.results import JOURNAL_FILE, read_journal
from test_bench_kit import RECEIPTS, build_receipts, use_tiny_datasets

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX"),
]

SAMPLES = 8
SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    sys.path.insert(0, {tests!r})
    from test_bench_kit import ScriptedEngine

    from ocrxtract.bench import BenchCache, Campaign, DatasetEntry, EngineEntry, run_campaign
    from ocrxtract.engines import register


    class SlowEngine(ScriptedEngine):
        name = "slow"

        def _recognize(self, page):
            if page.source.endswith(".png"):
                time.sleep(0.4)
            return super()._recognize(page)


    if __name__ == "__main__":
        register(SlowEngine)
        base = Path(sys.argv[1])
        campaign = Campaign(
            name="resume",
            engines=(EngineEntry(name="slow"),),
            datasets=(DatasetEntry(name="tiny"),),
            workers=2,
        )
        run_campaign(campaign, base / "out", cache=BenchCache(base / "cache"))
    """
)


def _cached_samples(cache: Path, kind: str) -> set[str]:
    found = set()
    for entry in (cache / kind).glob("*/*.json"):
        found.add(json.loads(entry.read_text(encoding="utf-8"))["about"]["sample"])
    return found


def _sample_of(source: str) -> tuple[str, str]:
    """Counter line -> (sample, "page" or "line")."""
    if source.endswith(".png"):
        return Path(source).stem, "page"
    # a line crop: "<page image> page N line M"
    return Path(source.split(" page ", 1)[0]).stem, "line"


def _run(base: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(base / "run.py"), str(base)],
        env=env,
        start_new_session=True,  # its own process group: the workers are killed with it
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _journal_rows(path: Path) -> int:
    return len(read_journal(path)[1]) if path.exists() else 0


def test_kill_and_resume_loses_and_recomputes_nothing(tmp_path):
    variables = use_tiny_datasets(tmp_path)
    # six more receipts than the kit's two: s0..s5, each page of its own width
    _, _, box, text = RECEIPTS[0]
    build_receipts(
        tmp_path / "data" / "tiny",
        [(f"s{i}", (300 + i, 100), box, text) for i in range(SAMPLES - 2)],
    )
    (tmp_path / "run.py").write_text(
        SCRIPT.format(tests=str(Path(__file__).parent)), encoding="utf-8"
    )
    env = {**os.environ, **variables}
    journal = tmp_path / "out" / JOURNAL_FILE

    env["OCRXTRACT_TEST_COUNTER"] = str(tmp_path / "calls-1.txt")
    first = _run(tmp_path, env)
    deadline = time.monotonic() + 60
    while _journal_rows(journal) < 3:
        assert first.poll() is None, first.stdout.read().decode() if first.stdout else ""
        assert time.monotonic() < deadline, "the run did not write 3 rows in 60 s"
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    time.sleep(0.5)  # let the orphaned workers notice their parent is gone
    _, rows_at_kill = read_journal(journal)
    pages_at_kill = _cached_samples(tmp_path / "cache", "pages")
    lines_at_kill = _cached_samples(tmp_path / "cache", "lines")
    assert 3 <= len(rows_at_kill) < SAMPLES, "the kill came too late to test anything"
    assert not (tmp_path / "out" / "rows.parquet").exists()

    env["OCRXTRACT_TEST_COUNTER"] = str(tmp_path / "calls-2.txt")
    second = _run(tmp_path, env)
    output = second.communicate(timeout=120)[0].decode()
    assert second.returncode == 0, output

    rows = read_rows(tmp_path / "out" / "rows.parquet")
    assert sorted(r["sample_id"] for r in rows) == sorted(["a", "b"] + [f"s{i}" for i in range(6)])
    assert all(r["status"] == "ok" for r in rows)
    by_id = {r["sample_id"]: r for r in rows}
    for kept in rows_at_kill:  # rows finished before the kill come back unchanged
        assert by_id[kept["sample_id"]] == kept
    second_calls = [
        _sample_of(line)
        for line in (tmp_path / "calls-2.txt").read_text(encoding="utf-8").splitlines()
    ]
    pages_read = [sample for sample, kind in second_calls if kind == "page"]
    lines_read = [sample for sample, kind in second_calls if kind == "line"]
    everything = set(by_id)
    # Nothing cached at the kill was read again; everything else was read exactly once.
    assert sorted(pages_read) == sorted(everything - pages_at_kill)
    assert sorted(lines_read) == sorted(everything - lines_at_kill)
    assert not journal.exists()
