"""The result model: Document > Page > Block > Line > Word, with tables, regions and key fields.

* A :class:`Page` holds its text as blocks of lines of words (in reading order once
  :func:`ocrxtract.layout.order_page` has run: :meth:`Page.text` joins the stored order), the
  :class:`Table` s found on it, and layout :class:`Region` s (figures, headers, margin notes...,
  which may hold no text).
* A :class:`Block` has a closed :data:`Role` (``text``, ``title``, ``table``, ``header`` ...);
  the labels of other vocabularies (SegmOnto zones, PAGE XML region types, our older free
  "kinds") are mapped onto it by :func:`block_role`.
* A :class:`Document` holds the :class:`KeyField` s extracted from it (the net pay of a payslip,
  the total of a receipt), each with its value, the text it was read from, its page and boxes,
  and the checks it passed.

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

import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal, get_args

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
    """A line of text: its words in reading order, its box and confidence.

    ``polygon`` outlines the line where the engine gives more than a box; ``baseline`` is the
    polyline the letters sit on (left to right), where the engine's segmenter finds one
    (kraken's baseline segmenter; PAGE/ALTO ground truth).
    """

    words: list[Word] = Field(min_length=1)
    bbox: BBox
    confidence: float | None = None
    polygon: list[Point] | None = None
    baseline: list[Point] | None = None

    _confidence = field_validator("confidence")(_check_confidence)
    _polygon = field_validator("polygon")(_check_polygon)

    @field_validator("baseline")
    @classmethod
    def _check_baseline(cls, value: list[Point] | None) -> list[Point] | None:
        if value is not None and len(value) < 2:
            raise ValueError("a baseline needs at least 2 points")
        return value

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


#: The role of a block or region on its page (closed: other vocabularies map onto it).
Role = Literal[
    "text",
    "title",
    "list_item",
    "table",
    "figure",
    "caption",
    "header",
    "footer",
    "page_number",
    "margin_note",
    "handwriting",
    "signature",
    "stamp",
    "formula",
]
ROLES: tuple[str, ...] = get_args(Role)

#: Labels of other vocabularies (lower case, SegmOnto zones without "Zone") -> role.
_ROLE_OF_LABEL: dict[str, str] = {
    # our own older block kinds and common words
    "note": "text", "paragraph": "text", "main": "text", "default": "text", "printed": "text",
    "heading": "title", "titlepage": "title", "runningtitle": "header", "numbering": "page_number",
    "page-number": "page_number", "pagenumber": "page_number", "margintext": "margin_note",
    "marginalia": "margin_note", "marginal": "margin_note", "commentary": "margin_note",
    "quiremarks": "margin_note", "catch-word": "margin_note", "graphic": "figure",
    "illustration": "figure", "image": "figure", "music": "figure", "damage": "figure",
    "digitizationartefact": "figure", "seal": "stamp", "signature-mark": "signature",
    "drop-capital": "text", "dropcapital": "text", "list": "list_item", "equation": "formula",
    "table-cell": "table", "cell": "table", "tablecell": "table",
    # FUNSD entity labels: a form's section header is a title, the rest is text
    "header": "header", "question": "text", "answer": "text", "other": "text",
}  # fmt: skip
_LABEL_CLEAN = re.compile(r"[:#].*$")


def block_role(label: str | None) -> Role:
    """The :data:`Role` of a block labelled ``label`` in another vocabulary.

    Roles are returned as they are; SegmOnto zones (``MainZone``, ``MarginTextZone:note``),
    PAGE XML region types (``paragraph``, ``page-number``), dataset labels (``Commentary``,
    ``Illustration``) and our older kinds (``note``) are mapped; anything else is ``text``.
    """
    if not label:
        return "text"
    if label in ROLES:
        return label  # type: ignore[return-value]
    key = _LABEL_CLEAN.sub("", label).strip().lower()
    if key.endswith("zone") and key != "zone":
        key = key[: -len("zone")]
    key = key.replace("_", "-") if key.replace("_", "-") in _ROLE_OF_LABEL else key
    if key in ROLES:
        return key  # type: ignore[return-value]
    role = _ROLE_OF_LABEL.get(key, "text")
    return role  # type: ignore[return-value]


class Block(_Model):
    """A block (paragraph, cell, column part) of lines, with its role on the page."""

    lines: list[Line] = Field(min_length=1)
    bbox: BBox
    role: Role = "text"

    @model_validator(mode="before")
    @classmethod
    def _legacy_kind(cls, data: Any) -> Any:
        """Read the open ``kind`` of older results (and caches) as a role."""
        if isinstance(data, dict) and "kind" in data:
            data = dict(data)
            kind = data.pop("kind")
            data.setdefault("role", block_role(kind if isinstance(kind, str) else None))
        return data

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class Region(_Model):
    """A layout region of a page: where a role applies, whether or not it holds text lines.

    Layout analysis fills these (figures, tables, headers, margin notes); a region of a role
    that holds text usually has blocks of the same role inside it.
    """

    role: Role
    bbox: BBox
    polygon: list[Point] | None = None
    confidence: float | None = None

    _confidence = field_validator("confidence")(_check_confidence)
    _polygon = field_validator("polygon")(_check_polygon)


class TableCell(_Model):
    """One table cell: grid position (0-based), spans, text, box and the words it came from.

    ``words`` are copies of the page's words that make up the cell (empty for ground truth that
    gives only the text, or when the cell's text did not come from a page's words).
    """

    row: int = Field(ge=0)
    col: int = Field(ge=0)
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)
    text: str = ""
    bbox: BBox | None = None
    header: bool = False
    words: list[Word] = Field(default_factory=list)


class Table(_Model):
    """A table (or the part of one on a page) with its cells and, when known, its HTML.

    ``html`` follows PubTabNet (``<html><body><table>…``) so that TEDS can compare it; it is
    empty when only the table's region is known (``cells`` empty), or when it is to be
    built from the cells. ``page_index`` is the 0-based page the table is on (the page that
    holds it, for predicted tables). ``continued`` marks a table that goes on from the
    previous page; ``repeated_header_rows`` counts its leading rows that repeat the header of
    the table's first part (left out when the parts are joined:
    :func:`ocrxtract.extract.tables.continuation.merged_tables`). ``method`` says what found a
    predicted table (``geometry``, ``slanet``...; empty for ground truth).
    """

    page_index: int = Field(default=0, ge=0)
    table_id: str = ""
    bbox: BBox | None = None
    cells: list[TableCell] = Field(default_factory=list)
    html: str = ""
    continued: bool = False
    repeated_header_rows: int = Field(default=0, ge=0)
    method: str = ""

    @property
    def has_structure(self) -> bool:
        return bool(self.cells)

    @property
    def n_rows(self) -> int:
        return max((c.row + c.row_span for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.col_span for c in self.cells), default=0)


class Provenance(_Model):
    """Where a page's content comes from: engine, version, options, time spent, later steps."""

    engine: str
    engine_version: str
    options: dict[str, Any] = Field(default_factory=dict)
    seconds: float = Field(default=0.0, ge=0.0)
    notes: list[str] = Field(default_factory=list)
    #: Steps applied after the engine, in order (``reading-order:xycut-3`` ...).
    steps: list[str] = Field(default_factory=list)


