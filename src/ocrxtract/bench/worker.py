"""One benchmark task, run in a worker process: (engine, sample) -> result rows.

The worker loads the sample from the dataset spec the task carries, takes each page's engine
output from the cache or runs the engine (one instance per process,
:func:`ocrxtract.pipeline.engine_for`), puts it in reading order (the pipeline's
:func:`~ocrxtract.pipeline.finish_page`), reads the ground-truth line crops with the engine's
line recogniser when a scorer needs them, and scores everything with the task's scorers: one
row for the engine's reading, then one row per extractor with what that extractor found. A
sample whose pages are all cached is never decoded, unless an extractor reads page images
(they are then decoded again, one at a time, for it). Any failure becomes an ``error`` row: one
bad sample never stops a campaign.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ocrxtract import __version__
from ocrxtract.bench.cache import BenchCache, CachedLines, CachedPage, lines_key, page_key
from ocrxtract.bench.pages import PageCursor, page_identities
from ocrxtract.bench.results import new_row
from ocrxtract.bench.scorers import Prediction, get_scorer
from ocrxtract.datasets import DatasetSpec, Sample, ScorableLine, load_sample
from ocrxtract.document import Document, Page
from ocrxtract.errors import OcrxtractError
from ocrxtract.fr.lexicon import correct_lines, french_lexicon
from ocrxtract.io import PageImage
from ocrxtract.layout import FURNITURE_STEP, READING_ORDER_STEP, mark_furniture
from ocrxtract.metrics import peak_rss_bytes
from ocrxtract.metrics.lines import clip_box
from ocrxtract.pipeline import engine_for, extractor_for, finish_page
from ocrxtract.pipeline.steps import POST_CORRECTION_STEP, post_correct

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractorTask:
    """An extractor of the campaign, validated, and the scorers of its rows (picklable).

    Attributes:
        label: Its label in results.
        name: Registered extractor name.
        version: Its version (part of the task hash).
        options: Validated options.
        produces: What it fills in (``fields``, ``tables``...).
        scorers: The scorers of its rows on the task's dataset.
    """

    label: str
    name: str
    version: str
    options: dict[str, Any] = field(hash=False)
    produces: frozenset[str] = frozenset()
    scorers: tuple[str, ...] = ()

    def with_scorers(self, scorers: tuple[str, ...]) -> ExtractorTask:
        return replace(self, scorers=scorers)

    def with_options(self, options: dict[str, Any]) -> ExtractorTask:
        """The same extractor with ``options`` (validated) instead of its own."""
        return replace(self, options=options)


@dataclass(frozen=True)
class Task:
    """Everything a worker needs to produce the rows of one (engine, sample) pair (picklable).

    Attributes:
        engine: The campaign's label for the engine configuration.
        engine_name: Registered engine name.
        engine_version: The engine's version (part of cache keys).
        model: The engine's model fingerprint (part of cache keys).
        options: Options passed to the engine (thread settings included).
        key_options: Validated options as they enter cache keys.
        spec: The dataset's declaration (workers never look it up by name).
        split: The sample's split.
        sample_id: The sample.
        scorers: Scorers of the engine's row.
        extractors: Extractors run on the engine's reading, each with the scorers of its row.
        cache_dir: The engine-output cache (``None``: no cache).
        reading_order: Put the engine's pages in reading order before scoring (``False``: the
            engine's own line order).
        post_correction: Fix French words against the word list (pages and line crops) before
            scoring (:func:`ocrxtract.pipeline.steps.post_correct`).
        task_hash: Hash of what the rows depend on (engine, version, model, options, sample,
            scorers and their versions, extractors): a resumed run keeps rows only when it
            matches.
    """

    engine: str
    engine_name: str
    engine_version: str
    options: dict[str, Any]
    key_options: dict[str, Any]
    spec: DatasetSpec
    split: str | None
    sample_id: str
    scorers: tuple[str, ...] = ("text",)
    extractors: tuple[ExtractorTask, ...] = ()
    model: str = ""
    cache_dir: str | None = None
    reading_order: bool = True
    post_correction: bool = False
    task_hash: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.task_hash:
            names = set(self.scorers) | {s for x in self.extractors for s in x.scorers}
            raw = json.dumps(
                {
                    "ocrxtract": __version__,
                    "engine": self.engine_name,
                    "version": self.engine_version,
                    "model": self.model,
                    "options": self.key_options,
                    # The engine's pages are cached before the reading order: a new order
                    # re-scores every sample (from the cached pages) instead of resuming.
                    "reading_order": (
                        f"{READING_ORDER_STEP}+{FURNITURE_STEP}" if self.reading_order else "engine"
                    ),
                    **({"post_correction": POST_CORRECTION_STEP} if self.post_correction else {}),
                    "dataset": self.spec.name,
                    "split": self.split,
                    "sample": self.sample_id,
                    "scorers": {name: get_scorer(name).version for name in sorted(names)},
                    "own_scorers": list(self.scorers),
                    "extractors": [
                        [x.label, x.name, x.version, x.options, list(x.scorers)]
                        for x in self.extractors
                    ],
                },
                sort_keys=True,
                default=str,
            )
            object.__setattr__(self, "task_hash", hashlib.sha256(raw.encode()).hexdigest()[:16])

    @property
    def dataset(self) -> str:
        return self.spec.name

    def identity(self, extractor: str | None = None) -> dict[str, Any]:
        """The identity columns of this task's row (of an extractor's row when given)."""
        return {
            "engine": self.engine,
            "engine_name": self.engine_name,
            "engine_version": self.engine_version,
            "options": json.dumps(self.key_options, sort_keys=True, ensure_ascii=False),
            "extractor": extractor,
            "task": self.task_hash,
            "dataset": self.dataset,
            "split": self.split,
            "sample_id": self.sample_id,
        }

    def __repr__(self) -> str:
        return f"Task({self.engine} on {self.dataset}/{self.sample_id})"


# --- per-process state --------------------------------------------------------------------------

#: Engine configurations that already read a page in this process (later pages are warm).
_warm: set[str] = set()


def _config_key(task: Task) -> str:
    return task.engine_name + json.dumps(task.options, sort_keys=True, default=str)


# --- the task -----------------------------------------------------------------------------------


@dataclass
class _Tally:
    seconds: float = 0.0
    cold_pages: int = 0
    cold_seconds: float = 0.0
    line_seconds: float = 0.0
    pages_cached: int = 0
    pages_recognized: int = 0
    line_sets_cached: int = 0
    line_sets_recognized: int = 0
    rss: list[int] = field(default_factory=list)

    def columns(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "cold_pages": self.cold_pages,
            "cold_seconds": self.cold_seconds,
            "line_seconds": self.line_seconds,
            "pages_cached": self.pages_cached,
            "pages_recognized": self.pages_recognized,
            "line_sets_cached": self.line_sets_cached,
            "line_sets_recognized": self.line_sets_recognized,
            "peak_rss_bytes": max(self.rss) if self.rss else None,
        }


def _page(
    task: Task, cache: BenchCache | None, identity: str, cursor: PageCursor, index: int
) -> tuple[CachedPage, bool]:
    key = page_key(task.engine_name, task.engine_version, task.key_options, identity, task.model)
    cached = cache.get_page(key) if cache is not None else None
    if cached is not None:
        return cached, True
    image = cursor.get(index)
    config = _config_key(task)
    cold = config not in _warm
    start = time.perf_counter()
    page = engine_for(task.engine_name, task.options).recognize(image)
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
    engine = engine_for(task.engine_name, task.options)
    boxes = [line.bbox.as_tuple() for line in lines]
    key = lines_key(
        task.engine_name,
        task.engine_version,
        task.key_options,
        recognizer=engine.line_recognizer,
        page_identity=identity,
        boxes=boxes,
        model=task.model,
    )
    cached = cache.get_lines(key) if cache is not None else None
    if cached is not None:
        return cached, True
    image = cursor.get(index)
    empty = sum(clip_box(box, image.width, image.height) is None for box in boxes)
    for number, line in enumerate(lines, start=1):
        if clip_box(line.bbox, image.width, image.height) is None:
            log.warning(
                "%s/%s page %d line %d: box %s is outside the page; scored as unread",
                task.dataset,
                task.sample_id,
                index + 1,
                number,
                line.bbox.as_tuple(),
            )
    start = time.perf_counter()
    texts = engine.recognize_lines(image, [line.bbox for line in lines])
    entry = CachedLines(
        texts=tuple(texts),
        empty_crops=empty,
        seconds=time.perf_counter() - start,
        rss_bytes=peak_rss_bytes(),
    )
    if cache is not None:
        about = {"engine": task.engine_name, "reader": engine.line_recognizer}
        cache.put_lines(
            key, entry, about={**about, "sample": task.sample_id, "dataset": task.dataset}
        )
    return entry, False


def _needs_lines(task: Task) -> bool:
    names = set(task.scorers) | {s for x in task.extractors for s in x.scorers}
    return any("line_texts" in get_scorer(name).needs for name in names)


def _predict(
    task: Task, sample: Sample, cache: BenchCache | None
) -> tuple[Prediction, dict[str, Any]]:
    """The engine's reading of the sample (and the line readings when needed), with timings."""
    identities = page_identities(sample)
    cursor = PageCursor(sample)
    tally = _Tally()
    by_page: dict[int, list[ScorableLine]] = {}
    if _needs_lines(task):
        for line in sample.scorable_lines:
            by_page.setdefault(line.page_index, []).append(line)
    pages: list[Page] = []
    line_texts: list[str] = []
    empty_crops = 0
    for index, identity in enumerate(identities):
        entry, hit = _page(task, cache, identity, cursor, index)
        tally.pages_cached += hit
        tally.pages_recognized += not hit
        page = entry.page.model_copy(update={"index": index})
        page = finish_page(page) if task.reading_order else page
        pages.append(post_correct(page) if task.post_correction else page)
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
            tally.line_sets_recognized += not hit
            if lines_entry.rss_bytes is not None:
                tally.rss.append(lines_entry.rss_bytes)
            line_texts += lines_entry.texts
            empty_crops += lines_entry.empty_crops
    if task.post_correction and line_texts:  # the crops in reading order, hyphens seen
        words = [text.split() for text in line_texts]
        for number, index, _, new in correct_lines(words, french_lexicon()):
            words[number][index] = new
        line_texts = [" ".join(w) if w else t for w, t in zip(words, line_texts, strict=True)]
    if task.reading_order:  # as the pipeline does once every page is read
        pages = mark_furniture(pages)
    document = Document(source=f"{sample.dataset}/{sample.sample_id}", pages=pages)
    prediction = Prediction(document=document)
    if by_page:
        prediction.line_texts = line_texts
        prediction.line_recognizer = engine_for(task.engine_name, task.options).line_recognizer
        prediction.line_empty_crops = empty_crops
    return prediction, tally.columns()


