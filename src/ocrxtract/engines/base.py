"""The engine interface every OCR adapter implements.

An engine is built from validated options (a pydantic model with ``extra="forbid"``) and turns
one page image into one :class:`~ocrxtract.document.Page`. Recognition is a pure function of
``(options, image)``: engines keep no state between pages except loaded models, so a page can be
sent to a process pool (see :func:`ocrxtract.engines.registry.recognize_page`) or, later, to a
remote worker.

Optional capabilities get a default here rather than a new abstract method (OCRmyPDF's way),
so that engines written against an older interface keep working:

* :meth:`OcrEngine.recognize_lines` reads ground-truth line crops (the benchmark's line CER);
  by default each crop is read as a small page, an engine with a line recogniser overrides it;
* :meth:`OcrEngine.model_fingerprint` hashes the model files, part of cache keys, so a model
  retrained in place never gets a stale cache hit;
* class attributes say what the rest of ocrxtract used to key by engine name: whether the
  engine reads images (:attr:`~OcrEngine.reads_images`), the options the app shows
  (:attr:`~OcrEngine.main_options`), the option holding its thread count
  (:attr:`~OcrEngine.thread_option`), the options that only change its speed
  (:attr:`~OcrEngine.execution_options`) and how it parallelises best
  (:attr:`~OcrEngine.parallel`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ocrxtract.document import BBox, Page, Provenance
from ocrxtract.errors import (
    EngineUnavailableError,
    InvalidOptionsError,
    OcrxtractError,
    RecognitionError,
)
from ocrxtract.io import PageImage
from ocrxtract.io.dropout import Dropout, drop_colour

log = logging.getLogger(__name__)

#: Tesseract-style ISO 639-2/T codes are the canonical language names in ocrxtract.
DEFAULT_LANGUAGES: tuple[str, ...] = ("fra",)

#: The torch pair that EasyOCR and docTR are tested with (pinned with them so that pip never
#: pulls another, multi-GB, build).
TORCH_PIN = "'torch==2.14.1' 'torchvision==0.29.1'"


class EngineOptions(BaseModel):
    """Options common to every engine. Subclasses add their own fields.

    Attributes:
        languages: ISO 639-2 codes (``fra``, ``eng`` ...) the page is expected to hold.
        allow_download: Let the engine fetch missing model weights from the network. Off by
            default: documents are personal data and ocrxtract never goes online silently.
        dropout: Ink colour removed from each page before the engine reads it
            (:mod:`ocrxtract.io.dropout`): ``red`` makes red stamps and overprints (a
            "SPECIMEN" across an identity card, a "PAYÉ" on an invoice) as light as the paper,
            so they no longer merge with the text under them; text printed in red is lost.
            Applied to the pages an engine recognises (and to the crops of the default
            :meth:`OcrEngine.recognize_lines`); an engine's own line recogniser reads the
            benchmark's ground-truth line crops as they are.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: tuple[str, ...] = Field(default=DEFAULT_LANGUAGES, min_length=1)
    allow_download: bool = False
    dropout: Dropout = "none"


class Availability(BaseModel):
    """Whether an engine can run here and, if not, why and how to fix it."""

    model_config = ConfigDict(frozen=True)

    available: bool
    reason: str | None = None
    install: str | None = None


def missing_modules(*modules: str) -> list[str]:
    """The modules among ``modules`` that cannot be imported here (checked without importing)."""
    import importlib.util

    return [name for name in modules if importlib.util.find_spec(name) is None]


def packages_unavailable(modules: Sequence[str], install: str) -> Availability | None:
    """An "unavailable" answer naming the missing ``modules``, or ``None`` when all are there."""
    missing = missing_modules(*modules)
    if not missing:
        return None
    return Availability(
        available=False,
        reason=f"Python package(s) {', '.join(missing)} not installed",
        install=install,
    )


def model_unavailable(lookup: Callable[[], object]) -> Availability | None:
    """An "unavailable" answer when ``lookup`` (an engine's model lookup) raises
    :class:`~ocrxtract.errors.ModelNotFoundError`, with its reason and fix; ``None`` when it
    finds the model."""
    from ocrxtract.errors import ModelNotFoundError

    try:
        lookup()
    except ModelNotFoundError as exc:
        return Availability(available=False, reason=exc.reason, install=exc.install)
    return None


@cache
def library_version(engine: str, install: str, library: str, runtime: str) -> str:
    """``"<library version> (<runtime> <version>)"`` from the installed distributions.

    Raises:
        EngineUnavailableError: one of the two distributions is not installed.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{version(library)} ({runtime} {version(runtime)})"
    except PackageNotFoundError as exc:
        raise EngineUnavailableError(engine, f"{exc.name} is not installed", install) from exc


@lru_cache(maxsize=256)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def files_fingerprint(paths: Iterable[Path]) -> str:
    """A short hash of the content of ``paths`` (missing files count as absent), memoised by
    path, size and modification time: for :meth:`OcrEngine.model_fingerprint`."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        try:
            stat = path.stat()
        except OSError:
            digest.update(f"{path.name}:absent\n".encode())
            continue
        content = _file_digest(str(path), stat.st_size, stat.st_mtime_ns)
        digest.update(f"{path.name}:{content}\n".encode())
    return digest.hexdigest()[:16]


def crop_line(page: PageImage, box: BBox, number: int) -> PageImage | None:
    """The crop of ``box`` (clipped to the page) as a page image, ``None`` when it holds no
    pixel of the page; it keeps the page's resolution and is named after the line."""
    x0, y0 = max(0, box.x0), max(0, box.y0)
    x1, y1 = min(page.width, box.x1), min(page.height, box.y1)
    if x1 <= x0 or y1 <= y0:
        return None
    return PageImage(
        image=page.image.crop((x0, y0, x1, y1)),
        index=0,
        source=f"{page.source} page {page.index + 1} line {number}",
        dpi=page.dpi,
    )


