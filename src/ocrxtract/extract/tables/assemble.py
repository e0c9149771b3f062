"""Grids (frame coordinates, tokens) -> :class:`~ocrxtract.document.Table` (page pixels, words)."""

from __future__ import annotations

from ocrxtract.document import BBox, Table, TableCell
from ocrxtract.export.tables import cells_to_html
from ocrxtract.extract.tables.grid import Grid
from ocrxtract.extract.tables.tokens import FBox, Frame


def grid_to_table(
    grid: Grid, frame: Frame, box: FBox, *, page_index: int, size: tuple[int, int], method: str
) -> Table:
    """The table of ``grid``: cells with their words, boxes in page pixels, PubTabNet HTML."""
    width, height = size
    cells = [
        TableCell(
            row=cell.row,
            col=cell.col,
            row_span=cell.row_span,
            col_span=cell.col_span,
            text=cell.text,
            bbox=frame.to_page(cell.box, width, height),
            header=cell.header,
            words=[w for token in cell.tokens for w in token.words],
        )
        for cell in grid.cells
    ]
    return Table(
        page_index=page_index,
        bbox=frame.to_page(box, width, height),
        cells=cells,
        html=cells_to_html(cells),
        method=method,
    )


def words_box(boxes: list[BBox]) -> BBox | None:
    """The union of ``boxes`` (``None`` when there are none)."""
    return BBox.union(boxes) if boxes else None
