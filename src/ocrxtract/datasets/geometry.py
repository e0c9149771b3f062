"""Geometry helpers shared by the loaders: boxes, image headers, approximate words, rows.

Every loader turns its format's coordinates into integer pixel boxes with the top-left origin
(see :mod:`ocrxtract.document`), clipped to the page.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image, UnidentifiedImageError

from ocrxtract.document import BBox, Word
from ocrxtract.errors import CorruptInputError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Resolutions that files state when they do not know their real one.
UNKNOWN_DPI = (72.0, 96.0)
#: Float noise tolerated when rounding coordinates outwards (228 pt * 300/72 is 950, not 951).
_EPSILON = 1e-6
#: EXIF orientations that swap width and height once applied.
_TRANSPOSED_ORIENTATIONS = frozenset({5, 6, 7, 8})


def normalize_dpi(value: object) -> float | None:
    """A stated resolution as a real dpi, or ``None`` (absent, nonsense, 72 or 96).

    PNG stores pixels per metre, so 200 dpi reads back as 199.9996: values within 0.05 of an
    integer are rounded to it.
    """
    if isinstance(value, (tuple, list)):
        value = value[0] if value else None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 10:
        return None
    nearest = round(number)
    number = float(nearest) if abs(number - nearest) < 0.05 else round(number, 2)
    if any(abs(number - unknown) < 0.5 for unknown in UNKNOWN_DPI):
        return None
    return number


@dataclass(frozen=True)
class ImageInfo:
    """Size (EXIF orientation applied) and stated dpi of an image file, read from its header."""

    width: int
    height: int
    dpi: float | None


def image_info(path: Path) -> ImageInfo:
    """Read an image's header only (no pixel is decoded).

    Raises:
        CorruptInputError: the file is not a readable image.
    """
    try:
        with Image.open(path) as image:
            width, height = image.size
            orientation = image.getexif().get(274)
            dpi = normalize_dpi(image.info.get("dpi"))
    except (OSError, UnidentifiedImageError, SyntaxError) as exc:
        raise CorruptInputError(path, f"cannot read the image header ({exc})") from exc
    if orientation in _TRANSPOSED_ORIENTATIONS:
        width, height = height, width
    return ImageInfo(width=width, height=height, dpi=dpi)


def clip_box(coords: Sequence[float], width: int, height: int) -> BBox | None:
    """``(x0, y0, x1, y1)`` (any corner order) rounded outwards and clipped to the page, or
    ``None`` when nothing is left."""
    x0, y0, x1, y1 = coords
    left, right = sorted((x0, x1))
    top, bottom = sorted((y0, y1))
    box = BBox(
        x0=max(0, min(width, math.floor(left + _EPSILON))),
        y0=max(0, min(height, math.floor(top + _EPSILON))),
        x1=max(0, min(width, math.ceil(right - _EPSILON))),
        y1=max(0, min(height, math.ceil(bottom - _EPSILON))),
    )
    if box.width == 0 or box.height == 0:
        return None
    return box


def box_from_points(points: Sequence[tuple[float, float]], width: int, height: int) -> BBox | None:
    """The clipped bounding box of a polygon (any point order)."""
    if not points:
        return None
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return clip_box((min(xs), min(ys), max(xs), max(ys)), width, height)


def parse_points(raw: str) -> list[tuple[float, float]]:
    """Points written ``"x,y x,y …"`` (PAGE) or ``"x y x y …"`` (ALTO ``POINTS``)."""
    numbers = [float(n) for n in raw.replace(",", " ").split()]
    return list(zip(numbers[0::2], numbers[1::2], strict=False))


def approximate_words(text: str, box: BBox) -> list[Word]:
    """Split a line into words with boxes shared out in proportion to their characters.

    Used for formats that give only line boxes: each word gets the line's height and a slice
    of its width (spaces count as one character). The boxes are approximate; say so.
    """
    tokens = text.split()
    if not tokens:
        return []
    total = len(" ".join(tokens))
    per_char = box.width / total
    words = []
    start = 0
    for token in tokens:
        end = start + len(token)
        x0 = box.x0 + math.floor(start * per_char)
        x1 = max(x0 + 1, box.x0 + math.ceil(end * per_char))
        words.append(
            Word(
                text=token, bbox=BBox(x0=x0, y0=box.y0, x1=min(x1, max(box.x1, x0 + 1)), y1=box.y1)
            )
        )
        start = end + 1
    return words


def group_rows(
    items: Sequence[T], box_of: Callable[[T], BBox], overlap: float = 0.5
) -> list[list[T]]:
    """Group items into rows (top to bottom), each row sorted left to right.

    An item joins the current row when its vertical overlap with the row's band is at least
    ``overlap`` of the smaller height. This is the approximate reading order used for formats
    whose order is not the reading order (SROIE, FUNSD); multi-column layouts get interleaved.
    """
    rows: list[list[T]] = []
    band: tuple[int, int] | None = None
    for item in sorted(items, key=lambda it: (box_of(it).center[1], box_of(it).x0)):
        box = box_of(item)
        if band is not None and rows:
            inter = min(band[1], box.y1) - max(band[0], box.y0)
            smaller = max(1, min(band[1] - band[0], box.height))
            if inter / smaller >= overlap:
                rows[-1].append(item)
                band = (min(band[0], box.y0), max(band[1], box.y1))
                continue
        rows.append([item])
        band = (box.y0, box.y1)
    return [sorted(row, key=lambda it: box_of(it).x0) for row in rows]


def pdf_pixel_size(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """Pixel size of a PDF page of that size in points rendered at ``dpi`` (as io renders)."""
    scale = dpi / 72.0
    return math.ceil(width_pt * scale), math.ceil(height_pt * scale)


def pdf_page_sizes(path: Path) -> list[tuple[float, float]]:
    """Size in points of every page of a PDF (``/Rotate`` applied).

    Raises:
        CorruptInputError: the PDF cannot be opened (encrypted, damaged).
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise CorruptInputError(path, f"cannot open the PDF ({exc})") from exc
    try:
        return [document[index].get_size() for index in range(len(document))]
    finally:
        document.close()