class OcrEngine(ABC):
    """Abstract OCR engine.

    Subclasses set ``name`` and ``options_class`` and implement :meth:`availability`,
    :meth:`version`, :meth:`languages` and :meth:`_recognize`. Heavy libraries are imported
    inside the subclass methods, never at module import.
    """

    name: ClassVar[str]
    options_class: ClassVar[type[EngineOptions]] = EngineOptions
    #: Short human description shown by ``ocrxtract engines``.
    description: ClassVar[str] = ""
    #: Whether the engine reads page images (``pdf-text`` reads a PDF's text layer, ``null``
    #: reads nothing): engines that do not are left out of demos and comparisons.
    reads_images: ClassVar[bool] = True
    #: The options the app shows for this engine, in order (the others keep their defaults);
    #: ``None``: every simple field of the options class.
    main_options: ClassVar[tuple[str, ...] | None] = None
    #: The option that sets the engine's thread count (set to 1 in single-threaded workers).
    thread_option: ClassVar[str | None] = None
    #: Options that change how fast the engine runs, not what it reads (kept out of cache keys).
    execution_options: ClassVar[frozenset[str]] = frozenset()
    #: How the engine parallelises best on several cores: ``processes`` (one single-threaded
    #: process per core) or ``threads`` (one process, the engine's own threads).
    parallel: ClassVar[Literal["processes", "threads"]] = "processes"
    #: What :meth:`recognize_lines` does (part of cache keys and results).
    line_recognizer: ClassVar[str] = "page-on-crop"
    #: The pip extra of ocrxtract that installs it (``None``: built in, nothing to install).
    extra: ClassVar[str | None] = None
    #: Offered to users (the app, demos); ``False`` for engines that exist for tests.
    user_facing: ClassVar[bool] = True
    #: Named option sets worth comparing on one's own documents, each with one line saying
    #: what it is for: ``{"sparse": ({"psm": 11}, "scattered text: receipts, ID cards")}``.
    #: Used as ``ENGINE:PRESET`` (``tesseract:sparse``) wherever an engine name is.
    presets: ClassVar[dict[str, tuple[dict[str, Any], str]]] = {}

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        self.options = self.parse_options(options)

    @classmethod
    def parse_options(cls, options: EngineOptions | dict[str, Any] | None) -> EngineOptions:
        """Validate ``options`` against the engine's options class.

        Raises:
            InvalidOptionsError: unknown or ill-typed option, with pydantic's explanation.
        """
        if isinstance(options, cls.options_class):
            return options
        raw = options.model_dump() if isinstance(options, BaseModel) else dict(options or {})
        try:
            return cls.options_class.model_validate(raw)
        except ValidationError as exc:
            raise InvalidOptionsError(f"invalid options for engine {cls.name!r}: {exc}") from exc

    @classmethod
    @abstractmethod
    def availability(cls) -> Availability:
        """Check, cheaply and without loading models, whether the engine can run here."""

    @classmethod
    @abstractmethod
    def version(cls) -> str:
        """Version of the underlying engine (library and, where relevant, model)."""

    @classmethod
    @abstractmethod
    def languages(cls) -> list[str]:
        """Languages the engine reads (ISO 639-2 codes where they map).

        Engines whose languages come with installed models (Tesseract's traineddata, EasyOCR's
        weights) list those installed here; others list what their model reads.
        """

    @abstractmethod
    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        """Recognise one page; return it (without provenance) and notes for the provenance."""

    def recognize(self, page: PageImage) -> Page:
        """Recognise one page image and stamp the result with provenance.

        Raises:
            EngineUnavailableError: a package or model is missing.
            RecognitionError: the engine failed on this page.
        """
        start = time.perf_counter()
        page = drop_colour(page, self.options.dropout)
        try:
            result, notes = self._recognize(page)
        except OcrxtractError:
            raise
        except Exception as exc:  # a third-party failure becomes a typed, located error
            raise RecognitionError(
                f"engine {self.name!r} failed on {page.source} page {page.index + 1}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        seconds = time.perf_counter() - start
        result.provenance = Provenance(
            engine=self.name,
            engine_version=self.engine_version(),
            options=self.options.model_dump(mode="json"),
            seconds=seconds,
            notes=notes,
        )
        return result

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        """Read the text of each line box of ``page``, without layout analysis.

        The default reads each crop as a small page (layout analysis included) and joins its
        words with spaces (:attr:`line_recognizer` ``page-on-crop``); engines with a line
        recogniser override it. A box that holds no pixel of the page reads as ``""``.

        Raises:
            EngineUnavailableError: a package or model is missing.
            RecognitionError: the engine failed on a crop.
        """
        texts = []
        for number, box in enumerate(boxes, start=1):
            crop = crop_line(page, box, number)
            if crop is None:
                texts.append("")
                continue
            texts.append(" ".join(word.text for word in self.recognize(crop).words()))
        return texts

    def model_fingerprint(self) -> str:
        """A hash of the model files this instance reads (``""``: none). Part of cache keys,
        so a model retrained in place is never served an older model's output."""
        return ""

    def engine_version(self) -> str:
        """Version of what this instance runs; defaults to the class-level :meth:`version`.

        Engines with several backends (Tesseract: library or program) override it.
        """
        return self.version()

    def check(self) -> Availability:
        """Whether this engine, with its options (languages, model folders), can run here.

        Defaults to the class-level :meth:`availability`; engines whose models depend on their
        options override it.
        """
        return self.availability()

    def close(self) -> None:  # noqa: B027 - optional capability with a default
        """Release models and native resources. Default: nothing to release."""
