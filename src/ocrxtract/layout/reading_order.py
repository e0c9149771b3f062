"""Reading order: turn unordered text lines from any engine into rows and plain text.

Engines disagree on line order: some return lines in arbitrary order, some split one visual line
into several segments (``"Total"`` … ``"1 234,56 €"`` far to the right). :func:`order_lines`
rebuilds the visual rows in reading order from geometry alone, :func:`lines_to_text` turns them
into text: rows joined with ``"\\n"``, the segments of a row joined with **one space** (wide
gaps are not kept as runs of spaces: one space is what CER/WER references contain).

Method (pure Python, deterministic, ``O(n log n)`` per level of the cut tree):

1. **Skew.** Each line gives an angle: the principal axis of its polygon (or of its words'
   polygons) when it has one and it is elongated (at least twice as long as high), otherwise the
   least-squares slope of its word centres when it has two or more words spread over at least
   two word heights. Angles beyond ±20° (stamps, vertical text) are ignored; the page angle is
   the median of the rest, clamped to ±10° (:func:`estimate_skew`). Every coordinate is rotated
   by minus that angle: polygons point by point, axis-aligned word boxes by their centre, their
   true width and height being recovered from the box of a rectangle rotated by the angle.
2. **Columns (XY-cut).** A region (first the page) is cut into horizontal *strips* separated by
   empty rows of pixels. Consecutive strips form a *run* while they share a vertical band of
   whitespace at least 0.8 median line height wide (margins count: a column that ends early
   stays in the run) and no gap between them exceeds 1.5 line heights; strips without such a
   band form runs of their own. Several runs are cut apart and read top to bottom; a single run
   is cut at its widest *gutter* (a shared band with text on both sides) into a left part read
   entirely before the right part, and each part is cut again. A gutter is **not** cut when the
   two sides look like a table or a key/value list: the sides are not both prose (a side is
   prose when its rows are in one piece, median, hold 20 characters or more, median, mostly
   letters, and run to the side's right edge: median row width 75 % of the side's or more;
   table rows are cells with gaps between them, table cells and labels end where their text
   ends, amounts are figures) and their rows line up: taking each
   row of the side with fewer rows to its nearest row on the other side, the median offset is
   under half a line height and at least half the offsets are within 15 % of the row pitch of
   that median (a residual skew shifts them all alike; independent columns spread them over the
   pitch). So a two-column article reads column 1 then column 2 under its full-width title,
   while an invoice's ``label … amount`` rows and a table of short cells read row by row, with
   or without a full-width row inside them, even when a column has cells on a few rows only.
3. **Rows.** In each uncut region, segments are sorted by vertical centre and a segment joins
   the current row when its centre is within half the region's median line height of the row's
   mean centre (segments of different heights stay together); rows go top to bottom and the
   segments of a row left to right, except segments *stacked* one above the other (overlapping
   horizontally by half the narrower one's width, alike in height within 70 %, centres apart
   by 0.35 of it: small print under a larger line height, handwritten lines whose tall boxes
   overlap), read top to bottom one after the other; a row that is one stack alone is split
   into its lines.

Limits:

* The table test is a heuristic. Two text columns of short lines (under 20 characters, or one
  word per "line") or of ragged lines whose rows line up are read row by row; a table whose
  cells hold long prose filling both sides of a gap is read column by column; multi-line cells
  are interleaved row by row.
  Ground truths disagree here: SROIE receipts are transcribed row by row, LECTAUREP registers
  column by column.
* Skew is only read *inside* lines. Engines that give axis-aligned segment boxes and no word
  geometry or polygon (e.g. SROIE's own boxes) show no skew, and on a skewed page such a
  label and its amount far to the right can fall on different rows.
* Skew beyond ±10°, curved lines, vertical and right-to-left scripts are not handled. A header
  or footer beside a column (no full-width element between them) joins that column.
"""

from __future__ import annotations

import logging
import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median
from typing import Protocol, TypeVar

log = logging.getLogger(__name__)

