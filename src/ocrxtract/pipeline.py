"""OCR whole files with one or more engines; batches record failures and carry on.

This is the library side of ``ocrxtract ocr``: the CLI only adds progress display and exit codes.
Born-digital PDF pages are read from their text layer (engine ``pdf-text``) unless OCR is forced,
so a page that already has text is never OCR'd unless asked.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ocrxtract.document import Document, Page
from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import create_engine
from ocrxtract.errors import OcrxtractError
from ocrxtract.export import export_document, file_extension
from ocrxtract.io import InputLimits, PageImage, iter_pages

log = logging.getLogger(__name__)

PageCallback = Callable[[PageImage], None]


@dataclass(frozen=True)
class OcrSettings:
    """How files are turned into pages before an engine sees them.

    Attributes:
        dpi: Resolution at which PDF pages are rendered.
        assume_dpi: Resolution of images whose file states none (or the meaningless 72/96).
        force_ocr: OCR PDF pages even when they have a text layer.
        limits: Pixel, page and size limits applied to every file.
    """

    dpi: int = 300
    assume_dpi: float | None = None
    force_ocr: bool = False
    limits: InputLimits = field(default_factory=InputLimits)


@dataclass
class OcrResult:
    """The outcome of one (file, engine) pair: a document, or the error that stopped it."""

    source: Path
    engine: str
    document: Document | None = None
    error: OcrxtractError | None = None
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def ocr_document(
    path: str | Path,
    engine: OcrEngine,
    settings: OcrSettings | None = None,
    on_page: PageCallback | None = None,
) -> Document:
    """OCR every page of one file with ``engine``.

    Args:
        path: An image, multi-page TIFF or PDF.
        engine: The engine that reads pages (PDF pages with a text layer are read from it
            unless ``settings.force_ocr``).
        settings: Rendering and limits; defaults to :class:`OcrSettings`.
        on_page: Called after each page (progress display).

    Raises:
        InputError: the file cannot be read (names the file and the fix).
        EngineError: the engine is unavailable or failed on a page.
    """
    (result,) = ocr_files([path], [engine], settings, on_page)
    if result.error is not None:
        raise result.error
    assert result.document is not None
    return result.document


def ocr_files(
    paths: Iterable[str | Path],
    engines: Iterable[OcrEngine],
    settings: OcrSettings | None = None,
    on_page: PageCallback | None = None,
) -> Iterator[OcrResult]:
    """OCR each file with each engine, rendering each page once for all engines.

    A failing (file, engine) pair is yielded with its error and the batch carries on: an input
    error fails the file for every engine, an engine error only that engine on that file.
    """
    settings = settings or OcrSettings()
    engine_list = list(engines)
    text_layer = None if settings.force_ocr else create_engine("pdf-text")
    for path in paths:
        source = Path(path)
        pages: dict[str, list[Page]] = {e.name: [] for e in engine_list}
        errors: dict[str, OcrxtractError] = {}
        seconds = dict.fromkeys(pages, 0.0)
        try:
            for page_image in iter_pages(
                source, dpi=settings.dpi, assume_dpi=settings.assume_dpi, limits=settings.limits
            ):
                for engine in engine_list:
                    if engine.name in errors:
                        continue
                    reader = text_layer if page_image.has_text_layer and text_layer else engine
                    start = time.perf_counter()
                    try:
                        pages[engine.name].append(reader.recognize(page_image))
                    except OcrxtractError as exc:
                        log.warning("%s with %s failed: %s", source, engine.name, exc)
                        errors[engine.name] = exc
                    seconds[engine.name] += time.perf_counter() - start
                if on_page is not None:
                    on_page(page_image)
        except OcrxtractError as exc:  # the file itself is unreadable: every engine fails on it
            log.warning("%s cannot be read: %s", source, exc)
            errors.update((e.name, exc) for e in engine_list if e.name not in errors)
        for engine in engine_list:
            if engine.name in errors:
                yield OcrResult(source, engine.name, error=errors[engine.name],
                                seconds=seconds[engine.name])  # fmt: skip
            else:
                document = Document(source=str(source), pages=pages[engine.name],
                                    metadata={"engine": engine.name})  # fmt: skip
                yield OcrResult(source, engine.name, document=document,
                                seconds=seconds[engine.name])  # fmt: skip


def output_path(out_dir: Path, source: Path, engine: str, fmt: str) -> Path:
    """Where ``ocrxtract ocr`` writes a result: ``<out>/<file stem>.<engine>.<ext>``."""
    return out_dir / f"{source.stem}.{engine}{file_extension(fmt)}"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so no reader sees half a result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_result(result: OcrResult, out_dir: Path, formats: Iterable[str]) -> list[Path]:
    """Export a successful result in each format; returns the files written."""
    if result.document is None:
        return []
    written = []
    for fmt in formats:
        target = output_path(out_dir, result.source, result.engine, fmt)
        write_atomically(target, export_document(result.document, fmt))
        written.append(target)
    result.outputs.extend(written)
    return written
