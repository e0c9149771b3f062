"""The text layer of born-digital PDF pages: words with boxes, grouped into lines and blocks.

:func:`page_text_layer` reads the words of an open PDF page with their boxes, in the pixel space
of the page rendered at a given dpi (see :mod:`ocrxtract.document` for the convention). The PDF
reader (:mod:`ocrxtract.io.pdf`) calls it while the page is open, so the words travel with the
page image and a page that has text is never OCR'd unless asked.
"""

from __future__ import annotations

import ctypes
import logging
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ocrxtract.document import BBox, Block, Line, Page, Word, block_from_lines, line_from_words

log = logging.getLogger(__name__)


#: A new line starts when the gap to the previous word exceeds this many font heights.
LINE_GAP_EM = 2.0
#: After a line break in the text, a word still continues the line within this gap.
NEWLINE_GAP_EM = 0.5
#: Two words share a line when their font boxes overlap vertically by this fraction at least.
LINE_OVERLAP = 0.5
#: Lines stay in one block when the vertical gap between them is below this many font heights.
BLOCK_GAP_EM = 0.6

_Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, floats


@dataclass
class _Chunk:
    """A word being assembled: its text, ink box and font box (both in pixels)."""

    chars: list[str]
    ink: _Box
    font: _Box
    newline_before: bool

    def add(self, char: str, ink: _Box, font: _Box) -> None:
        self.chars.append(char)
        self.ink = _union(self.ink, ink)
        self.font = _union(self.font, font)


def _union(a: _Box, b: _Box) -> _Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _to_pixels(
    bbox: _Box, rotation: int, scale: float
) -> Callable[[float, float, float, float], _Box]:
    """Map a box in PDF points (bottom-left origin, unrotated page) to rendered pixels.

    ``bbox`` is the page's visible box (media box cut by the crop box), ``rotation`` its
    clockwise /Rotate; the result matches what PDFium draws at ``scale`` pixels per point.
    """
    left, bottom, right, top = bbox

    def point(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            return (y - bottom) * scale, (x - left) * scale
        if rotation == 180:
            return (right - x) * scale, (y - bottom) * scale
        if rotation == 270:
            return (top - y) * scale, (right - x) * scale
        return (x - left) * scale, (top - y) * scale

    def box(x0: float, y0: float, x1: float, y1: float) -> _Box:
        ax, ay = point(x0, y0)
        bx, by = point(x1, y1)
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))

    return box


