"""Table regions for structure analysis: ruled grids, aligned columns, or the tables brick.

This is not the tables brick (:mod:`ocrxtract.extract.tables`, built apart): it marks where
tables are so that their text does not become paragraphs, and reads the grid when it is
simple.

* **Ruled** (:func:`ruled_tables`): rules that touch one another form a grid; a grid with two
  horizontal and two vertical rules, or three horizontal rules (open "booktabs" tables), that
  holds text is a table. Rows are the bands between horizontal rules (or the text rows when
  there are only three rules), columns the bands between vertical rules (or the aligned text
  columns); each word goes to the cell that holds its centre.
* **Aligned** (:func:`aligned_table`): consecutive rows of two or more segments whose segments
  start at the same places form a table without rules.
* **The tables brick**: a ``Page.tables`` entry (filled by an extractor that ran before) whose
  box overlaps a region gives that region its cells as they are (``source="tables"``); this is
  the hook through which the tables brick replaces the simple readings here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ocrxtract.extract.structure.lines import TextLine, TextWord
from ocrxtract.io.styled_text import Rule

log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]

#: Rules closer than this (pixels at 72 dpi, scaled) touch.
TOUCH = 3.0
#: A column of an aligned table starts at the same place within this many font sizes.
ALIGN_EM = 1.0
#: Least number of rows of an aligned table.
MIN_ALIGNED_ROWS = 3


@dataclass
class TableRegion:
    """A table found on a page: its box, grid (rows of cell texts) and the lines it took."""

    box: Box
    rows: list[list[str]] = field(default_factory=list)
    source: str = "region"
    lines: list[TextLine] = field(default_factory=list)
    header_rows: int = 0


def _touch(a: Box, b: Box, tolerance: float) -> bool:
    return not (
        a[2] + tolerance < b[0]
        or b[2] + tolerance < a[0]
        or a[3] + tolerance < b[1]
        or b[3] + tolerance < a[1]
    )


def _clusters(values: Sequence[float], tolerance: float) -> list[float]:
    """Sorted values merged when closer than ``tolerance`` (their mean)."""
    merged: list[list[float]] = []
    for value in sorted(values):
        if merged and value - merged[-1][-1] <= tolerance:
            merged[-1].append(value)
        else:
            merged.append([value])
    return [sum(group) / len(group) for group in merged]


def _inside(box: Box, region: Box, margin: float = 1.0) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return (
        region[0] - margin <= cx <= region[2] + margin
        and region[1] - margin <= cy <= region[3] + margin
    )


def _grid(
    words: Sequence[TextWord], row_edges: Sequence[float], col_edges: Sequence[float]
) -> list[list[str]]:
    cells: list[list[list[str]]] = [
        [[] for _ in range(len(col_edges) - 1)] for _ in range(len(row_edges) - 1)
    ]
    for word in words:
        cx, cy = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
        row = next((i for i in range(len(row_edges) - 1) if cy < row_edges[i + 1]), None)
        col = next((j for j in range(len(col_edges) - 1) if cx < col_edges[j + 1]), None)
        if row is not None and col is not None:
            cells[row][col].append(word.text)
    rows = [[" ".join(cell) for cell in row] for row in cells]
    return [row for row in rows if any(row)]


def _text_columns(lines: Sequence[TextLine], region: Box, scale: float) -> list[float]:
    """Column edges from the starts of the segments inside a region."""
    starts = _clusters([line.box[0] for line in lines], ALIGN_EM * 8 * scale)
    edges = [region[0] - 1.0]
    edges += [start - 1.0 for start in starts[1:]]
    return [*edges, region[2] + 1.0]


def _text_rows(lines: Sequence[TextLine], region: Box) -> list[float]:
    """Row edges from the text rows inside a region (lines whose centres are close)."""
    centres = _clusters(
        [(line.box[1] + line.box[3]) / 2 for line in lines],
        0.5 * min((line.height for line in lines), default=1.0),
    )
    edges = [region[1] - 1.0]
    edges += [(a + b) / 2 for a, b in pairwise(centres)]
    return [*edges, region[3] + 1.0]


def ruled_tables(
    lines: Sequence[TextLine], rules: Sequence[Rule], scale: float
) -> list[TableRegion]:
    """Tables drawn with rules on one page (``scale``: pixels per point)."""
    if len(rules) < 3:
        return []
    tolerance = TOUCH * scale
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if a.horizontal and b.horizontal:
                # stacked horizontal rules of the same span belong to one open table
                same_span = (
                    abs(a.box[0] - b.box[0]) <= 4 * tolerance
                    and abs(a.box[2] - b.box[2]) <= 4 * tolerance
                )
                close = abs(a.box[1] - b.box[1]) <= 200 * scale
                if not (same_span and close) and not _touch(a.box, b.box, tolerance):
                    continue
            elif not _touch(a.box, b.box, tolerance):
                continue
            parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    tables: list[TableRegion] = []
    for group in groups.values():
        horizontal = [r for r in group if r.horizontal]
        vertical = [r for r in group if not r.horizontal]
        if not ((len(horizontal) >= 2 and len(vertical) >= 2) or len(horizontal) >= 3):
            continue
        box = (
            min(r.box[0] for r in group),
            min(r.box[1] for r in group),
            max(r.box[2] for r in group),
            max(r.box[3] for r in group),
        )
        inside = [line for line in lines if _inside(line.box, box)]
        if not inside:
            continue
        row_edges = _clusters([(r.box[1] + r.box[3]) / 2 for r in horizontal], tolerance)
        if len(row_edges) < 2 or (not vertical and len(row_edges) <= 3):
            row_edges = _text_rows(inside, box)
        col_edges = _clusters([(r.box[0] + r.box[2]) / 2 for r in vertical], tolerance)
        if len(col_edges) < 2:
            col_edges = _text_columns(inside, box, scale)
        words = [word for line in inside for word in line.words]
        grid = _grid(words, row_edges, col_edges)
        header = 1 if inside and any(w.bold for w in inside[0].words) else 0
        tables.append(TableRegion(box, grid, "rules", list(inside), header))
    return tables


def aligned_table(rows: Sequence[Sequence[TextLine]], scale: float) -> TableRegion | None:
    """A table without rules: rows of two or more segments starting at shared places."""
    if len(rows) < MIN_ALIGNED_ROWS or any(len(row) < 2 for row in rows):
        return None
    size = min(line.size for row in rows for line in row) * scale
    anchors = _clusters([line.box[0] for row in rows for line in row], ALIGN_EM * size)
    supported = 0
    for anchor in anchors:
        hits = sum(
            any(abs(line.box[0] - anchor) <= ALIGN_EM * size for line in row) for row in rows
        )
        supported += hits >= 0.6 * len(rows)
    if supported < 2:
        return None
    lines = [line for row in rows for line in row]
    box = (
        min(line.box[0] for line in lines),
        min(line.box[1] for line in lines),
        max(line.box[2] for line in lines),
        max(line.box[3] for line in lines),
    )
    edges = [box[0] - 1.0] + [a - ALIGN_EM * size / 2 for a in anchors[1:]] + [box[2] + 1.0]
    grid = []
    for row in rows:
        cells = [""] * (len(edges) - 1)
        for line in row:
            column = next(
                (j for j in range(len(edges) - 1) if line.box[0] < edges[j + 1]), len(cells) - 1
            )
            cells[column] = f"{cells[column]} {line.text}".strip()
        grid.append(cells)
    header = 1 if all(line.bold >= 0.85 for line in rows[0]) else 0
    return TableRegion(box, grid, "alignment", lines, header)
