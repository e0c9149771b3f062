"""Where work runs: in this process, or in a pool of worker processes (a cluster later).

An :class:`Executor` maps a picklable function over picklable items and yields each
:class:`Completed` item as it finishes (not in input order), with the function's value or the
error that stopped it. The function itself records ordinary failures in its value (a failed
page, a bad file); the executor only adds what the function cannot see: a worker process that
died under it.

:class:`ProcessExecutor` keeps at most ``workers`` items in flight, so a worker that dies (out
of memory, a crash in native code) is pinned on the few items it held: each is retried alone in
a fresh worker, and one that kills its worker again completes with a :class:`WorkerDiedError`.
Workers are started with ``spawn`` (safe with threaded native libraries, the same on every OS);
the ``initializer`` runs first in each (thread settings, run-time registrations:
:func:`worker_setup`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ocrxtract.errors import EngineRegistrationError, UnknownEngineError, WorkerDiedError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Environment of single-threaded worker processes.
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OMP_THREAD_LIMIT": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class Completed(Generic[T, R]):
    """One item done: the function's value, or the error that stopped it.

    Attributes:
        item: The item.
        value: What the function returned (``None`` after an error).
        error: Why there is no value (a :class:`WorkerDiedError`, or what the function raised).
    """

    item: T
    value: R | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


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
        for item in items:
            try:
                value = function(item)
            except Exception as exc:  # recorded on the item; the run goes on
                log.warning("%r failed: %s", item, exc, exc_info=True)
                yield Completed(item, error=exc)
                continue
            yield Completed(item, value)


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
    """

    workers: int = 2
    env: dict[str, str] = field(default_factory=dict)
    classes: Sequence[type] = ()
    initializer: Callable[..., None] | None = None
    initargs: tuple[Any, ...] = ()

    def _pool(self, size: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=size,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.env, list(self.classes), self.initializer, self.initargs),
        )

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[Completed[T, R]]:
        queue = list(items)
        queue.reverse()
        workers = max(1, min(self.workers, len(queue)))
        if not queue:
            return
        suspects: list[T] = []
        executor = self._pool(workers)
        running: dict[Future[R], T] = {}
        try:
            while queue or running:
                while queue and len(running) < workers:
                    item = queue.pop()
                    running[executor.submit(function, item)] = item
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = False
                for future in finished:
                    item = running.pop(future)
                    try:
                        yield Completed(item, future.result())
                    except BrokenProcessPool:
                        broken = True
                        suspects.append(item)
                    except Exception as exc:  # the function raised: recorded on its item
                        yield Completed(item, error=exc)
                if broken:
                    suspects += running.values()
                    running.clear()
                    executor.shutdown(wait=True, cancel_futures=True)
                    log.warning("a worker died; retrying %d item(s) one by one", len(suspects))
                    yield from self._alone(function, suspects)
                    suspects = []
                    executor = self._pool(workers)
        finally:
            executor.shutdown(wait=False, cancel_futures=True)

    def _alone(self, function: Callable[[T], R], items: list[T]) -> Iterator[Completed[T, R]]:
        """Each item in a worker of its own; one that kills it again completes with an error."""
        for item in items:
            with self._pool(1) as executor:
                try:
                    yield Completed(item, executor.submit(function, item).result())
                except BrokenProcessPool:
                    yield Completed(
                        item,
                        error=WorkerDiedError(
                            f"the worker process running {item!r} died twice (out of memory, or "
                            "a crash in native code)"
                        ),
                    )
                except Exception as exc:
                    yield Completed(item, error=exc)


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
) -> None:
    worker_setup(env, classes)
    if initializer is not None:
        initializer(*initargs)
