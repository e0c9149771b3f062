"""Whole documents (a file, or its bytes held in memory) -> page images, lazily.

:func:`iter_pages` is the one entry point: the type comes from the content (a PDF named
``.png`` is a PDF), images are decoded with Pillow (:mod:`ocrxtract.io.images`) and PDF pages
rendered with PDFium along with their text layer (:mod:`ocrxtract.io.pdf`). Every problem raises
a typed :class:`~ocrxtract.errors.InputError` that names the document and the fix, never a raw
Pillow or PDFium traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from ocrxtract.io.images import check_pixels, frame_count, iter_image_pages, open_image
from ocrxtract.io.page import DEFAULT_LIMITS, InputLimits, PageImage, check_dpi
from ocrxtract.io.pdf import iter_pdf_pages, open_pdf, select_pages
from ocrxtract.io.sniff import detect_bytes_format, detect_format

log = logging.getLogger(__name__)

#: A document: the path of a file, or the content of one held in memory.
DocumentSource = str | Path | bytes


def _identify(
    source: DocumentSource, name: str | None, limits: InputLimits
) -> tuple[Path | bytes, str | Path, str]:
    """(what to open, how to name it, its type)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        label = name or "<memory>"
        return data, label, detect_bytes_format(data, label, limits)
    path = Path(source)
    return path, name or path, detect_format(path, limits)


def count_pages(
    source: DocumentSource, limits: InputLimits = DEFAULT_LIMITS, *, name: str | None = None
) -> int:
    """Number of pages of a document (1 for a single image, frames of a TIFF, PDF pages).

    Args:
        source: A file path, or the bytes of a file.
        limits: Size limits; more pages than ``limits.max_pages`` is an error.
        name: How to name in-memory bytes in errors.

    Raises:
        InputError: any problem with the document (see :func:`iter_pages`).
    """
    data, label, kind = _identify(source, name, limits)
    if kind == "pdf":
        pdf = open_pdf(data, label)
        try:
            count = len(pdf)
        finally:
            pdf.close()
    else:
        with open_image(data, kind, label) as image:
            count = frame_count(image, kind)
    select_pages(label, count, None, limits)
    return count


def iter_pages(
    source: DocumentSource,
    *,
    dpi: float = 200,
    assume_dpi: float | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
    pages: Sequence[int] | None = None,
    name: str | None = None,
) -> Generator[PageImage, None, None]:
    """Read a document page by page, lazily: one page image is decoded per step.

    The document is checked when this function is called (missing, empty, wrong type,
    encrypted, damaged header, too many pages); problems with one page's pixels are raised when
    that page is reached. The file stays open until the generator is exhausted or closed
    (``.close()``). Only the pages asked for are decoded or rendered.

    Args:
        source: An image (PNG, JPEG, TIFF, WebP, BMP) or a PDF: its path, or its bytes.
        dpi: Resolution at which PDF pages are rendered (``PageImage.dpi`` is then ``dpi``).
        assume_dpi: Resolution given to images whose file states none, or 72/96 (which
            usually means "unknown"). ``None`` leaves their ``dpi`` unknown.
        limits: Size limits (pixels per page, pages, file bytes).
        pages: 0-based indices of the pages to read, in that order; ``None`` reads them all.
        name: How to name the document in errors and ``PageImage.source`` (default: its
            path; ``<memory>`` for bytes).

    Yields:
        One :class:`PageImage` per page: RGB or L, EXIF orientation applied, alpha composited on
        white; PDF pages carry ``has_text_layer`` and the words of their ``text_layer``.

    Raises:
        InputNotFoundError, EmptyInputError, UnsupportedFormatError, CorruptInputError,
        EncryptedPdfError, InputTooLargeError: a problem with the document, named with its fix.
        UsageError: a page index out of range, or a non-positive dpi.
    """
    dpi = check_dpi(dpi, "dpi")
    if assume_dpi is not None:
        assume_dpi = check_dpi(assume_dpi, "assume_dpi")
    data, label, kind = _identify(source, name, limits)
    if kind == "pdf":
        pdf = open_pdf(data, label)
        try:
            indices = select_pages(label, len(pdf), pages, limits)
        except Exception:
            pdf.close()
            raise
        return iter_pdf_pages(pdf, label, indices, dpi, limits)
    image = open_image(data, kind, label)
    try:
        indices = select_pages(label, frame_count(image, kind), pages, limits)
        check_pixels(label, image.width, image.height, limits)
    except Exception:
        image.close()
        raise
    return iter_image_pages(
        image, source=label, kind=kind, indices=indices, assume_dpi=assume_dpi, limits=limits
    )


def load_pages(source: DocumentSource, **kwargs: Any) -> list[PageImage]:
    """Every page of a document in a list; same arguments as :func:`iter_pages`."""
    return list(iter_pages(source, **kwargs))
