"""PDF files (or their bytes) -> page images, each with the words of its text layer.

Pages are rendered with pypdfium2 one at a time, so a long PDF never sits in memory. While a page
is open its text layer is read too (:func:`ocrxtract.io.text_layer.page_text_layer`): the words
travel with the page image, so the ``pdf-text`` engine never opens the file again and in-memory
PDFs need no temporary file.

PDFium is not thread-safe: read documents in parallel with processes, not threads.
"""

from __future__ import annotations

import logging
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from ocrxtract.document import Page
from ocrxtract.errors import (
    CorruptInputError,
    EmptyInputError,
    EncryptedPdfError,
    InputNotFoundError,
    InputTooLargeError,
    UnsupportedFormatError,
    UsageError,
)
from ocrxtract.io.images import check_pixels, normalize_image
from ocrxtract.io.page import DEFAULT_LIMITS, InputLimits, PageImage, check_dpi
from ocrxtract.io.sniff import detect_format
from ocrxtract.io.text_layer import page_text_layer, pdf_pixel_size

log = logging.getLogger(__name__)

__all__ = [
    "get_pdf_page",
    "iter_pdf_pages",
    "open_pdf",
    "pdf_page_size",
    "pdf_pixel_size",
    "read_text_layer",
    "render_page",
    "select_pages",
]


def open_pdf(data: Path | bytes, source: str | Path | None = None) -> Any:
    """Open a PDF file, or the bytes of one, with PDFium.

    Args:
        data: The file's path, or its content.
        source: How to name it in errors (default: the path).

    Raises:
        EncryptedPdfError: password-protected.
        InputNotFoundError: PDFium cannot open the file.
        CorruptInputError: damaged or truncated.
        EmptyInputError: no pages.
    """
    import ctypes
    import os

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    name: str | Path = source if source is not None else data if isinstance(data, Path) else "PDF"
    buffer = None
    if isinstance(data, Path):
        raw = pdfium_c.FPDF_LoadDocument(os.fsencode(data.resolve()), None)
    else:
        buffer = ctypes.create_string_buffer(bytes(data), len(data))
        raw = pdfium_c.FPDF_LoadMemDocument64(buffer, len(data), None)
    if not raw:
        # Read only after a failed load: PDFium's last error is stale after a success.
        code = pdfium_c.FPDF_GetLastError()
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedPdfError(
                name,
                "the PDF is password-protected",
                "remove the password, e.g. with qpdf --decrypt --password=PASSWORD in.pdf out.pdf",
            )
        if code == pdfium_c.FPDF_ERR_FILE:
            raise InputNotFoundError(name, "PDFium cannot open the file", "check its permissions")
        raise CorruptInputError(
            name,
            "not a readable PDF: the file is damaged or truncated",
            "export or download it again, or repair it (e.g. qpdf in.pdf repaired.pdf)",
        )
    pdf = pdfium.PdfDocument(raw)
    if buffer is not None:  # PDFium reads the bytes lazily: they live as long as the document
        pdf._data_holder.append(buffer)
    if len(pdf) < 1:
        pdf.close()
        raise EmptyInputError(name, "the PDF has no pages", "check the export that made it")
    return pdf


def select_pages(
    source: str | Path, count: int, pages: Sequence[int] | None, limits: InputLimits
) -> list[int]:
    """The 0-based page indices to read, checked against the page count and the limit."""
    indices = list(range(count)) if pages is None else [int(p) for p in pages]
    for index in indices:
        if not 0 <= index < count:
            raise UsageError(
                f"{source}: there is no page index {index} (the file has {count} page(s); "
                "page indices are 0-based)"
            )
    if len(indices) > limits.max_pages:
        raise InputTooLargeError(
            source,
            f"{len(indices)} pages to read, more than the limit of {limits.max_pages}",
            "select fewer pages (pages=...), or raise InputLimits.max_pages",
        )
    return indices


