"""One in-memory image (PIL image, NumPy array, or the bytes of an image file) -> a page image."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageFile

from ocrxtract.errors import EmptyInputError, UnsupportedFormatError, UsageError
from ocrxtract.io.images import (
    array_to_image,
    check_pixels,
    decode_frame,
    image_dpi,
    open_image,
    orientation,
    prepare,
)
from ocrxtract.io.page import DEFAULT_LIMITS, InputLimits, PageImage, check_dpi
from ocrxtract.io.sniff import HEAD_BYTES, SUPPORTED_TYPES, describe, sniff_format

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)


def _from_bytes(data: bytes, source: str, limits: InputLimits) -> tuple[Image.Image, int]:
    if not data:
        raise EmptyInputError(source, "no bytes", "pass the content of an image file")
    kind = sniff_format(data[:HEAD_BYTES])
    if kind is None or kind == "pdf":
        what = "a PDF" if kind == "pdf" else f"content {describe(data[:HEAD_BYTES])}"
        raise UnsupportedFormatError(
            source,
            f"{what} cannot be loaded as one image",
            "read PDFs page by page with iter_pages() (it takes bytes too); images must be "
            f"one of {SUPPORTED_TYPES}",
        )
    opened = open_image(data, kind, source)
    if getattr(opened, "n_frames", 1) > 1:
        log.warning("%s: multi-page image, only its first page is loaded", source)
    check_pixels(source, opened.width, opened.height, limits)
    pil = decode_frame(opened, source, kind, "the image")
    return pil, orientation(pil, source)


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
        UnsupportedFormatError: not an image, or PDF bytes (read them with
            :func:`~ocrxtract.io.iter_pages`, which renders PDF pages).
        CorruptInputError, EmptyInputError, InputTooLargeError: as for files.
    """
    if isinstance(image, (bytes, bytearray, memoryview)):
        pil, turn = _from_bytes(bytes(image), source, limits)
    elif isinstance(image, Image.Image):
        pil = image
        if isinstance(pil, ImageFile.ImageFile):  # opened from a file, maybe not decoded yet
            check_pixels(source, pil.width, pil.height, limits)
            decode_frame(pil, source, str(pil.format or "image"), "the image")
        turn = orientation(pil, source)
    elif hasattr(image, "__array_interface__"):
        import numpy as np

        pil = array_to_image(np.asarray(image), source)
        turn = 1
    else:
        raise UsageError(
            f"{source}: load_image takes a PIL image, a NumPy array or bytes, "
            f"not {type(image).__name__}"
        )
    check_pixels(source, pil.width, pil.height, limits)
    dpi = image_dpi(pil.info) if dpi is None else check_dpi(dpi, "dpi")
    return PageImage(image=prepare(pil, turn), source=source, dpi=dpi)
