"""One benchmark task, run in a worker process: (engine, sample) -> a result row.

The worker loads the sample, takes each page's engine output from the cache or runs the engine
(:func:`~ocrxtract.engines.registry.recognize_page`, which keeps one engine per process), reads
the ground-truth line crops the same way, scores everything and returns the row. A sample whose
pages are all cached is never decoded. Any failure becomes an ``error`` row: one bad sample never
stops a campaign.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Any

from ocrxtract import __version__
from ocrxtract.bench.cache import BenchCache, CachedLines, CachedPage, lines_key, page_key
from ocrxtract.bench.lines import LineReader, line_reader
from ocrxtract.bench.pages import PageCursor, page_identities
from ocrxtract.bench.results import new_row
from ocrxtract.bench.scoring import score_detection, score_line_texts, score_page_text
from ocrxtract.datasets import Sample, ScorableLine, load_sample
from ocrxtract.document import Document, Page
from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import get_engine_class, recognize_page, register
from ocrxtract.errors import EngineRegistrationError, OcrxtractError, UnknownEngineError
from ocrxtract.io import PageImage
from ocrxtract.metrics import peak_rss_bytes, score_lines

log = logging.getLogger(__name__)

#: Bump when scoring changes, so that resumed runs do not keep rows scored the old way.
SCORING_VERSION = 1


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to produce one row (picklable).

    Attributes:
        engine: The campaign's label for the engine configuration.
        engine_name: Registered engine name.
        engine_version: The engine's version (part of cache keys).
        options: Options passed to the engine (thread settings included).
        key_options: Validated options as they enter cache keys.
        dataset: Dataset name.
        split: The sample's split.
        sample_id: The sample.
        text: Score page text (CER/WER, bag of words).
        lines: Score ground-truth line crops (line CER).
        detection: Score word boxes.
        cache_dir: The engine-output cache (``None``: no cache).
        task_hash: Hash of what the row depends on (engine, version, options, sample,
            metrics, scoring version): a resumed run keeps a row only when it matches.
    """

    engine: str
    engine_name: str
    engine_version: str
    options: dict[str, Any]
    key_options: dict[str, Any]
    dataset: str
    split: str | None
    sample_id: str
    text: bool = True
    lines: bool = False
    detection: bool = False
    cache_dir: str | None = None
    task_hash: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.task_hash:
            raw = json.dumps(
                {
                    "ocrxtract": __version__,
                    "scoring": SCORING_VERSION,
                    "engine": self.engine_name,
                    "version": self.engine_version,
                    "options": self.key_options,
                    "dataset": self.dataset,
                    "split": self.split,
                    "sample": self.sample_id,
                    "metrics": [self.text, self.lines, self.detection],
                },
                sort_keys=True,
            )
            object.__setattr__(self, "task_hash", hashlib.sha256(raw.encode()).hexdigest()[:16])

    def identity(self) -> dict[str, Any]:
        """The identity columns of this task's row."""
        return {
            "engine": self.engine,
            "engine_name": self.engine_name,
            "engine_version": self.engine_version,
            "options": json.dumps(self.key_options, sort_keys=True, ensure_ascii=False),
            "task": self.task_hash,
            "dataset": self.dataset,
            "split": self.split,
            "sample_id": self.sample_id,
        }


# --- per-process state --------------------------------------------------------------------------

#: Engine configurations that already read a page in this process (later pages are warm).
_warm: set[str] = set()
_readers: dict[str, LineReader] = {}


def init_worker(env: dict[str, str], engines: list[type[OcrEngine]]) -> None:
    """Process-pool initialiser: thread settings, and engines registered at run time.

    Args:
        env: Environment variables to set before any engine library is imported
            (``OMP_NUM_THREADS=1`` ...).
        engines: Engine classes of the campaign; those this process does not know by name
            (registered with :func:`ocrxtract.engines.register` in the parent) are registered.
    """
    os.environ.update(env)
    for cls in engines:
        try:
            known = get_engine_class(cls.name)
        except UnknownEngineError:
            known = None
        if known is not cls:
            try:
                register(cls)
            except EngineRegistrationError as exc:
                log.warning("engine %s not registered in the worker: %s", cls.name, exc)


def _config_key(task: Task) -> str:
    return task.engine_name + json.dumps(task.options, sort_keys=True, default=str)


def _reader(task: Task) -> LineReader:
    key = _config_key(task)
    if key not in _readers:
        _readers[key] = line_reader(task.engine_name, task.options)
    return _readers[key]


# --- the task -----------------------------------------------------------------------------------


@dataclass
class _Tally:
    seconds: float = 0.0
    cold_pages: int = 0
    cold_seconds: float = 0.0
    line_seconds: float = 0.0
    pages_cached: int = 0
    pages_recognised: int = 0
    line_sets_cached: int = 0
    line_sets_recognised: int = 0
    rss: list[int] = field(default_factory=list)

    def columns(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "cold_pages": self.cold_pages,
            "cold_seconds": self.cold_seconds,
            "line_seconds": self.line_seconds,
            "pages_cached": self.pages_cached,
            "pages_recognised": self.pages_recognised,
            "line_sets_cached": self.line_sets_cached,
            "line_sets_recognised": self.line_sets_recognised,
            "peak_rss_bytes": max(self.rss) if self.rss else None,
        }


