"""Reading a document's structure: from a born-digital PDF, or from any engine's reading.

* :func:`structure_of_pdf` reads a PDF's text layer with its fonts and rules
  (:func:`ocrxtract.io.styled_text.styled_page`) and analyses it; a PDF without any text
  layer makes it raise :class:`~ocrxtract.errors.NoTextLayerError` (the caller runs OCR: the
  CLI does); pages without text among others are skipped with a warning. Characters without a
  Unicode mapping are reported in ``warnings`` (and logged): a broken font encoding gives
  garbage text, and OCR is the way out.
* :func:`structure_of_pages` / :func:`structure_of_document` analyse pages or a
  :class:`~ocrxtract.document.Document` read by any engine (geometry, numbering and spacing;
  boldness from the page images when given). Tables already found by the tables brick
  (``Page.tables``) are used as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ocrxtract.document import Document, Page
from ocrxtract.errors import NoTextLayerError
from ocrxtract.extract.structure.analyze import PageLines, analyze
from ocrxtract.extract.structure.lines import lines_from_page, lines_from_styled
from ocrxtract.extract.structure.model import StructureDocument
from ocrxtract.extract.structure.words import DEFAULT_LANGUAGES, Lexicon
from ocrxtract.io import open_pdf
from ocrxtract.io.pdf import get_pdf_page
from ocrxtract.io.styled_text import styled_page

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

#: A page with more than this share of unmapped characters gets a warning.
UNMAPPED_WARNING = 0.02


class StructureOptions(BaseModel):
    """Options of structure reading.

    Attributes:
        languages: Word lists (pyspellchecker codes) that decide whether a hyphenated word is
            joined; the document's own words always count.
        dehyphenate: Undo hyphenation where the joined word is a word (off: hyphens kept).
        dpi: Resolution of the boxes of a PDF read from its text layer (72: points).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    dehyphenate: bool = True
    dpi: float = Field(default=72.0, gt=0)


def _lexicon(options: StructureOptions) -> Lexicon | None:
    return Lexicon(options.languages) if options.dehyphenate else None


def structure_of_pdf(
    data: str | Path | bytes,
    options: StructureOptions | None = None,
    *,
    source: str | None = None,
) -> StructureDocument:
    """The structure of a born-digital PDF, from its text layer's fonts and rules.

    Args:
        data: The PDF's path or bytes.
        options: Languages, dehyphenation, dpi of the boxes.
        source: Its name in the result (default: the path).

    Pages without a text layer (a scanned page, a full-page picture, a blank page) are skipped
    with a warning when other pages have text.

    Raises:
        InputError: the file is missing, damaged, encrypted or not a PDF.
        NoTextLayerError: no page has a text layer: OCR it instead.
    """
    options = options or StructureOptions()
    name = source or (str(data) if not isinstance(data, bytes) else "PDF")
    pdf = open_pdf(Path(data) if not isinstance(data, bytes) else data, source=name)
    pages: list[PageLines] = []
    warnings: list[str] = []
    empty: list[int] = []
    broken: list[tuple[int, int, int]] = []
    try:
        for index in range(len(pdf)):
            page = get_pdf_page(pdf, name, index)
            try:
                styled = styled_page(page, index, options.dpi)
            finally:
                page.close()
            if not styled.lines:
                empty.append(index)
                continue
            if styled.unmapped_ratio > UNMAPPED_WARNING:
                broken.append((index, styled.unmapped, styled.chars))
            pages.append(
                PageLines(
                    index=index,
                    width=styled.width,
                    height=styled.height,
                    lines=lines_from_styled(styled),
                    rules=styled.rules,
                )
            )
        total = len(pdf)
    finally:
        pdf.close()
    if not pages:
        raise NoTextLayerError(
            name,
            f"none of its {total} page(s) has a text layer (a scan, or pictures of text)",
            "read it through OCR: ocrxtract structure --engine tesseract (or rapidocr)",
        )
    if broken:
        listed = ", ".join(str(i + 1) for i, _, _ in broken[:10]) + (
            "…" if len(broken) > 10 else ""
        )
        share = sum(u for _, u, _ in broken) / max(1, sum(c for _, _, c in broken))
        warnings.append(
            f"broken font encoding on {len(broken)} page(s) (page {listed}): {share:.0%} of "
            "their characters have no Unicode mapping, so their text may be garbage; read "
            "the file with OCR instead (ocrxtract structure --force-ocr)"
        )
    if empty:
        listed = ", ".join(str(i + 1) for i in empty[:10]) + ("…" if len(empty) > 10 else "")
        warnings.append(
            f"{len(empty)} page(s) without a text layer skipped (page {listed}): pictures or "
            "blank pages; OCR them (--force-ocr) if they hold text"
        )
    for warning in warnings:
        log.info("%s: %s", name, warning)
    document = analyze(pages, source=name, dpi=options.dpi, lexicon=_lexicon(options))
    document.warnings = warnings
    return document


def structure_of_pages(
    pages: Iterable[tuple[Page, Image.Image | None]],
    options: StructureOptions | None = None,
    *,
    source: str | None = None,
) -> StructureDocument:
    """The structure of pages read by any engine, each with its image or ``None``.

    The image (the one the engine read; boxes are in its pixels) only serves to estimate
    which lines are bold, and is dropped once its page's lines are read, so pages can come
    from a generator one at a time.
    """
    options = options or StructureOptions()
    read: list[PageLines] = []
    dpis: set[float] = set()
    for page, image in pages:
        if page.dpi:
            dpis.add(page.dpi)
        reading = (
            "text-layer" if page.provenance and page.provenance.engine == "pdf-text" else "ocr"
        )
        read.append(
            PageLines(
                index=page.index,
                width=page.width,
                height=page.height,
                lines=lines_from_page(page, image),
                tables=list(page.tables),
                reading=reading,
            )
        )
    dpi = dpis.pop() if len(dpis) == 1 else 72.0
    result = analyze(read, source=source, dpi=dpi, lexicon=_lexicon(options))
    if not any(page.lines for page in read):
        result.warnings.append("no text was read on any page")
    return result


def structure_of_document(
    document: Document,
    options: StructureOptions | None = None,
    images: Sequence[Image.Image | None] | None = None,
) -> StructureDocument:
    """The structure of a document read by any engine (OCR or a text layer).

    Args:
        document: The engine's reading (boxes in the pixels of each page).
        options: Languages and dehyphenation (``dpi`` is the pages' own).
        images: Each page's image, to estimate which lines are bold (optional).
    """
    pairs = [
        (page, images[i] if images is not None and i < len(images) else None)
        for i, page in enumerate(document.pages)
    ]
    return structure_of_pages(pairs, options, source=document.source)
