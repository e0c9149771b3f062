"""What a worker does with one input: read it (:func:`ocrxtract.pipeline.process_document`),
export the document and make its page rows, so that the client only writes them.

Everything here is a pure function of the input and the steps: a local pool and a Dask cluster
give the same bytes (apart from timings). :func:`process_item` never raises for a bad file or a
failing engine: the outcome carries the typed error.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from ocrxtract.document import Document, Page
from ocrxtract.errors import InputError, OcrxtractError
from ocrxtract.export import export_document, file_extension
from ocrxtract.pipeline import FileInput, ItemResult, Steps, engine_for, extractor_for
from ocrxtract.pipeline import process_document as read_document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchItem(FileInput):
    """An input of a batch run, as a worker receives it.

    Attributes:
        input_id: SHA-256 of the file's bytes (its identity in the run manifest).
        relative: Its path relative to the run's root (POSIX): the document's ``source``.
        output: Where its JSON goes, relative to the output folder (POSIX).
        pages: Its page count (counted by the client; its time budget is per page).
        metadata: Columns of the input manifest carried to its document and page rows.
    """

    input_id: str = ""
    relative: str = ""
    output: str = ""
    pages: int = 1
    metadata: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.relative or str(self.path)


@dataclass
class Outcome:
    """One input read: what the client records and writes.

    Attributes:
        input_id, relative, output: As in the :class:`BatchItem`.
        status: ``done`` (the document was read; extractor failures are ``warnings``) or
            ``failed``.
        error: Why it failed (typed; an :class:`~ocrxtract.errors.InputError` names the fix).
        engine: What read it (``pdf-text`` for a born-digital PDF read from its text layer).
        engine_version: Its version.
        exports: Format -> text of the document (JSON first), written by the client.
        pages: Page rows of the Parquet dataset.
        page_count, text_layer_pages: Pages read, of which from a PDF text layer.
        seconds, engine_seconds, render_seconds, extract_seconds: Timings of the document.
        warnings: What went wrong without failing the document (an extractor, export formats).
    """

    input_id: str
    relative: str
    output: str
    status: str
    error: OcrxtractError | None = None
    engine: str | None = None
    engine_version: str | None = None
    exports: dict[str, str] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)
    page_count: int = 0
    text_layer_pages: int = 0
    seconds: float = 0.0
    engine_seconds: float = 0.0
    render_seconds: float = 0.0
    extract_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str | None:
        """The error's kind (its class name), what the summary groups failures by."""
        return type(self.error).__name__ if self.error is not None else None

    @property
    def fix(self) -> str | None:
        """How to fix the input, when the error says."""
        return self.error.fix if isinstance(self.error, InputError) else None


def warm_up(steps: Steps) -> None:
    """Worker initializer: build the engines and extractors once, before the first input.

    A failure is left for the first input to report (with its typed error).
    """
    for step in steps.engines:
        try:
            engine_for(step.name, step.options)
        except OcrxtractError as exc:
            log.warning("engine %s not loaded: %s", step.key, exc)
    for extract in steps.extractors:
        try:
            extractor_for(extract.name, extract.options)
        except OcrxtractError as exc:
            log.warning("extractor %s not loaded: %s", extract.key, exc)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 6) if values else None


def page_rows(
    document: Document, item: BatchItem, engine: str, version: str
) -> list[dict[str, Any]]:
    """One row per page of ``document`` (the Parquet dataset's schema, :mod:`.store`)."""
    metadata = json.dumps(dict(item.metadata), ensure_ascii=False, sort_keys=True)
    rows = []
    for page in document.pages:
        rows.append(_page_row(document, page, item, engine, version, metadata))
    return rows


def _page_row(  # noqa: PLR0917 - private, one call site
    document: Document, page: Page, item: BatchItem, engine: str, version: str, metadata: str
) -> dict[str, Any]:
    words = list(page.words())
    fields = [f.model_dump(mode="json") for f in document.fields if f.page == page.index]
    provenance = page.provenance
    return {
        "input_id": item.input_id,
        "path": item.relative,
        "document": item.output,
        "page": page.index,
        "engine": provenance.engine if provenance else engine,
        "engine_version": provenance.engine_version if provenance else version,
        "text": page.text(),
        "confidence": _mean([w.confidence for w in words if w.confidence is not None]),
        "words": len(words),
        "width": page.width,
        "height": page.height,
        "dpi": page.dpi,
        "seconds": round(provenance.seconds, 6) if provenance else None,
        "fields": json.dumps(fields, ensure_ascii=False, sort_keys=True),
        "tables": len(page.tables),
        "metadata": metadata,
    }


def _outcome(item: BatchItem, result: ItemResult, formats: tuple[str, ...]) -> Outcome:
    outcome = Outcome(
        item.input_id,
        item.relative,
        item.output,
        status="failed",
        page_count=result.pages,
        text_layer_pages=result.text_layer_pages,
        seconds=result.seconds,
        render_seconds=result.render_seconds,
    )
    outcome.warnings.extend(result.notes)
    ((label, engine),) = result.outcomes.items()  # one engine per batch
    outcome.engine = label
    outcome.engine_seconds = engine.seconds
    outcome.extract_seconds = engine.extract_seconds
    if result.error is not None or engine.error is not None or engine.document is None:
        outcome.error = result.error or engine.error
        return outcome
    document = engine.document
    document.metadata.update(dict(item.metadata))
    first = document.pages[0].provenance if document.pages else None
    outcome.engine_version = first.engine_version if first else None
    for key, error in engine.extract_errors.items():
        outcome.warnings.append(f"extractor {key} failed: {error}")
    return _exported(outcome, document, item, formats)


def _exported(
    outcome: Outcome, document: Document, item: BatchItem, formats: tuple[str, ...]
) -> Outcome:
    outcome.exports["json"] = export_document(document, "json")
    for fmt in formats:
        try:
            outcome.exports[fmt] = export_document(document, fmt)
        except OcrxtractError as exc:  # text XML cannot carry: this format only
            outcome.warnings.append(f"{fmt} not written: {exc}")
    outcome.pages = page_rows(document, item, outcome.engine or "", outcome.engine_version or "")
    outcome.status = "done"
    return outcome


def process_item(item: BatchItem, steps: Steps, formats: tuple[str, ...] = ()) -> Outcome:
    """Read ``item`` with ``steps`` (one engine), export it as JSON and ``formats``, and make its
    page rows. Never raises for a bad file or a failing engine or extractor."""
    return _outcome(item, read_document(item, steps), formats)


def output_name(output: str, fmt: str) -> str:
    """The path of export ``fmt`` beside the JSON ``output`` (``a/b.json`` -> ``a/b.xml``)."""
    stem = output[: -len(".json")] if output.endswith(".json") else output
    return stem + file_extension(fmt)
