"""The extractor interface: a recognised document in, the same document with facts out.

Most extractors read only the engine's words (:meth:`Extractor.extract`). Some also need the
pixels (a table-structure model, ruling lines): they set :attr:`Extractor.reads_images` and
implement :meth:`Extractor._extract_page`, which is given each page with the image it was read
from. The pipeline calls it page by page while it holds the image (:meth:`extract_page`), so a
document's images are never all in memory; other callers pass the images to
:meth:`Extractor.extract`. Without images such an extractor works from the words alone.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ocrxtract.document import Document, Page
from ocrxtract.errors import InvalidOptionsError, OcrxtractError, RecognitionError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)


class ExtractorOptions(BaseModel):
    """Options common to every extractor (none yet); subclasses add their own fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Extractor(ABC):
    """Abstract extractor.

    Subclasses set ``name``, ``options_class`` and ``produces`` and implement :meth:`_extract`.
    Like engines, they import heavy libraries inside their methods, keep no state between
    documents except loaded models, and are built from validated options.

    An extractor that looks at pixels sets ``reads_images`` and implements
    :meth:`_extract_page` too: the page phase (one page and its image) runs first, page by page,
    then the document phase (:meth:`_extract`, e.g. joining tables split across pages). The
    default page phase leaves the page as it is, so extractors written before it keep working.
    """

    name: ClassVar[str]
    options_class: ClassVar[type[ExtractorOptions]] = ExtractorOptions
    #: Short human description.
    description: ClassVar[str] = ""
    #: What it fills in: ``fields``, ``tables``, ``structure`` (scorers that need it use it).
    produces: ClassVar[frozenset[str]] = frozenset()
    #: Whether it reads page images as well as the engine's words (see :meth:`_extract_page`).
    reads_images: ClassVar[bool] = False

    def __init__(self, options: ExtractorOptions | dict[str, Any] | None = None) -> None:
        self.options = self.parse_options(options)

    @classmethod
    def parse_options(cls, options: ExtractorOptions | dict[str, Any] | None) -> ExtractorOptions:
        """Validate ``options`` against the extractor's options class.

        Raises:
            InvalidOptionsError: unknown or ill-typed option, with pydantic's explanation.
        """
        if isinstance(options, cls.options_class):
            return options
        raw = options.model_dump() if isinstance(options, BaseModel) else dict(options or {})
        try:
            return cls.options_class.model_validate(raw)
        except ValidationError as exc:
            raise InvalidOptionsError(f"invalid options for extractor {cls.name!r}: {exc}") from exc

    @classmethod
    def version(cls) -> str:
        """Version of what the extractor runs (its model, its rules); part of cache keys."""
        return "1"

    @abstractmethod
    def _extract(self, document: Document) -> Document:
        """Return ``document`` (a copy) with what the extractor found filled in.

        For an extractor that ``reads_images``, the pages that went through
        :meth:`_extract_page` arrive with what it found there; the others (no image given)
        are to be handled from their words alone.
        """

    def _extract_page(self, page: Page, image: PageImage) -> Page:
        """The page phase: return ``page`` (a copy) with what its image shows filled in.

        ``image`` is the page image the engine read (word boxes are in its pixels). Called
        only when ``reads_images`` is set; the default returns the page unchanged.
        """
        return page

    def _fail(self, where: str | None, exc: Exception) -> RecognitionError:
        return RecognitionError(
            f"extractor {self.name!r} failed on {where}: {type(exc).__name__}: {exc}"
        )

    def extract_page(self, page: Page, image: PageImage) -> Page:
        """Run the page phase on one page and its image; the input page is left as it was.

        The pipeline calls it for each page as soon as the engine has read it, while it still
        holds the image; :meth:`extract` then runs the document phase. Extractors that do not
        ``reads_images`` return the page unchanged.

        Raises:
            RecognitionError: the extractor failed (a third-party failure, located).
        """
        if not self.reads_images:
            return page
        try:
            return self._extract_page(page.model_copy(deep=True), image)
        except OcrxtractError:
            raise
        except Exception as exc:  # a failure becomes a typed, located error
            raise self._fail(f"{image.source} page {image.index + 1}", exc) from exc

    def extract(self, document: Document, images: Iterable[PageImage] | None = None) -> Document:
        """Extract from ``document``; the input is left as it was.

        Args:
            document: An engine's reading (words in pixels of the page images).
            images: The page images it was read from (each matched to the page of the same
                ``index``; taken one at a time, so a lazy iterator keeps one in memory). Only
                extractors that ``reads_images`` look at them; without them, those work from
                the words alone.

        Raises:
            RecognitionError: the extractor failed (a third-party failure, located).
        """
        start = time.perf_counter()
        copy = document.model_copy(deep=True)
        try:
            if images is not None and self.reads_images:
                position = {page.index: k for k, page in enumerate(copy.pages)}
                for image in images:
                    k = position.get(image.index)
                    if k is not None:
                        copy.pages[k] = self._extract_page(copy.pages[k], image)
            result = self._extract(copy)
        except OcrxtractError:
            raise
        except Exception as exc:  # a failure becomes a typed, located error
            raise self._fail(document.source, exc) from exc
        log.debug("%s on %s: %.3f s", self.name, document.source, time.perf_counter() - start)
        return result
