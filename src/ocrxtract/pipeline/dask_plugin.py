"""The Dask worker plugin that sets each worker up once (imports ``distributed``: imported
only by :class:`~ocrxtract.pipeline.dask_executor.DaskExecutor` when a run starts)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from distributed import WorkerPlugin

from ocrxtract.pipeline.executors import worker_setup

log = logging.getLogger(__name__)


class WorkerSetup(WorkerPlugin):  # type: ignore[misc]
    """On each worker, once (and on each worker that joins or restarts later): the environment,
    the classes registered at run time, then ``initializer(*initargs)`` (engines loaded)."""

    def __init__(
        self,
        env: dict[str, str],
        classes: Sequence[type],
        initializer: Callable[..., None] | None,
        initargs: tuple[Any, ...],
    ) -> None:
        self.env = env
        self.classes = list(classes)
        self.initializer = initializer
        self.initargs = initargs

    def setup(self, worker: Any) -> None:
        worker_setup(self.env, self.classes)
        if self.initializer is not None:
            self.initializer(*self.initargs)
        log.info("worker %s set up", getattr(worker, "address", "?"))
