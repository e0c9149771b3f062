"""Document files -> page images (and text layers of born-digital PDFs).

Every input becomes a :class:`PageImage`: an RGB (or L) PIL image, EXIF orientation applied,
with its real resolution when the file states one. The file type is found from its first bytes,
not from its name. Images (PNG, JPEG, TIFF with all its pages, WebP, BMP) are decoded with
Pillow; PDF pages are rendered with pypdfium2, one at a time, so a long PDF never sits in memory.

PDFium is not thread-safe: read documents in parallel with processes, not threads.

Every problem with a file raises a typed :class:`~ocrxtract.errors.InputError` that names the file
and the fix, never a raw Pillow or PDFium traceback. Sizes are checked *before* pixels are
decoded (:class:`InputLimits`), so a decompression bomb is refused without allocating it.

The words of born-digital PDF pages, with their boxes, are read by :mod:`ocrxtract.text_layer`.
"""

from __future__ import annotations

import logging
import math
import struct
import zlib
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from PIL import Image

from ocrxtract.errors import (
    CorruptInputError,
    EmptyInputError,
    EncryptedPdfError,
    InputNotFoundError,
    InputTooLargeError,
    UnsupportedFormatError,
    UsageError,
)

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

#: Resolutions that image files state when they do not know their real one.
UNKNOWN_DPI_VALUES = frozenset({72.0, 96.0})

#: File name suffixes of the formats ocrxtract reads, with the format each one names. The real
#: type is always read from the file's first bytes (:func:`detect_format`).
SUPPORTED_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {
        ".png": "png",
        ".jpg": "jpeg",
        ".jpeg": "jpeg",
        ".tif": "tiff",
        ".tiff": "tiff",
        ".webp": "webp",
        ".bmp": "bmp",
        ".pdf": "pdf",
    }
)
SUPPORTED_TYPES = "PNG, JPEG, TIFF, WebP, BMP, PDF"

_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF", "webp": "WEBP", "bmp": "BMP"}
#: Resolutions below this are taken as nonsense (unknown).
_MIN_REAL_DPI = 10.0
#: Exceptions Pillow raises on damaged files (besides its DecompressionBombError).
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    struct.error,
    zlib.error,
)


@dataclass(frozen=True)
class InputLimits:
    """Limits that protect against huge or malicious inputs.

    Attributes:
        max_pixels: Most pixels in one page image. The default (180 million) takes an A0 page
            scanned at 300 dpi (140 million) and refuses decompression bombs.
        max_pages: Most pages read from one document.
        max_file_bytes: Largest file accepted (default 1 GiB).
    """

    max_pixels: int = 180_000_000
    max_pages: int = 2000
    max_file_bytes: int = 1 << 30

    def __post_init__(self) -> None:
        for name in ("max_pixels", "max_pages", "max_file_bytes"):
            if getattr(self, name) < 1:
                raise UsageError(f"InputLimits.{name} must be a positive integer")


DEFAULT_LIMITS = InputLimits()


@dataclass(frozen=True)
class PageImage:
    """One page ready for an engine.

    Attributes:
        image: The page as an RGB (or L) PIL image, EXIF orientation already applied.
        index: 0-based page number in the source file.
        source: The file it comes from (for messages and provenance).
        dpi: Real resolution in dots per inch, or ``None`` when unknown.
        has_text_layer: For a PDF page, whether it has a text layer (``None`` for images).
    """

    image: Image.Image
    index: int = 0
    source: str = "<memory>"
    dpi: float | None = None
    has_text_layer: bool | None = field(default=None)

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


# --- file guards and type detection ---------------------------------------------------------


