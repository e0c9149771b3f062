"""The styled text layer of born-digital PDF pages: lines of words with their fonts, and rules.

:func:`page_text_layer` (:mod:`ocrxtract.io.text_layer`) gives words and lines for OCR-like use;
structure analysis also needs *how* the text is set: font name, size, weight, slant, colour,
and the ruling lines drawn on the page (table borders, separators). :func:`styled_page` reads
them from PDFium in one pass over the characters:

* characters come from the text page (``FPDFText_*``), words are cut at whitespace, at a jump
  to another row or at a gap wider than ``WORD_GAP_EM`` font sizes; PDFium's mark for a word
  hyphenated at a line end (U+0002, U+FFFE in its text) becomes ``-`` and is remembered
  (``StyledWord.hyphen``);
* the style (font, size, weight, italic, colour, invisible) is read where a word starts,
  once per text object (a style change inside a word is not seen);
  bullets of symbol fonts in the private use area are mapped to ``•``;
* ruling lines are the page's thin filled paths and stroked segments or rectangles;
* characters that PDFium cannot map to Unicode (a font without a ``ToUnicode`` map, U+FFFD,
  private use area) are counted: :attr:`StyledPage.unmapped_ratio` tells a broken encoding.

Boxes are floats in the pixel space of the page rendered at ``dpi`` (top-left origin; at 72 dpi
one pixel is one point), the convention of :mod:`ocrxtract.document`. Sizes are in points.
Plain dataclasses keep this fast (about 5 µs a character): a structure reader wants ≥ 20 pages
a second on one core.
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ocrxtract.io.text_layer import _to_pixels, pdf_pixel_size

log = logging.getLogger(__name__)

#: A new word starts when the gap between two characters exceeds this many font sizes.
WORD_GAP_EM = 0.6
#: A new line starts when the gap to the previous word exceeds this many font sizes.
LINE_GAP_EM = 1.6
#: After a line break in the text, a word still continues the line within this gap.
NEWLINE_GAP_EM = 0.5
#: Two words share a row when their boxes overlap vertically by this fraction at least.
ROW_OVERLAP = 0.5
#: A filled path thinner than this (points) is a rule; a stroked path is one up to this width.
RULE_THICKNESS_PT = 3.0
#: Rules shorter than this (points) are ignored (underlines of single letters, ticks).
RULE_MIN_LENGTH_PT = 8.0
#: At most this many page objects are scanned for rules (charts hold thousands of paths).
MAX_PAGE_OBJECTS = 20000

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, top-left origin

#: Symbol-font bullets (private use area) and their Unicode equivalents.
_PUA_BULLETS = {
    0xF0B7: "•", 0xF0A7: "▪", 0xF076: "❖", 0xF0D8: "➢", 0xF0FC: "✓", 0xF0A8: "□",
    0xF06E: "■", 0xF0FB: "✗", 0xF0E0: "→", 0xF0B2: "◦", 0xF02D: "-", 0xF097: "▪",
}  # fmt: skip
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|demi\b|,b\b|-b\b", re.IGNORECASE)
_ITALIC_NAME = re.compile(r"italic|oblique|,i\b|-i\b", re.IGNORECASE)
_INVISIBLE_FONTS = ("GlyphLessFont",)


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How a run of text is set.

    Attributes:
        font: Base font name without the subset prefix (``Calibri-Bold``).
        size: Font size in points: the size set times the text matrix's scale.
        weight: Font weight (400 regular, 700 bold; -1 unknown).
        italic: Italic or oblique.
        color: Fill colour ``(r, g, b)``.
        invisible: Text drawn invisibly (the OCR layer of a scanned PDF): its style says nothing.
        bold: A bold face (weight 600 or more, or a bold name); :meth:`of` derives it.
        family: The font family (the name before ``-`` or ``,``); :meth:`of` derives it.
    """

    font: str = ""
    size: float = 0.0
    weight: int = -1
    italic: bool = False
    color: tuple[int, int, int] = (0, 0, 0)
    invisible: bool = False
    bold: bool = False
    family: str = ""

    @classmethod
    def of(  # noqa: PLR0917 - the fields of the class, in order
        cls,
        font: str,
        size: float,
        weight: int,
        italic: bool,
        color: tuple[int, int, int],
        invisible: bool = False,
    ) -> TextStyle:
        """A style with ``bold`` and ``family`` derived from the font name and weight."""
        bold = weight >= 600 or bool(_BOLD_NAME.search(font))
        family = re.split(r"[-,]", font, maxsplit=1)[0]
        return cls(font, size, weight, italic, color, invisible, bold, family)


