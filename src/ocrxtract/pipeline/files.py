"""OCR whole files and write the results: the library side of ``ocrxtract ocr``.

Built on :func:`ocrxtract.pipeline.run`: each page is rendered once for every engine, born-digital
PDF pages are read from their text layer unless OCR is forced, a failing (file, engine) pair is
recorded and the batch carries on. Outputs are written atomically.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ocrxtract.document import Document
from ocrxtract.engines.base import OcrEngine
from ocrxtract.errors import OcrxtractError
from ocrxtract.export import export_document, file_extension
from ocrxtract.fr.lexicon import require_wordlist
from ocrxtract.io import InputLimits
from ocrxtract.io.atomic import write_text_atomically
from ocrxtract.pipeline.executors import Executor
from ocrxtract.pipeline.inputs import FileInput
from ocrxtract.pipeline.run import PageCallback, Steps, run
from ocrxtract.pipeline.steps import EngineStep

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrSettings:
    """How files are turned into pages before an engine sees them.

    Attributes:
        dpi: Resolution at which PDF pages are rendered.
        assume_dpi: Resolution of images whose file states none (or the meaningless 72/96).
        force_ocr: OCR PDF pages even when they have a text layer.
        post_correct: Fix French words of OCR pages against a word list (optional stage:
            :func:`~ocrxtract.pipeline.steps.post_correct`); raises
            :class:`~ocrxtract.errors.MissingDependencyError` at once when the list is missing.
        limits: Pixel, page and size limits applied to every file.
        full_path: Record the file's full path as the document's source (in JSON, ALTO and
            hOCR). Off by default: a path often holds a person's name or a case number, so
            results name the file only.
    """

    dpi: int = 300
    assume_dpi: float | None = None
    force_ocr: bool = False
    post_correct: bool = False
    limits: InputLimits = field(default_factory=InputLimits)
    full_path: bool = False

    def __post_init__(self) -> None:
        if self.post_correct:
            require_wordlist()  # a missing word list stops before any page is read

    def input(self, path: str | Path) -> FileInput:
        """``path`` as a pipeline input read with these settings."""
        return FileInput(Path(path), self.dpi, self.assume_dpi, self.limits)


@dataclass
class OcrResult:
    """The outcome of one (file, engine) pair: a document, or the error that stopped it."""

    source: Path
    engine: str
    document: Document | None = None
    error: OcrxtractError | None = None
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    #: What to tell the user about the file, once (its text layer was used...).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def ocr_document(
    path: str | Path,
    engine: OcrEngine,
    settings: OcrSettings | None = None,
    on_page: PageCallback | None = None,
) -> Document:
    """OCR every page of one file with ``engine``, in reading order.

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
    executor: Executor | None = None,
) -> Iterator[OcrResult]:
    """OCR each file with each engine, rendering each page once for all engines.

    A failing (file, engine) pair is yielded with its error and the batch carries on: an input
    error fails the file for every engine, an engine error only that engine on that file. A
    born-digital PDF read entirely from its text layer gives one result, labelled ``pdf-text``
    (the engines did not read it), whose ``notes`` say so.
    """
    settings = settings or OcrSettings()
    steps = Steps(
        tuple(EngineStep.of(e) for e in engines),
        force_ocr=settings.force_ocr,
        post_correct=settings.post_correct,
    )
    inputs = [settings.input(path) for path in paths]
    by_name = {item.name: item.path for item in inputs}
    for item in run(inputs, steps, executor, on_page=on_page):
        notes = item.notes
        source = by_name.get(item.name, Path(item.name))
        for key, outcome in item.outcomes.items():
            if outcome.document is not None and not settings.full_path:
                outcome.document.source = source.name
            yield OcrResult(
                source,
                key,
                document=outcome.document if outcome.error is None else None,
                error=outcome.error,
                seconds=outcome.seconds,
                notes=notes,
            )
            notes = []  # said once per file


def output_path(out_dir: Path, source: Path, engine: str, fmt: str) -> Path:
    """Where ``ocrxtract ocr`` writes a result: ``<out>/<file stem>.<engine>.<ext>``."""
    return out_dir / f"{source.stem}.{engine}{file_extension(fmt)}"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so no reader sees half a result;
    the file's permissions follow the umask, as any file the user writes."""
    write_text_atomically(path, text)


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