def _page(
    task: Task, cache: BenchCache | None, identity: str, cursor: PageCursor, index: int
) -> tuple[CachedPage, bool]:
    key = page_key(task.engine_name, task.engine_version, task.key_options, identity)
    cached = cache.get_page(key) if cache is not None else None
    if cached is not None:
        return cached, True
    image = cursor.get(index)
    config = _config_key(task)
    cold = config not in _warm
    start = time.perf_counter()
    page = recognize_page(task.engine_name, task.options, image)
    _warm.add(config)
    seconds = page.provenance.seconds if page.provenance else time.perf_counter() - start
    entry = CachedPage(page=page, seconds=seconds, cold=cold, rss_bytes=peak_rss_bytes())
    if cache is not None:
        about = {"engine": task.engine_name, "dataset": task.dataset, "sample": task.sample_id}
        cache.put_page(key, entry, about={**about, "page": index})
    return entry, False


def _lines(
    task: Task,
    cache: BenchCache | None,
    identity: str,
    cursor: PageCursor,
    *,
    index: int,
    lines: list[ScorableLine],
) -> tuple[CachedLines, bool]:
    reader = _reader(task)
    boxes = [line.bbox.as_tuple() for line in lines]
    key = lines_key(
        task.engine_name,
        task.engine_version,
        task.key_options,
        recognizer=reader.name,
        page_identity=identity,
        boxes=boxes,
    )
    cached = cache.get_lines(key) if cache is not None else None
    if cached is not None:
        return cached, True
    image = cursor.get(index)
    counter = iter(range(1, len(lines) + 1))

    def read(crop: Any) -> str:
        number = next(counter, 0)
        source = f"{task.dataset}/{task.sample_id} page {index + 1} line {number}"
        return reader.read(PageImage(image=crop, index=0, source=source, dpi=image.dpi))

    start = time.perf_counter()
    scored = score_lines(image.image, lines, read)
    entry = CachedLines(
        texts=tuple(result.hypothesis for result in scored.lines),
        empty_crops=sum(result.empty_crop for result in scored.lines),
        seconds=time.perf_counter() - start,
        rss_bytes=peak_rss_bytes(),
    )
    if cache is not None:
        about = {"engine": task.engine_name, "reader": reader.name, "sample": task.sample_id}
        cache.put_lines(key, entry, about={**about, "dataset": task.dataset, "page": index})
    return entry, False


def _score(task: Task, sample: Sample, cache: BenchCache | None) -> dict[str, Any]:
    identities = page_identities(sample)
    cursor = PageCursor(sample)
    tally = _Tally()
    by_page: dict[int, list[ScorableLine]] = {}
    if task.lines:
        for line in sample.scorable_lines:
            by_page.setdefault(line.page_index, []).append(line)
    pages: list[Page] = []
    line_texts: list[str] = []
    scored_lines: list[ScorableLine] = []
    empty_crops = 0
    for index, identity in enumerate(identities):
        entry, hit = _page(task, cache, identity, cursor, index)
        tally.pages_cached += hit
        tally.pages_recognised += not hit
        pages.append(entry.page.model_copy(update={"index": index}))
        tally.seconds += entry.seconds
        if entry.cold:
            tally.cold_pages += 1
            tally.cold_seconds += entry.seconds
        if entry.rss_bytes is not None:
            tally.rss.append(entry.rss_bytes)
        if index in by_page:
            lines_entry, hit = _lines(
                task, cache, identity, cursor, index=index, lines=by_page[index]
            )
            tally.line_seconds += lines_entry.seconds
            tally.line_sets_cached += hit
            tally.line_sets_recognised += not hit
            if lines_entry.rss_bytes is not None:
                tally.rss.append(lines_entry.rss_bytes)
            line_texts += lines_entry.texts
            scored_lines += by_page[index]
            empty_crops += lines_entry.empty_crops
    hypothesis = Document(source=f"{sample.dataset}/{sample.sample_id}", pages=pages)
    columns: dict[str, Any] = {"pages": len(sample.pages)}
    if task.text:
        columns.update(score_page_text(sample, hypothesis))
    if task.detection:
        columns.update(score_detection(sample, hypothesis))
    if scored_lines:
        columns.update(score_line_texts(scored_lines, line_texts))
        columns.update(line_reader=_reader(task).name, line_empty_crops=empty_crops)
    columns.update(tally.columns())
    return columns


def run_task(task: Task) -> dict[str, Any]:
    """Produce the result row of ``task``; never raises for a failing sample or engine.

    Returns:
        A row (:func:`ocrxtract.bench.results.new_row`) with ``status`` ``ok`` or ``error``.
    """
    start = time.perf_counter()
    cache = BenchCache(task.cache_dir) if task.cache_dir is not None else None
    try:
        sample = load_sample(task.dataset, task.sample_id)
        columns = _score(task, sample, cache)
        status: dict[str, Any] = {"status": "ok"}
    except OcrxtractError as exc:
        log.warning("%s on %s/%s: %s", task.engine, task.dataset, task.sample_id, exc)
        columns, status = (
            {},
            {"status": "error", "error_type": type(exc).__name__, "error": str(exc)},
        )
    except Exception as exc:  # a bug or a third-party failure: recorded, the campaign goes on
        log.warning("%s on %s/%s failed", task.engine, task.dataset, task.sample_id, exc_info=True)
        columns = {}
        status = {
            "status": "error",
            "error_type": type(exc).__name__,
            "error": str(exc) or repr(exc),
        }
    return new_row(**task.identity(), **columns, **status, task_seconds=time.perf_counter() - start)
