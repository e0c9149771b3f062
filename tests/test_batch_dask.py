"""Batch runs on Dask (a LocalCluster on the loopback interface): the same output as the local
pool, a worker lost mid-run does not stop the run, and nothing reaches the network (sockets are
blocked in every process, apart from the scheduler on loopback)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from batch_kit import CRASH_ONCE_ENV, CRASH_ONCE_SIZE_ENV, BatchTestEngine, make_pages
from ocrxtract.batch import BatchSettings, discover, run_batch
from ocrxtract.engines import register, unregister

pytest.importorskip(
    "distributed", reason="Dask distributed missing: pip install 'ocrxtract[batch]'"
)
pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.slow


@pytest.fixture
def engine():
    register(BatchTestEngine)
    yield BatchTestEngine.name
    unregister(BatchTestEngine.name)


def _without_timings(value: object) -> object:
    """A document's JSON with its timings zeroed (the only thing allowed to differ)."""
    if isinstance(value, dict):
        return {k: 0 if k == "seconds" else _without_timings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def _store(out: Path) -> dict[str, object]:
    """Every output file (JSON with timings zeroed) and the page rows (without seconds)."""
    files: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out).as_posix()
        if not path.is_file() or relative.startswith("_batch/"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            files[relative] = _without_timings(json.loads(text))
        else:  # hOCR and ALTO carry the provenance too
            files[relative] = re.sub(r"(&quot;seconds&quot;:)[0-9.e-]+", r"\g<1>0", text)
    pages = pd.read_parquet(out / "_batch" / "pages").drop(columns=["seconds"])
    files["pages"] = pages.sort_values(["path", "page"]).to_dict("records")
    return files


def test_a_dask_cluster_writes_what_the_local_pool_writes(tmp_path, engine):
    make_pages(tmp_path / "in", 5)
    make_pages(tmp_path / "in", 3, start=5, sub="lot")
    (tmp_path / "in" / "empty.png").write_bytes(b"")
    sources = discover([tmp_path / "in"])
    common = {"engine": engine, "workers": 2, "formats": ("txt", "hocr")}
    local = run_batch(sources, tmp_path / "local", BatchSettings(**common))
    dask = run_batch(sources, tmp_path / "dask", BatchSettings(**common, dask=True))
    assert local.counts == dask.counts == {"done": 8, "failed": 1}
    assert "LocalCluster" in dask.executor and dask.peak_rss
    assert _store(tmp_path / "local") == _store(tmp_path / "dask")


def test_a_worker_lost_during_a_dask_run_does_not_stop_it(tmp_path, engine, monkeypatch):
    make_pages(tmp_path / "in", 8)
    marker = tmp_path / "crashed"
    monkeypatch.setenv(CRASH_ONCE_ENV, str(marker))
    monkeypatch.setenv(CRASH_ONCE_SIZE_ENV, "103x60")  # the worker reading page-003 dies once
    out = tmp_path / "out"
    summary = run_batch(
        discover([tmp_path / "in"]), out, BatchSettings(engine=engine, workers=2, dask=True)
    )
    assert marker.is_file()  # a worker was lost ...
    assert summary.outcome == "all done" and summary.counts == {"done": 8}  # ... and replaced
    pages = pd.read_parquet(out / "_batch" / "pages")
    assert sorted(pages["path"]) == [f"page-{n:03d}.png" for n in range(8)]


_GUARD = textwrap.dedent(
    """
    # Loaded by every Python process of the test (sitecustomize): sockets may only reach
    # the loopback interface or a Unix socket.
    import ipaddress
    import socket

    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex


    def _local(sock, address):
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        host = address[0] if isinstance(address, tuple) else address
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


    def connect(self, address):
        if not _local(self, address):
            raise OSError(f"network blocked by the test: {address!r}")
        return _connect(self, address)


    def connect_ex(self, address):
        if not _local(self, address):
            raise OSError(f"network blocked by the test: {address!r}")
        return _connect_ex(self, address)


    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    """
)


def test_a_batch_runs_with_the_network_blocked_apart_from_the_loopback(
    tmp_path, engine, monkeypatch
):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(_GUARD, encoding="utf-8")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")])
    )
    namespace: dict[str, object] = {}
    exec(compile(_GUARD, "guard", "exec"), namespace)  # this process too
    monkeypatch.setattr(socket.socket, "connect", namespace["connect"])
    monkeypatch.setattr(socket.socket, "connect_ex", namespace["connect_ex"])
    with pytest.raises(OSError, match="network blocked"), socket.socket() as probe:
        probe.connect(("192.0.2.1", 80))  # TEST-NET-1: the guard refuses before any packet
    child = subprocess.run(  # and every process started from here (workers, Dask's nannies)
        [sys.executable, "-c", "import socket; socket.socket().connect(('192.0.2.1', 80))"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "network blocked by the test" in child.stderr
    make_pages(tmp_path / "in", 4)
    sources = discover([tmp_path / "in"])
    pool = run_batch(sources, tmp_path / "pool", BatchSettings(engine=engine, workers=2))
    dask = run_batch(sources, tmp_path / "dask", BatchSettings(engine=engine, workers=2, dask=True))
    assert pool.outcome == dask.outcome == "all done"
    assert pool.counts == dask.counts == {"done": 4}
