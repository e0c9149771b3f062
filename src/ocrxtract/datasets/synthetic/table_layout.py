"""Tables drawn on a :class:`~.layout.Canvas`: merged cells, rules, ground-truth cells and HTML.

Rows are given the way HTML writes them (the cells that start in each row, left to right); the
grid positions are found with the same occupancy rule as PubTabNet (a row span pushes the cells
below it to the right). Row heights follow the wrapped text of their cells. Rules:

* ``grid``: every cell framed (a ruled table);
* ``booktabs``: a rule above and below the table and under the header, and a short rule under
  each spanning header cell (an unruled statistical table);
* ``none``: no rule at all (alternate rows may be shaded).

Each cell becomes a :class:`~ocrxtract.datasets.TableCell` whose box bounds its words (``None``
for an empty cell); the table's box is its outer frame.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ocrxtract.datasets.synthetic.layout import BLACK, Canvas, Color, Seg, Style
from ocrxtract.document import BBox, Table, TableCell
from ocrxtract.errors import UsageError
from ocrxtract.export.tables import CellSpec, cells_to_html, place_cells

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cell:
    """A cell as written: text (``\\n`` forces a line break), spans, alignment, style."""

    text: str = ""
    col_span: int = 1
    row_span: int = 1
    align: str = "left"
    style: Style | None = None
    field: str | None = None
    header: bool = False
    fill: Color | None = None


@dataclass(frozen=True)
class TableStyle:
    """How a table looks."""

    body: Style
    header: Style
    rules: str = "grid"  # grid | booktabs | none
    padding: float = 1.2  # mm, inside each cell
    rule_width: float = 0.2  # mm
    rule_color: Color = BLACK
    header_fill: Color | None = None
    zebra: Color | None = None
    leading: float = 1.2
    valign: str = "center"  # top | center


@dataclass(frozen=True)
class PlacedTable:
    """The drawn table: its ground truth and where it ends (mm)."""

    table: Table
    bottom: float


@dataclass
class _Grid:
    """Where the rows and columns of a table fall (mm)."""

    lefts: list[float]
    tops: list[float]

    def box(self, cell: TableCell) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of a (possibly spanning) cell."""
        bottom_row = min(len(self.tops) - 1, cell.row + cell.row_span)
        return (
            self.lefts[cell.col],
            self.tops[cell.row],
            self.lefts[cell.col + cell.col_span],
            self.tops[bottom_row],
        )


def draw_table(
    canvas: Canvas,
    at: tuple[float, float],
    widths: Sequence[float],
    rows: Sequence[Sequence[Cell]],
    *,
    style: TableStyle,
    table_id: str = "",
    header_rows: int = 1,
) -> PlacedTable:
    """Draw a table with its top-left corner ``at`` (mm); columns ``widths`` mm wide.

    Raises:
        UsageError: a row of cells that does not fit the columns.
    """
    flat = [cell for row in rows for cell in row]
    placed = place_cells(
        [
            CellSpec(
                row=r,
                row_span=cell.row_span,
                col_span=cell.col_span,
                text=cell.text,
                header=cell.header or r < header_rows,
            )
            for r, row in enumerate(rows)
            for cell in row
        ]
    )
    for grid, cell in zip(placed, flat, strict=True):
        if grid.col + grid.col_span > len(widths):
            raise UsageError(f"table {table_id}: {cell.text!r} overflows {len(widths)} columns")
    x, y = at
    lefts = [x + sum(widths[:c]) for c in range(len(widths) + 1)]
    wrapped = [
        _wrap(canvas, cell, grid, lefts, style) for grid, cell in zip(placed, flat, strict=True)
    ]
    heights = _row_heights(canvas, placed, flat, wrapped, style=style, n_rows=len(rows))
    grid_lines = _Grid(lefts, [y + sum(heights[:r]) for r in range(len(rows) + 1)])
    _backgrounds(canvas, grid_lines, placed, flat, style=style, header_rows=header_rows)
    cells = [
        _cell_text(canvas, grid_lines.box(grid), grid, cell, lines, style=style)
        for grid, cell, lines in zip(placed, flat, wrapped, strict=True)
    ]
    _rules(canvas, grid_lines, placed, style, header_rows)
    tops = grid_lines.tops
    frame = BBox(
        x0=canvas.px(lefts[0]),
        y0=canvas.px(tops[0]),
        x1=canvas.px(lefts[-1]),
        y1=canvas.px(tops[-1]),
    )
    table = Table(table_id=table_id, bbox=frame, cells=list(cells), html=cells_to_html(cells))
    return PlacedTable(table=table, bottom=tops[-1])


def _text_style(cell: Cell, grid: TableCell, style: TableStyle) -> Style:
    return cell.style or (style.header if grid.header else style.body)


