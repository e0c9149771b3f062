"""The words of a page as the table methods see them: de-skewed boxes, grouped into text lines.

Table geometry is done in a frame where text rows are horizontal: the page's skew (a flatbed
scan is often 0.3-2 degrees off) is measured once (:func:`ocrxtract.layout.reading_order.
estimate_skew`, or from the ruling lines) and every word box is turned by it about the page
centre (:class:`Frame`). Boxes found in that frame are turned back to page pixels at the end.

A :class:`Token` is a word (or a French number whose digit groups an engine read as separate
words, ``1`` ``234,5`` -> ``1 234,5``); a :class:`TextLine` the tokens that share a text row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median

from ocrxtract.document import BBox, Word

#: A box in the de-skewed frame: ``(x0, y0, x1, y1)`` floats.
FBox = tuple[float, float, float, float]

_DIGIT_GROUP_HEAD = re.compile(r"^[-−–+(]?\d{1,3}$")
_DIGIT_GROUP_TAIL = re.compile(r"^\d{3}([,.]\d+)?(\s?%|\)|\*+)?$")


@dataclass(frozen=True)
class Frame:
    """Rotation between page pixels and the de-skewed frame (about the page centre).

    Attributes:
        angle: Skew in degrees, positive when text goes down to the right.
        cx: Centre of rotation, x.
        cy: Centre of rotation, y.
    """

    angle: float = 0.0
    cx: float = 0.0
    cy: float = 0.0

    def _turn(self, x: float, y: float, sign: float) -> tuple[float, float]:
        a = math.radians(self.angle) * sign
        cos_a, sin_a = math.cos(a), math.sin(a)
        dx, dy = x - self.cx, y - self.cy
        return self.cx + dx * cos_a + dy * sin_a, self.cy - dx * sin_a + dy * cos_a

    def to_frame(self, box: FBox) -> FBox:
        """A page box in the de-skewed frame (same size, centre turned)."""
        if not self.angle:
            return box
        x0, y0, x1, y1 = box
        cx, cy = self._turn((x0 + x1) / 2, (y0 + y1) / 2, 1.0)
        hw, hh = (x1 - x0) / 2, (y1 - y0) / 2
        return cx - hw, cy - hh, cx + hw, cy + hh

    def to_page(self, box: FBox, width: int, height: int) -> BBox:
        """A box of the frame back in page pixels (the bounds of its turned corners), clipped."""
        x0, y0, x1, y1 = box
        if self.angle:
            corners = [self._turn(x, y, -1.0) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        left = min(max(0, math.floor(x0)), width)
        top = min(max(0, math.floor(y0)), height)
        right = min(max(left, math.ceil(x1)), width)
        bottom = min(max(top, math.ceil(y1)), height)
        return BBox(x0=left, y0=top, x1=right, y1=bottom)


@dataclass
class Token:
    """A word (or joined digit groups) in the de-skewed frame."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    words: list[Word] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def box(self) -> FBox:
        return (self.x0, self.y0, self.x1, self.y1)


def tokens_of(words: Iterable[Word], frame: Frame) -> list[Token]:
    """Tokens of ``words`` in the de-skewed ``frame``."""
    tokens = []
    for word in words:
        x0, y0, x1, y1 = frame.to_frame((word.bbox.x0, word.bbox.y0, word.bbox.x1, word.bbox.y1))
        if x1 > x0 and y1 > y0:
            tokens.append(Token(word.text, x0, y0, x1, y1, [word]))
    return tokens


@dataclass
class TokenGroup:
    """Tokens taken together; their bounds are those of the box around them all."""

    tokens: list[Token]

    @property
    def x0(self) -> float:
        return min(t.x0 for t in self.tokens)

    @property
    def y0(self) -> float:
        return min(t.y0 for t in self.tokens)

    @property
    def x1(self) -> float:
        return max(t.x1 for t in self.tokens)

    @property
    def y1(self) -> float:
        return max(t.y1 for t in self.tokens)


@dataclass
class TextLine(TokenGroup):
    """Tokens sharing a text row, left to right."""

    @property
    def cy(self) -> float:
        return median(t.cy for t in self.tokens)

    @property
    def height(self) -> float:
        return median(t.height for t in self.tokens)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def group_lines(tokens: Sequence[Token]) -> list[TextLine]:
    """Group tokens into text lines (vertical overlap with the line's median row), top down."""
    lines: list[tuple[list[Token], float, float]] = []  # tokens, centre, height
    for token in sorted(tokens, key=lambda t: (t.cy, t.x0)):
        best, best_overlap = -1, 0.0
        for k in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
            members, cy, h = lines[k]
            top, bottom = cy - h / 2, cy + h / 2
            overlap = min(bottom, token.y1) - max(top, token.y0)
            share = overlap / max(1.0, min(h, token.height))
            if share > best_overlap:
                best, best_overlap = k, share
        if best >= 0 and best_overlap >= 0.5:
            members, _, _ = lines[best]
            members.append(token)
            lines[best] = (
                members,
                median(t.cy for t in members),
                median(t.height for t in members),
            )
        else:
            lines.append(([token], token.cy, token.height))
    result = [TextLine(sorted(members, key=lambda t: t.x0)) for members, _, _ in lines]
    result.sort(key=lambda line: line.cy)
    return [join_digit_groups(line) for line in result]


def join_digit_groups(line: TextLine) -> TextLine:
    """Join the digit groups of French numbers read as separate words (``1`` ``234,5``)."""
    out: list[Token] = []
    for token in line.tokens:
        if out:
            last = out[-1]
            gap = token.x0 - last.x1
            if (
                0 <= gap <= 0.55 * max(last.height, token.height)
                and _DIGIT_GROUP_HEAD.match(last.text.replace("\u202f", " ").split(" ")[-1])
                and _DIGIT_GROUP_TAIL.match(token.text)
                and re.fullmatch(r"[-−–+(]?\d{1,3}( \d{3})*", last.text)
            ):
                out[-1] = Token(
                    f"{last.text} {token.text}",
                    last.x0,
                    min(last.y0, token.y0),
                    token.x1,
                    max(last.y1, token.y1),
                    last.words + token.words,
                )
                continue
        out.append(token)
    return TextLine(out)


def text_height(tokens: Sequence[Token], default: float = 20.0) -> float:
    """The median token height (a robust unit of length), ``default`` without tokens."""
    return median(t.height for t in tokens) if tokens else default