MAX_SKEW_DEGREES = 10.0
"""The page angle is clamped to ``±MAX_SKEW_DEGREES``."""
OUTLIER_SKEW_DEGREES = 20.0
"""Line angles beyond this (stamps, vertical text) do not vote."""
MIN_SKEW_DEGREES = 0.05
"""Below this the page is not rotated at all."""
GUTTER_FACTOR = 0.8
"""A column gutter is at least this many median line heights wide."""
SECTION_GAP_FACTOR = 1.5
"""A vertical gap of this many line heights ends a run (a new section starts)."""
ROW_TOLERANCE = 0.5
"""Segments whose centres are within this many line heights share a row."""
STACKED_OVERLAP = 0.5
"""Segments of a row overlapping horizontally by this share of the narrower one's width, alike
in height and apart vertically are lines one above the other, read top to bottom (``_stacked``)."""
STACKED_ALIKE = 0.7
"""... alike in height: the lower one at least this share of the taller one's height ..."""
STACKED_SHIFT = 0.35
"""... apart vertically: centres at least this share of the taller one's height apart."""
ALIGN_TOLERANCE = 0.15
"""Rows on both sides of a gutter line up when their offsets agree within this share of the
row pitch."""
TABLE_ALIGNED_FRACTION = 0.5
"""Share of the rows of the side with fewer rows that must line up for a table."""
PROSE_CHARS = 20
"""A side of a gutter is prose only if its rows hold at least this many characters (median)."""
PROSE_FILL = 0.75
"""... and its rows span at least this share of the side's width (median): prose lines run to
the column's edge, table cells and labels end where their text ends."""
PROSE_LETTERS = 0.5
"""... and letters are at least this share of its characters (a column of amounts is no prose)."""

_MIN_ELONGATION = 4.0  # variance ratio of a polygon's axes: length >= 2 x height
_MIN_FIT_SPAN = 2.0  # word centres must spread over this many word heights


class BoxLike(Protocol):
    """An axis-aligned pixel box (``ocrxtract.document.BBox`` fits)."""

    @property
    def x0(self) -> int: ...
    @property
    def y0(self) -> int: ...
    @property
    def x1(self) -> int: ...
    @property
    def y1(self) -> int: ...


class WordLike(Protocol):
    """What reading order reads from a word (``ocrxtract.document.Word`` fits)."""

    @property
    def bbox(self) -> BoxLike: ...
    @property
    def polygon(self) -> Sequence[tuple[int, int]] | None: ...


class LineLike(Protocol):
    """What reading order reads from a line (``ocrxtract.document.Line`` fits)."""

    @property
    def words(self) -> Sequence[WordLike]: ...
    @property
    def bbox(self) -> BoxLike: ...
    @property
    def polygon(self) -> Sequence[tuple[int, int]] | None: ...
    @property
    def text(self) -> str: ...


LineT = TypeVar("LineT", bound=LineLike)


@dataclass(frozen=True)
class _Item:
    """A line's box in the de-skewed frame, with its position in the input."""

    index: int
    x0: float
    y0: float
    x1: float
    y1: float
    chars: int = 0
    letters: int = 0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


Interval = tuple[float, float]


@dataclass
class _Run:
    """Consecutive strips and the whitespace bands they share."""

    items: list[_Item]
    free: list[Interval] = field(default_factory=list)

    def gutters(self) -> list[Interval]:
        """Shared bands with text on both sides, widest first."""
        lo, hi = min(it.x0 for it in self.items), max(it.x1 for it in self.items)
        inside = [(a, b) for a, b in self.free if a > lo and b < hi]
        return sorted(inside, key=lambda band: (band[0] - band[1], band[0]))


# --------------------------------------------------------------------------------------- skew