def sniff_format(head: bytes) -> str | None:
    """The format named by a file's first bytes (``"png"``, ``"pdf"`` ...), or ``None``."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(head) >= 26:
        return "bmp"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return None


def _describe(head: bytes) -> str:
    if not head.strip():
        return "blank"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "of an unknown binary type"
    return "text"


def detect_format(path: str | Path, limits: InputLimits = DEFAULT_LIMITS) -> str:
    """Check that ``path`` is a readable, non-empty file of a supported type and return the type.

    The type comes from the file's first bytes: a PDF named ``.png`` is a PDF.

    Args:
        path: The file.
        limits: Its size must not exceed ``limits.max_file_bytes``.

    Returns:
        One of ``"png"``, ``"jpeg"``, ``"tiff"``, ``"webp"``, ``"bmp"``, ``"pdf"``.

    Raises:
        InputNotFoundError: missing, a directory, or unreadable.
        EmptyInputError: the file has 0 bytes.
        InputTooLargeError: the file is larger than the limit.
        UnsupportedFormatError: the content is of no supported type.
    """
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError(path, "no such file", "check the path and the current folder")
    if path.is_dir():
        raise InputNotFoundError(path, "is a directory, not a file", "pass the path of one file")
    if not path.is_file():
        raise InputNotFoundError(path, "is not a regular file", "pass the path of a file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyInputError(
            path, "the file is empty (0 bytes)", "check that it was copied or downloaded whole"
        )
    if size > limits.max_file_bytes:
        raise InputTooLargeError(
            path,
            f"the file has {size} bytes, more than the limit of {limits.max_file_bytes}",
            "split the document, or raise InputLimits.max_file_bytes",
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise InputNotFoundError(
            path, f"cannot be read ({exc.strerror})", "check the file's permissions"
        ) from exc
    kind = sniff_format(head)
    if kind is None:
        raise UnsupportedFormatError(
            path,
            f"not a supported file type (the content is {_describe(head)})",
            f"supported types: {SUPPORTED_TYPES}",
        )
    named = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if named is not None and named != kind:
        log.info("%s: named %s but its content is %s; reading it as %s", path, named, kind, kind)
    return kind


# --- images ---------------------------------------------------------------------------------


def _image_dpi(info: Mapping[Any, Any]) -> float | None:
    """The resolution an image file states, or ``None`` when absent or meaningless (72/96)."""
    raw: Any = info.get("dpi")
    try:
        value = float(raw[0] if isinstance(raw, (tuple, list)) else raw)
    except (TypeError, ValueError, IndexError):
        return None
    if not math.isfinite(value) or value < _MIN_REAL_DPI:
        return None
    # PNG and BMP store whole pixels per metre: 300 dpi reads back as 299.9994, 150 as 150.012.
    nearest = round(value)
    value = float(nearest) if abs(value - nearest) < 0.05 else round(value, 2)
    if any(abs(value - unknown) < 0.5 for unknown in UNKNOWN_DPI_VALUES):
        return None
    return value


def _check_pixels(source: str | Path, width: int, height: int, limits: InputLimits) -> None:
    if width <= 0 or height <= 0:
        raise EmptyInputError(
            source, f"the image has zero size ({width}x{height})", "check the file's content"
        )
    if width * height > limits.max_pixels:
        raise InputTooLargeError(
            source,
            f"the page is {width}x{height} = {width * height} pixels, more than the limit of "
            f"{limits.max_pixels}",
            "reduce its resolution, or raise InputLimits.max_pixels if the file is trusted",
        )


def _high_depth_to_l(image: Image.Image) -> Image.Image:
    """16-bit, 32-bit integer or float greyscale -> 8-bit L, scaling the range."""
    import numpy as np

    array = np.asarray(image)
    if image.mode == "F":
        peak = float(np.nanmax(array)) if array.size else 0.0
        scaled = array * 255.0 if peak <= 1.0 else array
        return Image.fromarray(np.clip(np.nan_to_num(scaled), 0, 255).astype(np.uint8), "L")
    wide = array.astype(np.int64)
    if image.mode.startswith("I;16") or int(wide.max(initial=0)) > 255:
        wide = (np.clip(wide, 0, 65535) * 255 + 32767) // 65535
    return Image.fromarray(np.clip(wide, 0, 255).astype(np.uint8), "L")


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def normalize_image(image: Image.Image) -> Image.Image:
    """Convert any Pillow image to RGB, or L for greyscale, as engines expect.

    Transparency is composited on white; palette, CMYK and other colour spaces become RGB;
    1-bit becomes L; 16-bit and float greyscale are scaled to 8 bits.
    """
    mode = image.mode
    if mode in ("RGB", "L"):
        return image
    if mode == "1":
        return image.convert("L")
    if mode in ("LA", "La"):
        return _on_white(image).convert("L")
    if mode in ("RGBA", "RGBa", "PA") or (mode == "P" and "transparency" in image.info):
        return _on_white(image)
    if mode.startswith("I") or mode == "F":
        return _high_depth_to_l(image)
    return image.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV, RGBX ...


_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image: Image.Image, source: str | Path) -> int:
    """The EXIF orientation (1-8) still to apply to a decoded image.

    Read it after decoding: Pillow turns TIFF frames upright itself when it loads them, and
    then drops their orientation tag.
    """
    try:
        value = image.getexif().get(0x0112, 1)
    except _DECODE_ERRORS as exc:  # a damaged EXIF block should not lose the page
        log.warning("%s: EXIF orientation ignored (%s)", source, exc)
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE_FOR_ORIENTATION else 1


def _prepare(image: Image.Image, orientation: int) -> Image.Image:
    """Turn a decoded image upright (EXIF ``orientation``) and normalise its colours.

    The result is always a new image: the caller's image is left as it was, and the result
    outlives the closing of the file it comes from.
    """
    method = _TRANSPOSE_FOR_ORIENTATION.get(orientation)
    upright = image.transpose(method) if method is not None else image.copy()
    return normalize_image(upright)


def _open_image(path: Path, kind: str) -> Image.Image:
    import warnings

    try:
        with warnings.catch_warnings():  # our own limit (InputLimits) governs, not PIL's warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path, formats=[_PIL_FORMATS[kind]])
    except Image.DecompressionBombError as exc:
        raise InputTooLargeError(
            path, f"the image is too large to decode safely ({exc})", "reduce its resolution"
        ) from exc
    except _DECODE_ERRORS as exc:
        raise CorruptInputError(
            path,
            f"not a readable {kind.upper()} image ({exc})",
            "the file is damaged or truncated: export or download it again",
        ) from exc


def _decode_frame(image: Image.Image, source: str | Path, kind: str, label: str) -> Image.Image:
    """Force the (lazy) decoding of the current frame so that truncation shows here."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
    except _DECODE_ERRORS as exc:
        raise CorruptInputError(
            source,
            f"{label} cannot be decoded: the {kind.upper()} data is damaged or truncated ({exc})",
            "export or download the file again",
        ) from exc
    return image


