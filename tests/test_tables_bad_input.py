"""``ocrxtract tables`` on awkward inputs: each gives a right answer or a clear error, never a
traceback. Pages are drawn here (see :func:`test_extract_tables.draw_page`) and read by
tesseract, the fastest engine installed (about a second a page)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner, Result

from ocrxtract.document import BBox, Block, Line, Page, Word
from ocrxtract.layout.orientation import quarter_turned, reading_score
from test_extract_tables import ROWS, draw_page

pytest.importorskip("cv2", reason="the tables extra (opencv) is not installed")


def _run(*args: str | Path) -> Result:
    from ocrxtract.cli.main import app

    return CliRunner().invoke(app, ["tables", *map(str, args), "--engine", "tesseract"])


def _summary(out: Path, stem: str) -> dict:
    return json.loads((out / f"{stem}.tables.json").read_text())


def _first_column(out: Path, stem: str) -> list[str]:
    lines = (out / f"{stem}.p1.t1.csv").read_text().splitlines()
    return [line.split(",")[0] for line in lines]


@pytest.mark.engine("tesseract")
@pytest.mark.parametrize(
    ("rows", "paragraph"),
    [(None, "Une simple ligne de texte sans aucun tableau."), ([["Seul"]], None)],
    ids=["no-table", "one-cell"],
)
def test_no_table(tmp_path: Path, rows: list[list[str]] | None, paragraph: str | None) -> None:
    _, image = draw_page(rows, paragraph=paragraph)
    image.save(tmp_path / "page.png")
    result = _run(tmp_path / "page.png", "--out", tmp_path / "out", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "0 table(s)" in result.output
    assert _summary(tmp_path / "out", "page")["tables"] == []


@pytest.mark.engine("tesseract")
@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270])
def test_quarter_turned_table_is_read_upright(tmp_path: Path, turn: Image.Transpose) -> None:
    _, image = draw_page(ROWS)
    image.transpose(turn).save(tmp_path / "turned.png")
    result = _run(tmp_path / "turned.png", "--out", tmp_path / "out", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "ran vertically" in result.output
    assert _first_column(tmp_path / "out", "turned") == [row[0] for row in ROWS]


@pytest.mark.engine("tesseract")
def test_20000_pixel_table_image(tmp_path: Path) -> None:
    """Read at full size by tesseract; the rules are looked for at a reduced size."""
    _, image = draw_page(ROWS, size=(1400, 20000), origin=(150, 9000))
    image.save(tmp_path / "tall.png")
    result = _run(tmp_path / "tall.png", "--out", tmp_path / "out", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert _first_column(tmp_path / "out", "tall") == [row[0] for row in ROWS]


@pytest.mark.engine("tesseract")
def test_large_page_without_table_gets_a_hint(tmp_path: Path) -> None:
    Image.new("L", (9000, 600), 255).save(tmp_path / "blank.png")
    result = _run(tmp_path / "blank.png", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "9000x600" in result.output
    assert "crop it" in result.output


def test_image_over_the_pixel_limit_is_refused(tmp_path: Path) -> None:
    """20 000 x 20 000 pixels (400 million) is over the limit: refused before decoding."""
    Image.new("1", (20000, 20000), 1).save(tmp_path / "huge.png")
    result = _run(tmp_path / "huge.png", "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert result.output.count("huge.png") == 1  # named once, not "huge.png: huge.png: ..."
    assert "reduce its resolution" in result.output
    assert "Traceback" not in result.output


@pytest.mark.engine("tesseract")
def test_pdf_whose_table_is_an_image(tmp_path: Path) -> None:
    """No text layer: the page goes through OCR."""
    _, image = draw_page(ROWS)
    image.convert("RGB").save(tmp_path / "scan.pdf", resolution=150)
    result = _run(tmp_path / "scan.pdf", "--out", tmp_path / "out", "-f", "csv", "--dpi", "150")
    assert result.exit_code == 0, result.output
    summary = _summary(tmp_path / "out", "scan")
    assert summary["engine"] == "tesseract"
    assert len(summary["tables"]) == 1
    assert _first_column(tmp_path / "out", "scan") == [row[0] for row in ROWS]


# --- the orientation test itself ---------------------------------------------------------


def _page(*boxes: tuple[str, int, int, float | None]) -> Page:
    words = [
        Word(text=text, bbox=BBox(x0=0, y0=0, x1=w, y1=h), confidence=conf)
        for text, w, h, conf in boxes
    ]
    lines = [Line(words=[word], bbox=word.bbox) for word in words]
    blocks = [Block(lines=lines, bbox=BBox.union([w.bbox for w in words]))] if words else []
    return Page(index=0, width=100, height=200, blocks=blocks)


def test_quarter_turned() -> None:
    assert quarter_turned(_page(("Bretagne", 24, 130, 0.3), ("2022", 22, 60, 0.1)))
    assert not quarter_turned(_page(("Bretagne", 130, 24, 0.9), ("I", 5, 20, 0.9)))
    assert not quarter_turned(_page(("I", 5, 20, 0.9), ("%", 10, 20, 0.9)))  # too short
    assert not quarter_turned(_page())
    # upright words count, tall ones do not; no confidence counts as 1
    assert reading_score(_page(("abcd", 40, 10, 0.5), ("efg", 10, 40, 0.9))) == 2.0
    assert reading_score(_page(("abc", 30, 10, None))) == 3.0