def _principal_angle(points: Sequence[tuple[float, float]]) -> float | None:
    """Direction (radians) of the long axis of a point cloud, ``None`` if not elongated."""
    if len(points) < 3:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    syy = sum((p[1] - my) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    half_diff = math.hypot((sxx - syy) / 2, sxy)
    major, minor = (sxx + syy) / 2 + half_diff, (sxx + syy) / 2 - half_diff
    if major <= 0 or major < _MIN_ELONGATION * max(minor, 0.0):
        return None
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    return angle


def _fit_angle(words: Sequence[WordLike]) -> float | None:
    """Angle (radians) of the least-squares line through the word centres, ``None`` if unsure."""
    xs = [(w.bbox.x0 + w.bbox.x1) / 2 for w in words]
    ys = [(w.bbox.y0 + w.bbox.y1) / 2 for w in words]
    word_height = median(w.bbox.y1 - w.bbox.y0 for w in words)
    if max(xs) - min(xs) < _MIN_FIT_SPAN * max(word_height, 1):
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return math.atan(sxy / sxx)


def _line_angle(line: LineLike) -> float | None:
    """One line's angle (radians, positive when the text goes down to the right), if known."""
    if line.polygon:
        angle = _principal_angle([(float(x), float(y)) for x, y in line.polygon])
        if angle is not None:
            return angle
    if all(word.polygon for word in line.words):
        points = [(float(x), float(y)) for word in line.words for x, y in word.polygon or ()]
        angle = _principal_angle(points)
        if angle is not None:
            return angle
    if len(line.words) >= 2:
        return _fit_angle(line.words)
    return None


def estimate_skew(lines: Sequence[LineLike]) -> float:
    """Estimate the page's skew angle from its lines' geometry.

    Args:
        lines: the page's lines, in any order.

    Returns:
        The angle in degrees, positive when text lines go down to the right (clockwise in image
        coordinates), clamped to ``±MAX_SKEW_DEGREES``; ``0.0`` when no line gives an angle.
    """
    votes = []
    for line in lines:
        angle = _line_angle(line)
        if angle is not None and abs(math.degrees(angle)) <= OUTLIER_SKEW_DEGREES:
            votes.append(math.degrees(angle))
    if not votes:
        return 0.0
    return max(-MAX_SKEW_DEGREES, min(MAX_SKEW_DEGREES, median(votes)))


# ------------------------------------------------------------------------------ de-skewed boxes


Box = tuple[float, float, float, float]


def _bounds(points: Sequence[tuple[float, float]]) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _rotated_word(word: WordLike, cos_a: float, sin_a: float) -> Box:
    """``(x0, y0, x1, y1)`` of ``word`` rotated by minus the page angle."""

    def rotate(x: float, y: float) -> tuple[float, float]:
        return (x * cos_a + y * sin_a, y * cos_a - x * sin_a)

    if word.polygon:
        return _bounds([rotate(x, y) for x, y in word.polygon])
    b = word.bbox
    cx, cy = rotate((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2)
    # The axis-aligned box W x H of a w x h rectangle turned by a: W = w.c + h.s, H = w.s + h.c.
    big_w, big_h, s = b.x1 - b.x0, b.y1 - b.y0, abs(sin_a)
    det = cos_a * cos_a - s * s  # cos(2a) > 0.9 for |a| <= 10 degrees
    w = min(big_w, max(0.25 * big_w, (big_w * cos_a - big_h * s) / det))
    h = min(big_h, max(0.25 * big_h, (big_h * cos_a - big_w * s) / det))
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _deskewed_box(line: LineLike, angle: float) -> Box:
    """The box of ``line`` in the frame turned by minus ``angle`` (radians)."""
    if angle == 0.0:
        b = line.bbox
        return (b.x0, b.y0, b.x1, b.y1)
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    if line.polygon:
        return _bounds([(x * cos_a + y * sin_a, y * cos_a - x * sin_a) for x, y in line.polygon])
    boxes = [_rotated_word(word, cos_a, sin_a) for word in line.words]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


# -------------------------------------------------------------------------------------- rows


def _line_height(items: Sequence[_Item]) -> float:
    return max(1.0, median(item.height for item in items))


def _stacked(a: _Item, b: _Item) -> bool:
    """Whether two segments of a row are lines one above the other: they overlap horizontally
    by half the narrower one's width or more, are alike in height (``STACKED_ALIKE``) and their
    centres are apart by ``STACKED_SHIFT`` of that height (closer than the row tolerance, which
    follows the region's median line height: small print, handwritten lines whose tall boxes
    overlap). Text running into its neighbour on the same line, a smaller word written just
    above a line (an insertion, read with it) or a speck beside a line are not stacked."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    if across <= 0 or across < STACKED_OVERLAP * min(a.x1 - a.x0, b.x1 - b.x0):
        return False
    taller = max(a.height, b.height)
    return (
        min(a.height, b.height) >= STACKED_ALIKE * taller
        and abs(a.cy - b.cy) >= STACKED_SHIFT * taller
    )


def _read_row(row: list[_Item]) -> list[list[_Item]]:
    """A visual row read: its segments left to right, except segments stacked one above the
    other (``_stacked``), read top to bottom one after the other; a row that is one such stack
    alone (two lines of small print, handwritten lines whose tall boxes overlap) is its lines,
    each a row of its own."""
    stacks: list[list[_Item]] = []
    for item in sorted(row, key=lambda it: (it.x0, it.cy, it.index)):
        for stack in stacks:
            if any(_stacked(item, other) for other in stack):
                stack.append(item)
                break
        else:
            stacks.append([item])
    for stack in stacks:
        stack.sort(key=lambda it: (it.cy, it.x0, it.index))
    if len(stacks) == 1:
        return [[item] for item in stacks[0]]
    return [[item for stack in stacks for item in stack]]


def _group_rows(items: Sequence[_Item], tolerance: float) -> list[list[_Item]]:
    """Rows top to bottom: centres within ``tolerance`` of the row's, read by ``_read_row``."""
    rows: list[list[_Item]] = []
    current: list[_Item] = []
    total = 0.0
    for item in sorted(items, key=lambda it: (it.cy, it.x0, it.index)):
        if current and item.cy - total / len(current) > tolerance:
            rows.append(current)
            current, total = [], 0.0
        current.append(item)
        total += item.cy
    if current:
        rows.append(current)
    return [line for row in rows for line in _read_row(row)]


# ---------------------------------------------------------------------------------- XY-cut


def _strips(items: Sequence[_Item]) -> list[tuple[float, list[_Item]]]:
    """Horizontal strips separated by empty pixel rows, each with the gap above it."""
    strips: list[tuple[float, list[_Item]]] = []
    current: list[_Item] = []
    gap, bottom = 0.0, -math.inf
    for item in sorted(items, key=lambda it: (it.y0, it.y1, it.x0, it.index)):
        if current and item.y0 >= bottom:
            strips.append((gap, current))
            gap, current = item.y0 - bottom, []
        current.append(item)
        bottom = max(bottom, item.y1)
    if current:
        strips.append((gap, current))
    return strips


def _free(items: Sequence[_Item], lo: float, hi: float, min_width: float) -> list[Interval]:
    """Bands of ``[lo, hi]`` at least ``min_width`` wide that no item covers, left to right."""
    bands: list[Interval] = []
    reach = lo
    for item in sorted(items, key=lambda it: (it.x0, it.x1)):
        if item.x0 - reach >= min_width:
            bands.append((reach, item.x0))
        reach = max(reach, item.x1)
    if hi - reach >= min_width:
        bands.append((reach, hi))
    return bands


def _intersect(a: Sequence[Interval], b: Sequence[Interval], min_width: float) -> list[Interval]:
    """Pieces at least ``min_width`` wide common to two sorted band lists."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi - lo >= min_width:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _runs(items: Sequence[_Item], line_height: float) -> list[_Run]:
    """Consecutive strips grouped while they share a whitespace band (see the module doc)."""
    lo, hi = min(it.x0 for it in items), max(it.x1 for it in items)
    min_width = GUTTER_FACTOR * line_height
    runs: list[_Run] = []
    for gap, strip in _strips(items):
        free = _free(strip, lo, hi, min_width)
        if runs and gap < SECTION_GAP_FACTOR * line_height:
            run = runs[-1]
            shared = _intersect(run.free, free, min_width)
            if shared or not (run.free or free):
                run.items.extend(strip)
                run.free = shared
                continue
        runs.append(_Run(list(strip), free))
    return runs


def _is_prose(rows: Sequence[Sequence[_Item]]) -> bool:
    """Whether a side of a gutter reads as running text: long rows (counted in characters, not
    pixels: line boxes are padded very differently by engines), mostly letters, that fill the
    side's width, each in one piece (a table's rows are cells with gaps between them)."""
    if median(len(row) for row in rows) >= 2:
        return False
    if median(sum(it.chars for it in row) + len(row) - 1 for row in rows) < PROSE_CHARS:
        return False
    chars = sum(it.chars for row in rows for it in row)
    if sum(it.letters for row in rows for it in row) < PROSE_LETTERS * chars:
        return False
    left = min(it.x0 for row in rows for it in row)
    width = max(it.x1 for row in rows for it in row) - left
    if width <= 0:
        return True
    return median((max(it.x1 for it in row) - left) / width for row in rows) >= PROSE_FILL


def _pitch(centres: Sequence[float], line_height: float) -> float:
    """Median distance between consecutive row centres (1.5 line heights for a single row)."""
    steps = [b - a for a, b in pairwise(centres)]
    return median(steps) if steps else 1.5 * line_height


def _looks_like_table(left: Sequence[_Item], right: Sequence[_Item], line_height: float) -> bool:
    """Whether the two sides of a gutter should be read row by row (see the module doc)."""
    rows_left = _group_rows(left, ROW_TOLERANCE * line_height)
    rows_right = _group_rows(right, ROW_TOLERANCE * line_height)
    if _is_prose(rows_left) and _is_prose(rows_right):
        return False
    fewer, more = sorted((rows_left, rows_right), key=len)
    centres = sorted(sum(it.cy for it in row) / len(row) for row in more)
    offsets = []  # signed distance from each row of the smaller side to its nearest partner
    for row in fewer:
        cy = sum(it.cy for it in row) / len(row)
        k = bisect_left(centres, cy)
        near = [centres[j] - cy for j in (k - 1, k) if 0 <= j < len(centres)]
        offsets.append(min(near, key=abs))
    # Rows line up when most offsets agree (a residual skew shifts them all alike) and their
    # common value is under half a line: unaligned columns give offsets spread over the pitch.
    shift = median(offsets)
    if abs(shift) > ROW_TOLERANCE * line_height:
        return False
    tolerance = ALIGN_TOLERANCE * _pitch(centres, line_height)
    matched = sum(abs(offset - shift) <= tolerance for offset in offsets)
    return matched >= TABLE_ALIGNED_FRACTION * len(fewer)


def _split(items: list[_Item]) -> list[list[_Item]] | None:
    """The parts of a region in reading order, or ``None`` when it is read as rows."""
    if len(items) < 2:
        return None
    line_height = _line_height(items)
    runs = _runs(items, line_height)
    if len(runs) > 1:
        # Runs without a gutter read exactly as the rows of the whole region would: cutting
        # only pays when some run has columns (this also keeps staircases O(n log n)).
        if any(run.gutters() for run in runs):
            return [run.items for run in runs]
        return None
    for a, b in runs[0].gutters():
        left = [it for it in items if it.x1 <= a]
        right = [it for it in items if it.x0 >= b]
        if not _looks_like_table(left, right, line_height):
            return [left, right]
    return None


def _regions(items: list[_Item]) -> list[list[_Item]]:
    """The uncut regions in reading order (an explicit stack: no recursion limit)."""
    regions: list[list[_Item]] = []
    stack = [items]
    while stack:
        region = stack.pop()
        parts = _split(region)
        if parts is None:
            regions.append(region)
        else:
            stack.extend(reversed(parts))
    return regions


# ------------------------------------------------------------------------------------ public


def order_regions(lines: Sequence[LineT]) -> list[list[list[LineT]]]:
    """The uncut regions of ``lines`` in reading order, each as its visual rows.

    Args:
        lines: a page's lines (``ocrxtract.document.Line``), in any order; an engine may have
            split one visual line into several segments.

    Returns:
        Regions (columns, sections) in reading order; in each, the rows top to bottom and each
        row's segments left to right, segments stacked one above the other top to bottom (see
        the module docstring for the method and its limits).
        Every input line appears exactly once. Empty input gives ``[]``.
    """
    if not lines:
        return []
    angle = estimate_skew(lines)
    if abs(angle) < MIN_SKEW_DEGREES:
        angle = 0.0
    log.debug("reading order of %d lines, skew %.2f degrees", len(lines), angle)
    radians = math.radians(angle)
    items = [
        _Item(
            index,
            *_deskewed_box(line, radians),
            chars=len(line.text),
            letters=sum(c.isalpha() for c in line.text),
        )
        for index, line in enumerate(lines)
    ]
    regions: list[list[list[LineT]]] = []
    for region in _regions(items):
        tolerance = ROW_TOLERANCE * _line_height(region)
        regions.append([[lines[it.index] for it in row] for row in _group_rows(region, tolerance)])
    return regions


def order_lines(lines: Sequence[LineT]) -> list[list[LineT]]:
    """Visual rows of ``lines`` in reading order, each row's segments left to right (stacked
    segments top to bottom).

    Args:
        lines: a page's lines (``ocrxtract.document.Line``), in any order; an engine may have
            split one visual line into several segments.

    Returns:
        The rows top to bottom, column by column (see the module docstring for the method and
        its limits); every input line appears exactly once. Empty input gives ``[]``.
    """
    return [row for region in order_regions(lines) for row in region]


def lines_to_text(lines: Sequence[LineLike]) -> str:
    """The text of ``lines`` in reading order.

    Args:
        lines: a page's lines, in any order.

    Returns:
        One text row per visual row, joined with ``"\\n"``; the segments of a row are joined with
        a single space. Empty input gives ``""``.
    """
    return "\n".join(" ".join(line.text for line in row) for row in order_lines(lines))
