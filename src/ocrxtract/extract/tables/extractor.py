"""The ``tables`` extractor: the tables of each page, in ``Page.tables``.

It reads the words of any engine (or of a born-digital PDF's text layer: no OCR) and, when the
pipeline gives it the page image, the ruling lines drawn on it (:mod:`.geometry`). Each table
records the method that found it (``Table.method``).
"""

from __future__ import annotations

import logging
from typing import ClassVar

from ocrxtract.document import Document, Page
from ocrxtract.extract.base import Extractor, ExtractorOptions
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)


class TablesExtractorOptions(ExtractorOptions):
    """Options of the ``tables`` extractor.

    Attributes:
        whole_page: Each page is one table (table images, crops): no detection.
    """

    whole_page: bool = False


class TablesExtractor(Extractor):
    """Tables (cells with spans, header rows, words) of any engine's reading."""

    name = "tables"
    options_class = TablesExtractorOptions
    description = "Tables: detection and structure from words and ruling lines"
    produces: ClassVar[frozenset[str]] = frozenset({"tables"})
    reads_images: ClassVar[bool] = True

    @classmethod
    def version(cls) -> str:
        return "1"

    def _opts(self) -> TablesExtractorOptions:
        options = self.options
        assert isinstance(options, TablesExtractorOptions)
        return options

    def _extract_page(self, page: Page, image: PageImage) -> Page:
        from ocrxtract.extract.tables.geometry import page_tables

        skew = 0.0 if image.has_text_layer else None  # a PDF's own text is not skewed
        page.tables = page_tables(page, image.image, whole_page=self._opts().whole_page, skew=skew)
        return page

    def _extract(self, document: Document) -> Document:
        from ocrxtract.extract.tables.geometry import page_tables

        for page in document.pages:  # pages that came without their image: words only
            if not page.tables:
                page.tables = page_tables(page, None, whole_page=self._opts().whole_page)
        return document
