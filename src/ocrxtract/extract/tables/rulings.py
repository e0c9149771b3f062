"""Ruling lines of a page image: drawn rules, and the edges of shaded cells and bars.

Rules are found with mathematical morphology (OpenCV) on the de-skewed page, shrunk so that its
longer side is at most :data:`WORK_SIDE` pixels (a 20 000-pixel image costs what an A4 page at
200 dpi costs):

* dark pixels opened with a long horizontal (vertical) line keep the rules; a thin result is
  one rule, a thick one (a dark bar, a filled header) gives its two edges;
* with the words painted over in the colour around them, pixels darker than the paper are the
  shaded areas (header backgrounds, zebra rows, dark bars with light text); their edges become
  rules too, so a table drawn with fills instead of lines is read like a ruled one (the inside
  of a fill makes no rule).

Lengths are in units of the text height (``unit``), so the same settings serve every
resolution.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ocrxtract.extract.tables.tokens import FBox, Frame

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

#: Longest side of the image the rules are looked for in (pixels).
WORK_SIDE = 2200


@dataclass(frozen=True)
class Rule:
    """A horizontal or vertical rule in the de-skewed frame (page pixels)."""

    x0: float
    y0: float
    x1: float
    y1: float
    horizontal: bool

    @property
    def position(self) -> float:
        """Its y (horizontal rule) or x (vertical rule)."""
        return (self.y0 + self.y1) / 2 if self.horizontal else (self.x0 + self.x1) / 2

    @property
    def start(self) -> float:
        return self.x0 if self.horizontal else self.y0

    @property
    def end(self) -> float:
        return self.x1 if self.horizontal else self.y1

    @property
    def length(self) -> float:
        return self.end - self.start

    def covers(self, lo: float, hi: float, slack: float = 0.0) -> float:
        """Share of ``[lo, hi]`` (along the rule) that the rule covers."""
        if hi <= lo:
            return 0.0
        inter = min(hi, self.end + slack) - max(lo, self.start - slack)
        return max(0.0, inter) / (hi - lo)


@dataclass
class Rulings:
    """The rules of a page (or of part of one)."""

    horizontal: list[Rule] = field(default_factory=list)
    vertical: list[Rule] = field(default_factory=list)

    def inside(self, box: tuple[float, float, float, float], margin: float = 0.0) -> Rulings:
        """The rules that lie (mostly) inside ``box``, clipped to it."""
        x0, y0, x1, y1 = box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin
        hs = [
            Rule(max(r.x0, x0), r.y0, min(r.x1, x1), r.y1, True)
            for r in self.horizontal
            if y0 <= r.position <= y1 and min(r.x1, x1) - max(r.x0, x0) > 0
        ]
        vs = [
            Rule(r.x0, max(r.y0, y0), r.x1, min(r.y1, y1), False)
            for r in self.vertical
            if x0 <= r.position <= x1 and min(r.y1, y1) - max(r.y0, y0) > 0
        ]
        return Rulings(hs, vs)

    def __bool__(self) -> bool:
        return bool(self.horizontal or self.vertical)


def _cv2() -> Any:
    from ocrxtract.extract.tables.models import require

    return require("cv2", "opencv-python-headless", "ruling lines")


def _segments(mask: Any, horizontal: bool, thin: float, scale: float) -> list[Rule]:
    cv2 = _cv2()
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    rules: list[Rule] = []
    for k in range(1, count):
        x, y, w, h = (float(v) for v in stats[k, :4])
        across = h if horizontal else w
        if across <= thin:
            edges = [(x, y, x + w, y + h)]
        elif horizontal:  # a bar: its top and bottom edges
            edges = [(x, y, x + w, y + 1), (x, y + h - 1, x + w, y + h)]
        else:
            edges = [(x, y, x + 1, y + h), (x + w - 1, y, x + w, y + h)]
        for a, b, c, d in edges:
            rules.append(Rule(a / scale, b / scale, c / scale, d / scale, horizontal))
    return rules


def _merge(rules: list[Rule], gap: float, tolerance: float) -> list[Rule]:
    """Join collinear pieces of one rule (a dashed rule, a rule cut by a letter)."""
    out: list[Rule] = []
    for rule in sorted(rules, key=lambda r: (r.position, r.start)):
        for k in range(len(out) - 1, -1, -1):
            other = out[k]
            if abs(other.position - rule.position) > tolerance:
                continue
            if rule.start <= other.end + gap and rule.end >= other.start - gap:
                out[k] = Rule(
                    min(other.x0, rule.x0),
                    min(other.y0, rule.y0),
                    max(other.x1, rule.x1),
                    max(other.y1, rule.y1),
                    rule.horizontal,
                )
                break
        else:
            out.append(rule)
    return sorted(out, key=lambda r: (r.position, r.start))


def _filled(gray: Any, boxes: Sequence[FBox], scale: float, paper: float) -> Any:
    """Shaded areas: the page with each word's box painted in the colour around it (dark text
    on white becomes white, light text on a fill becomes the fill), darker than the paper."""
    cv2 = _cv2()
    clean = gray.copy()
    height, width = clean.shape
    for x0, y0, x1, y1 in boxes:
        a, b = max(1, int(x0 * scale) - 1), min(width - 1, int(x1 * scale) + 2)
        c, d = max(1, int(y0 * scale) - 1), min(height - 1, int(y1 * scale) + 2)
        if b <= a or d <= c:
            continue
        ring = np.concatenate([gray[c - 1, a:b], gray[d, a:b], gray[c:d, a - 1], gray[c:d, b]])
        clean[c:d, a:b] = int(np.median(ring))
    filled = (clean < paper - 18).astype(np.uint8)
    return cv2.morphologyEx(filled, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))


def find_rulings(
    image: Image.Image, frame: Frame, unit: float, boxes: Sequence[FBox] = ()
) -> Rulings:
    """The rules of ``image`` in the de-skewed ``frame``.

    Args:
        image: The page image (any mode).
        frame: The rotation that de-skews the page.
        unit: The text height in page pixels.
        boxes: The words' boxes in the frame (their text is not taken for shading).
    """
    cv2 = _cv2()
    gray = np.asarray(image.convert("L"))
    height, width = gray.shape
    scale = min(1.0, WORK_SIDE / max(height, width))
    if scale < 1.0:
        gray = cv2.resize(
            gray, (max(1, round(width * scale)), max(1, round(height * scale))),
            interpolation=cv2.INTER_AREA,
        )  # fmt: skip
    if frame.angle:
        matrix = cv2.getRotationMatrix2D((frame.cx * scale, frame.cy * scale), frame.angle, 1.0)
        gray = cv2.warpAffine(
            gray, matrix, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT, borderValue=255,
        )  # fmt: skip
    u = max(2.0, unit * scale)
    paper = float(np.percentile(gray, 90))
    filled = _filled(gray, boxes, scale, paper)
    inner = cv2.erode(filled, np.ones((3, 3), np.uint8))
    dark = ((gray < min(170.0, paper - 60)) & (inner == 0)).astype(np.uint8)
    long_h = max(8, int(3.0 * u))
    long_v = max(8, int(2.0 * u))
    thin = max(3.0, 0.3 * u)
    h_kernel = np.ones((1, long_h), np.uint8)
    v_kernel = np.ones((long_v, 1), np.uint8)
    rules_h = _segments(cv2.morphologyEx(dark, cv2.MORPH_OPEN, h_kernel), True, thin, scale)
    rules_v = _segments(cv2.morphologyEx(dark, cv2.MORPH_OPEN, v_kernel), False, thin, scale)
    if filled.any():  # the edges of shaded areas
        edge_h = np.zeros_like(filled)
        edge_h[1:] = filled[1:] != filled[:-1]
        edge_v = np.zeros_like(filled)
        edge_v[:, 1:] = filled[:, 1:] != filled[:, :-1]
        rules_h += _segments(cv2.morphologyEx(edge_h, cv2.MORPH_OPEN, h_kernel), True, thin, scale)
        rules_v += _segments(cv2.morphologyEx(edge_v, cv2.MORPH_OPEN, v_kernel), False, thin, scale)
    tolerance = max(2.0, 0.25 * unit)
    return Rulings(
        _merge(rules_h, gap=0.6 * unit, tolerance=tolerance),
        _merge(rules_v, gap=0.6 * unit, tolerance=tolerance),
    )
