"""Geometry shared by the adapters: library quads -> our integer pixel boxes and polygons.

Engines that return one quadrilateral per run of text (EasyOCR, PaddleOCR) get word boxes cut
from it in proportion to character counts: approximate, and said so in the page provenance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ocrxtract.document import BBox, Line, Page, Word, block_from_lines

FloatPoint = tuple[float, float]


def _lerp(a: FloatPoint, b: FloatPoint, t: float) -> FloatPoint:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def split_quad_into_words(
    text: str, quad: Sequence[FloatPoint]
) -> list[tuple[str, list[FloatPoint]]]:
    """Cut a text line's quadrilateral into one quadrilateral per word.

    Each word gets the slice of the line whose length is proportional to its position in the
    string (spaces count as characters), along the top and bottom edges, so slanted lines give
    slanted word quads.

    Args:
        text: The line's text.
        quad: Its corners clockwise from the top-left: top-left, top-right, bottom-right,
            bottom-left.

    Returns:
        ``(word, quad)`` pairs in reading order; empty when ``text`` has no word.
    """
    top_left, top_right, bottom_right, bottom_left = ((float(p[0]), float(p[1])) for p in quad)
    length = len(text)
    words = []
    for match in re.finditer(r"\S+", text):
        start, end = match.start() / length, match.end() / length
        word_quad = [
            _lerp(top_left, top_right, start),
            _lerp(top_left, top_right, end),
            _lerp(bottom_left, bottom_right, end),
            _lerp(bottom_left, bottom_right, start),
        ]
        words.append((match.group(), word_quad))
    return words


def _is_axis_aligned(quad: Sequence[FloatPoint], tolerance: float = 1.0) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    return (
        abs(y0 - y1) <= tolerance
        and abs(y3 - y2) <= tolerance
        and abs(x0 - x3) <= tolerance
        and abs(x1 - x2) <= tolerance
    )


def quad_to_geometry(
    quad: Sequence[Sequence[float]], width: int, height: int
) -> tuple[BBox, list[tuple[int, int]] | None]:
    """A pixel box (and, for a rotated quad, a polygon) clipped to a ``width`` x ``height`` page."""
    # Rounding to 1e-6 px first keeps float noise (0.3 * 200 = 60.00000000000001) from
    # widening the box by a pixel when it is rounded outwards.
    clipped = [
        (
            min(max(round(float(x), 6), 0.0), float(width)),
            min(max(round(float(y), 6), 0.0), float(height)),
        )
        for x, y in quad
    ]
    bbox = BBox.from_points(clipped)
    if len(clipped) == 4 and _is_axis_aligned(clipped):
        return bbox, None
    polygon = [(round(x), round(y)) for x, y in clipped]
    return bbox, polygon


def clip_confidence(value: Any) -> float | None:
    """A library's score as a confidence in [0, 1] (``None`` when it gives none)."""
    if value is None:
        return None
    return min(max(float(value), 0.0), 1.0)


def text_quad_to_line(
    text: str, quad: Sequence[Sequence[float]], confidence: Any, width: int, height: int
) -> Line | None:
    """One recognised line (text, quad, score) as a :class:`Line` of approximate words.

    Returns:
        The line, or ``None`` when ``text`` holds no word.
    """
    line_points = [(float(p[0]), float(p[1])) for p in quad]
    score = clip_confidence(confidence)
    words = []
    for word_text, word_quad in split_quad_into_words(text, line_points):
        bbox, polygon = quad_to_geometry(word_quad, width, height)
        words.append(Word(text=word_text, bbox=bbox, confidence=score, polygon=polygon))
    if not words:
        return None
    bbox, polygon = quad_to_geometry(line_points, width, height)
    return Line(words=words, bbox=bbox, confidence=score, polygon=polygon)


def page_of_lines(
    lines: Sequence[Line | None], index: int, width: int, height: int, dpi: float | None
) -> Page:
    """A page holding ``lines`` (``None`` entries dropped) in one block, in the engine's order."""
    kept = [line for line in lines if line is not None]
    blocks = [block_from_lines(kept)] if kept else []
    return Page(index=index, width=width, height=height, dpi=dpi, blocks=blocks)