def _wrap(
    canvas: Canvas, cell: Cell, grid: TableCell, lefts: list[float], style: TableStyle
) -> list[str]:
    width = lefts[grid.col + grid.col_span] - lefts[grid.col] - 2 * style.padding
    return [ln for ln in canvas.wrap(cell.text, width, _text_style(cell, grid, style)) if ln]


def _row_heights(
    canvas: Canvas,
    placed: list[TableCell],
    flat: list[Cell],
    wrapped: list[list[str]],
    *,
    style: TableStyle,
    n_rows: int,
) -> list[float]:
    """Each row as high as its tallest one-row cell; a row span adds what it lacks to its last
    row."""

    def need(cell: Cell, grid: TableCell, lines: list[str]) -> float:
        leading = canvas.leading(_text_style(cell, grid, style), style.leading)
        return max(1, len(lines)) * leading + 2 * style.padding

    heights = [0.0] * n_rows
    for grid, cell, lines in zip(placed, flat, wrapped, strict=True):
        if grid.row_span == 1:
            heights[grid.row] = max(heights[grid.row], need(cell, grid, lines))
    for grid, cell, lines in zip(placed, flat, wrapped, strict=True):
        if grid.row_span > 1:
            last = min(n_rows, grid.row + grid.row_span) - 1
            spanned = sum(heights[grid.row : last + 1])
            heights[last] += max(0.0, need(cell, grid, lines) - spanned)
    return heights


def _backgrounds(
    canvas: Canvas,
    grid_lines: _Grid,
    placed: list[TableCell],
    flat: list[Cell],
    *,
    style: TableStyle,
    header_rows: int,
) -> None:
    lefts, tops = grid_lines.lefts, grid_lines.tops
    for r in range(header_rows, len(tops) - 1):
        if style.zebra and (r - header_rows) % 2 == 1:
            canvas.rect(lefts[0], tops[r], lefts[-1], tops[r + 1], outline=None, fill=style.zebra)
    for grid, cell in zip(placed, flat, strict=True):
        fill = cell.fill or (style.header_fill if grid.header else None)
        if fill:
            left, top, right, bottom = grid_lines.box(grid)
            canvas.rect(left, top, right, bottom, outline=None, fill=fill)


def _cell_text(
    canvas: Canvas,
    box: tuple[float, float, float, float],
    grid: TableCell,
    cell: Cell,
    lines: list[str],
    *,
    style: TableStyle,
) -> TableCell:
    """Write a cell's lines (one block) and return its ground truth."""
    left, top, right, bottom = box
    text_style = _text_style(cell, grid, style)
    step = canvas.leading(text_style, style.leading)
    if style.valign == "center":
        first_top = top + (bottom - top - len(lines) * step) / 2
    else:
        first_top = top + style.padding
    # the baseline sits an ascent below the top of a line box centred in its leading
    font_height = canvas.leading(text_style, 1.0)
    baseline = first_top + (step - font_height) / 2 + canvas.ascent(text_style) * 0.95
    if cell.align == "right":
        anchor, align = right - style.padding, "right"
    elif cell.align == "center":
        anchor, align = (left + right) / 2, "center"
    else:
        anchor, align = left + style.padding, "left"
    boxes: list[BBox] = []
    with canvas.block("table-cell"):
        for text_line in lines:
            seg = [Seg(text_line, text_style, cell.field)]
            box_px = canvas.line(anchor, baseline, seg, align=align)
            if box_px is not None:
                boxes.append(box_px)
            baseline += step
    return grid.model_copy(
        update={
            "text": " ".join(" ".join(lines).split()),
            "bbox": BBox.union(boxes) if boxes else None,
        }
    )


def _rules(
    canvas: Canvas, grid_lines: _Grid, placed: list[TableCell], style: TableStyle, header_rows: int
) -> None:
    lefts, tops = grid_lines.lefts, grid_lines.tops
    width, color = style.rule_width, style.rule_color
    if style.rules == "grid":
        for grid in placed:
            left, top, right, bottom = grid_lines.box(grid)
            canvas.hline(left, right, top, width, color)
            canvas.hline(left, right, bottom, width, color)
            canvas.vline(left, top, bottom, width, color)
            canvas.vline(right, top, bottom, width, color)
    elif style.rules == "booktabs":
        canvas.hline(lefts[0], lefts[-1], tops[0], width * 2, color)
        canvas.hline(lefts[0], lefts[-1], tops[header_rows], width, color)
        canvas.hline(lefts[0], lefts[-1], tops[-1], width * 2, color)
        for grid in placed:
            if grid.header and grid.col_span > 1 and grid.row + grid.row_span < header_rows:
                left, _, right, bottom = grid_lines.box(grid)
                canvas.hline(left + 1.0, right - 1.0, bottom, width, color)
    elif style.rules != "none":
        raise UsageError(f"unknown table rules {style.rules!r}: grid, booktabs or none")
