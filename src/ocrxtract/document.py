"""The result model: Document > Page > Block > Line > Word.

Geometry convention (written once, used everywhere):

* Coordinates are **integer pixels** of the page image the engine saw, origin at the **top-left**
  corner, x to the right, y downwards.
* A box is ``(x0, y0, x1, y1)`` with ``x0 <= x1`` and ``y0 <= y1``; ``x1``/``y1`` are exclusive
  (a box ``(0, 0, width, height)`` covers the whole page).
* A polygon (optional, for rotated or curved text) lists its points clockwise from the top-left
  corner of the text, in the same pixel space; the box is then the polygon's bounding box.
* Confidences are in ``[0, 1]`` (or ``None`` when the source gives none, e.g. a PDF text layer or
  ground truth) and are rounded to 4 decimals so that every export round-trips exactly.

Every element exports itself to plain JSON (``model_dump(mode="json")``) and is read back with
``model_validate``; ``Document.from_json(doc.to_json()) == doc`` holds for every document.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CONFIDENCE_DECIMALS = 4


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)


class BBox(_Model):
    """An axis-aligned pixel box, top-left origin, ``x1``/``y1`` exclusive."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    x0: int
    y0: int
    x1: int
    y1: int

    @model_validator(mode="after")
    def _ordered(self) -> BBox:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"box corners out of order: {self.as_tuple()}")
        return self

    @classmethod
    def from_points(cls, points: Sequence[Sequence[float]]) -> BBox:
        """The bounding box of a sequence of ``(x, y)`` points (rounded outwards)."""
        if not points:
            raise ValueError("cannot bound an empty point list")
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        return cls(
            x0=int(min(xs) // 1),
            y0=int(min(ys) // 1),
            x1=int(-(-max(xs) // 1)),
            y1=int(-(-max(ys) // 1)),
        )

    @classmethod
    def union(cls, boxes: Sequence[BBox]) -> BBox:
        """The smallest box holding all ``boxes``."""
        if not boxes:
            raise ValueError("cannot take the union of no boxes")
        return cls(
            x0=min(b.x0 for b in boxes),
            y0=min(b.y0 for b in boxes),
            x1=max(b.x1 for b in boxes),
            y1=max(b.y1 for b in boxes),
        )

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def iou(self, other: BBox) -> float:
        """Intersection over union with ``other`` (0 when either box is empty)."""
        ix = max(0, min(self.x1, other.x1) - max(self.x0, other.x0))
        iy = max(0, min(self.y1, other.y1) - max(self.y0, other.y0))
        inter = ix * iy
        union = self.area + other.area - inter
        return inter / union if union else 0.0


Point = tuple[int, int]


def _check_confidence(value: float | None) -> float | None:
    if value is None:
        return None
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"confidence {value} is outside [0, 1]")
    return round(float(value), CONFIDENCE_DECIMALS)


def _check_polygon(value: list[Point] | None) -> list[Point] | None:
    if value is not None and len(value) < 3:
        raise ValueError("a polygon needs at least 3 points")
    return value


class Word(_Model):
    """A word: non-empty text without surrounding whitespace, its box and confidence."""

    text: str = Field(min_length=1)
    bbox: BBox
    confidence: float | None = None
    polygon: list[Point] | None = None

    _confidence = field_validator("confidence")(_check_confidence)
    _polygon = field_validator("polygon")(_check_polygon)

    @field_validator("text")
    @classmethod
    def _no_outer_space(cls, value: str) -> str:
        if value != value.strip():
            raise ValueError(f"word text has surrounding whitespace: {value!r}")
        return value


class Line(_Model):
    """A line of text: its words in reading order, its box and confidence."""

    words: list[Word] = Field(min_length=1)
    bbox: BBox
    confidence: float | None = None
    polygon: list[Point] | None = None

    _confidence = field_validator("confidence")(_check_confidence)
    _polygon = field_validator("polygon")(_check_polygon)

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


class Block(_Model):
    """A block (paragraph, cell, column part) of lines."""

    lines: list[Line] = Field(min_length=1)
    bbox: BBox
    kind: str = "text"


class Provenance(_Model):
    """Where a page's content comes from: engine, version, options and time spent."""

    engine: str
    engine_version: str
    options: dict[str, Any] = Field(default_factory=dict)
    seconds: float = Field(default=0.0, ge=0.0)
    notes: list[str] = Field(default_factory=list)


class Page(_Model):
    """One page: its pixel size, resolution and content.

    ``index`` is 0-based in the source document. ``dpi`` is ``None`` when the resolution is
    unknown (images that claim 72 or 96 dpi usually mean "unknown").
    """

    index: int = Field(ge=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    dpi: float | None = Field(default=None, gt=0)
    blocks: list[Block] = Field(default_factory=list)
    provenance: Provenance | None = None

    def lines(self) -> Iterator[Line]:
        """All lines, block by block, in stored order."""
        for block in self.blocks:
            yield from block.lines

    def words(self) -> Iterator[Word]:
        """All words, line by line, in stored order."""
        for line in self.lines():
            yield from line.words

    def text(self) -> str:
        """The page's text in reading order (see :mod:`ocrxtract.layout.reading_order`)."""
        from ocrxtract.layout.reading_order import lines_to_text

        return lines_to_text(list(self.lines()))


class Document(_Model):
    """A document: its pages, the file it comes from and free metadata."""

    source: str | None = None
    pages: list[Page] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)

    def text(self) -> str:
        """Text of every page in reading order; pages are separated by a form feed."""
        return "\f".join(page.text() for page in self.pages)

    def to_json(self, indent: int | None = 2) -> str:
        """Lossless JSON (``Document.from_json`` reads it back into an equal document)."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> Document:
        return cls.model_validate_json(data)


def line_from_words(words: Sequence[Word], confidence: float | None = None) -> Line:
    """Build a line whose box bounds its words."""
    return Line(words=list(words), bbox=BBox.union([w.bbox for w in words]), confidence=confidence)


def block_from_lines(lines: Sequence[Line], kind: str = "text") -> Block:
    """Build a block whose box bounds its lines."""
    return Block(lines=list(lines), bbox=BBox.union([line.bbox for line in lines]), kind=kind)
