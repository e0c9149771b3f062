"""Where work runs: in this process, in a pool of worker processes, or on a Dask cluster.

An :class:`Executor` maps a picklable function over picklable items and yields each
:class:`Completed` item as it finishes (not in input order), with the function's value or the
error that stopped it, the worker that ran it and that worker's peak memory. The function itself
records ordinary failures in its value (a failed page, a bad file); the executor only adds what
the function cannot see: a worker process that died under it, hung, or outgrew its memory.

:class:`ProcessExecutor` takes items lazily and keeps at most ``workers`` of them in flight (a
million inputs are never all queued), so a worker that dies (out of memory, a crash in native
code) is pinned on the few items it held: each is retried alone in a fresh worker, and one that
kills its worker again completes with a :class:`~ocrxtract.errors.WorkerDiedError`. With a
``timeout``, an item that runs longer than its budget has its worker stopped and completes with
a :class:`~ocrxtract.errors.ProcessingTimeoutError` (the other items in flight start again in
the fresh pool); with ``max_memory``, a worker that goes over it is stopped and its item retried
alone, then reported with a :class:`~ocrxtract.errors.MemoryLimitError`. Workers are started
with ``spawn`` (safe with threaded native libraries, the same on every OS); the ``initializer``
runs first in each (thread settings, run-time registrations: :func:`worker_setup`, engines
loaded once). :class:`~ocrxtract.pipeline.dask_executor.DaskExecutor` does the same on a Dask
cluster.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import socket
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ocrxtract.errors import (
    EngineRegistrationError,
    MemoryLimitError,
    ProcessingTimeoutError,
    UnknownEngineError,
    WorkerDiedError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Environment of single-threaded worker processes.
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OMP_THREAD_LIMIT": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OPENCV_FOR_THREADS_NUM": "1",  # OpenCV's own pool (RapidOCR's pre/post-processing)
}

#: A time budget: seconds for every item, or a function of the item (``None``: no limit).
Timeout = float | Callable[[Any], float | None] | None


@dataclass(frozen=True)
class Completed(Generic[T, R]):
    """One item done: the function's value, or the error that stopped it.

    Attributes:
        item: The item.
        value: What the function returned (``None`` after an error).
        error: Why there is no value (a :class:`WorkerDiedError`, or what the function raised).
        worker: The worker that ran it (``host:pid``), when known.
        peak_rss: That worker's peak resident memory so far, in bytes, when known.
    """

    item: T
    value: R | None = None
    error: BaseException | None = None
    worker: str | None = None
    peak_rss: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def worker_name() -> str:
    """This process as a worker: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def peak_rss() -> int | None:
    """This process's peak resident memory in bytes (``None`` where the OS does not say)."""
    try:
        import resource
    except ImportError:  # not on Unix
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) if os.uname().sysname == "Darwin" else int(peak) * 1024


def process_rss(pid: int) -> int | None:
    """Resident memory of process ``pid`` in bytes (Linux ``/proc``; ``None`` elsewhere)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Ran(Generic[R]):
    """What a worker sends back: the value, who computed it and its peak memory."""

    value: R
    worker: str
    peak_rss: int | None


def run_tracked(function: Callable[[T], R], item: T) -> Ran[R]:
    """``function(item)`` with the worker's name and peak memory (in the worker)."""
    return Ran(function(item), worker_name(), peak_rss())


class Executor(ABC):
    """Runs a function over items and yields each one as it completes."""

    #: How many items run at once.
    workers: int = 1

    @abstractmethod
    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[Completed[T, R]]:
        """Apply ``function`` to every item; yield each :class:`Completed` as it finishes.

        A function's exception completes its item with that error; the other items go on.
        """


class InlineExecutor(Executor):
    """Everything in the calling process, one item after another, in input order."""

    workers = 1

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[Completed[T, R]]:
        name = worker_name()
        for item in items:
            try:
                value = function(item)
            except Exception as exc:  # recorded on the item; the run goes on
                log.warning("%r failed: %s", item, exc, exc_info=True)
                yield Completed(item, error=exc, worker=name, peak_rss=peak_rss())
                continue
            yield Completed(item, value, worker=name, peak_rss=peak_rss())


# --- the process pool -------------------------------------------------------------------------

_started: Any = None  # in a worker: the queue on which it says which item it starts


def _run_started(function: Callable[[T], R], token: int, item: T) -> Ran[R]:
    if _started is not None:
        _started.put((token, os.getpid()))
    return run_tracked(function, item)


