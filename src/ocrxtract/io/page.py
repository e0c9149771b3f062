"""What every input becomes (:class:`PageImage`), and the limits that guard reading it."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image

from ocrxtract.errors import UsageError

if TYPE_CHECKING:
    from ocrxtract.document import Page

log = logging.getLogger(__name__)

#: Resolutions that image files state when they do not know their real one.
UNKNOWN_DPI_VALUES = frozenset({72.0, 96.0})


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
        source: What it comes from, for messages and provenance (a file path or the name of
            in-memory data); never opened again.
        dpi: Real resolution in dots per inch, or ``None`` when unknown.
        has_text_layer: For a PDF page, whether it has a text layer (``None`` for images).
        text_layer: For a PDF page with a text layer, its words read while the PDF was open,
            with boxes in the pixels of ``image`` (``None`` otherwise). The ``pdf-text`` engine
            returns it.
    """

    image: Image.Image
    index: int = 0
    source: str = "<memory>"
    dpi: float | None = None
    has_text_layer: bool | None = field(default=None)
    text_layer: Page | None = field(default=None, repr=False, compare=False)

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


def check_dpi(dpi: float, name: str) -> float:
    """``dpi`` as a float, or a :class:`UsageError` naming the argument when not positive."""
    if not (math.isfinite(dpi) and dpi > 0):
        raise UsageError(f"{name} must be a positive number of dots per inch, not {dpi!r}")
    return float(dpi)
