"""The lines that structure analysis reads, from a PDF's styled text layer or any engine.

:class:`TextLine` is what the analysis needs of a line: text, page, box, and its style as
far as it is known. Two sources:

* :func:`lines_from_styled`: a born-digital page (:mod:`ocrxtract.io.styled_text`) gives the
  real font size, weight, slant, colour and family;
* :func:`lines_from_page`: any engine's :class:`~ocrxtract.document.Page` gives geometry only;
  the size is the line's height in points and the weight an estimate from the page image when
  there is one (:func:`stroke_boldness`: the mean width of the ink's horizontal runs over the
  line height, compared with the page's median).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ocrxtract.io.styled_text import StyledPage

if TYPE_CHECKING:
    from PIL import Image

    from ocrxtract.document import Page

log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]

#: A line is bold (OCR) when its stroke width ratio exceeds the page median by this factor.
BOLD_STROKE_FACTOR = 1.3


@dataclass(frozen=True, slots=True)
class IntBox:
    """An integer box for :mod:`ocrxtract.layout` (it reads ``x0 … y1``)."""

    x0: int
    y0: int
    x1: int
    y1: int


@dataclass(slots=True)
class TextWord:
    """A word of a :class:`TextLine`: text, box, boldness."""

    text: str
    box: Box
    bold: bool = False
    polygon: None = None
    _bbox: IntBox | None = None

    @property
    def bbox(self) -> IntBox:
        if self._bbox is None:
            self._bbox = IntBox(
                int(self.box[0]), int(self.box[1]), int(self.box[2]), int(self.box[3])
            )
        return self._bbox


@dataclass(slots=True)
class TextLine:
    """A line as structure analysis reads it.

    Attributes:
        text: Its words joined by spaces.
        page: 0-based page.
        box: Pixel box (floats).
        size: Font size in points (for OCR: the line's height in points).
        bold: Share of its characters in a bold face (OCR: 1.0 or 0.0 from the estimate).
        italic: Set in italic.
        family: Font family (empty for OCR).
        color: Fill colour of most characters.
        words: Its words.
        hyphen: Its last word ends with a hyphen that PDFium found at a line end.
        styled: Its style comes from the fonts (``False``: estimated from OCR).
        role: Set by the analysis (``header``, ``footer``, ``page_number``) for furniture.
    """

    text: str
    page: int
    box: Box
    size: float
    bold: float = 0.0
    italic: bool = False
    family: str = ""
    color: tuple[int, int, int] = (0, 0, 0)
    words: list[TextWord] = field(default_factory=list)
    hyphen: bool = False
    styled: bool = True
    role: str = ""

    # the reading-order protocol of ocrxtract.layout
    polygon: None = None
    _bbox: IntBox | None = None

    @property
    def bbox(self) -> IntBox:
        if self._bbox is None:
            self._bbox = IntBox(
                int(self.box[0]), int(self.box[1]), int(self.box[2]), int(self.box[3])
            )
        return self._bbox

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def lines_from_styled(page: StyledPage) -> list[TextLine]:
    """The lines of a born-digital page with their fonts (invisible OCR text: unstyled)."""
    lines = []
    for line in page.lines:
        style = line.style
        lines.append(
            TextLine(
                text=line.text,
                page=page.index,
                box=line.box,
                size=style.size if not style.invisible else _points(line.box, page.dpi),
                bold=line.bold_fraction if not style.invisible else 0.0,
                italic=style.italic and not style.invisible,
                family=style.family if not style.invisible else "",
                color=style.color,
                words=[TextWord(w.text, w.box, w.style.bold) for w in line.words],
                hyphen=line.words[-1].hyphen,
                styled=not style.invisible,
            )
        )
    return lines


_DESCENDERS = frozenset("gjpqyQ,;()[]{}|µ")
#: A line without descenders is this much shorter than its type size would make it.
NO_DESCENDER_RATIO = 1.22


def _points(box: Box, dpi: float | None, text: str | None = None) -> float:
    """A line's size in points estimated from its height (corrected when no letter of
    ``text`` goes below the baseline): its size when nothing better is known."""
    height = (box[3] - box[1]) * 72.0 / (dpi or 72.0)
    if text is not None and not _DESCENDERS.intersection(text):
        height *= NO_DESCENDER_RATIO
    return round(height, 1)


def stroke_boldness(image: Image.Image, box: Box) -> float | None:
    """Mean horizontal ink run length over the box height, or ``None`` when the box is empty.

    Bold type has thicker strokes: its runs of dark pixels along a row are longer for the same
    height. Dark is below the midpoint of the crop's darkest and lightest grey.
    """
    import numpy as np

    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    crop = np.asarray(image.convert("L").crop((x0, y0, x1, y1)), dtype=np.int16)
    lo, hi = int(crop.min()), int(crop.max())
    if hi - lo < 40:
        return None
    ink = crop < (lo + hi) / 2
    starts = np.count_nonzero(ink[:, 1:] & ~ink[:, :-1]) + np.count_nonzero(ink[:, 0])
    if starts == 0:
        return None
    return float(np.count_nonzero(ink)) / starts / (y1 - y0)


def lines_from_page(page: Page, image: Image.Image | None = None) -> list[TextLine]:
    """The lines of an engine's page: geometry, and a boldness estimate from ``image``.

    Args:
        page: A recognised page (boxes in the pixels of ``image``).
        image: The page image the engine read, to estimate boldness (optional).
    """
    lines: list[TextLine] = []
    for line in page.lines():
        box = (
            float(line.bbox.x0),
            float(line.bbox.y0),
            float(line.bbox.x1),
            float(line.bbox.y1),
        )
        lines.append(
            TextLine(
                text=line.text,
                page=page.index,
                box=box,
                size=_points(box, page.dpi, line.text),
                words=[
                    TextWord(w.text, (w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1))
                    for w in line.words
                ],
                styled=False,
            )
        )
    if image is not None and lines:
        _estimate_bold(lines, image)
    return lines


def _estimate_bold(lines: Sequence[TextLine], image: Image.Image) -> None:
    ratios = [stroke_boldness(image, line.box) for line in lines]
    known = sorted(r for r in ratios if r is not None)
    if len(known) < 3:
        return
    median = known[len(known) // 2]
    for line, ratio in zip(lines, ratios, strict=True):
        if ratio is not None and ratio > BOLD_STROKE_FACTOR * median:
            line.bold = 1.0
            for word in line.words:
                word.bold = True
