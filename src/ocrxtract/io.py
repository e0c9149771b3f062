"""Document files -> page images (and text layers of born-digital PDFs).

(Being written: the loaders and guards come with the inputs work.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

#: Resolutions that image files state when they do not know their real one.
UNKNOWN_DPI_VALUES = frozenset({72.0, 96.0})


@dataclass(frozen=True)
class PageImage:
    """One page ready for an engine.

    Attributes:
        image: The page as an RGB (or L) PIL image, EXIF orientation already applied.
        index: 0-based page number in the source file.
        source: The file it comes from (for messages and provenance).
        dpi: Real resolution in dots per inch, or ``None`` when unknown.
        pdf_page: For a PDF page, whether it has a text layer (``None`` for images).
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
