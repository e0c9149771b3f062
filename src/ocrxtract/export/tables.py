"""Tables: HTML <-> cells with grid positions and spans (PubTabNet conventions).

Pure functions of the result model, shared by the dataset loaders (ground truth) and the table
extractor (predictions): they live in the export layer, below both.

TEDS compares HTML trees, so every table carries the PubTabNet form
``<html><body><table><thead>…</thead><tbody>…</tbody></table></body></html>``; the cells carry
their 0-based grid position, found with an occupancy grid (row spans push later cells right).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ocrxtract.document import BBox, TableCell

_SPACES = re.compile(r"\s+")


def normalize_spaces(text: str) -> str:
    """NFC, every run of white space (no-break spaces included) as one space, stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class CellSpec:
    """A cell as read in document order, before grid positions are known."""

    row: int  # index of its <tr>
    row_span: int = 1
    col_span: int = 1
    text: str = ""
    header: bool = False
    bbox: BBox | None = None


_SPAN = re.compile(r'(colspan|rowspan)="?(\d+)')


def specs_from_tokens(tokens: Iterable[str]) -> list[CellSpec]:
    """Cells in document order (row, spans, header flag) from HTML structure tokens, as
    PubTabNet writes them (``<td>``, ``</td>``) and SLANet predicts them (``<td></td>``, or
    ``<td`` + `` colspan="2"`` + ``>``). Texts and boxes are the caller's to add."""
    specs: list[CellSpec] = []
    header = False
    row = -1
    current: CellSpec | None = None
    for token in tokens:
        if token == "<thead>":
            header = True
        elif token in ("</thead>", "<tbody>"):
            header = False
        elif token == "<tr>":
            row += 1
        elif token in ("<td></td>", "<td>", "<td"):
            current = CellSpec(row=max(row, 0), header=header)
            specs.append(current)
        elif current is not None and (match := _SPAN.search(token)):
            span = max(1, int(match.group(2)))
            if match.group(1) == "colspan":
                current.col_span = span
            else:
                current.row_span = span
    return specs


def place_cells(specs: Sequence[CellSpec]) -> list[TableCell]:
    """Give each cell its column: the first free slot of its row, after earlier row spans."""
    taken: set[tuple[int, int]] = set()
    cells = []
    next_col: dict[int, int] = {}
    for spec in specs:
        col = next_col.get(spec.row, 0)
        while (spec.row, col) in taken:
            col += 1
        for r in range(spec.row, spec.row + spec.row_span):
            for c in range(col, col + spec.col_span):
                taken.add((r, c))
        next_col[spec.row] = col + spec.col_span
        cells.append(
            TableCell(
                row=spec.row,
                col=col,
                row_span=spec.row_span,
                col_span=spec.col_span,
                text=spec.text,
                bbox=spec.bbox,
                header=spec.header,
            )
        )
    return cells


def _td(cell: TableCell) -> str:
    attrs = ""
    if cell.row_span > 1:
        attrs += f' rowspan="{cell.row_span}"'
    if cell.col_span > 1:
        attrs += f' colspan="{cell.col_span}"'
    return f"<td{attrs}>{html.escape(cell.text, quote=False)}</td>"


def cells_to_html(cells: Iterable[TableCell], fill_empty: bool = True) -> str:
    """The PubTabNet-style HTML of a table; grid holes become empty ``<td></td>`` when
    ``fill_empty`` (ICDAR 2013 leaves empty cells out)."""
    cells = sorted(cells, key=lambda c: (c.row, c.col))
    if not cells:
        return ""
    n_rows = max(c.row + c.row_span for c in cells)
    n_cols = max(c.col + c.col_span for c in cells)
    covered = {
        (r, c)
        for cell in cells
        for r in range(cell.row, cell.row + cell.row_span)
        for c in range(cell.col, cell.col + cell.col_span)
    }
    by_start = {(c.row, c.col): c for c in cells}
    head_rows = {c.row for c in cells if c.header}
    parts: list[str] = []
    section = None
    for r in range(n_rows):
        wanted = "thead" if r in head_rows else "tbody"
        if wanted != section:
            if section:
                parts.append(f"</{section}>")
            parts.append(f"<{wanted}>")
            section = wanted
        parts.append("<tr>")
        for c in range(n_cols):
            if (r, c) in by_start:
                parts.append(_td(by_start[(r, c)]))
            elif (r, c) not in covered and fill_empty:
                parts.append("<td></td>")
        parts.append("</tr>")
    parts.append(f"</{section}>")
    return "<html><body><table>" + "".join(parts) + "</table></body></html>"


def html_to_cells(markup: str) -> list[TableCell]:
    """Cells of the first ``<table>`` of an HTML string (text content, spans, header flag)."""
    import lxml.html

    document = lxml.html.fromstring(markup)
    table = document if document.tag == "table" else document.find(".//table")
    if table is None:
        return []
    specs = []
    for row_index, tr in enumerate(table.iter("tr")):
        in_head = any(parent.tag == "thead" for parent in tr.iterancestors())
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            specs.append(
                CellSpec(
                    row=row_index,
                    row_span=max(1, int(td.get("rowspan") or 1)),
                    col_span=max(1, int(td.get("colspan") or 1)),
                    text=normalize_spaces(td.text_content()),
                    header=in_head or td.tag == "th",
                )
            )
    return place_cells(specs)
