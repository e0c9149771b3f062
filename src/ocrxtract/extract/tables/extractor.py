"""The ``tables`` extractor: the tables of each page, in ``Page.tables``.

It reads the words of any engine (or of a born-digital PDF's text layer: no OCR) and, when the
pipeline gives it the page image, the ruling lines drawn on it (:mod:`.geometry`). Each table
records the method that found it (``Table.method``). The document phase then flags the tables
that go on from the previous page (``Table.continued``, :mod:`.continuation`).
"""

from __future__ import annotations

import logging
from typing import ClassVar, Literal

from ocrxtract.document import BBox, Document, Page, Table
from ocrxtract.extract.base import Extractor, ExtractorOptions
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)


class TablesExtractorOptions(ExtractorOptions):
    """Options of the ``tables`` extractor.

    Attributes:
        method: ``geometry`` (words + ruling lines), ``slanet`` (the SLANet-plus model on each
            table found, cells filled with the words) or ``auto``, what measures best per case:
            SLANet-plus on an OCR'd table image (a table that fills half the page or more, or
            ``whole_page``: TEDS 0.93 against 0.83 on the PubTabNet samples), geometry
            everywhere else: on a PDF's text layer, and on the tables of an OCR'd page (0.98
            against 0.92 on generated statistical tables scanned); geometry when the model is
            absent.
        whole_page: Each page is one table (table images, crops): no detection.
    """

    method: Literal["auto", "geometry", "slanet"] = "auto"
    whole_page: bool = False


def _straight(page: Page, image: PageImage | None) -> bool:
    """Whether the words are a PDF's own text (its page image has a text layer, or the reading
    is the ``pdf-text`` engine's): not skewed, and the skew estimated on short cell lines is
    not to be trusted there."""
    if image is not None and image.has_text_layer:
        return True
    return page.provenance is not None and page.provenance.engine == "pdf-text"


def _fills_page(page: Page, tables: list[Table]) -> bool:
    """Whether a table fills half the page or more (the page is a table image, a crop)."""
    area = page.width * page.height
    return any(t.bbox is not None and t.bbox.area >= 0.5 * area for t in tables)


class TablesExtractor(Extractor):
    """Tables (cells with spans, header rows, words) of any engine's reading."""

    name = "tables"
    options_class = TablesExtractorOptions
    description = "Tables: detection and structure from words and ruling lines"
    produces: ClassVar[frozenset[str]] = frozenset({"tables"})
    reads_images: ClassVar[bool] = True

    @classmethod
    def version(cls) -> str:
        return "3"  # 2: tables continued over pages flagged; 3: auto keeps geometry on OCR'd pages

    def _opts(self) -> TablesExtractorOptions:
        options = self.options
        assert isinstance(options, TablesExtractorOptions)
        return options

    def _extract_page(self, page: Page, image: PageImage) -> Page:
        from ocrxtract.extract.tables.geometry import page_tables

        options = self._opts()
        skew = 0.0 if _straight(page, image) else None
        tables = page_tables(page, image.image, whole_page=options.whole_page, skew=skew)
        method = options.method
        if method == "auto":
            table_image = options.whole_page or _fills_page(page, tables)
            method = "slanet" if table_image and not image.has_text_layer else "geometry"
        if method == "slanet" and page.blocks:
            tables = self._slanet(page, image, tables, strict=options.method == "slanet")
        page.tables = tables
        return page

    def _slanet(
        self, page: Page, image: PageImage, found: list[Table], *, strict: bool
    ) -> list[Table]:
        """SLANet-plus on each table the geometry found (on the whole page when that is one
        table, or when the page is set as a table image)."""
        from ocrxtract.errors import MissingDependencyError
        from ocrxtract.extract.tables.slanet import slanet_table

        words = list(page.words())
        boxes: list[BBox | None] = [t.bbox for t in found]
        if self._opts().whole_page or _fills_page(page, found):
            boxes = [None]
        out: list[Table] = []
        try:
            for k, box in enumerate(boxes):
                table = slanet_table(page.index, image.image, words, box)
                if table is not None:
                    out.append(table)
                elif k < len(found):
                    out.append(found[k])
        except MissingDependencyError:
            if strict:
                raise
            log.info("SLANet-plus unavailable: the geometry method's tables are kept")
            return found
        return out

    def _extract(self, document: Document) -> Document:
        from ocrxtract.extract.tables.continuation import link_continuations
        from ocrxtract.extract.tables.geometry import page_tables

        for page in document.pages:  # pages that came without their image: words only
            if not page.tables:
                skew = 0.0 if _straight(page, None) else None
                page.tables = page_tables(page, None, whole_page=self._opts().whole_page, skew=skew)
        link_continuations(document.pages)  # every page, read from its image or not
        return document
