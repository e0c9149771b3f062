"""Image files and in-memory images -> page images (Pillow).

Images (PNG, JPEG, TIFF with all its pages, WebP, BMP) are decoded with Pillow, from a file or
from bytes; EXIF orientation is applied, colours become RGB (or L for greyscale) and the real
resolution is kept when the file states one (72 and 96 dpi mean "unknown"). Sizes are checked
*before* pixels are decoded, so a decompression bomb is refused without allocating it.
"""

from __future__ import annotations

import io
import logging
import math
import struct
import warnings
import zlib
from collections.abc import Generator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from ocrxtract.errors import (
    CorruptInputError,
    EmptyInputError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from ocrxtract.io.page import UNKNOWN_DPI_VALUES, InputLimits, PageImage

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF", "webp": "WEBP", "bmp": "BMP"}
#: Resolutions below this are taken as nonsense (unknown).
_MIN_REAL_DPI = 10.0
#: Exceptions Pillow raises on damaged files (besides its DecompressionBombError).
DECODE_ERRORS = (
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


def image_dpi(info: Mapping[Any, Any]) -> float | None:
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


def check_pixels(source: str | Path, width: int, height: int, limits: InputLimits) -> None:
    """Refuse a page of zero size or of more pixels than ``limits.max_pixels``."""
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


def to_uint8(array: np.ndarray[Any, Any], *, wide: bool = False) -> np.ndarray[Any, Any]:
    """Pixel values of any depth as 8 bits.

    Floats in ``[0, 1]`` are scaled to ``[0, 255]`` (other floats are taken as 8-bit values);
    integers above 255, or any integer when ``wide`` (16-bit image modes), are scaled from
    ``[0, 65535]``; booleans become 0/255. NaN counts as 0.
    """
    import numpy as np

    if array.dtype == np.bool_:
        return array.astype(np.uint8) * 255
    if np.issubdtype(array.dtype, np.floating):
        finite = np.nan_to_num(array.astype(np.float64))
        scale = 255.0 if finite.size and float(finite.max()) <= 1.0 else 1.0
        return np.asarray(np.clip(finite * scale, 0, 255).round().astype(np.uint8))
    if array.dtype == np.uint8:
        return array
    values = array.astype(np.int64)
    if wide or int(values.max(initial=0)) > 255:
        values = (np.clip(values, 0, 65535) * 255 + 32767) // 65535
    return np.asarray(np.clip(values, 0, 255).astype(np.uint8))


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
        import numpy as np

        return Image.fromarray(to_uint8(np.asarray(image), wide=mode.startswith("I;16")), "L")
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


def orientation(image: Image.Image, source: str | Path) -> int:
    """The EXIF orientation (1-8) still to apply to a decoded image.

    Read it after decoding: Pillow turns TIFF frames upright itself when it loads them, and
    then drops their orientation tag.
    """
    try:
        value = image.getexif().get(0x0112, 1)
    except DECODE_ERRORS as exc:  # a damaged EXIF block should not lose the page
        log.warning("%s: EXIF orientation ignored (%s)", source, exc)
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE_FOR_ORIENTATION else 1


def prepare(image: Image.Image, turn: int) -> Image.Image:
    """Turn a decoded image upright (EXIF orientation ``turn``) and normalise its colours.

    The result is always a new image: the caller's image is left as it was, and the result
    outlives the closing of the file it comes from.
    """
    method = _TRANSPOSE_FOR_ORIENTATION.get(turn)
    upright = image.transpose(method) if method is not None else image.copy()
    return normalize_image(upright)


def open_image(data: Path | bytes, kind: str, source: str | Path) -> Image.Image:
    """Open (without decoding pixels) an image file, or the bytes of one, of type ``kind``.

    Raises:
        InputTooLargeError: Pillow's own bomb guard refused it.
        CorruptInputError: the header is damaged.
    """
    handle: Path | io.BytesIO = data if isinstance(data, Path) else io.BytesIO(data)
    try:
        with warnings.catch_warnings():  # our own limit (InputLimits) governs, not PIL's warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(handle, formats=[PIL_FORMATS[kind]])
    except Image.DecompressionBombError as exc:
        raise InputTooLargeError(
            source, f"the image is too large to decode safely ({exc})", "reduce its resolution"
        ) from exc
    except DECODE_ERRORS as exc:
        raise CorruptInputError(
            source,
            f"not a readable {kind.upper()} image ({exc})",
            "the data is damaged or truncated: export or download it again",
        ) from exc


def decode_frame(image: Image.Image, source: str | Path, kind: str, label: str) -> Image.Image:
    """Force the (lazy) decoding of the current frame so that truncation shows here."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
    except DECODE_ERRORS as exc:
        raise CorruptInputError(
            source,
            f"{label} cannot be decoded: the {kind.upper()} data is damaged or truncated ({exc})",
            "export or download the file again",
        ) from exc
    return image


def frame_count(image: Image.Image, kind: str) -> int:
    """Pages of an opened image: the frames of a TIFF, 1 for the other types."""
    return int(getattr(image, "n_frames", 1)) if kind == "tiff" else 1


def iter_image_pages(
    image: Image.Image,
    *,
    source: str | Path,
    kind: str,
    indices: Sequence[int],
    assume_dpi: float | None,
    limits: InputLimits,
) -> Generator[PageImage, None, None]:
    """The pages ``indices`` of an opened image, decoded one at a time; closes the image."""
    try:
        for index in indices:
            label = f"page {index + 1}"
            try:
                image.seek(index)
            except DECODE_ERRORS as exc:
                raise CorruptInputError(
                    source, f"{label} cannot be read ({exc})", "the file is damaged"
                ) from exc
            check_pixels(source, image.width, image.height, limits)
            decode_frame(image, source, kind, label)
            frame = prepare(image, orientation(image, source))
            dpi = image_dpi(image.info) or assume_dpi
            yield PageImage(image=frame, index=index, source=str(source), dpi=dpi)
    finally:
        image.close()


def array_to_image(array: np.ndarray[Any, Any], source: str) -> Image.Image:
    """A NumPy array (HxW grey, HxWx3 RGB, HxWx4 RGBA; any depth) as a PIL image."""
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
    array = to_uint8(array)
    mode = {2: "L", 3: "RGB", 4: "RGBA"}[array.ndim if array.ndim == 2 else array.shape[2]]
    return Image.fromarray(np.ascontiguousarray(array), mode)