@dataclass(slots=True)
class StyledWord:
    """A word: text, box (pixels), style of its first character, layout marks.

    Attributes:
        newline_before: The text had a line break just before it.
        hyphen: It ends with a hyphen that PDFium found at a line end (hyphenation).
        chars: Characters counted for it (its text may map some to one).
    """

    text: str
    box: Box
    style: TextStyle
    newline_before: bool = False
    hyphen: bool = False


@dataclass(slots=True)
class StyledLine:
    """A line: its words left to right, their union box, the dominant style."""

    words: list[StyledWord]
    box: Box
    style: TextStyle
    bold_fraction: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line: its box (pixels) and whether it is horizontal."""

    box: Box
    horizontal: bool


@dataclass
class StyledPage:
    """One page's styled lines (in PDFium's text order) and rules.

    Attributes:
        index: 0-based page index.
        width, height: Page size in pixels at ``dpi``.
        dpi: Resolution of the pixel space (72: one pixel is one point).
        lines: Lines in PDFium's text order (not yet in reading order).
        rules: Ruling lines.
        chars: Characters read (whitespace excluded).
        unmapped: Characters without a Unicode mapping, U+FFFD or in the private use area.
    """

    index: int
    width: int
    height: int
    dpi: float
    lines: list[StyledLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    chars: int = 0
    unmapped: int = 0

    @property
    def unmapped_ratio(self) -> float:
        return self.unmapped / self.chars if self.chars else 0.0


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _same_row(a: Box, b: Box) -> bool:
    height = min(a[3] - a[1], b[3] - b[1])
    return height > 0 and min(a[3], b[3]) - max(a[1], b[1]) >= ROW_OVERLAP * height


class _Reader:
    """Per-page PDFium calls with cached buffers and fonts (one instance per page)."""

    def __init__(self, textpage: Any) -> None:
        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        self.textpage = textpage
        self.name_buffer = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        #: font handle -> (name, italic, weight, lacks a Unicode map)
        self.fonts: dict[int, tuple[str, bool, int, bool]] = {}
        self.styles: dict[tuple[Any, ...], TextStyle] = {}
        self.matrix = pdfium_c.FS_MATRIX()
        self.font_size = ctypes.c_float()
        self.get_font = _prototype(pdfium_c.FPDFTextObj_GetFont, _VOIDP, _VOIDP)
        self.render_mode = _prototype(pdfium_c.FPDFTextObj_GetTextRenderMode, ctypes.c_int, _VOIDP)

    def style(self, index: int, address: int) -> tuple[TextStyle, bool]:
        """The style of character ``index`` (of the text object at ``address``) and whether
        its font lacks a Unicode map."""
        c = self.c
        key = self.get_font(address) or 0
        known = self.fonts.get(key)
        if known is None:
            c.FPDFText_GetFontInfo(self.textpage, index, self.name_buffer, 256, self.flags)
            name = _SUBSET.sub("", self.name_buffer.value.decode("latin-1", "replace"))
            italic = bool(self.flags.value & 64) or bool(_ITALIC_NAME.search(name))
            weight = int(c.FPDFText_GetFontWeight(self.textpage, index))
            unmapped = bool(c.FPDFText_HasUnicodeMapError(self.textpage, index))
            known = self.fonts[key] = (name, italic, weight, unmapped)
        name, italic, weight, unmapped = known
        obj = ctypes.cast(address, c.FPDF_PAGEOBJECT)
        r, g, b, a = self.rgba
        c.FPDFText_GetFillColor(self.textpage, index, r, g, b, a)
        invisible = self.render_mode(address) == 3 or name in _INVISIBLE_FONTS
        # the size set (Tf) times the text matrix's scale: "1 Tf" with a 9.5 matrix is 9.5 pt
        size = 0.0
        if c.FPDFTextObj_GetFontSize(obj, self.font_size) and c.FPDFPageObj_GetMatrix(
            obj, self.matrix
        ):
            m = self.matrix
            size = self.font_size.value * abs(m.a * m.d - m.b * m.c) ** 0.5
        if size <= 0:
            size = float(c.FPDFText_GetFontSize(self.textpage, index))
        style_key = (name, round(size, 1), weight, italic, r.value, g.value, b.value, invisible)
        style = self.styles.get(style_key)
        if style is None:
            style = self.styles[style_key] = TextStyle.of(
                name, round(size, 1), weight, italic, (r.value, g.value, b.value), invisible
            )
        return style, unmapped


_VOIDP = ctypes.c_void_p


def _prototype(function: Any, restype: Any, *argtypes: Any) -> Any:
    """``function`` called through a bare prototype: plain ints in and out, no conversions
    (half the cost of pypdfium2's typed wrappers in the per-character loop)."""
    address = ctypes.cast(function, _VOIDP).value
    if address is None:
        raise RuntimeError(f"PDFium function {function!r} has no address")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _words(  # noqa: PLR0915 - the per-character loop, kept in one frame for speed
    textpage: Any, to_pixels: Callable[[float, float, float, float], Box], page: StyledPage
) -> list[StyledWord]:
    """Cut the page's characters into styled words, in PDFium's text order.

    Words are assembled in PDF points (y upwards, unrotated page) and converted to pixels once.
    """
    import pypdfium2.raw as pdfium_c

    raw = textpage.raw if hasattr(textpage, "raw") else textpage
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    text = textpage.get_text_range() if hasattr(textpage, "get_text_range") else ""
    if len(text) != count:  # surrogate pairs or a short read: one call per character
        text = "".join(
            chr(code) if 0 < (code := pdfium_c.FPDFText_GetUnicode(raw, i)) < 0x110000 else "\ufffd"
            for i in range(count)
        )
    reader = _Reader(raw)
    handle = ctypes.cast(raw, _VOIDP).value
    loose = pdfium_c.FS_RECTF()
    loose_address = ctypes.addressof(loose)
    get_box = _prototype(
        pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, _VOIDP, ctypes.c_int, _VOIDP
    )
    get_object = _prototype(pdfium_c.FPDFText_GetTextObject, _VOIDP, _VOIDP, ctypes.c_int)
    words: list[StyledWord] = []
    current: list[Any] | None = None  # [chars, left, bottom, right, top, style, newline, hyphen]
    last_object: int | None = None
    style = TextStyle()
    unmapped_font = False
    newline = False
    em = 1.0
    pb = pt = pr = 0.0  # previous character: bottom, top, right

    def close(word: list[Any]) -> None:
        words.append(
            StyledWord(
                "".join(word[0]),
                to_pixels(word[1], word[2], word[3], word[4]),
                word[5],
                newline_before=word[6],
                hyphen=word[7],
            )
        )

    for index, char in enumerate(text):
        if char.isspace():
            if current is not None:
                close(current)
                current = None
            if char in "\r\n\u2028\u2029":
                newline = True
            continue
        code = ord(char)
        hyphen = False
        if code in (2, 0xAD, 0xFFFE):  # PDFium's line-end hyphen (2, or U+FFFE), soft hyphen
            char, hyphen = "-", True  # noqa: PLW2901
        elif code < 32:
            continue
        if current is None:  # the style is read where a word starts (a text object's run)
            address = get_object(handle, index)
            if address is None:  # generated by PDFium, not drawn
                continue
            if address != last_object:
                last_object = address
                style, unmapped_font = reader.style(index, address)
                em = max(style.size, 0.1)
        if not get_box(handle, index, loose_address):
            continue
        left, bottom, right, top = loose.left, loose.bottom, loose.right, loose.top
        page.chars += 1
        if 0xE000 <= code <= 0xF8FF:
            mapped = _PUA_BULLETS.get(code)
            if mapped is None:
                page.unmapped += 1
            else:
                char = mapped  # noqa: PLW2901
        elif code == 0xFFFD or unmapped_font:
            page.unmapped += 1
        if current is not None:
            height = min(top - bottom, pt - pb)
            same_row = height > 0 and min(top, pt) - max(bottom, pb) >= ROW_OVERLAP * height
            if not same_row or left - pr > WORD_GAP_EM * em:
                newline = newline or not same_row
                close(current)
                current = None
                address = get_object(handle, index)
                if address is not None and address != last_object:
                    last_object = address
                    style, unmapped_font = reader.style(index, address)
                    em = max(style.size, 0.1)
        if current is None:
            current = [[char], left, bottom, right, top, style, newline, hyphen]
            newline = False
        else:
            current[0].append(char)
            current[1] = min(current[1], left)
            current[2] = min(current[2], bottom)
            current[3] = max(current[3], right)
            current[4] = max(current[4], top)
            current[7] = hyphen
        pb, pt, pr = bottom, top, right
    if current is not None:
        close(current)
    return words


def to_scale(to_pixels: Callable[[float, float, float, float], Box]) -> float:
    """Pixels per point of a point-to-pixel mapping."""
    box = to_pixels(0.0, 0.0, 1.0, 1.0)
    return box[2] - box[0] if box[2] > box[0] else box[3] - box[1]


def _lines(words: list[StyledWord], scale: float) -> list[StyledLine]:
    """Words -> lines: same row, and a gap below ``LINE_GAP_EM`` (``NEWLINE_GAP_EM`` after a
    line break of the text)."""
    lines: list[StyledLine] = []
    for word in words:
        if lines:
            line = lines[-1]
            last = line.words[-1]
            em = max(min(last.style.size, word.style.size) * scale, 1e-6)
            gap = word.box[0] - last.box[2]
            limit = NEWLINE_GAP_EM if word.newline_before else LINE_GAP_EM
            if _same_row(line.box, word.box) and -0.5 * em <= gap <= limit * em:
                line.words.append(word)
                line.box = _union(line.box, word.box)
                continue
        lines.append(StyledLine([word], word.box, word.style))
    for line in lines:
        weights: dict[TextStyle, int] = {}
        bold = 0
        for word in line.words:
            weights[word.style] = weights.get(word.style, 0) + len(word.text)
            bold += len(word.text) if word.style.bold else 0
        line.style = max(weights, key=lambda s: weights[s])
        line.bold_fraction = bold / max(1, sum(weights.values()))
    return lines


def _rules(page: Any, to_pixels: Callable[[float, float, float, float], Box]) -> list[Rule]:
    """Thin filled paths, and stroked lines or rectangles, as horizontal or vertical rules."""
    import pypdfium2.raw as pdfium_c

    raw = page.raw if hasattr(page, "raw") else page
    count = min(pdfium_c.FPDFPage_CountObjects(raw), MAX_PAGE_OBJECTS)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    scale = to_scale(to_pixels)
    rules: list[Rule] = []
    for index in range(count):
        obj = pdfium_c.FPDFPage_GetObject(raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        width, height = right.value - left.value, top.value - bottom.value
        if max(width, height) < RULE_MIN_LENGTH_PT:
            continue
        box = to_pixels(left.value, bottom.value, right.value, top.value)
        if min(width, height) <= RULE_THICKNESS_PT:
            rules.append(Rule(box, horizontal=width >= height))
            continue
        pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
        if stroke.value and not fill_mode.value and pdfium_c.FPDFPath_CountSegments(obj) <= 6:
            x0, y0, x1, y1 = box  # a stroked rectangle: its four sides
            t = 0.5 * scale
            rules += [
                Rule((x0, y0 - t, x1, y0 + t), True),
                Rule((x0, y1 - t, x1, y1 + t), True),
                Rule((x0 - t, y0, x0 + t, y1), False),
                Rule((x1 - t, y0, x1 + t, y1), False),
            ]
    return rules


def styled_page(page: Any, page_index: int, dpi: float = 72.0) -> StyledPage:
    """Read the styled lines and the rules of an open PDF page.

    Args:
        page: A pypdfium2 page, open.
        page_index: Its 0-based index.
        dpi: Resolution of the pixel space of the boxes (72: points).

    Returns:
        The page's lines in PDFium's text order (no lines when it has no text layer), rules,
        and the count of characters without a Unicode mapping.
    """
    width, height = pdf_pixel_size(page, dpi)
    to_pixels = _to_pixels(page.get_bbox(), page.get_rotation(), dpi / 72.0)
    result = StyledPage(index=page_index, width=max(1, width), height=max(1, height), dpi=dpi)
    textpage = page.get_textpage()
    try:
        words = _words(textpage, to_pixels, result)
    finally:
        textpage.close()
    result.lines = _lines(words, dpi / 72.0)
    result.rules = _rules(page, to_pixels)
    return result