def _iter_image_pages(
    path: Path,
    image: Image.Image,
    *,
    kind: str,
    indices: Sequence[int],
    assume_dpi: float | None,
    limits: InputLimits,
) -> Generator[PageImage, None, None]:
    try:
        for index in indices:
            label = f"page {index + 1}"
            try:
                image.seek(index)
            except _DECODE_ERRORS as exc:
                raise CorruptInputError(
                    path, f"{label} cannot be read ({exc})", "the file is damaged"
                ) from exc
            _check_pixels(path, image.width, image.height, limits)
            _decode_frame(image, path, kind, label)
            frame = _prepare(image, _orientation(image, path))
            dpi = _image_dpi(image.info) or assume_dpi
            yield PageImage(image=frame, index=index, source=str(path), dpi=dpi)
    finally:
        image.close()


# --- PDF ------------------------------------------------------------------------------------


def open_pdf(path: Path) -> Any:
    """Open a PDF with PDFium; typed errors for damaged, encrypted or page-less files."""
    import os

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    raw = pdfium_c.FPDF_LoadDocument(os.fsencode(path.resolve()), None)
    if not raw:
        # Read only after a failed load: PDFium's last error is stale after a success.
        code = pdfium_c.FPDF_GetLastError()
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedPdfError(
                path,
                "the PDF is password-protected",
                "remove the password, e.g. with qpdf --decrypt --password=PASSWORD in.pdf out.pdf",
            )
        if code == pdfium_c.FPDF_ERR_FILE:
            raise InputNotFoundError(path, "PDFium cannot open the file", "check its permissions")
        raise CorruptInputError(
            path,
            "not a readable PDF: the file is damaged or truncated",
            "export or download it again, or repair it (e.g. qpdf in.pdf repaired.pdf)",
        )
    pdf = pdfium.PdfDocument(raw)
    if len(pdf) < 1:
        pdf.close()
        raise EmptyInputError(path, "the PDF has no pages", "check the export that made it")
    return pdf