def reading(task: Task, sample: Sample, cache: BenchCache | None) -> Document:
    """The engine's reading of ``sample`` as the task scores it: from the cache when its pages
    are there (nothing is recognised then), else recognised now (and cached)."""
    return _predict(task, sample, cache)[0].document


def _images(sample: Sample) -> Iterator[PageImage]:
    """The sample's page images, decoded one at a time when an extractor asks for them."""
    cursor = PageCursor(sample)
    for index in range(len(sample.pages)):
        yield cursor.get(index)


def _score(sample: Sample, prediction: Prediction, scorers: tuple[str, ...]) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "pages": len(sample.pages),
        "doc_type": sample.tags.get("doc_type"),
        "difficulty": sample.tags.get("difficulty"),
    }
    for name in scorers:
        columns.update(get_scorer(name).score(sample, prediction))
    return columns


def _failure(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, OcrxtractError):
        return {"status": "error", "error_type": type(exc).__name__, "error": str(exc)}
    return {"status": "error", "error_type": type(exc).__name__, "error": str(exc) or repr(exc)}


def run_task(task: Task) -> list[dict[str, Any]]:
    """Produce the rows of ``task``; never raises for a failing sample, engine or extractor.

    Returns:
        The engine's row, then one row per extractor (:func:`ocrxtract.bench.results.new_row`),
        each with ``status`` ``ok`` or ``error``.
    """
    start = time.perf_counter()
    cache = BenchCache(task.cache_dir) if task.cache_dir is not None else None
    try:
        sample = load_sample(task.spec, task.sample_id)
        prediction, timing = _predict(task, sample, cache)
        columns = _score(sample, prediction, task.scorers)
        status: dict[str, Any] = {"status": "ok"}
    except Exception as exc:  # a bug or a third-party failure: recorded, the campaign goes on
        log.warning("%s: %s", task, exc, exc_info=not isinstance(exc, OcrxtractError))
        failure = _failure(exc)
        rows = [new_row(**task.identity(), **failure)]
        rows += [new_row(**task.identity(x.label), **failure) for x in task.extractors]
        for row in rows:
            row["task_seconds"] = time.perf_counter() - start
        return rows
    rows = [new_row(**task.identity(), **columns, **timing, **status)]
    for extractor in task.extractors:
        began = time.perf_counter()
        try:
            found = extractor_for(extractor.name, extractor.options).extract(
                prediction.document, images=_images(sample)
            )
            extracted = replace(prediction, document=found, extractor=extractor.label)
            row = {
                **_score(sample, extracted, extractor.scorers),
                "status": "ok",
                "extract_seconds": time.perf_counter() - began,
            }
        except Exception as exc:
            log.warning("%s, extractor %s: %s", task, extractor.label, exc)
            row = _failure(exc)
        rows.append(new_row(**task.identity(extractor.label), **timing, **row))
    for row in rows:
        row["task_seconds"] = time.perf_counter() - start
    return rows
