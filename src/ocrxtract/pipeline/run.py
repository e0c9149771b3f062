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
from ocrxtract.engines.base import OcrEngine
from ocrxtract.errors import OcrxtractError, RecognitionError
from ocrxtract.io import PageImage
from ocrxtract.layout import mark_furniture
from ocrxtract.pipeline.executors import Executor, InlineExecutor
from ocrxtract.pipeline.inputs import DocumentInput
from ocrxtract.pipeline.steps import (
    TEXT_LAYER_ENGINE,
    EngineStep,
    ExtractStep,
    engine_for,
    extractor_for,
    finish_page,
    post_correct,
    read_page,
    uses_text_layer,
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
        post_correct: Fix French words of OCR pages against the word list
            (:func:`~ocrxtract.pipeline.steps.post_correct`; text layers are never changed).
    """

    engines: tuple[EngineStep, ...]
    extractors: tuple[ExtractStep, ...] = ()
    force_ocr: bool = False
    post_correct: bool = False


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
        text_layer_pages: Pages read from their PDF text layer (exact, no engine involved).
        unknown_dpi_pages: Image pages whose resolution is unknown (none stated, or 72/96).
        render_seconds: Seconds spent decoding or rendering page images.
        seconds: Wall seconds for the whole document.

    A document whose every page was read from its text layer has one outcome, labelled
    ``pdf-text``: the engines asked for did not read it (``--force-ocr`` makes them).
    """

    name: str
    outcomes: dict[str, EngineOutcome] = field(default_factory=dict)
    error: OcrxtractError | None = None
    pages: int = 0
    text_layer_pages: int = 0
    unknown_dpi_pages: int = 0
    render_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def text_layer_only(self) -> bool:
        """Every page was read from the PDF's text layer (the engines did nothing)."""
        return self.pages > 0 and self.text_layer_pages == self.pages

    @property
    def notes(self) -> list[str]:
        """What the user should be told about this document (once)."""
        notes = []
        if self.text_layer_only:
            notes.append("text layer used (exact text, no OCR); --force-ocr to compare engines")
        elif self.text_layer_pages:
            notes.append(
                f"text layer used on {self.text_layer_pages} of {self.pages} pages; the others "
                "were OCR'd (--force-ocr to OCR them all)"
            )
        if self.unknown_dpi_pages:
            notes.append(
                "resolution unknown (the file states none, or 72/96 dpi): engines assumed one; "
                "give the real one with --assume-dpi (e.g. --assume-dpi 300)"
            )
        return notes

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
    result.outcomes = {step.key: EngineOutcome(step) for step in steps.engines}
    engines = {}
    for step in steps.engines:
        try:
            engines[step.key] = step.build()
        except OcrxtractError as exc:  # unknown engine, invalid options: this engine only
            result.outcomes[step.key].error = exc
    pages: dict[str, list[Page]] = {step.key: [] for step in steps.engines}
    try:
        _read_pages(item, steps, engines, result, pages, on_page=on_page)
    except OcrxtractError as exc:  # the document itself is unreadable: every engine fails
        log.info("%s cannot be read: %s", item.name, exc)
        result.error = exc
        for outcome in result.outcomes.values():
            outcome.error = outcome.error or exc
    if result.text_layer_only and result.error is None:
        first = next((k for k, o in result.outcomes.items() if o.error is None), None)
        if first is not None:  # one reading, labelled as what it is
            seconds = result.outcomes[first].seconds
            layer = EngineOutcome(EngineStep(TEXT_LAYER_ENGINE), seconds=seconds)
            result.outcomes = {TEXT_LAYER_ENGINE: layer}
            pages = {TEXT_LAYER_ENGINE: pages[first]}
    for key, outcome in result.outcomes.items():
        if outcome.error is None:
            metadata = {"engine": outcome.step.name}
            if result.text_layer_pages and not result.text_layer_only:
                metadata["text_layer_pages"] = str(result.text_layer_pages)
            document = Document(
                source=item.name, pages=mark_furniture(pages[key]), metadata=metadata
            )
            outcome.document = _extract(document, steps.extractors, outcome)
    result.seconds = time.perf_counter() - start
    return result


def _read_pages(
    item: DocumentInput,
    steps: Steps,
    engines: dict[str, OcrEngine],
    result: ItemResult,
    pages: dict[str, list[Page]],
    *,
    on_page: PageCallback | None,
) -> None:
    """Each page image made once, read by every engine still going (or from its text layer)."""
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
        result.unknown_dpi_pages += page_image.dpi is None
        layer = _text_layer_page(page_image, steps.force_ocr, result.outcomes)
        result.text_layer_pages += layer is not None
        for key, engine in engines.items():
            outcome = result.outcomes[key]
            if outcome.error is not None:
                continue
            begin = time.perf_counter()
            page: Page | None = None
            try:
                if layer is not None:  # read once, the same for every engine
                    page = layer.model_copy(deep=True)
                else:
                    page = read_page(engine, page_image, force_ocr=True)
                    if steps.post_correct:
                        page = post_correct(page)
            except OcrxtractError as exc:
                log.info("%s with %s failed: %s", item.name, key, exc)
                outcome.error = exc
            except Exception as exc:  # a bug in an engine: recorded, the others go on
                log.warning("%s with %s failed", item.name, key, exc_info=True)
                outcome.error = RecognitionError(
                    f"engine {key!r} failed on {item.name}: {type(exc).__name__}: {exc}"
                )
            outcome.seconds += time.perf_counter() - begin
            if outcome.error is None and page is not None:
                pages[key].append(_extract_page(page, page_image, steps.extractors, outcome))
        if on_page is not None:
            on_page(page_image)


def _text_layer_page(
    page: PageImage, force_ocr: bool, outcomes: dict[str, EngineOutcome]
) -> Page | None:
    """The page read from its PDF text layer, when it has one and OCR is not forced."""
    if not uses_text_layer(page, force_ocr) or all(o.error for o in outcomes.values()):
        return None
    return finish_page(engine_for(TEXT_LAYER_ENGINE).recognize(page))


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
            log.info("%s: extractor %s failed: %s", document.source, step.key, exc)
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