def select_pages(
    path: Path, count: int, pages: Sequence[int] | None, limits: InputLimits
) -> list[int]:
    """The 0-based page indices to read, checked against the page count and the limit."""
    indices = list(range(count)) if pages is None else [int(p) for p in pages]
    for index in indices:
        if not 0 <= index < count:
            raise UsageError(
                f"{path}: there is no page index {index} (the file has {count} page(s); "
                "page indices are 0-based)"
            )
    if len(indices) > limits.max_pages:
        raise InputTooLargeError(
            path,
            f"{len(indices)} pages to read, more than the limit of {limits.max_pages}",
            "select fewer pages (pages=...), or raise InputLimits.max_pages",
        )
    return indices


def get_pdf_page(pdf: Any, path: Path, index: int) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdf[index]
    except pdfium.PdfiumError as exc:
        raise CorruptInputError(
            path, f"page {index + 1} cannot be read ({exc})", "the PDF is damaged: repair it"
        ) from exc


def pdf_pixel_size(page: Any, dpi: float) -> tuple[int, int]:
    """Size in pixels of ``page`` rendered at ``dpi``, exactly as PDFium renders it."""
    width, height = page.get_size()  # points, /Rotate already applied
    scale = dpi / 72.0
    return math.ceil(width * scale), math.ceil(height * scale)


def _has_text(page: Any) -> bool:
    textpage = page.get_textpage()
    try:
        return bool(textpage.get_text_range().strip())
    finally:
        textpage.close()


def _render(page: Any, path: Path, index: int, dpi: float, limits: InputLimits) -> Image.Image:
    import pypdfium2 as pdfium

    width, height = pdf_pixel_size(page, dpi)
    try:
        _check_pixels(path, width, height, limits)
    except InputTooLargeError as exc:
        raise InputTooLargeError(
            path,
            f"page {index + 1} at {dpi:g} dpi: {exc.problem}",
            f"render at a lower dpi (e.g. dpi={max(1, int(dpi * 0.5))}), or raise "
            "InputLimits.max_pixels",
        ) from exc
    except EmptyInputError as exc:
        raise EmptyInputError(path, f"page {index + 1} has no area", exc.fix) from exc
    try:
        bitmap = page.render(scale=dpi / 72.0, may_draw_forms=False)
        image = bitmap.to_pil()
    except (pdfium.PdfiumError, ValueError) as exc:
        raise CorruptInputError(
            path, f"page {index + 1} cannot be rendered ({exc})", "the PDF is damaged: repair it"
        ) from exc
    return normalize_image(image)


def _iter_pdf_pages(
    path: Path, pdf: Any, indices: Sequence[int], dpi: float, limits: InputLimits
) -> Generator[PageImage, None, None]:
    try:
        for index in indices:
            page = get_pdf_page(pdf, path, index)
            try:
                image = _render(page, path, index, dpi, limits)
                has_text = _has_text(page)
            finally:
                page.close()
            yield PageImage(
                image=image, index=index, source=str(path), dpi=float(dpi), has_text_layer=has_text
            )
    finally:
        pdf.close()


# --- public loaders -------------------------------------------------------------------------


