"""Geometric transforms of a page and of its ground truth, with one 3x3 homography.

A degradation that moves pixels (rotation, scaling, perspective, placement on a background)
is one homography ``H`` from clean-page pixels to output pixels. The image is warped with
Pillow (which wants the inverse mapping) and every box of the ground truth is mapped through
the same ``H``: a box's four corners become a polygon (lines stay straight under a homography,
so the ink inside the box stays inside the polygon) and the new box bounds that polygon.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image

from ocrxtract.datasets.synthetic.truth import FieldTruth, PageTruth
from ocrxtract.document import BBox, Block, Document, Line, Page, Table, Word

Matrix = np.ndarray
Point = tuple[int, int]


def identity() -> Matrix:
    """The identity homography."""
    return np.eye(3)


def scaling(sx: float, sy: float | None = None) -> Matrix:
    """Scale by ``sx`` (and ``sy``) about the origin."""
    return np.diag([sx, sx if sy is None else sy, 1.0])


def translation(tx: float, ty: float) -> Matrix:
    """Move by ``(tx, ty)`` pixels."""
    return np.array([[1.0, 0.0, tx], [0.0, 1.0, ty], [0.0, 0.0, 1.0]])


def rotation(degrees: float, center: tuple[float, float]) -> Matrix:
    """Rotate counter-clockwise (as seen on screen, y pointing down) about ``center``."""
    theta = math.radians(degrees)
    cos_t, sin_t = math.cos(theta), math.sin(theta)
    cx, cy = center
    turn = np.array([[cos_t, sin_t, 0.0], [-sin_t, cos_t, 0.0], [0.0, 0.0, 1.0]])
    result: Matrix = translation(cx, cy) @ turn @ translation(-cx, -cy)
    return result


def perspective(
    source: Sequence[tuple[float, float]], target: Sequence[tuple[float, float]]
) -> Matrix:
    """The homography taking four ``source`` points to four ``target`` points."""
    rows = []
    values = []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    solution = np.linalg.solve(np.array(rows, dtype=float), np.array(values, dtype=float))
    return np.append(solution, 1.0).reshape(3, 3)


def apply(matrix: Matrix, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Map points through ``matrix``."""
    array = np.hstack([np.asarray(points, dtype=float), np.ones((len(points), 1))])
    mapped = array @ matrix.T
    return [(float(x / w), float(y / w)) for x, y, w in mapped]


def bounds(matrix: Matrix, width: int, height: int) -> tuple[float, float, float, float]:
    """Bounds of the image rectangle ``width`` x ``height`` after ``matrix``."""
    corners = apply(matrix, [(0, 0), (width, 0), (width, height), (0, height)])
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def is_axis_aligned(matrix: Matrix) -> bool:
    """True for scalings and translations (boxes stay boxes, no polygon needed)."""
    m = matrix / matrix[2, 2]
    return bool(
        abs(m[0, 1]) < 1e-12
        and abs(m[1, 0]) < 1e-12
        and abs(m[2, 0]) < 1e-12
        and abs(m[2, 1]) < 1e-12
    )


def warp(
    image: Image.Image,
    matrix: Matrix,
    size: tuple[int, int],
    fill: int | tuple[int, ...] = 255,
) -> Image.Image:
    """Warp ``image`` through ``matrix`` onto a ``size`` canvas filled with ``fill``."""
    inverse = np.linalg.inv(matrix)
    inverse = inverse / inverse[2, 2]
    coefficients = tuple(float(v) for v in inverse.flatten()[:8])
    return image.transform(
        size,
        Image.Transform.PERSPECTIVE,
        coefficients,
        resample=Image.Resampling.BICUBIC,
        fillcolor=fill,
    )


class BoxMapper:
    """Maps boxes and polygons of the clean page into the output image (clipped to it)."""

    def __init__(self, matrix: Matrix, width: int, height: int) -> None:
        self.matrix = matrix
        self.width = width
        self.height = height
        self.polygons = not is_axis_aligned(matrix)

    def _clip(self, point: tuple[float, float]) -> Point:
        x = min(max(round(point[0]), 0), self.width)
        y = min(max(round(point[1]), 0), self.height)
        return (x, y)

    def _box_from(self, points: Sequence[tuple[float, float]]) -> BBox:
        xs = [min(max(p[0], 0.0), float(self.width)) for p in points]
        ys = [min(max(p[1], 0.0), float(self.height)) for p in points]
        return BBox(
            x0=math.floor(min(xs)),
            y0=math.floor(min(ys)),
            x1=math.ceil(max(xs)),
            y1=math.ceil(max(ys)),
        )

    def box(self, box: BBox) -> BBox:
        """The bounds of ``box`` after the transform."""
        return self.polygon_and_box(box, None)[1]

    def polygon_and_box(
        self, box: BBox, polygon: list[Point] | None
    ) -> tuple[list[Point] | None, BBox]:
        """The transformed polygon (``None`` when boxes stay boxes) and bounding box."""
        source = (
            [(float(x), float(y)) for x, y in polygon]
            if polygon
            else [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
        )
        mapped = apply(self.matrix, source)
        new_polygon = [self._clip(p) for p in mapped] if (self.polygons or polygon) else None
        return new_polygon, self._box_from(mapped)

    def word(self, word: Word) -> Word:
        polygon, box = self.polygon_and_box(word.bbox, word.polygon)
        return Word(text=word.text, bbox=box, confidence=word.confidence, polygon=polygon)

    def line(self, line: Line) -> Line:
        words = [self.word(w) for w in line.words]
        polygon, _ = self.polygon_and_box(line.bbox, line.polygon)
        return Line(
            words=words,
            bbox=BBox.union([w.bbox for w in words]),
            confidence=line.confidence,
            polygon=polygon,
        )

    def block(self, block: Block) -> Block:
        lines = [self.line(line) for line in block.lines]
        return Block(lines=lines, bbox=BBox.union([ln.bbox for ln in lines]), role=block.role)

    def table(self, table: Table) -> Table:
        cells = [
            cell.model_copy(update={"bbox": self.box(cell.bbox) if cell.bbox else None})
            for cell in table.cells
        ]
        box = self.box(table.bbox) if table.bbox else None
        return table.model_copy(update={"cells": cells, "bbox": box})


def transform_truth(
    truth: PageTruth, matrix: Matrix, size: tuple[int, int], dpi: float | None
) -> PageTruth:
    """``truth`` with every box mapped through ``matrix`` into an image of ``size``."""
    width, height = size
    mapper = BoxMapper(matrix, width, height)
    pages = []
    for page in truth.document.pages:
        pages.append(
            Page(
                index=page.index,
                width=width,
                height=height,
                dpi=dpi,
                blocks=[mapper.block(b) for b in page.blocks],
                provenance=page.provenance,
            )
        )
    document = Document(source=truth.document.source, pages=pages, metadata=truth.document.metadata)
    fields = {
        name: FieldTruth(value=f.value, bbox=mapper.box(f.bbox) if f.bbox else None)
        for name, f in truth.fields.items()
    }
    return truth.model_copy(
        update={
            "document": document,
            "fields": fields,
            "tables": [mapper.table(t) for t in truth.tables],
            "width": width,
            "height": height,
            "dpi": dpi,
        }
    )
