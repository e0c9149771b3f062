"""Documents to process: a file, the bytes of one, or page images already in memory.

Each :class:`DocumentInput` is picklable (it travels to worker processes) and reads its pages
lazily, only those asked for: showing page 5 of a PDF renders page 5 only.
"""

from __future__ import annotations

import hashlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ocrxtract.errors import UsageError
from ocrxtract.io import DEFAULT_LIMITS, InputLimits, PageImage, count_pages, iter_pages

log = logging.getLogger(__name__)


class DocumentInput(ABC):
    """A document the pipeline reads page by page.

    Attributes:
        name: How it is named in messages, results and outputs.
    """

    name: str

    @abstractmethod
    def count_pages(self) -> int:
        """Number of pages.

        Raises:
            InputError: the document cannot be read (names it and the fix).
        """

    @abstractmethod
    def iter_pages(self, pages: Sequence[int] | None = None) -> Iterator[PageImage]:
        """The page images, lazily: every page, or those ``pages`` (0-based) in that order.

        Raises:
            InputError: the document or a page cannot be read.
            UsageError: a page index out of range.
        """


@dataclass(frozen=True)
class FileInput(DocumentInput):
    """A document file (image, multi-page TIFF or PDF).

    Attributes:
        path: The file.
        dpi: Resolution at which PDF pages are rendered.
        assume_dpi: Resolution of images whose file states none (or the meaningless 72/96).
        limits: Pixel, page and size limits.
    """

    path: Path
    dpi: float = 300
    assume_dpi: float | None = None
    limits: InputLimits = DEFAULT_LIMITS

    @property
    def name(self) -> str:  # type: ignore[override]
        return str(self.path)

    def count_pages(self) -> int:
        return count_pages(self.path, self.limits)

    def iter_pages(self, pages: Sequence[int] | None = None) -> Iterator[PageImage]:
        return iter_pages(
            self.path, dpi=self.dpi, assume_dpi=self.assume_dpi, limits=self.limits, pages=pages
        )


@dataclass(frozen=True)
class BytesInput(DocumentInput):
    """The content of a document file held in memory (an upload): no temporary file is made.

    Attributes:
        name: The file name it was given (errors name it, never a temporary path).
        data: Its bytes.
        dpi, assume_dpi, limits: As for :class:`FileInput`.
    """

    name: str
    data: bytes = field(repr=False)
    dpi: float = 300
    assume_dpi: float | None = None
    limits: InputLimits = DEFAULT_LIMITS

    @property
    def digest(self) -> str:
        """SHA-256 of the bytes."""
        return hashlib.sha256(self.data).hexdigest()

    def count_pages(self) -> int:
        return count_pages(self.data, self.limits, name=self.name)

    def iter_pages(self, pages: Sequence[int] | None = None) -> Iterator[PageImage]:
        return iter_pages(
            self.data,
            dpi=self.dpi,
            assume_dpi=self.assume_dpi,
            limits=self.limits,
            pages=pages,
            name=self.name,
        )


@dataclass(frozen=True)
class PagesInput(DocumentInput):
    """Page images already in memory (a generated page, a notebook's images)."""

    name: str
    pages: tuple[PageImage, ...]

    def count_pages(self) -> int:
        return len(self.pages)

    def iter_pages(self, pages: Sequence[int] | None = None) -> Iterator[PageImage]:
        indices = range(len(self.pages)) if pages is None else pages
        for index in indices:
            if not 0 <= index < len(self.pages):
                raise UsageError(
                    f"{self.name}: there is no page index {index} (it has {len(self.pages)} "
                    "page(s))"
                )
            yield self.pages[index]


def as_input(
    document: DocumentInput | str | Path,
    *,
    dpi: float = 300,
    assume_dpi: float | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
) -> DocumentInput:
    """``document`` as a :class:`DocumentInput` (a path becomes a :class:`FileInput`)."""
    if isinstance(document, DocumentInput):
        return document
    return FileInput(Path(document), dpi=dpi, assume_dpi=assume_dpi, limits=limits)
