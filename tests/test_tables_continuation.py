"""Tables over several pages: flagged ``continued`` by the extractor, joined on demand.

Pages are 1400 x 1000 pixels: the header and footer bands (``EDGE``) are the top and bottom
120 pixels, a first part must end below y = 650 and a continuation start above y = 350
(``REACH``). Table rows are 60 pixels high, columns 260 wide.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from ocrxtract.document import BBox, Block, Document, Line, Page, Table, TableCell, Word
from ocrxtract.extract import create_extractor
from ocrxtract.extract.tables.continuation import (
    ContinuationLinker,
    link_continuations,
    merged_tables,
)
from ocrxtract.extract.tables.data import table_dataframe, table_grid
from ocrxtract.io import PageImage
from test_extract_tables import ROWS, _font, draw_page

pytest.importorskip("cv2", reason="the tables extra (opencv) is not installed")

MORE = [["Bourgogne", "812,0", "820,5"], ["Corse", "95,1", "97,0"], ["Bretagne", "7,0", "8,0"]]


def _write(page: Page, image: Image.Image, text: str, x: int, y: int) -> None:
    """Draw one more line of text on the page, its words added to the page."""
    draw = ImageDraw.Draw(image)
    words = []
    for token in text.split(" "):
        box = draw.textbbox((x, y), token, font=_font())
        draw.text((x, y), token, fill=0, font=_font())
        words.append(Word(text=token, bbox=BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3])))
        x = int(box[2]) + 12
    line = Line(words=words, bbox=BBox.union([w.bbox for w in words]))
    page.blocks.append(Block(lines=[line], bbox=line.bbox))


def _document(
    first: list[list[str]],
    second: list[list[str]],
    *,
    second_origin: tuple[int, int] = (150, 60),
    below_first: str | None = None,
) -> tuple[Document, list[PageImage]]:
    """Two pages: ``first`` ends page 1 (a page number under it), ``second`` opens page 2."""
    page1, image1 = draw_page(first, origin=(150, 1000 - 200 - 60 * len(first)))
    _write(page1, image1, "1", 690, 940)  # a page number, in the footer band
    if below_first:
        _write(page1, image1, below_first, 150, 820)
    page2, image2 = draw_page(second, origin=second_origin)
    page2.index = 1
    _write(page2, image2, "2", 690, 940)
    images = [
        PageImage(image=image1, index=0, source="t"),
        PageImage(image=image2, index=1, source="t"),
    ]
    return Document(source="t", pages=[page1, page2]), images


def _extract(document: Document, images: list[PageImage]) -> Document:
    extractor = create_extractor("tables", {"method": "geometry"})
    return extractor.extract(document, images=images)


def test_repeated_header_is_flagged_and_left_out_when_merged() -> None:
    found = _extract(*_document(ROWS, [ROWS[0], *MORE]))
    first, second = found.pages[0].tables, found.pages[1].tables
    assert len(first) == len(second) == 1
    assert not first[0].continued
    assert second[0].continued
    assert second[0].repeated_header_rows == 1
    assert table_grid(second[0]) == [ROWS[0], *MORE]  # the page's own table is kept whole
    merged = merged_tables(found)
    assert len(merged) == 1
    assert merged[0].pages == [0, 1]
    assert table_grid(merged[0].table) == [*ROWS, *MORE]
    frame = table_dataframe(merged[0].table)
    assert list(frame.columns) == ROWS[0]
    assert frame["Région"].tolist() == [row[0] for row in ROWS[1:] + MORE]
    assert frame["2023"].tolist()[-1] == 8.0


def test_continuation_without_header() -> None:
    found = _extract(*_document(ROWS, MORE))
    second = found.pages[1].tables[0]
    assert second.continued
    assert second.repeated_header_rows == 0
    (merged,) = merged_tables(found)
    assert table_grid(merged.table) == [*ROWS, *MORE]


@pytest.mark.parametrize(
    ("second", "options"),
    [
        ([row[:2] for row in MORE], {}),  # two columns against three
        (MORE, {"below_first": "Source : Insee, estimations."}),  # the first part ended
        (MORE, {"second_origin": (150, 400)}),  # starts in the middle of page 2
        (MORE, {"second_origin": (500, 60)}),  # columns elsewhere on the page
    ],
    ids=["columns", "text-below", "mid-page", "moved"],
)
def test_not_a_continuation(second: list[list[str]], options: dict) -> None:
    found = _extract(*_document(ROWS, second, **options))
    assert len(found.pages[1].tables) == 1
    assert not found.pages[1].tables[0].continued
    assert [m.pages for m in merged_tables(found)] == [[0], [1]]


def test_text_above_the_second_part_stops_it() -> None:
    document, images = _document(ROWS, MORE, second_origin=(150, 260))
    _write(document.pages[1], images[1].image, "Tableau 2 : autres régions", 150, 160)
    found = _extract(document, images)
    assert not found.pages[1].tables[0].continued


# --- the rule on hand-made tables (no drawing) ---------------------------------------------


def _table(page: int, rows: list[list[str]], y0: int, y1: int, *, header: bool = True) -> Table:
    cells = [
        TableCell(
            row=r,
            col=c,
            text=text,
            header=header and r == 0,
            bbox=BBox(x0=100 + 200 * c, y0=y0, x1=300 + 200 * c, y1=y0 + 10),
        )
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]
    return Table(page_index=page, bbox=BBox(x0=100, y0=y0, x1=700, y1=y1), cells=cells)


def _page(index: int, *tables: Table) -> Page:
    return Page(index=index, width=800, height=1000, tables=list(tables))


def test_three_pages_chain_and_ocr_slips_in_the_header() -> None:
    head = ["Nom", "Montant"]
    pages = [
        _page(0, _table(0, [["a"], ["b"]], 100, 300), _table(0, [head, ["x", "1"]], 600, 900)),
        _page(1, _table(1, [["Nom", "Montant"], ["y", "2"]], 50, 950)),
        _page(2, _table(2, [["Nom", "Montamt"], ["z", "3"]], 50, 400)),  # an OCR slip
        _page(3, _table(3, [head, ["w", "4"]], 50, 400)),  # page 2's table ended mid-page
    ]
    link_continuations(pages)
    flags = [[(t.continued, t.repeated_header_rows) for t in p.tables] for p in pages]
    assert flags == [[(False, 0), (False, 0)], [(True, 1)], [(True, 1)], [(False, 0)]]
    merged = merged_tables(pages)
    assert [m.pages for m in merged] == [[0], [0, 1, 2], [3]]
    assert table_grid(merged[1].table) == [head, ["x", "1"], ["y", "2"], ["z", "3"]]
    assert [c.header for c in merged[1].table.cells if c.row == 0] == [True, True]
    assert not any(c.header for c in merged[1].table.cells if c.row > 0)
    # the tables alone, in document order, join the same way (what the CLI has)
    tables = [t for p in pages for t in p.tables]
    assert [m.pages for m in merged_tables(tables)] == [[0], [0, 1, 2], [3]]


def test_linker_is_idempotent_and_a_data_row_is_not_a_header() -> None:
    head = ["Nom", "Montant"]
    pages = [
        _page(0, _table(0, [head, ["x", "1"]], 600, 900)),
        _page(1, _table(1, [["x", "1"], ["y", "2"]], 50, 400)),
    ]
    pages[1].tables[0].repeated_header_rows = 3  # stale flags are recomputed
    linker = ContinuationLinker()
    for page in pages:
        linker.add(page)
    assert pages[1].tables[0].continued
    assert pages[1].tables[0].repeated_header_rows == 0  # ["x", "1"] is data, not the header
    link_continuations(pages)
    assert (pages[1].tables[0].continued, pages[1].tables[0].repeated_header_rows) == (True, 0)


def test_pages_not_consecutive_or_without_box() -> None:
    pages = [_page(0, _table(0, [["a", "b"]], 600, 900)), _page(2, _table(2, [["c", "d"]], 50, 90))]
    link_continuations(pages)
    assert not pages[1].tables[0].continued
    no_box = [_page(0, Table(page_index=0)), _page(1, _table(1, [["c", "d"]], 50, 90))]
    link_continuations(no_box)
    assert not no_box[1].tables[0].continued
    assert merged_tables(Document(source="t", pages=[])) == []


def test_flags_survive_the_json_round_trip() -> None:
    document, images = _document(ROWS, [ROWS[0], *MORE])
    found = _extract(document, images)
    again = Document.from_json(found.to_json())
    assert again.pages[1].tables[0].repeated_header_rows == 1
    assert merged_tables(again)[0].pages == [0, 1]


def test_cli_merge_pages(tmp_path: Path) -> None:
    """A born-digital PDF whose table runs over two pages, the header repeated."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (structure extra) makes the test PDF")
    from typer.testing import CliRunner

    from ocrxtract.cli.main import app

    head = ["Region", "2022", "2023"]
    body = [[f"Region {k}", f"{k} 234,5", f"{k} 300,0"] for k in range(1, 45)]
    pdf = fpdf.FPDF()  # A4: 297 mm, 20 mm margins; 8 mm rows, the header repeated on page 2
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=11)
    for part in (body[:30], body[30:]):
        pdf.add_page()
        pdf.set_y(25)
        for row in [head, *part]:
            for text in row:
                pdf.cell(40, 8, text, border=1)
            pdf.ln(8)
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        app, ["tables", str(path), "-f", "csv", "--out", str(out), "--dpi", "100"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "long.tables.json").read_text())
    assert [(t["page"], t["continued"], t["repeated_header_rows"]) for t in summary["tables"]] == [
        (1, False, 0),
        (2, True, 1),
    ]
    assert (out / "long.p2.t1.csv").is_file()
    merged_out = tmp_path / "merged"
    result = runner.invoke(
        app,
        [
            "tables",
            str(path),
            "-f",
            "csv",
            "--out",
            str(merged_out),
            "--merge-pages",
            "--dpi",
            "100",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in merged_out.iterdir()) == ["long.p1-2.t1.csv", "long.tables.json"]
    lines = (merged_out / "long.p1-2.t1.csv").read_text().splitlines()
    assert lines[0] == "Region,2022,2023"
    assert len(lines) == 1 + len(body)  # one header, every row