class _Pool:
    """One ProcessPoolExecutor, the items it holds, and when and where each started."""

    def __init__(self, owner: ProcessExecutor, size: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.started = context.SimpleQueue()
        self.executor = ProcessPoolExecutor(
            max_workers=size,
            mp_context=context,
            initializer=_init_worker,
            initargs=(
                owner.env,
                list(owner.classes),
                owner.initializer,
                owner.initargs,
                self.started,
            ),
        )
        self.running: dict[Future[Ran[Any]], tuple[int, Any]] = {}
        self.starts: dict[int, tuple[int, float]] = {}  # token -> (pid, when it was seen)
        self._tokens = 0

    def submit(self, function: Callable[[Any], Any], item: Any) -> None:
        self._tokens += 1
        future = self.executor.submit(_run_started, function, self._tokens, item)
        self.running[future] = (self._tokens, item)

    def wait(self, poll: float | None) -> set[Future[Ran[Any]]]:
        done, _ = wait(self.running, timeout=poll, return_when=FIRST_COMPLETED)
        now = time.monotonic()
        while not self.started.empty():
            token, pid = self.started.get()
            self.starts[token] = (pid, now)
        return done

    def pids(self) -> list[int]:
        processes = getattr(self.executor, "_processes", None) or {}
        return list(processes)

    def holder(self, pid: int) -> tuple[Future[Ran[Any]], Any] | None:
        """The running item that started last on process ``pid``."""
        held = [
            (self.starts[token][1], future, item)
            for future, (token, item) in self.running.items()
            if token in self.starts and self.starts[token][0] == pid
        ]
        if not held:
            return None
        _, future, item = max(held, key=lambda entry: entry[0])
        return future, item

    def close(self, *, kill: bool) -> None:
        """Shut the pool down; ``kill``: stop its processes now (what they hold is lost)."""
        if kill:
            processes = getattr(self.executor, "_processes", None) or {}
            for process in list(processes.values()):
                with contextlib.suppress(OSError, AttributeError):  # already gone
                    process.kill()
        self.executor.shutdown(wait=kill, cancel_futures=True)
        self.started.close()


@dataclass
class ProcessExecutor(Executor):
    """A pool of ``workers`` spawned processes, at most ``workers`` items in flight.

    Attributes:
        workers: Worker processes.
        env: Environment variables set in each worker before anything is imported
            (:data:`SINGLE_THREAD_ENV` ...).
        classes: Engine and extractor classes registered at run time in this process, to
            register in each worker too (classes with the same name already known are kept).
        initializer: Run in each worker after the environment is set, with ``initargs``.
        timeout: Seconds an item may run (or a function of the item giving them; ``None``:
            no limit), counted from when a worker starts it.
        max_memory: Resident bytes a worker may hold (Linux; ``None``: no bound).
        poll: Seconds between checks of time and memory.
    """

    workers: int = 2
    env: dict[str, str] = field(default_factory=dict)
    classes: Sequence[type] = ()
    initializer: Callable[..., None] | None = None
    initargs: tuple[Any, ...] = ()
    timeout: Timeout = None
    max_memory: int | None = None
    poll: float = 0.5

    @property
    def _watching(self) -> bool:
        return self.timeout is not None or self.max_memory is not None

    def _budget(self, item: Any) -> float | None:
        if callable(self.timeout):
            return self.timeout(item)
        return self.timeout

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[Completed[T, R]]:
        return self._drive(function, iter(items), self.workers, retry=True)

    def _drive(  # noqa: PLR0915 - one loop that owns the pool's whole life
        self, function: Callable[[T], R], source: Iterator[T], size: int, *, retry: bool
    ) -> Iterator[Completed[T, R]]:
        """Run ``source`` on pools of ``size``; ``retry``: items whose worker died are retried
        alone (else they complete with an error)."""
        pending: deque[T] = deque()
        pool: _Pool | None = None
        end = object()
        try:
            while True:
                if pool is None:
                    pool = _Pool(self, max(1, size))
                while len(pool.running) < size:
                    item: Any = pending.popleft() if pending else next(source, end)
                    if item is end:
                        break
                    pool.submit(function, item)
                if not pool.running:
                    return
                done = pool.wait(self.poll if self._watching else None)
                suspects: list[T] = []
                for future in done:
                    _, item = pool.running.pop(future)
                    try:
                        ran = future.result()
                    except BrokenProcessPool:
                        suspects.append(item)
                        continue
                    except Exception as exc:  # the function raised: recorded on its item
                        yield Completed(item, error=exc)
                        continue
                    yield Completed(item, ran.value, worker=ran.worker, peak_rss=ran.peak_rss)
                if suspects:
                    suspects += [item for _, item in pool.running.values()]
                    pool.running.clear()
                    pool.close(kill=True)
                    pool = None
                    if not retry:
                        for item in suspects:
                            yield Completed(item, error=_died(item))
                        continue
                    log.warning("a worker died; retrying %d item(s) one by one", len(suspects))
                    yield from self._drive(function, iter(suspects), 1, retry=False)
                    continue
                culprit = self._culprit(pool)
                if culprit is None:
                    continue
                future, item, error = culprit
                others = [(f, i) for f, (_, i) in pool.running.items() if f is not future]
                pool.running.clear()
                pool.close(kill=True)
                pool = None
                again: list[T] = []
                for other, other_item in others:  # finished just before the kill, or again
                    if other.done() and not other.cancelled() and other.exception() is None:
                        ran = other.result()
                        yield Completed(
                            other_item, ran.value, worker=ran.worker, peak_rss=ran.peak_rss
                        )
                    else:
                        again.append(other_item)
                pending.extendleft(reversed(again))
                if isinstance(error, MemoryLimitError) and retry:
                    log.warning("%s; retrying it alone in a fresh worker", error)
                    yield from self._drive(function, iter([item]), 1, retry=False)
                else:
                    log.warning("%s", error)
                    yield Completed(item, error=error)
        finally:
            if pool is not None:
                pool.close(kill=bool(pool.running))

    def _culprit(self, pool: _Pool) -> tuple[Future[Ran[Any]], Any, Exception] | None:
        """An item over its time budget, or held by a worker over the memory bound."""
        if self.timeout is not None:
            now = time.monotonic()
            for future, (token, item) in pool.running.items():
                if token not in pool.starts or future.done():
                    continue
                budget = self._budget(item)
                elapsed = now - pool.starts[token][1]
                if budget is not None and elapsed > budget:
                    return (
                        future,
                        item,
                        ProcessingTimeoutError(
                            f"{_name(item)} was still running after {elapsed:.0f} s (its budget: "
                            f"{budget:.0f} s); its worker was stopped and replaced (raise the "
                            "timeout if such documents are expected to take that long)"
                        ),
                    )
        if self.max_memory is not None:
            for pid in pool.pids():
                rss = process_rss(pid)
                if rss is None or rss <= self.max_memory:
                    continue
                held = pool.holder(pid)
                if held is not None and not held[0].done():
                    return (
                        held[0],
                        held[1],
                        MemoryLimitError(
                            f"the worker running {_name(held[1])} used {rss / 2**20:.0f} MiB, over "
                            f"its bound of {self.max_memory / 2**20:.0f} MiB (raise the bound, or "
                            "lower the resolution of PDF pages)"
                        ),
                    )
        return None


def _name(item: Any) -> str:
    return str(getattr(item, "name", None) or repr(item))


def _died(item: Any) -> WorkerDiedError:
    return WorkerDiedError(
        f"the worker process running {_name(item)} died twice (out of memory, or a crash in "
        "native code)"
    )


def worker_setup(env: dict[str, str], classes: Sequence[type]) -> None:
    """Set ``env``, then register the engine and extractor ``classes`` this process lacks.

    Registrations made at run time in the parent (notebooks, tests) do not exist in a spawned
    worker; the classes travel by reference and are registered again here.
    """
    os.environ.update(env)
    from ocrxtract.engines.base import OcrEngine
    from ocrxtract.engines.registry import get_engine_class, register
    from ocrxtract.errors import UnknownExtractorError
    from ocrxtract.extract import Extractor, get_extractor_class, register_extractor

    for cls in classes:
        try:
            if issubclass(cls, OcrEngine):
                try:
                    known: type | None = get_engine_class(cls.name)
                except UnknownEngineError:
                    known = None
                if known is not cls:
                    register(cls)
            elif issubclass(cls, Extractor):
                try:
                    known = get_extractor_class(cls.name)
                except UnknownExtractorError:
                    known = None
                if known is not cls:
                    register_extractor(cls)
        except EngineRegistrationError as exc:
            log.warning("%s not registered in the worker: %s", cls.__name__, exc)


def _init_worker(
    env: dict[str, str],
    classes: Sequence[type],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    started: Any = None,
) -> None:
    global _started  # noqa: PLW0603 - one queue per worker process, set once at its start
    _started = started
    worker_setup(env, classes)
    if initializer is not None:
        initializer(*initargs)