def get_pdf_page(pdf: Any, source: str | Path, index: int) -> Any:
    """Page ``index`` of an open PDF, or a :class:`CorruptInputError` naming ``source``."""
    import pypdfium2 as pdfium

    try:
        return pdf[index]
    except pdfium.PdfiumError as exc:
        raise CorruptInputError(
            source, f"page {index + 1} cannot be read ({exc})", "the PDF is damaged: repair it"
        ) from exc


def _has_text(page: Any) -> bool:
    textpage = page.get_textpage()
    try:
        return bool(textpage.get_text_range().strip())
    finally:
        textpage.close()


def render_page(
    page: Any, source: str | Path, index: int, dpi: float, limits: InputLimits
) -> Image.Image:
    """Render an open PDF page at ``dpi`` (size checked against the limits first)."""
    import pypdfium2 as pdfium

    width, height = pdf_pixel_size(page, dpi)
    try:
        check_pixels(source, width, height, limits)
    except InputTooLargeError as exc:
        raise InputTooLargeError(
            source,
            f"page {index + 1} at {dpi:g} dpi: {exc.problem}",
            f"render at a lower dpi (e.g. dpi={max(1, int(dpi * 0.5))}), or raise "
            "InputLimits.max_pixels",
        ) from exc
    except EmptyInputError as exc:
        raise EmptyInputError(source, f"page {index + 1} has no area", exc.fix) from exc
    try:
        bitmap = page.render(scale=dpi / 72.0, may_draw_forms=False)
        image = bitmap.to_pil()
    except (pdfium.PdfiumError, ValueError) as exc:
        raise CorruptInputError(
            source,
            f"page {index + 1} cannot be rendered ({exc})",
            "the PDF is damaged: repair it",
        ) from exc
    return normalize_image(image)


def iter_pdf_pages(
    pdf: Any, source: str | Path, indices: Sequence[int], dpi: float, limits: InputLimits
) -> Generator[PageImage, None, None]:
    """The pages ``indices`` of an open PDF, rendered one at a time; closes the PDF."""
    try:
        for index in indices:
            page = get_pdf_page(pdf, source, index)
            try:
                image = render_page(page, source, index, dpi, limits)
                has_text = _has_text(page)
                words = page_text_layer(page, index, dpi) if has_text else None
            finally:
                page.close()
            yield PageImage(
                image=image,
                index=index,
                source=str(source),
                dpi=float(dpi),
                has_text_layer=has_text,
                text_layer=words,
            )
    finally:
        pdf.close()


def _open_pdf_file(path: str | Path) -> tuple[Path, Any]:
    path = Path(path)
    kind = detect_format(path)
    if kind != "pdf":
        raise UnsupportedFormatError(
            path, f"a {kind.upper()} image has no text layer", "pass a PDF, or use an OCR engine"
        )
    return path, open_pdf(path)


def read_text_layer(path: str | Path, page_index: int, *, dpi: float) -> Page:
    """The words of one page of a PDF file, with boxes in pixels of the page at ``dpi``.

    A convenience for one page: :func:`ocrxtract.io.iter_pages` gives every page's words with
    its image (``PageImage.text_layer``) without opening the file twice.

    Raises:
        InputError: the file is missing, not a PDF, damaged or encrypted.
        UsageError: ``page_index`` out of range, or a non-positive dpi.
    """
    dpi = check_dpi(dpi, "dpi")
    path, pdf = _open_pdf_file(path)
    try:
        select_pages(path, len(pdf), [page_index], DEFAULT_LIMITS)
        page = get_pdf_page(pdf, path, page_index)
        try:
            return page_text_layer(page, page_index, dpi)
        finally:
            page.close()
    finally:
        pdf.close()


def pdf_page_size(path: str | Path, page_index: int) -> tuple[float, float]:
    """Width and height in PDF points of a page as displayed (its /Rotate applied).

    Raises:
        InputError: the file is missing, not a PDF, damaged or encrypted.
        UsageError: ``page_index`` out of range.
    """
    path, pdf = _open_pdf_file(path)
    try:
        select_pages(path, len(pdf), [page_index], DEFAULT_LIMITS)
        page = get_pdf_page(pdf, path, page_index)
        try:
            width, height = page.get_size()
        finally:
            page.close()
    finally:
        pdf.close()
    return float(width), float(height)