class Page(_Model):
    """One page: its pixel size, resolution and content.

    ``index`` is 0-based in the source document. ``dpi`` is ``None`` when the resolution is
    unknown (images that claim 72 or 96 dpi usually mean "unknown"). ``tables`` are the tables
    found on the page, ``regions`` its layout regions.
    """

    index: int = Field(ge=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    dpi: float | None = Field(default=None, gt=0)
    blocks: list[Block] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
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
        """The page's lines in their stored order, one per text row.

        Engines return lines in their own order; the pipeline puts them in reading order once
        (:func:`ocrxtract.layout.order_page`, noted in ``provenance.steps``), so this is the
        page's text as a person reads it.
        """
        return "\n".join(line.text for line in self.lines())

    @property
    def ordered(self) -> bool:
        """Whether :func:`ocrxtract.layout.order_page` put the lines in reading order."""
        return self.provenance is not None and any(
            step.startswith("reading-order") for step in self.provenance.steps
        )


class Alternative(_Model):
    """A runner-up reading of a key field: its normalised value, text and confidence."""

    value: str | None = None
    text: str = ""
    confidence: float | None = None

    _confidence = field_validator("confidence")(_check_confidence)


class KeyField(_Model):
    """One key field extracted from a document (like docTR's KIE predictions).

    Attributes:
        name: The field's name in its schema (``net_a_payer``, ``total``).
        value: The normalised value (amounts ``"1740.58"``, dates ``"2024-03-31"``), ``None``
            when the text could not be normalised.
        text: The text it was read from, as the engine read it.
        page: 0-based page it was found on, ``None`` when it comes from no page (an embedded
            e-invoice, for instance).
        boxes: Boxes of the words it was read from (pixels of that page).
        confidence: How sure the extractor is, in ``[0, 1]``.
        valid: Whether every check passed (``None``: no check applies). A value that fails a
            check is kept, flagged.
        checks: Each check applied and whether it passed (``{"luhn": True}``).
        alternatives: The runner-up candidates, best first.
    """

    name: str = Field(min_length=1)
    value: str | None = None
    text: str = ""
    page: int | None = Field(default=None, ge=0)
    boxes: list[BBox] = Field(default_factory=list)
    confidence: float | None = None
    valid: bool | None = None
    checks: dict[str, bool] = Field(default_factory=dict)
    alternatives: list[Alternative] = Field(default_factory=list)

    _confidence = field_validator("confidence")(_check_confidence)


class Document(_Model):
    """A document: its pages, the file it comes from, free metadata and extracted fields."""

    source: str | None = None
    pages: list[Page] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)
    fields: list[KeyField] = Field(default_factory=list)

    def field(self, name: str) -> KeyField | None:
        """The first extracted field called ``name``, or ``None``."""
        return next((f for f in self.fields if f.name == name), None)

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


def block_from_lines(lines: Sequence[Line], role: str = "text") -> Block:
    """Build a block whose box bounds its lines; ``role`` may be a label of another
    vocabulary (see :func:`block_role`)."""
    return Block(
        lines=list(lines), bbox=BBox.union([line.bbox for line in lines]), role=block_role(role)
    )
