"""The app's tables view in the library: tables of a reading as DataFrames, CSV and XLSX, and
their boxes drawn on the page (``ocrxtract.workbench.tables_view``, ``viz.draw_table_boxes``).

Inputs are born-digital PDFs made in the test (``appdata.table_pdf``: a ruled 4 x 3 table under a
caption), read from their text layer, as the app reads them: no OCR engine is needed.
"""

from __future__ import annotations

import io
import math

import pytest
from PIL import Image

from appdata import table_pdf
from ocrxtract.document import BBox, Document, Table, TableCell
from ocrxtract.io import PageImage
from ocrxtract.workbench.tables_view import document_tables, tables_xlsx
from ocrxtract.workbench.uploads import UploadedDocument
from ocrxtract.workbench.viz import TABLE_COLOUR, draw_table_boxes

pytest.importorskip("cv2", reason="the tables extra (opencv) is not installed")
openpyxl = pytest.importorskip("openpyxl", reason="the tables extra (openpyxl) is not installed")

DPI = 100  # a US Letter page: 850 x 1100 pixels


def text_layer(pdf: bytes) -> tuple[Document, list[PageImage]]:
    """The PDF's text layer as a document (the app's ``pdf-text`` reading) and its pages."""
    images = list(UploadedDocument("releve.pdf", pdf, dpi=DPI).as_input().iter_pages())
    pages = [image.text_layer for image in images]
    assert all(page is not None for page in pages)
    return Document(source="releve.pdf", pages=pages), images  # type: ignore[arg-type]


def test_a_born_digital_table_as_data_frame_csv_and_xlsx() -> None:
    document, images = text_layer(table_pdf())
    assert images[0].has_text_layer
    (found,) = document_tables(document, images)
    assert (found.page, found.number) == (0, 1)
    assert found.table.method == "geometry"  # auto keeps the geometry on a text layer
    assert found.file_name("releve", ".csv") == "releve.p1.t1.csv"
    # The header row names the columns; figures are typed, "n.d." is missing.
    frame = found.frame
    assert frame.shape == (3, 3)
    assert list(frame.columns) == ["Région", "2022", "2023"]
    assert frame["Région"].tolist() == ["Bretagne", "Normandie", "Total"]
    assert frame["2022"].tolist() == [1234.5, 12.3, 2345.0]
    assert math.isnan(frame["2023"].tolist()[1])
    # CSV: the texts as they are, header row included (fields with a comma quoted).
    assert found.csv.decode("utf-8").splitlines() == [
        "Région,2022,2023",
        'Bretagne,"1 234,5","1 300,0"',
        'Normandie,"12,3",n.d.',
        "Total,2 345,2 400",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(found.xlsx)).worksheets[0]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["Région", "2022", "2023"]
    assert cells[1] == ["Bretagne", 1234.5, 1300.0]
    assert cells[3] == ["Total", 2345.0, 2400.0]
    # The table's box is where the PDF draws it: x from 72 pt, 450 pt wide, at 100 dpi.
    assert found.table.bbox is not None
    assert found.table.bbox.x0 == pytest.approx(100, abs=4)
    assert found.table.bbox.x1 == pytest.approx(725, abs=6)


def test_two_tables_on_a_page_are_numbered_and_share_a_workbook() -> None:
    document, images = text_layer(table_pdf(tables=2))
    found = document_tables(document, images)
    assert [(f.page, f.number) for f in found] == [(0, 1), (0, 2)]
    assert all(f.frame.shape == (3, 3) for f in found)
    first, second = (f.table.bbox for f in found)
    assert first is not None and second is not None and first.y1 < second.y0
    book = openpyxl.load_workbook(io.BytesIO(tables_xlsx([f.table for f in found])))
    assert len(book.worksheets) == 2


def test_a_page_without_a_table_gives_none() -> None:
    document, images = text_layer(table_pdf(tables=0))
    assert document_tables(document, images) == []


def test_the_input_document_is_left_as_it_was() -> None:
    document, images = text_layer(table_pdf())
    document_tables(document, images)
    assert document.pages[0].tables == []


def box_table(x0: int, y0: int, x1: int, y1: int) -> Table:
    cell = TableCell(row=0, col=0, text="a", bbox=BBox(x0=x0, y0=y0, x1=x0 + 20, y1=y0 + 20))
    return Table(bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1), cells=[cell], method="geometry")


def test_table_boxes_are_drawn_scaled_on_a_copy() -> None:
    from ocrxtract.document import Page

    page = Page(index=0, width=400, height=200)
    image = Image.new("L", (200, 100), 255)  # the page shown at half its size
    drawn = draw_table_boxes(image, page, [("1", box_table(100, 100, 300, 180))])
    assert drawn.mode == "RGB" and drawn.size == (200, 100)
    assert image.getpixel((50, 70)) == 255  # the input is not modified
    assert drawn.getpixel((50, 70)) == TABLE_COLOUR  # left edge, x = 100 / 2
    assert drawn.getpixel((100, 75)) == (255, 255, 255)  # inside: not filled
    assert drawn.getpixel((149, 70)) == TABLE_COLOUR  # right edge, x = 300 / 2 - 1
    assert TABLE_COLOUR in {drawn.getpixel((x, 45)) for x in range(50, 60)}  # the label tag


def test_a_table_without_a_box_is_skipped() -> None:
    from ocrxtract.document import Page

    page = Page(index=0, width=100, height=100)
    image = Image.new("RGB", (100, 100), "white")
    drawn = draw_table_boxes(image, page, [("1", Table(cells=[]))])
    assert drawn.getcolors() == [(100 * 100, (255, 255, 255))]


def test_a_text_layer_read_without_its_images_is_not_skewed() -> None:
    """Without the page images there are no rules, only words; a PDF's own text is straight
    (the skew measured on short cell lines is not to be trusted there)."""
    from ocrxtract.pipeline import engine_for, read_page

    _, images = text_layer(table_pdf())
    page = read_page(engine_for("pdf-text"), images[0])
    assert page.provenance is not None and page.provenance.engine == "pdf-text"
    (found,) = document_tables(Document(source="releve.pdf", pages=[page]), None)
    assert found.frame.shape == (3, 3)
    assert list(found.frame.columns) == ["Région", "2022", "2023"]
