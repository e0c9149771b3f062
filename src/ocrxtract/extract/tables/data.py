"""A :class:`~ocrxtract.document.Table` as data: a grid of texts, a typed pandas DataFrame,
CSV, XLSX, HTML and JSON.

* The grid puts each cell's text in its top-left slot; the slots a spanning cell covers are
  empty (``""``).
* The DataFrame takes its column names from the header rows (texts of a column's header cells
  joined with `` / ``; ``col<k>`` where there is none, made unique). A column whose non-empty
  cells all read as figures (:func:`ocrxtract.fr.numbers.parse_number`: ``1 234,5``,
  ``(12,3)``, ``12 %``, ``n.d.``) becomes a float column (missing marks become NaN); the raw
  texts are kept in ``DataFrame.attrs["raw"]`` (a list of rows) so nothing is lost.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ocrxtract.document import Table
from ocrxtract.errors import MissingDependencyError
from ocrxtract.export.tables import cells_to_html
from ocrxtract.fr.numbers import column_decimal, parse_number

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

#: Formats of :func:`table_bytes`, with their file suffixes.
TABLE_FORMATS = {"html": ".html", "csv": ".csv", "xlsx": ".xlsx", "json": ".json"}


def table_grid(table: Table) -> list[list[str]]:
    """The table's texts row by row (spanned slots empty)."""
    if not table.cells:
        return []
    n_rows = max(c.row + c.row_span for c in table.cells)
    n_cols = max(c.col + c.col_span for c in table.cells)
    grid = [["" for _ in range(n_cols)] for _ in range(n_rows)]
    for cell in table.cells:
        grid[cell.row][cell.col] = cell.text
    return grid


def header_rows(table: Table) -> int:
    """How many leading rows hold only header cells."""
    rows = sorted({c.row for c in table.cells})
    count = 0
    for r in rows:
        in_row = [c for c in table.cells if c.row == r]
        if in_row and all(c.header for c in in_row):
            count += 1
        else:
            break
    return count


def _column_names(table: Table, n_head: int, n_cols: int) -> list[str]:
    names: list[list[str]] = [[] for _ in range(n_cols)]
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        if cell.row < n_head and cell.text.strip():
            for c in range(cell.col, cell.col + cell.col_span):
                if cell.text.strip() not in names[c]:
                    names[c].append(cell.text.strip())
    out: list[str] = []
    for k, parts in enumerate(names):
        name = " / ".join(parts) or f"col{k + 1}"
        base, n = name, 2
        while name in out:
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def table_dataframe(table: Table, *, typed: bool = True) -> pd.DataFrame:
    """The table's body as a DataFrame (see the module doc).

    Raises:
        MissingDependencyError: pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependencyError(
            "pandas", "make a table a DataFrame", "pip install 'ocrxtract[tables]'"
        ) from exc
    grid = table_grid(table)
    n_cols = len(grid[0]) if grid else 0
    n_head = header_rows(table)
    names = _column_names(table, n_head, n_cols)
    body = grid[n_head:]
    columns: dict[str, Any] = {}
    for k, name in enumerate(names):
        texts = [row[k] for row in body]
        columns[name] = _typed(texts) if typed else texts
    frame = pd.DataFrame(columns)
    frame.attrs["raw"] = [list(row) for row in body]
    frame.attrs["header_rows"] = n_head
    return frame


def _typed(texts: list[str]) -> list[Any]:
    decimal = column_decimal(texts)
    parsed = [parse_number(t, decimal) for t in texts]
    present = [p for p in parsed if p.kind != "empty"]
    if not present or not all(p.is_numeric for p in present):
        return texts
    if not any(p.value is not None for p in present):
        return texts  # only missing marks: nothing to type
    return [float(p.value) if p.value is not None else float("nan") for p in parsed]


def table_csv(table: Table) -> str:
    """The grid as CSV (header rows included, texts as they are)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(table_grid(table))
    return buffer.getvalue()


def table_json(table: Table) -> dict[str, Any]:
    """The table as a plain dict: page (1-based), box, method, HTML and cells."""
    return {
        "page": table.page_index + 1,
        "bbox": table.bbox.model_dump() if table.bbox is not None else None,
        "method": table.method,
        "continued": table.continued,
        "repeated_header_rows": table.repeated_header_rows,
        "html": table.html or cells_to_html(table.cells),
        "cells": [
            {
                "row": c.row,
                "col": c.col,
                "row_span": c.row_span,
                "col_span": c.col_span,
                "header": c.header,
                "text": c.text,
                "value": _value(c.text),
                "bbox": c.bbox.model_dump() if c.bbox is not None else None,
            }
            for c in table.cells
        ],
    }


def _value(text: str) -> float | None:
    number = parse_number(text)
    return float(number.value) if number.value is not None else None


def table_xlsx(tables: list[Table], path: Path | BinaryIO) -> None:
    """Write ``tables`` to an XLSX workbook at ``path`` (a file, or a binary stream such as
    ``io.BytesIO``), one sheet each (typed cells).

    Raises:
        MissingDependencyError: openpyxl (or pandas) is not installed.
    """
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(
            "openpyxl", "write XLSX", "pip install 'ocrxtract[tables]'"
        ) from exc
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for k, table in enumerate(tables, start=1):
            table_dataframe(table).to_excel(writer, sheet_name=f"p{table.page_index + 1}.t{k}",
                                            index=False)  # fmt: skip


def numbered(tables: list[Table]) -> list[tuple[int, Table]]:
    """Each table with its number on its page, from 1, in the given order: the ``t<n>`` of the
    file names ``<stem>.p<page>.t<n>.<ext>`` (``ocrxtract tables``, the app's downloads)."""
    counts: dict[int, int] = {}
    out = []
    for table in tables:
        counts[table.page_index] = counts.get(table.page_index, 0) + 1
        out.append((counts[table.page_index], table))
    return out