def check_dpi(dpi: float, name: str) -> float:
    if not (math.isfinite(dpi) and dpi > 0):
        raise UsageError(f"{name} must be a positive number of dots per inch, not {dpi!r}")
    return float(dpi)


def count_pages(path: str | Path, limits: InputLimits = DEFAULT_LIMITS) -> int:
    """Number of pages of a document (1 for a single image, frames of a TIFF, PDF pages).

    Raises:
        InputError: any problem with the file (see :func:`iter_pages`), including more pages
            than ``limits.max_pages``.
    """
    path = Path(path)
    kind = detect_format(path, limits)
    if kind == "pdf":
        pdf = open_pdf(path)
        try:
            count = len(pdf)
        finally:
            pdf.close()
    else:
        with _open_image(path, kind) as image:
            count = getattr(image, "n_frames", 1) if kind == "tiff" else 1
    select_pages(path, count, None, limits)
    return count


def iter_pages(
    path: str | Path,
    *,
    dpi: float = 200,
    assume_dpi: float | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
    pages: Sequence[int] | None = None,
) -> Generator[PageImage, None, None]:
    """Read a document page by page, lazily: one page image is decoded per step.

    The file is checked when this function is called (missing, empty, wrong type, encrypted,
    damaged header, too many pages); problems with one page's pixels are raised when that page
    is reached. The file stays open until the generator is exhausted or closed (``.close()``).

    Args:
        path: An image (PNG, JPEG, TIFF, WebP, BMP) or a PDF; the type comes from the content.
        dpi: Resolution at which PDF pages are rendered (``PageImage.dpi`` is then ``dpi``).
        assume_dpi: Resolution given to images whose file states none, or 72/96 (which
            usually means "unknown"). ``None`` leaves their ``dpi`` unknown.
        limits: Size limits (pixels per page, pages, file bytes).
        pages: 0-based indices of the pages to read, in that order; ``None`` reads them all.

    Yields:
        One :class:`PageImage` per page: RGB or L, EXIF orientation applied, alpha composited on
        white; PDF pages carry ``has_text_layer``.

    Raises:
        InputNotFoundError, EmptyInputError, UnsupportedFormatError, CorruptInputError,
        EncryptedPdfError, InputTooLargeError: a problem with the file, named with its fix.
        UsageError: a page index out of range, or a non-positive dpi.
    """
    path = Path(path)
    dpi = check_dpi(dpi, "dpi")
    if assume_dpi is not None:
        assume_dpi = check_dpi(assume_dpi, "assume_dpi")
    kind = detect_format(path, limits)
    if kind == "pdf":
        pdf = open_pdf(path)
        try:
            indices = select_pages(path, len(pdf), pages, limits)
        except Exception:
            pdf.close()
            raise
        return _iter_pdf_pages(path, pdf, indices, dpi, limits)
    image = _open_image(path, kind)
    try:
        count = getattr(image, "n_frames", 1) if kind == "tiff" else 1
        indices = select_pages(path, count, pages, limits)
        _check_pixels(path, image.width, image.height, limits)
    except Exception:
        image.close()
        raise
    return _iter_image_pages(
        path, image, kind=kind, indices=indices, assume_dpi=assume_dpi, limits=limits
    )


def load_pages(path: str | Path, **kwargs: Any) -> list[PageImage]:
    """Every page of a document in a list; same arguments as :func:`iter_pages`."""
    return list(iter_pages(path, **kwargs))


