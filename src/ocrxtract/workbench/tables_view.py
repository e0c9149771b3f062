"""The tables of one engine's reading of a document, ready to show and download (the app's
tables view).

:func:`document_tables` runs the ``tables`` extractor on a reading, with the page images for
the ruling lines (a born-digital PDF's text layer is read as it is: no OCR; the extractor's
``auto`` method then keeps the geometry method), and gives each table found as a
:class:`FoundTable`: its typed DataFrame
(:func:`~ocrxtract.extract.tables.data.table_dataframe`) and its CSV and XLSX files, made by the
same functions as ``ocrxtract tables``. :func:`tables_xlsx` puts several tables in one workbook;
:func:`ocrxtract.workbench.viz.draw_table_boxes` draws their boxes on the page.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ocrxtract.document import Document, Table
from ocrxtract.extract import create_extractor
from ocrxtract.extract.tables.data import numbered, table_csv, table_dataframe, table_xlsx
from ocrxtract.io import PageImage

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

Method = Literal["auto", "geometry", "slanet"]


@dataclass(frozen=True, eq=False)
class FoundTable:
    """One table of a document, with what the app shows and offers to download.

    Attributes:
        table: The table (cells, box in the pixels of its page, method).
        number: Its number on its page, from 1, in the extractor's order (as in the file
            names of ``ocrxtract tables``: ``<stem>.p<page>.t<number>``).
        frame: The table's body as a typed DataFrame (header rows as column names).
        csv: The table as CSV, UTF-8 (header rows included, texts as they are).
        xlsx: The table as an XLSX workbook of one sheet (typed cells).
    """

    table: Table
    number: int
    frame: pd.DataFrame
    csv: bytes
    xlsx: bytes

    @property
    def page(self) -> int:
        """The 0-based index of the page the table is on."""
        return self.table.page_index

    def file_name(self, stem: str, suffix: str) -> str:
        """``<stem>.p<page>.t<number><suffix>``: ``file_name("relevé", ".csv")``."""
        return f"{stem}.p{self.page + 1}.t{self.number}{suffix}"


def tables_xlsx(tables: Sequence[Table]) -> bytes:
    """``tables`` as one XLSX workbook, a sheet each
    (:func:`~ocrxtract.extract.tables.data.table_xlsx`), as bytes.

    Raises:
        MissingDependencyError: openpyxl or pandas is not installed.
    """
    buffer = io.BytesIO()
    table_xlsx(list(tables), buffer)
    return buffer.getvalue()


def find_tables(
    document: Document,
    images: Iterable[PageImage] | None = None,
    *,
    method: Method = "auto",
    whole_page: bool = False,
) -> list[Table]:
    """The tables of ``document``, page by page, in the extractor's order.

    Args:
        document: An engine's reading (or a PDF's text layer, engine ``pdf-text``), word boxes
            in the pixels of the page images.
        images: The page images it was read from, matched to its pages by index (taken one at
            a time); without them, tables are found from the words alone.
        method: The ``tables`` extractor's method (``auto``: SLANet-plus on an OCR'd table
            image when its model is installed, geometry everywhere else).
        whole_page: Each page is one table (table images, crops).

    Raises:
        MissingDependencyError: a table library (OpenCV...) is missing; the message gives the
            install command.
        RecognitionError: the extractor failed.
    """
    extractor = create_extractor("tables", {"method": method, "whole_page": whole_page})
    found = extractor.extract(document, images=images)
    return [table for page in found.pages for table in page.tables]


def document_tables(
    document: Document,
    images: Iterable[PageImage] | None = None,
    *,
    method: Method = "auto",
    whole_page: bool = False,
) -> list[FoundTable]:
    """Every table of ``document`` (:func:`find_tables`) with its DataFrame, CSV and XLSX.

    Tables without cells (a region only) are left out: there is nothing to show.

    Raises:
        MissingDependencyError: a table library (OpenCV, pandas, openpyxl) is missing.
        RecognitionError: the extractor failed.
    """
    out: list[FoundTable] = []
    for number, table in numbered(
        find_tables(document, images, method=method, whole_page=whole_page)
    ):
        if not table.has_structure:
            log.debug("page %d: a table without cells is left out", table.page_index + 1)
            continue
        out.append(
            FoundTable(
                table=table,
                number=number,
                frame=table_dataframe(table),
                csv=table_csv(table).encode("utf-8"),
                xlsx=tables_xlsx([table]),
            )
        )
    return out
