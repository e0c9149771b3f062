"""The one loop: documents x engines (x extractors), each page rendered once per document.

:func:`run` processes documents (:mod:`ocrxtract.pipeline.inputs`) with :class:`Steps` on an
:class:`~ocrxtract.pipeline.executors.Executor` and yields one :class:`ItemResult` per document
as it completes, with a status, the errors and the timings, instead of raising halfway through
a batch (docling's conversion results). Each page image is made once and given to every engine,
then to the page phase of the extractors that read images (:meth:`Extractor.extract_page`); it
is dropped before the next page is made. An input error fails the document for every engine, an
engine error only that engine on that document. The CLI (``ocrxtract ocr``), the app's
comparison, the demo and the batch command call it; the benchmark shares its executors and
:func:`~ocrxtract.pipeline.steps.read_page`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from ocrxtract.document import Document, Page
from ocrxtract.errors import OcrxtractError, RecognitionError
from ocrxtract.io import PageImage
from ocrxtract.pipeline.executors import Executor, InlineExecutor
from ocrxtract.pipeline.inputs import DocumentInput
from ocrxtract.pipeline.steps import (
    EngineStep,
    ExtractStep,
    extractor_for,
    read_page,
)

log = logging.getLogger(__name__)

PageCallback = Callable[[PageImage], None]
Status = Literal["success", "partial", "failure"]


@dataclass(frozen=True)
class Steps:
    """What is done to every document.

    Attributes:
        engines: Engines, each reading every page.
        extractors: Extractors, run in order on each engine's document.
        force_ocr: OCR PDF pages even when they have a text layer.
    """

    engines: tuple[EngineStep, ...]
    extractors: tuple[ExtractStep, ...] = ()
    force_ocr: bool = False


@dataclass
class EngineOutcome:
    """One engine on one document: its document (extractors' findings included), or the error.

    Attributes:
        step: The engine step.
        document: The document read (``None`` after an error).
        error: What stopped the engine on this document.
        extract_errors: Extractors that failed on the document, by label (the document is kept).
        seconds: Engine seconds over the pages read (extraction excluded).
        extract_seconds: Seconds spent in extractors.
    """

    step: EngineStep
    document: Document | None = None
    error: OcrxtractError | None = None
    extract_errors: dict[str, OcrxtractError] = field(default_factory=dict)
    seconds: float = 0.0
    extract_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.document is not None


@dataclass
class ItemResult:
    """One document processed: each engine's outcome, or the input error that stopped all.

    Attributes:
        name: The document's name.
        outcomes: Engine label -> outcome.
        error: The input error (unreadable file...) that failed every engine.
        pages: Pages read.
        render_seconds: Seconds spent decoding or rendering page images.
        seconds: Wall seconds for the whole document.
    """

    name: str
    outcomes: dict[str, EngineOutcome] = field(default_factory=dict)
    error: OcrxtractError | None = None
    pages: int = 0
    render_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def status(self) -> Status:
        """``success`` (every engine and extractor ran), ``partial`` or ``failure``."""
        if self.error is not None or not any(o.ok for o in self.outcomes.values()):
            return "failure"
        if all(o.ok and not o.extract_errors for o in self.outcomes.values()):
            return "success"
        return "partial"


def process_document(
    item: DocumentInput, steps: Steps, on_page: PageCallback | None = None
) -> ItemResult:
    """Read every page of ``item`` with every engine (each page made once; extractors that read
    images see it right after), then run the extractors on each engine's document. Never raises
    for a bad file, a failing engine or a failing extractor.
    """
    start = time.perf_counter()
    result = ItemResult(item.name)
    pages: dict[str, list[Page]] = {step.key: [] for step in steps.engines}
    outcomes = {step.key: EngineOutcome(step) for step in steps.engines}
    result.outcomes = outcomes
    engines = {}
    for step in steps.engines:
        try:
            engines[step.key] = step.build()
        except OcrxtractError as exc:  # unknown engine, invalid options: this engine only
            outcomes[step.key].error = exc
    try:
        images = item.iter_pages()
        while True:
            render = time.perf_counter()
            try:
                page_image = next(images)
            except StopIteration:
                break
            finally:
                result.render_seconds += time.perf_counter() - render
            result.pages += 1
            for key, engine in engines.items():
                outcome = outcomes[key]
                if outcome.error is not None:
                    continue
                begin = time.perf_counter()
                try:
                    page = read_page(engine, page_image, force_ocr=steps.force_ocr)
                except OcrxtractError as exc:
                    log.warning("%s with %s failed: %s", item.name, key, exc)
                    outcome.error = exc
                except Exception as exc:  # a bug in an engine: recorded, the others go on
                    log.warning("%s with %s failed", item.name, key, exc_info=True)
                    outcome.error = RecognitionError(
                        f"engine {key!r} failed on {item.name}: {type(exc).__name__}: {exc}"
                    )
                outcome.seconds += time.perf_counter() - begin
                if outcome.error is None:
                    pages[key].append(_extract_page(page, page_image, steps.extractors, outcome))
            if on_page is not None:
                on_page(page_image)
    except OcrxtractError as exc:  # the document itself is unreadable: every engine fails
        log.warning("%s cannot be read: %s", item.name, exc)
        result.error = exc
        for outcome in outcomes.values():
            outcome.error = outcome.error or exc
    for key, outcome in outcomes.items():
        if outcome.error is None:
            document = Document(
                source=item.name, pages=pages[key], metadata={"engine": outcome.step.name}
            )
            outcome.document = _extract(document, steps.extractors, outcome)
    result.seconds = time.perf_counter() - start
    return result


def _extract_page(
    page: Page, image: PageImage, extractors: tuple[ExtractStep, ...], outcome: EngineOutcome
) -> Page:
    """The page phase of the extractors that read images, while the page image is held."""
    for step in extractors:
        if step.key in outcome.extract_errors:
            continue
        begin = time.perf_counter()
        try:
            extractor = extractor_for(step.name, step.options)
            if extractor.reads_images:
                page = extractor.extract_page(page, image)
        except OcrxtractError as exc:
            log.warning("%s page %d: extractor %s failed: %s", image.source, image.index + 1,
                        step.key, exc)  # fmt: skip
            outcome.extract_errors[step.key] = exc
        outcome.extract_seconds += time.perf_counter() - begin
    return page


def _extract(
    document: Document, extractors: tuple[ExtractStep, ...], outcome: EngineOutcome
) -> Document:
    for step in extractors:
        if step.key in outcome.extract_errors:  # failed in the page phase
            continue
        begin = time.perf_counter()
        try:
            document = extractor_for(step.name, step.options).extract(document)
        except OcrxtractError as exc:
            log.warning("%s: extractor %s failed: %s", document.source, step.key, exc)
            outcome.extract_errors[step.key] = exc
        outcome.extract_seconds += time.perf_counter() - begin
    return document


def run(
    items: Iterable[DocumentInput],
    steps: Steps,
    executor: Executor | None = None,
    *,
    on_page: PageCallback | None = None,
) -> Iterator[ItemResult]:
    """Process every document with ``steps`` and yield each result as it completes.

    Args:
        items: The documents.
        steps: Engines, extractors, whether OCR is forced.
        executor: Where to run (default: in this process, in input order).
        on_page: Called after each page with its image (in this process only: progress).

    Yields:
        One :class:`ItemResult` per document; a worker that died twice under a document gives
        a failed result with the error.
    """
    if executor is None or isinstance(executor, InlineExecutor):
        for item in items:
            yield process_document(item, steps, on_page)
        return
    for done in executor.map(partial(process_document, steps=steps), items):
        if done.value is not None:
            yield done.value
            continue
        error = done.error
        failure = ItemResult(done.item.name)
        failure.error = (
            error
            if isinstance(error, OcrxtractError)
            else RecognitionError(f"{done.item.name}: {type(error).__name__}: {error}")
        )
        failure.outcomes = {
            step.key: EngineOutcome(step, error=failure.error) for step in steps.engines
        }
        yield failure