def _array_to_image(array: np.ndarray[Any, Any], source: str) -> Image.Image:
    import numpy as np

    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise UnsupportedFormatError(
            source,
            f"an array of shape {array.shape} is not an image",
            "pass an HxW (grey), HxWx3 (RGB) or HxWx4 (RGBA) array",
        )
    if array.size == 0:
        raise EmptyInputError(
            source, f"the image has zero size {array.shape[:2]}", "pass a non-empty array"
        )
    if array.dtype == np.bool_:
        array = array.astype(np.uint8) * 255
    elif np.issubdtype(array.dtype, np.floating):
        finite = np.nan_to_num(array.astype(np.float64))
        scale = 255.0 if float(finite.max()) <= 1.0 else 1.0
        array = np.clip(finite * scale, 0, 255).round().astype(np.uint8)
    elif array.dtype != np.uint8:
        wide = array.astype(np.int64)
        if int(wide.max()) > 255:
            wide = (np.clip(wide, 0, 65535) * 255 + 32767) // 65535
        array = np.clip(wide, 0, 255).astype(np.uint8)
    mode = {2: "L", 3: "RGB", 4: "RGBA"}[array.ndim if array.ndim == 2 else array.shape[2]]
    return Image.fromarray(np.ascontiguousarray(array), mode)


def load_image(
    image: Image.Image | np.ndarray[Any, Any] | bytes,
    *,
    dpi: float | None = None,
    source: str = "<memory>",
    limits: InputLimits = DEFAULT_LIMITS,
) -> PageImage:
    """Turn an in-memory image into a :class:`PageImage` (for the app and notebooks).

    Args:
        image: A PIL image, a NumPy array (HxW grey, HxWx3 RGB — not OpenCV's BGR — or HxWx4
            RGBA; uint8, uint16, float in [0, 1] or bool) or the bytes of an image file.
        dpi: Resolution; ``None`` reads it from the image (72/96 or absent -> unknown).
        source: Name used in messages and provenance.
        limits: Pixel limit (checked before decoding bytes).

    Raises:
        UnsupportedFormatError: not an image, or PDF bytes (save them to a file and use
            :func:`iter_pages`, which renders PDF pages).
        CorruptInputError, EmptyInputError, InputTooLargeError: as for files.
    """
    import io as _io

    from PIL import ImageFile

    if isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
        if not data:
            raise EmptyInputError(source, "no bytes", "pass the content of an image file")
        kind = sniff_format(data[:1024])
        if kind is None or kind == "pdf":
            what = "a PDF" if kind == "pdf" else f"content {_describe(data[:1024])}"
            raise UnsupportedFormatError(
                source,
                f"{what} cannot be loaded as one image",
                "save PDFs to a file and use iter_pages(); images must be one of "
                f"{SUPPORTED_TYPES}",
            )
        try:
            opened = Image.open(_io.BytesIO(data), formats=[_PIL_FORMATS[kind]])
        except Image.DecompressionBombError as exc:
            raise InputTooLargeError(
                source, f"the image is too large to decode safely ({exc})", "reduce its resolution"
            ) from exc
        except _DECODE_ERRORS as exc:
            raise CorruptInputError(
                source,
                f"not a readable {kind.upper()} image ({exc})",
                "the data is damaged or truncated: load the file again",
            ) from exc
        if getattr(opened, "n_frames", 1) > 1:
            log.warning("%s: multi-page image, only its first page is loaded", source)
        _check_pixels(source, opened.width, opened.height, limits)
        pil = _decode_frame(opened, source, kind, "the image")
        orientation = _orientation(pil, source)
    elif isinstance(image, Image.Image):
        pil = image
        if isinstance(pil, ImageFile.ImageFile):  # opened from a file, maybe not decoded yet
            _check_pixels(source, pil.width, pil.height, limits)
            _decode_frame(pil, source, str(pil.format or "image"), "the image")
        orientation = _orientation(pil, source)
    elif hasattr(image, "__array_interface__"):
        import numpy as np

        pil = _array_to_image(np.asarray(image), source)
        orientation = 1
    else:
        raise UsageError(
            f"{source}: load_image takes a PIL image, a NumPy array or bytes, "
            f"not {type(image).__name__}"
        )
    _check_pixels(source, pil.width, pil.height, limits)
    dpi = _image_dpi(pil.info) if dpi is None else check_dpi(dpi, "dpi")
    return PageImage(image=_prepare(pil, orientation), source=source, dpi=dpi)
