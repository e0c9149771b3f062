"""Table detection on pages drawn here: what is a table and what only looks like one.

Each case is one that the ICDAR 2013 PDFs showed (two columns of running text, a chart's frame
and axis labels, a table framed with its title and notes), drawn small so that the rule is
checked, not the dataset."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox, Block, Document, Line, Page, Word
from ocrxtract.extract import create_extractor
from ocrxtract.extract.tables.data import table_grid
from ocrxtract.io import PageImage

pytest.importorskip("cv2", reason="the tables extra (opencv) is not installed")

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ROW_H = 50
PROSE = (
    "The survey covers all the regions of the country and was held in the spring of the year",
    "Most households answered by post while the others were met at home by an interviewer",
)


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, 24)
    except OSError:
        return ImageFont.load_default(size=24)


class Sheet:
    """A white page on which phrases and rules are drawn, the words' boxes kept."""

    def __init__(self, width: int = 1700, height: int = 2200) -> None:
        self.image = Image.new("L", (width, height), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.font = _font()
        self.words: list[Word] = []

    def text(self, phrase: str, x: float, y: float) -> float:
        """Draw ``phrase`` from (x, y); returns where it ends."""
        for token in phrase.split(" "):
            box = self.draw.textbbox((x, y), token, font=self.font)
            self.draw.text((x, y), token, fill=0, font=self.font)
            self.words.append(
                Word(
                    text=token,
                    bbox=BBox(
                        x0=int(box[0]), y0=int(box[1]), x1=int(box[2]) + 1, y1=int(box[3]) + 1
                    ),
                )
            )
            x = int(box[2] + self.draw.textlength(" ", font=self.font))
        return x

    def rule(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.draw.line([(x0, y0), (x1, y1)], fill=0, width=3)

    def wrapped(self, words: list[str], x: float, y: float, width: float) -> float:
        """Running text from (x, y) wrapped at ``width``; returns the y below it."""
        line: list[str] = []
        for word in words:
            if self.draw.textlength(" ".join([*line, word]), font=self.font) > width and line:
                self.text(" ".join(line), x, y)
                y, line = y + ROW_H * 0.7, []
            line.append(word)
        if line:
            self.text(" ".join(line), x, y)
        return y + ROW_H * 0.7

    def tables(self, *, ruled: bool = True) -> list:
        lines = [Line(words=[w], bbox=w.bbox) for w in self.words]
        page = Page(
            index=0,
            width=self.image.width,
            height=self.image.height,
            blocks=[Block(lines=lines, bbox=BBox.union([ln.bbox for ln in lines]))],
        )
        extractor = create_extractor("tables", {"method": "geometry"})
        if not ruled:
            return extractor.extract(Document(source="t", pages=[page])).pages[0].tables
        image = PageImage(image=self.image, source="t", has_text_layer=True)
        return extractor.extract_page(page, image).tables


FIGURES = [
    ["Région", "2022", "2023", "Part"],
    ["Bretagne", "1 234", "1 300", "12 %"],
    ["Normandie", "845", "900", "9 %"],
    ["Occitanie", "2 045", "2 100", "21 %"],
    ["Total", "4 124", "4 300", "42 %"],
]


def _table(sheet: Sheet, x: float, y: float, *, ruled: bool, unruled_head: bool = False) -> float:
    """:data:`FIGURES` from (x, y), ruled or not (``unruled_head``: the header row without
    rules, as a shaded header); returns the table's bottom."""
    widths = [260, 160, 160, 140]
    for r, row in enumerate(FIGURES):
        left = x
        for text, w in zip(row, widths, strict=True):
            sheet.text(text, left + 12, y + r * ROW_H + 12)
            left += w
    bottom = y + len(FIGURES) * ROW_H
    if ruled:
        first = 1 if unruled_head else 0
        for r in range(first, len(FIGURES) + 1):
            sheet.rule(x, y + r * ROW_H, x + sum(widths), y + r * ROW_H)
        left = x
        for w in [0, *widths]:
            left += w
            sheet.rule(left, y + first * ROW_H, left, bottom)
    return bottom


def test_columns_of_running_text_are_not_a_table() -> None:
    """Three columns of a page: every line splits into three phrases, none is a table row."""
    sheet = Sheet()
    words = " ".join(PROSE * 5).split(" ")
    sheet.wrapped(words, 100, 200, 450)
    sheet.wrapped(list(reversed(words)), 620, 200, 450)
    sheet.wrapped(words[3:], 1140, 200, 450)
    assert sheet.tables(ruled=False) == []


def test_a_table_beside_running_text_is_found() -> None:
    sheet = Sheet()
    sheet.wrapped(" ".join(PROSE * 4).split(" "), 100, 200, 600)
    bottom = _table(sheet, 780, 260, ruled=True)
    (table,) = sheet.tables()
    assert table_grid(table) == FIGURES
    assert table.bbox is not None and table.bbox.x0 > 700 and table.bbox.y1 <= bottom + 10


def test_a_chart_with_its_figure_caption_is_not_a_table() -> None:
    """A framed chart: axis figures, a legend and dates look like rows of cells."""
    sheet = Sheet()
    sheet.rule(200, 300, 1400, 300)
    sheet.rule(200, 1100, 1400, 1100)
    sheet.rule(200, 300, 200, 1100)
    sheet.rule(1400, 300, 1400, 1100)
    for k, value in enumerate(["400", "300", "200", "100", "0"]):
        sheet.text(value, 230, 340 + 150 * k)
        sheet.text(value, 1300, 340 + 150 * k)
    sheet.text("Jan-09 Jul-09", 400, 1040)
    sheet.text("Jan-10", 700, 1040)
    sheet.text("Jul-10", 1000, 1040)
    sheet.text("Figure 3: spreads over time (bp)", 200, 1130)
    assert sheet.tables() == []


@pytest.mark.parametrize("left", [200, 180], ids=["frame-apart", "frame-shares-the-sides"])
def test_a_framed_exhibit_keeps_only_its_table(left: int) -> None:
    """Title above and notes below the table, all inside one box: the box is not the table
    (a box of its own around the grid, or one whose sides are the grid's outer rules)."""
    sheet = Sheet()
    sheet.text("Exhibit 12", 500, 230)
    sheet.text("Households by region and year", 300, 290)
    top = 360
    bottom = _table(sheet, left, top, ruled=True)
    sheet.text("Note: the figures of 2023 are provisional and will be revised in", 200, bottom + 30)
    sheet.text(
        "the spring, when the last answers have been checked by the regions.", 200, bottom + 65
    )
    sheet.text("Source: household survey.", 200, bottom + 110)
    frame_bottom = bottom + 170
    right = 1100 if left == 200 else left + 720
    sheet.rule(180, 200, right, 200)
    sheet.rule(180, frame_bottom, right, frame_bottom)
    sheet.rule(180, 200, 180, frame_bottom)
    sheet.rule(right, 200, right, frame_bottom)
    (table,) = sheet.tables()
    assert table_grid(table) == FIGURES
    assert table.bbox is not None
    assert top - 10 <= table.bbox.y0 and table.bbox.y1 <= bottom + 10


def test_two_level_header_with_heads_set_left_and_figures_set_right() -> None:
    """Years over pairs of columns, heads set left and figures set right (the generated
    statistical tables): the cut between two columns is where both leave white space, so
    ``Évol. (%)`` is a head of its own, not joined to ``Effectif``."""
    sheet = Sheet()
    top, label_x, col_w = 300, 100, 230
    data = [("15-24 ans", "779 666", "2,1", "759 831", "-2,5"),
            ("25-34 ans", "776 296", "-1,7", "783 105", "0,9"),
            ("35-49 ans", "494 474", "-2,4", "492 850", "-0,3"),
            ("Ensemble", "2 050 436", "-0,8", "2 035 786", "-0,7")]  # fmt: skip
    first = 420
    for k, year in enumerate(("2021", "2022")):
        centre = first + (2 * k + 1) * col_w
        width = sheet.draw.textlength(year, font=sheet.font)
        sheet.text(year, centre - width / 2, top)
    sheet.text("Tranche d'âge", label_x, top + 70)
    for c in range(4):
        sheet.text("Effectif" if c % 2 == 0 else "Évol. (%)", first + c * col_w + 10, top + 70)
    for r, row in enumerate(data):
        y = top + 130 + r * ROW_H
        sheet.text(row[0], label_x, y)
        for c, value in enumerate(row[1:]):
            width = sheet.draw.textlength(value, font=sheet.font)
            sheet.text(value, first + (c + 1) * col_w - 10 - width, y)
    (table,) = sheet.tables(ruled=False)
    grid = table_grid(table)
    assert grid[0] == ["Tranche d'âge", "2021", "", "2022", ""]
    assert grid[1] == ["", "Effectif", "Évol. (%)", "Effectif", "Évol. (%)"]
    assert grid[2:] == [list(row) for row in data]


def test_header_lines_above_a_ruled_body_stay_in_the_table() -> None:
    """A shaded header has no rules of its own: its lines right above the grid are the
    table's header, not a text of their own."""
    sheet = Sheet()
    _table(sheet, 200, 400 - ROW_H, ruled=True, unruled_head=True)
    (table,) = sheet.tables()
    assert table_grid(table) == FIGURES
