"""Documents -> page images (and the text layers of born-digital PDFs).

Every input becomes a :class:`PageImage`: an RGB (or L) PIL image, EXIF orientation applied,
with its real resolution when the file states one. A document is a file path or the bytes of a
file (uploads need no temporary file); its type is found from its first bytes, not from its name.

=====================  =============================================================
module                 job
=====================  =============================================================
:mod:`.page`           :class:`PageImage`, :class:`InputLimits`
:mod:`.sniff`          the type of a file or of bytes, size guards
:mod:`.images`         Pillow decoding: orientation, colours, depths, resolution
:mod:`.pdf`            PDFium rendering, one page at a time, with the text layer
:mod:`.text_layer`     the words of an open PDF page, with pixel boxes
:mod:`.documents`      :func:`iter_pages` / :func:`count_pages` over any document
:mod:`.memory`         :func:`load_image` for one in-memory image or array
=====================  =============================================================

Every problem with an input raises a typed :class:`~ocrxtract.errors.InputError` that names the
document and the fix. Sizes are checked *before* pixels are decoded (:class:`InputLimits`), so a
decompression bomb is refused without allocating it.
"""

from ocrxtract.io.documents import DocumentSource, count_pages, iter_pages, load_pages
from ocrxtract.io.images import normalize_image
from ocrxtract.io.memory import load_image
from ocrxtract.io.page import (
    DEFAULT_LIMITS,
    UNKNOWN_DPI_VALUES,
    InputLimits,
    PageImage,
    check_dpi,
)
from ocrxtract.io.pdf import open_pdf, pdf_page_size, read_text_layer
from ocrxtract.io.sniff import (
    SUPPORTED_SUFFIXES,
    SUPPORTED_TYPES,
    detect_bytes_format,
    detect_format,
    sniff_format,
)

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_SUFFIXES",
    "SUPPORTED_TYPES",
    "UNKNOWN_DPI_VALUES",
    "DocumentSource",
    "InputLimits",
    "PageImage",
    "check_dpi",
    "count_pages",
    "detect_bytes_format",
    "detect_format",
    "iter_pages",
    "load_image",
    "load_pages",
    "normalize_image",
    "open_pdf",
    "pdf_page_size",
    "read_text_layer",
    "sniff_format",
]
