"""What a batch run does and where it runs: its settings, the engine's execution (threads and
processes, as the benchmark measured), the executor, and what a resumed run must share.

Each engine gets the execution the benchmark measured for it (:attr:`OcrEngine.parallel`):
``processes`` engines run in ``workers`` single-threaded processes, ``threads`` engines in one
process whose engine gets ``workers`` threads.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ocrxtract.batch.manifest import RunManifest
from ocrxtract.batch.store import require_pyarrow
from ocrxtract.batch.work import warm_up
from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import get_engine_class
from ocrxtract.errors import EngineUnavailableError, UsageError
from ocrxtract.export import FORMATS
from ocrxtract.extract import get_extractor_class
from ocrxtract.fr.lexicon import require_wordlist
from ocrxtract.pipeline import (
    SINGLE_THREAD_ENV,
    EngineStep,
    Executor,
    ExtractStep,
    InlineExecutor,
    ProcessExecutor,
    Steps,
)

log = logging.getLogger(__name__)


class BatchSettings(BaseModel):
    """What a batch run does and where it runs.

    Attributes:
        engine: The engine that reads every page.
        engine_options: Its options (``languages`` ...).
        extractors: Extractors run on each document, in order (fields, tables, structure...).
        extractor_options: Options per extractor name.
        formats: Exports written beside each JSON (``txt``, ``hocr``, ``alto``).
        dpi: Resolution at which PDF pages are rendered.
        assume_dpi: Resolution of images whose file states none.
        force_ocr: OCR PDF pages even when they have a text layer.
        post_correct: Fix French words of OCR pages against a word list (optional stage:
            :func:`~ocrxtract.pipeline.steps.post_correct`).
        max_pages: Documents with more pages are refused (recorded as failed).
        workers: Worker processes (0: everything in this process, no time or memory bound);
            with ``dask``, the LocalCluster's workers.
        dask: Run on a Dask LocalCluster of ``workers`` processes.
        scheduler: Run on the Dask cluster of this scheduler (``tcp://host:8786``).
        page_timeout: Seconds a document may take per page before its worker is replaced and
            it is recorded as timed out (``None``: no limit).
        max_memory_mb: Resident memory a worker may hold (MiB); ``None``: no bound.
        part_rows: Page rows per Parquet part.
        part_seconds: Seconds after which waiting page rows are written anyway.
        retry_failed: On resume, read failed and timed-out inputs again.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: str = "tesseract"
    engine_options: dict[str, Any] = Field(default_factory=dict)
    extractors: tuple[str, ...] = ()
    extractor_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    formats: tuple[str, ...] = ()
    dpi: int = Field(default=300, gt=0)
    assume_dpi: float | None = Field(default=None, gt=0)
    force_ocr: bool = False
    post_correct: bool = False
    max_pages: int = Field(default=2000, gt=0)
    workers: int = Field(default=1, ge=0)
    dask: bool = False
    scheduler: str | None = None
    page_timeout: float | None = Field(default=300.0, gt=0)
    max_memory_mb: int | None = Field(default=None, gt=0)
    part_rows: int = Field(default=5000, gt=0)
    part_seconds: float = Field(default=60.0, gt=0)
    retry_failed: bool = False


@dataclass(frozen=True)
class Execution:
    """How the engine runs: processes, the environment of each, the engine's options."""

    processes: int
    env: dict[str, str]
    options: dict[str, Any]
    parallel: str


def execution_for(cls: type[OcrEngine], workers: int, options: dict[str, Any]) -> Execution:
    """The execution the benchmark measured for ``cls`` on ``workers`` slots."""
    options = dict(options)
    thread_option = cls.thread_option
    if workers == 0:
        return Execution(0, {}, options, cls.parallel)
    if cls.parallel == "threads":
        if thread_option and thread_option not in options:
            options[thread_option] = workers
        return Execution(1, {"OMP_NUM_THREADS": str(workers)}, options, "threads")
    if thread_option and thread_option not in options:
        options[thread_option] = 1
    return Execution(workers, dict(SINGLE_THREAD_ENV), options, "processes")


@dataclass(frozen=True)
class PageBudget:
    """Seconds a document may take: ``per_page`` for each of its pages."""

    per_page: float

    def __call__(self, item: Any) -> float:
        return self.per_page * max(1, int(getattr(item, "pages", 1) or 1))


def fingerprint(settings: BatchSettings, cls: type[OcrEngine]) -> dict[str, Any]:
    """The settings that change what is written (not where or how fast it runs)."""
    options = cls.parse_options(settings.engine_options).model_dump(mode="json")
    for name in cls.execution_options:
        options.pop(name, None)
    found = {
        "engine": settings.engine,
        "engine_options": options,
        "extractors": list(settings.extractors),
        "extractor_options": settings.extractor_options,
        "formats": sorted(settings.formats),
        "dpi": settings.dpi,
        "assume_dpi": settings.assume_dpi,
        "force_ocr": settings.force_ocr,
        "max_pages": settings.max_pages,
    }
    if settings.post_correct:  # absent otherwise: runs made before the option still resume
        found["post_correct"] = True
    return found


def check(settings: BatchSettings) -> type[OcrEngine]:
    """The engine class, once everything that would stop the run is checked."""
    unknown = [f for f in settings.formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format {unknown[0]!r}; known formats: {', '.join(FORMATS)}")
    if settings.dask and settings.scheduler:
        raise UsageError("--dask local and --scheduler exclude each other: choose one")
    cls = get_engine_class(settings.engine)
    availability = cls.availability()
    if not availability.available:
        raise EngineUnavailableError(
            settings.engine, availability.reason or "unavailable", availability.install
        )
    cls.parse_options(settings.engine_options)
    for name in settings.extractors:
        get_extractor_class(name).parse_options(settings.extractor_options.get(name, {}))
    if settings.post_correct:
        require_wordlist()  # a missing word list stops the run before anything is read
    require_pyarrow()
    return cls


def make_executor(
    settings: BatchSettings, cls: type[OcrEngine], execution: Execution, steps: Steps
) -> tuple[Executor, str]:
    """The executor of a run, and how to name it."""
    classes: list[type] = [cls, *(get_extractor_class(n) for n in settings.extractors)]
    budget = PageBudget(settings.page_timeout) if settings.page_timeout else None
    memory = settings.max_memory_mb * 2**20 if settings.max_memory_mb else None
    if settings.dask or settings.scheduler:
        from ocrxtract.pipeline.dask_executor import DaskExecutor

        dask = DaskExecutor(
            address=settings.scheduler,
            workers=max(1, execution.processes),
            env=execution.env,
            classes=classes,
            initializer=warm_up,
            initargs=(steps,),
            timeout=budget,
            memory_limit=memory,
        )
        where = settings.scheduler or f"Dask LocalCluster, {dask.workers} worker(s)"
        return dask, f"{where} ({execution.parallel})"
    if execution.processes == 0:
        for name, value in execution.env.items():
            os.environ.setdefault(name, value)
        return InlineExecutor(), "this process"
    pool = ProcessExecutor(
        workers=execution.processes,
        env=execution.env,
        classes=classes,
        initializer=warm_up,
        initargs=(steps,),
        timeout=budget,
        max_memory=memory,
    )
    return pool, f"{execution.processes} local process(es) ({execution.parallel})"


def steps_for(settings: BatchSettings, execution: Execution) -> Steps:
    """The pipeline steps of a run: its engine (with the execution's options), extractors."""
    return Steps(
        (EngineStep(settings.engine, execution.options),),
        extractors=tuple(
            ExtractStep(n, settings.extractor_options.get(n, {})) for n in settings.extractors
        ),
        force_ocr=settings.force_ocr,
        post_correct=settings.post_correct,
    )


def check_resume(
    manifest: RunManifest, fingerprint: dict[str, Any], resume: bool, out: Path
) -> None:
    if manifest.empty:
        return
    if not resume:
        raise UsageError(
            f"{out} holds a batch run already: add --resume to go on with it (what it finished "
            "is kept), or choose another --out"
        )
    previous = manifest.setting("fingerprint") or {}
    changed = sorted(
        k for k in set(previous) | set(fingerprint) if previous.get(k) != fingerprint.get(k)
    )
    if changed:
        raise UsageError(
            f"{out} holds a run made with other settings ({', '.join(changed)}): resume it with "
            "the same options, or write this run to another --out"
        )
