"""The ``pdf-text`` engine: the text layer of a born-digital PDF, read instead of recognised.

It gives the exact words of a PDF made by software (no OCR error), with their boxes in the
pixels of the rendered page, so it is both a reference and the fastest "engine" for such files.
It needs the PDF itself: it reads ``page.source`` and ``page.index`` of the
:class:`~ocrxtract.io.PageImage` (as :func:`ocrxtract.io.iter_pages` makes them) and returns an
empty page, with a note, for an image or a PDF page without a text layer.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ocrxtract.document import Page
from ocrxtract.engines.base import Availability, EngineOptions, OcrEngine
from ocrxtract.io import PageImage, sniff_format
from ocrxtract.text_layer import pdf_page_size, read_text_layer

log = logging.getLogger(__name__)


class PdfTextOptions(EngineOptions):
    """Options of the ``pdf-text`` engine: none of its own.

    ``languages`` is accepted (every engine takes it) and ignored: the text layer holds
    whatever language the document is in.
    """


def _is_pdf(source: str) -> bool:
    path = Path(source)
    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return sniff_format(handle.read(1024)) == "pdf"
    except OSError:
        return False


class PdfTextEngine(OcrEngine):
    """Reads the words of a born-digital PDF page from its text layer (pypdfium2)."""

    name = "pdf-text"
    options_class = PdfTextOptions
    description = "Text layer of born-digital PDFs (exact words, no OCR)"

    @classmethod
    def availability(cls) -> Availability:
        return Availability(available=True)  # pypdfium2 is a core dependency

    @classmethod
    def version(cls) -> str:
        try:
            from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO
        except ImportError:  # pypdfium2 < 4.18 had no version API
            from importlib.metadata import version

            return f"pypdfium2 {version('pypdfium2')}"
        return f"pypdfium2 {PYPDFIUM_INFO.version} (pdfium {PDFIUM_INFO.build})"

    @classmethod
    def languages(cls) -> list[str]:
        """None: the text layer is read, not recognised, so language does not apply."""
        return []

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        empty = Page(index=page.index, width=page.width, height=page.height, dpi=page.dpi)
        if not _is_pdf(page.source):
            return empty, [f"no text layer: {page.source} is not a PDF file"]
        if page.has_text_layer is False:
            return empty, [f"no text layer on page {page.index + 1} of {page.source}"]
        # The page was rendered at page.dpi; when it is unknown, the image width tells it.
        dpi = page.dpi
        if dpi is None:
            width_pt, _ = pdf_page_size(page.source, page.index)
            dpi = page.width * 72.0 / width_pt
        result = read_text_layer(page.source, page.index, dpi=dpi)
        notes: list[str] = []
        if not result.blocks:
            notes.append(f"no text layer on page {page.index + 1} of {page.source}")
        if (result.width, result.height) != (page.width, page.height):
            notes.append(
                f"text layer page is {result.width}x{result.height} px, the image "
                f"{page.width}x{page.height} px: boxes may be off"
            )
            log.warning("%s page %d: %s", page.source, page.index + 1, notes[-1])
        result.width, result.height = page.width, page.height
        return result, notes
