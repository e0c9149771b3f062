"""The engine interface every OCR adapter implements.

An engine is built from validated options (a pydantic model with ``extra="forbid"``) and turns
one page image into one :class:`~ocrxtract.document.Page`. Recognition is a pure function of
``(options, image)``: engines keep no state between pages except loaded models, so a page can be
sent to a process pool (see :func:`ocrxtract.engines.registry.recognize_page`) or, later, to a
remote worker.

Optional capabilities get a default here rather than a new abstract method, so that engines
written against an older interface keep working.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ocrxtract.document import Page, Provenance
from ocrxtract.errors import (
    EngineUnavailableError,
    InvalidOptionsError,
    OcrxtractError,
    RecognitionError,
)
from ocrxtract.io import PageImage

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
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: tuple[str, ...] = Field(default=DEFAULT_LANGUAGES, min_length=1)
    allow_download: bool = False


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
