"""The ``pdf-text`` engine: the text layer of a born-digital PDF, read instead of recognised.

It gives the exact words of a PDF made by software (no OCR error), with their boxes in the
pixels of the rendered page, so it is both a reference and the fastest "engine" for such files.
The words are read while the PDF is open (:func:`ocrxtract.io.iter_pages` puts them in
``PageImage.text_layer``); this engine returns them and never opens a file. An image, or a PDF
page without a text layer, gives an empty page with a note.
"""

from __future__ import annotations

import logging

from ocrxtract.document import Page
from ocrxtract.engines.base import Availability, EngineOptions, OcrEngine
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)


class PdfTextOptions(EngineOptions):
    """Options of the ``pdf-text`` engine: none of its own.

    ``languages`` is accepted (every engine takes it) and ignored: the text layer holds
    whatever language the document is in.
    """


class PdfTextEngine(OcrEngine):
    """Reads the words of a born-digital PDF page from its text layer (pypdfium2)."""

    name = "pdf-text"
    options_class = PdfTextOptions
    description = "Text layer of born-digital PDFs (exact words, no OCR)"
    reads_images = False
    main_options = ()

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
        if page.has_text_layer is None:
            return empty, [f"no text layer: {page.source} is not a PDF page"]
        layer = page.text_layer
        if not page.has_text_layer or layer is None or not layer.blocks:
            return empty, [f"no text layer on page {page.index + 1} of {page.source}"]
        result = layer.model_copy(deep=True)
        notes: list[str] = []
        if (result.width, result.height) != (page.width, page.height):
            notes.append(
                f"text layer page is {result.width}x{result.height} px, the image "
                f"{page.width}x{page.height} px: boxes may be off"
            )
            log.warning("%s page %d: %s", page.source, page.index + 1, notes[-1])
        result.width, result.height = page.width, page.height
        result.index = page.index
        return result, notes
