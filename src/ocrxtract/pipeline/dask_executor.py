"""The executor on a Dask distributed cluster: an existing scheduler, or a LocalCluster.

:class:`DaskExecutor` is an :class:`~ocrxtract.pipeline.executors.Executor` like the process
pool, so whatever runs on the pool (``ocrxtract batch``, the pipeline's :func:`run`) runs on a
cluster unchanged:

* each worker is set up once by a worker plugin (:mod:`.dask_plugin`): environment (thread
  settings), the engine and extractor classes registered at run time, then the ``initializer``
  (which loads the engines: once per worker, not once per document);
* items are submitted lazily, at most ``in_flight`` at a time (back-pressure: a million inputs
  are never all on the scheduler), and each result is yielded as it completes, to the client;
* a worker lost while it holds an item (killed, out of memory) is Dask's to handle: the item is
  run again on another worker; one that loses ``distributed.scheduler.allowed-failures``
  workers completes with a :class:`~ocrxtract.errors.WorkerDiedError`;
* with a ``timeout``, an item still running past its budget is cancelled and its worker
  restarted (the nanny starts a fresh one); it completes with a
  :class:`~ocrxtract.errors.ProcessingTimeoutError`.

``dask.distributed`` is imported when a run starts, never with this module: install it with
``pip install 'ocrxtract[batch]'``. The LocalCluster listens on the loopback interface only and
starts no dashboard: nothing is reachable from outside the machine.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ocrxtract.errors import MissingDependencyError, ProcessingTimeoutError, WorkerDiedError
from ocrxtract.pipeline.executors import Completed, Executor, Ran, Timeout, run_tracked

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: The event topic on which a worker says that it starts an item.
START_TOPIC = "ocrxtract-start"
INSTALL = "pip install 'ocrxtract[batch]'"


def require_distributed() -> Any:
    """The ``distributed`` module.

    Raises:
        MissingDependencyError: Dask distributed is not installed (with the install command).
    """
    try:
        import distributed
    except ImportError as exc:
        raise MissingDependencyError(
            "dask[distributed]", "run batches on a Dask cluster", INSTALL
        ) from exc
    return distributed


def run_announced(function: Callable[[T], R], token: str, item: T) -> Ran[R]:
    """In a Dask worker: say that ``item`` starts (for time budgets), then run it."""
    try:
        from distributed import get_worker

        worker = get_worker()
        worker.log_event(START_TOPIC, {"token": token, "worker": worker.address})
    except (ImportError, ValueError):  # not in a Dask worker (called directly)
        pass
    return run_tracked(function, item)


def local_cluster_config(dask: Any) -> dict[str, Any]:
    """Dask settings of the LocalCluster workers, measured on OCR work (rapidocr, 2 workers on
    2 cores, 40 generated pages: engine time per page 1.71 s with Dask's defaults, 1.35 s with
    these, 1.41 s in the local process pool; ``benchmarks/batch_throughput.py`` for the whole
    run):

    * the worker's statistical profiler off: it samples the running thread every 10 ms and
      takes the GIL from the engine's Python code;
    * the worker's housekeeping woken less often (event-loop tick 20 ms -> 500 ms, memory
      monitor 100 ms -> 1 s, system monitor 500 ms -> 2 s, no GIL-contention sampling): each
      wake-up takes the GIL too; a worker past its memory limit is still stopped, within 1 s;
    * no ``MALLOC_TRIM_THRESHOLD_=65536``: Dask sets it so that workers give memory back to the
      system at once; engines that allocate and free large images and tensors on every page
      then pay for it again and again.

    Workers of an existing cluster (``--scheduler``) keep their own settings: the wiki's batch
    page says how to set the same there.
    """
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return {
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "500ms",
        "distributed.worker.memory.monitor-interval": "1s",
        "distributed.admin.system-monitor.interval": "2s",
        "distributed.admin.system-monitor.gil.enabled": False,
        "distributed.nanny.pre-spawn-environ": environ,
    }


@dataclass
class DaskExecutor(Executor):
    """Items run on a Dask cluster, results streamed back as they complete.

    Attributes:
        address: The scheduler (``tcp://host:8786``); ``None``: a LocalCluster of ``workers``
            processes on this machine, on the loopback interface.
        workers: LocalCluster worker processes (with an ``address``: the cluster's own).
        threads_per_worker: LocalCluster threads per worker (1: one document at a time each,
            the engine's own threads set by ``env``).
        env: Environment variables set in each worker (thread settings).
        classes: Engine and extractor classes registered at run time, registered on workers.
        initializer: Run once in each worker (with ``initargs``) after the classes: load models.
        timeout: Seconds an item may run, or a function of the item giving them.
        memory_limit: LocalCluster bytes per worker (Dask's nanny restarts a worker past 95 %
            of it); ``None``: Dask's default (the machine's memory shared among workers).
        in_flight: Items submitted at once (default: twice the cluster's threads).
        poll: Seconds between checks of time budgets.
        connect_timeout: Seconds to wait for the scheduler.
    """

    address: str | None = None
    workers: int = 2
    threads_per_worker: int = 1
    env: dict[str, str] = field(default_factory=dict)
    classes: Sequence[type] = ()
    initializer: Callable[..., None] | None = None
    initargs: tuple[Any, ...] = ()
    timeout: Timeout = None
    memory_limit: int | None = None
    in_flight: int | None = None
    poll: float = 0.5
    connect_timeout: float = 30.0

    def _client(self, distributed: Any) -> tuple[Any, Any]:
        """A client, and the LocalCluster it owns (``None`` with an address)."""
        if self.address is not None:
            return distributed.Client(self.address, timeout=self.connect_timeout), None
        import dask

        with dask.config.set(local_cluster_config(dask)):
            cluster = self._local_cluster(distributed)
        return distributed.Client(cluster, timeout=self.connect_timeout), cluster

    def _local_cluster(self, distributed: Any) -> Any:
        return distributed.LocalCluster(
            n_workers=self.workers,
            threads_per_worker=self.threads_per_worker,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
            memory_limit=self.memory_limit if self.memory_limit is not None else "auto",
            env=dict(self.env),
        )

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[Completed[T, R]]:
        distributed = require_distributed()
        from ocrxtract.pipeline.dask_plugin import WorkerSetup

        client, cluster = self._client(distributed)
        starts: dict[str, tuple[str, float]] = {}
        lock = threading.Lock()

        def started(event: tuple[float, dict[str, str]]) -> None:
            message = event[1]
            with lock:
                starts[message["token"]] = (message["worker"], time.monotonic())

        try:
            client.register_plugin(
                WorkerSetup(dict(self.env), list(self.classes), self.initializer, self.initargs),
                name="ocrxtract-setup",
            )
            if self.timeout is not None:
                client.subscribe_topic(START_TOPIC, started)
            yield from self._stream(distributed, client, function, iter(items), starts, lock)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _stream(  # noqa: PLR0917 - private, one call site
        self,
        distributed: Any,
        client: Any,
        function: Callable[[T], R],
        source: Iterator[T],
        starts: dict[str, tuple[str, float]],
        lock: threading.Lock,
    ) -> Iterator[Completed[T, R]]:
        threads = sum(client.nthreads().values()) or self.workers
        limit = self.in_flight or max(2, 2 * threads)
        run_id = uuid.uuid4().hex[:8]
        running: dict[Any, tuple[str, T]] = {}
        count = 0
        end = object()
        try:
            while True:
                while len(running) < limit:
                    item: Any = next(source, end)
                    if item is end:
                        break
                    count += 1
                    token = f"ocrxtract-{run_id}-{count}"
                    future = client.submit(
                        run_announced, function, token, item, key=token, pure=False
                    )
                    running[future] = (token, item)
                if not running:
                    return
                with contextlib.suppress(TimeoutError):  # a poll: time budgets are checked
                    distributed.wait(list(running), self.poll, return_when="FIRST_COMPLETED")
                for future in [f for f in running if f.done()]:
                    _, item = running.pop(future)
                    yield self._completed(distributed, future, item)
                if self.timeout is not None:
                    yield from self._overdue(client, running, starts, lock)
        finally:
            for future in running:
                future.cancel()

    @staticmethod
    def _completed(distributed: Any, future: Any, item: T) -> Completed[T, Any]:
        if future.status == "finished":
            ran = future.result()
            future.release()
            return Completed(item, ran.value, worker=ran.worker, peak_rss=ran.peak_rss)
        error = future.exception() if future.status == "error" else None
        future.release()
        if isinstance(error, distributed.KilledWorker) or error is None:
            name = getattr(item, "name", None) or repr(item)
            return Completed(
                item,
                error=WorkerDiedError(
                    f"the Dask workers running {name} died, several times (out of memory, or a "
                    "crash in native code)"
                ),
            )
        return Completed(item, error=error)

    def _overdue(
        self,
        client: Any,
        running: dict[Any, tuple[str, T]],
        starts: dict[str, tuple[str, float]],
        lock: threading.Lock,
    ) -> Iterator[Completed[T, Any]]:
        """Items past their budget: cancelled, their workers restarted."""
        now = time.monotonic()
        with lock:
            seen = dict(starts)
        for future, (token, item) in list(running.items()):
            if token not in seen or future.done():
                continue
            worker, began = seen[token]
            budget = self.timeout(item) if callable(self.timeout) else self.timeout
            if budget is None or now - began <= budget:
                continue
            running.pop(future)
            future.cancel()
            name = getattr(item, "name", None) or repr(item)
            log.warning("%s over its budget of %.0f s: restarting worker %s", name, budget, worker)
            try:
                client.restart_workers([worker], raise_for_error=False)
            except Exception as exc:  # the worker may be gone already
                log.warning("could not restart worker %s: %s", worker, exc)
            yield Completed(
                item,
                error=ProcessingTimeoutError(
                    f"{name} was still running after {now - began:.0f} s (its budget: "
                    f"{budget:.0f} s); its Dask worker was restarted (raise the timeout if such "
                    "documents are expected to take that long)"
                ),
            )
