"""Typed exceptions raised by the library.

The library raises; it never prints or exits. Each exception class carries the exit code
that the command-line interface (``ocrxtract.cli``, the only place where errors become exit
codes) returns for it, and every message says what went wrong *and* how to fix it.
"""

from __future__ import annotations

from pathlib import Path


class OcrxtractError(Exception):
    """Base class of every error raised by ocrxtract."""

    exit_code: int = 1


class UsageError(OcrxtractError):
    """A call or a command line that cannot be carried out as written."""

    exit_code = 2


class InvalidOptionsError(UsageError):
    """Engine or export options that do not validate."""


class UnknownFormatError(UsageError):
    """An export format that does not exist; the message lists the known ones."""


# --- inputs -------------------------------------------------------------------------------


class InputError(OcrxtractError):
    """A document file that cannot be read. The message always names the file."""

    exit_code = 3

    def __init__(self, path: str | Path, problem: str, fix: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str | None]]:
        # Errors cross process boundaries (worker pools): rebuild them from their parts.
        return (type(self), (self.path, self.problem, self.fix))


class InputNotFoundError(InputError):
    """The file does not exist or is not a regular file."""


class UnsupportedFormatError(InputError):
    """The file is of a type ocrxtract does not read (or its extension lies about it)."""


class EmptyInputError(InputError):
    """The file is empty, or a PDF without pages, or an image of zero size."""


class CorruptInputError(InputError):
    """The file is damaged or truncated."""


class EncryptedPdfError(InputError):
    """The PDF is password-protected."""


class NoTextLayerError(InputError):
    """A PDF page has no text layer where one is needed (scanned): it must go through OCR."""


class InputTooLargeError(InputError):
    """The image has more pixels, or the document more pages, than the configured limit."""


# --- engines ------------------------------------------------------------------------------


class EngineError(OcrxtractError):
    """Base class of engine problems."""

    exit_code = 4


class UnknownEngineError(EngineError, UsageError):
    """No engine of that name is registered; the message lists the known ones."""

    exit_code = 2


class EngineRegistrationError(EngineError):
    """Two engines (or extractors, scorers, dataset formats) claim the same name, or an entry
    point does not load."""


class UnknownExtractorError(UsageError):
    """No extractor of that name is registered; the message lists the known ones."""


class EngineUnavailableError(EngineError):
    """A package, program or model that the engine needs is missing.

    Attributes:
        engine: Name of the engine.
        install: The exact command that installs what is missing, when there is one.
    """

    exit_code = 5

    def __init__(self, engine: str, reason: str, install: str | None = None) -> None:
        self.engine = engine
        self.reason = reason
        self.install = install
        message = f"engine {engine!r} is unavailable: {reason}"
        if install:
            message += f"; install it with: {install}"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[EngineUnavailableError], tuple[str, str, str | None]]:
        return (type(self), (self.engine, self.reason, self.install))


class ModelNotFoundError(EngineUnavailableError):
    """The engine's package is there but its model weights are not (and downloads are off)."""


class RecognitionError(EngineError):
    """The engine failed on one page; the message names the engine and the page."""


# --- datasets and optional dependencies -----------------------------------------------------


class UnknownDatasetError(UsageError):
    """No dataset of that name is declared; the message lists the known ones."""


class DatasetNotAvailableError(InputNotFoundError):
    """The dataset's files are not on this machine; the message says where to put them."""


class DatasetDownloadError(OcrxtractError):
    """A download failed (offline, refused, bad checksum); the message names URL and folder."""

    exit_code = 6


class ModelDownloadError(OcrxtractError):
    """An explicit model fetch failed (offline, unknown model, refused); the message names the
    model, the folder and the way to put the files there by hand."""

    exit_code = 6


class MissingDependencyError(OcrxtractError):
    """An optional Python package needed to read a dataset is not installed."""

    exit_code = 5

    def __init__(self, package: str, needed_for: str, install: str) -> None:
        self.package = package
        self.needed_for = needed_for
        self.install = install
        super().__init__(f"{package} is needed to {needed_for}; install it with: {install}")

    def __reduce__(self) -> tuple[type[MissingDependencyError], tuple[str, str, str]]:
        return (type(self), (self.package, self.needed_for, self.install))


class WorkerDiedError(OcrxtractError):
    """A worker process died while it held a piece of work (out of memory, a crash in native
    code), twice: the work is recorded as failed and the run goes on."""


class MemoryLimitError(WorkerDiedError):
    """A worker went over its memory bound while it held a piece of work, twice (the second
    time alone in a fresh worker): the work is recorded as failed, the worker replaced."""


class ProcessingTimeoutError(OcrxtractError):
    """A piece of work took longer than its time budget (a hanging page): its worker was
    stopped and replaced, the work is recorded as timed out and the run goes on."""


# --- exports ------------------------------------------------------------------------------


class ExportError(OcrxtractError):
    """A document that cannot be written in the asked format (e.g. characters XML cannot hold)."""


class ExportParseError(OcrxtractError):
    """An hOCR, ALTO or JSON file that cannot be read back into a Document."""

    exit_code = 3