def _skip_char(char: str) -> bool:
    """Control and format characters (soft hyphens, zero-width marks) carry no text."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Cn") and not char.isspace()


def _chunks(textpage: Any, to_pixels: Callable[[float, float, float, float], _Box]) -> list[_Chunk]:
    """Cut the page's characters into words at whitespace, in PDFium's text order.

    A word is also cut where its characters jump to another line: PDFium joins a word
    hyphenated at a line end ("Non-" / "Negligent") and marks the hyphen as U+0002.
    """
    import pypdfium2.raw as pdfium_c

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    loose = pdfium_c.FS_RECTF()
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    previous: _Box = (0.0, 0.0, 0.0, 0.0)
    newline = False
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        char = "-" if code == 2 else chr(code) if 0 < code < 0x110000 else "\ufffd"
        if char.isspace():
            current = None
            newline = newline or char in "\r\n\u2028\u2029"
            continue
        if _skip_char(char):
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(textpage, index, loose):
            continue
        font = to_pixels(loose.left, loose.bottom, loose.right, loose.top)
        ink = font
        if pdfium_c.FPDFText_GetCharBox(textpage, index, left, right, bottom, top):
            tight = to_pixels(left.value, bottom.value, right.value, top.value)
            if tight[2] > tight[0] and tight[3] > tight[1]:
                ink = tight
        if current is not None and not _same_row(previous, font):
            current, newline = None, True
        if current is None:
            current = _Chunk([char], ink, font, newline)
            chunks.append(current)
            newline = False
        else:
            current.add(char, ink, font)
        previous = font
    return chunks


def _same_line(line_font: _Box, last: _Chunk, word: _Chunk) -> bool:
    if not _same_row(line_font, word.font):
        return False
    height = min(line_font[3] - line_font[1], word.font[3] - word.font[1])
    gap = word.font[0] - last.font[2]
    # A text line break is followed unless the word goes on at a word space's distance
    # (PDFium also breaks after a superscript or a change of text object).
    limit = NEWLINE_GAP_EM if word.newline_before else LINE_GAP_EM
    return -0.5 * height <= gap <= limit * height


def _word(chunk: _Chunk, width: int, height: int) -> Word | None:
    x0, y0, x1, y1 = chunk.ink
    box = (
        max(0, math.floor(x0)),
        max(0, math.floor(y0)),
        min(width, math.ceil(x1)),
        min(height, math.ceil(y1)),
    )
    if box[0] >= box[2] or box[1] >= box[3]:
        return None  # outside the visible page
    return Word(text="".join(chunk.chars), bbox=BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3]))


def _same_row(a: _Box, b: _Box) -> bool:
    height = min(a[3] - a[1], b[3] - b[1])
    return height > 0 and min(a[3], b[3]) - max(a[1], b[1]) >= LINE_OVERLAP * height


def _continues(above: _Box, below: _Box) -> bool:
    """Whether a line (font box ``below``) goes on the paragraph whose last line is ``above``."""
    size = min(above[3] - above[1], below[3] - below[1])
    gap = below[1] - above[3]
    overlap = min(above[2], below[2]) - max(above[0], below[0])
    return -0.5 * size <= gap <= BLOCK_GAP_EM * size and overlap > 0


def _layout(chunks: list[_Chunk], width: int, height: int) -> list[Block]:
    """Words -> lines (text newlines, vertical overlap, gaps) -> blocks (leading, overlap)."""
    lines: list[tuple[list[Word], _Box]] = []
    last: _Chunk | None = None
    for chunk in chunks:
        word = _word(chunk, width, height)
        if word is None:
            continue
        if last is not None and lines and _same_line(lines[-1][1], last, chunk):
            lines[-1][0].append(word)
            lines[-1] = (lines[-1][0], _union(lines[-1][1], chunk.font))
        else:
            lines.append(([word], chunk.font))
        last = chunk
    # A line joins the latest block whose last line it continues (just below, overlapping
    # horizontally). The search goes back past blocks that end on the same row as the block
    # before them: PDFium reads a table or columns row by row, interleaving cells.
    blocks: list[tuple[list[Line], _Box]] = []
    for words, font in lines:
        line = line_from_words(words)
        for number in range(len(blocks) - 1, -1, -1):
            members, last_font = blocks[number]
            if _continues(last_font, font):
                members.append(line)
                blocks[number] = (members, font)
                break
            if number == 0 or not _same_row(blocks[number - 1][1], last_font):
                blocks.append(([line], font))
                break
        else:
            blocks.append(([line], font))
    return [block_from_lines(members) for members, _ in blocks]


def pdf_pixel_size(page: Any, dpi: float) -> tuple[int, int]:
    """Size in pixels of ``page`` rendered at ``dpi``, exactly as PDFium renders it."""
    width, height = page.get_size()  # points, /Rotate already applied
    scale = dpi / 72.0
    return math.ceil(width * scale), math.ceil(height * scale)


def page_text_layer(page: Any, page_index: int, dpi: float) -> Page:
    """Read the words of an open PDF page, with boxes in pixels of the page at ``dpi``.

    Characters come from PDFium's text page; words are cut at whitespace, and lines at the
    text's own line breaks, when the vertical overlap is lost or when a gap wider than
    ``LINE_GAP_EM`` font heights separates two words (table cells stay apart). Word boxes are
    the union of the glyphs' ink boxes, converted from PDF points (bottom-left origin, page
    rotation /Rotate applied) to integer pixels (top-left origin) of the page rendered at
    ``dpi``, the same pixel space as :func:`ocrxtract.io.iter_pages` gives. Confidences are
    ``None``.

    Args:
        page: A pypdfium2 page, open.
        page_index: Its 0-based index (the result's ``index``).
        dpi: Resolution of the pixel space of the result.

    Returns:
        The page (no provenance); no blocks when the page has no text layer.
    """
    width, height = pdf_pixel_size(page, dpi)
    to_pixels = _to_pixels(page.get_bbox(), page.get_rotation(), dpi / 72.0)
    textpage = page.get_textpage()
    try:
        chunks = _chunks(textpage, to_pixels)
    finally:
        textpage.close()
    return Page(
        index=page_index,
        width=max(1, width),
        height=max(1, height),
        dpi=dpi,
        blocks=_layout(chunks, width, height),
    )
