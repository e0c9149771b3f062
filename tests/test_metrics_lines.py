"""Line-level recognition CER with a fake recogniser: crops, clipping, corpus sums."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from ocrxtract.document import BBox, Page, Word, block_from_lines, line_from_words
from ocrxtract.errors import UsageError
from ocrxtract.metrics import (
    LineRecognizer,
    LineScores,
    TextScore,
    crop_line,
    score_lines,
    score_page_lines,
)

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


class ColourReader:
    """A fake recogniser: reads the text painted in a colour, and records every crop it sees."""

    def __init__(self, texts: dict[tuple[int, int, int], str]) -> None:
        self.texts = texts
        self.crops: list[tuple[int, int]] = []

    def __call__(self, crop: Image.Image) -> str:
        self.crops.append(crop.size)
        return self.texts.get(crop.convert("RGB").getpixel((0, 0)), "")  # type: ignore[arg-type]


def _page_image() -> Image.Image:
    """200 x 100 white page: a red line at (10,10)-(110,30), a green one at (10,50)-(150,70)."""
    image = Image.new("RGB", (200, 100), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 109, 29), fill=RED)  # PIL rectangles include their last pixel
    draw.rectangle((10, 50, 149, 69), fill=GREEN)
    return image


def test_fake_recogniser_satisfies_the_protocol() -> None:
    assert isinstance(ColourReader({}), LineRecognizer)


def test_each_line_is_cropped_without_padding_and_scored() -> None:
    reader = ColourReader({RED: "Bonjour", GREEN: "Periode"})
    scores = score_lines(
        _page_image(),
        [((10, 10, 110, 30), "Bonjour"), (BBox(x0=10, y0=50, x1=150, y1=70), "Période")],
        reader,
    )
    assert reader.crops == [(100, 20), (140, 20)]  # exactly the boxes (x1/y1 exclusive)
    assert [r.hypothesis for r in scores.lines] == ["Bonjour", "Periode"]
    # line 1 right (0/7), line 2 one accent missing (1/7): 1 edit over 14 reference characters
    assert scores.total == TextScore(1, 14, 1, 2)
    assert scores.cer == pytest.approx(1 / 14)
    assert scores.lines[1].score.cer == pytest.approx(1 / 7)
    # under folded the accent no longer counts; rescoring does not run the recogniser again
    calls = len(reader.crops)
    folded = scores.rescore("folded")
    assert folded.total == TextScore(0, 14, 0, 2)
    assert [r.hypothesis for r in folded.lines] == ["Bonjour", "Periode"]
    assert len(reader.crops) == calls
    assert score_lines(_page_image(), [((10, 50, 150, 70), "Période")], reader, "folded").cer == 0.0


def test_unknown_normalisation_fails_before_recognition() -> None:
    reader = ColourReader({})
    with pytest.raises(UsageError, match="folded"):
        score_lines(_page_image(), [((10, 10, 110, 30), "x")], reader, "nope")
    assert reader.crops == []


def test_boxes_are_clipped_to_the_page() -> None:
    reader = ColourReader({BLUE: "x"})
    image = Image.new("RGB", (50, 40), BLUE)
    result = score_lines(image, [((-5, 30, 60, 50), "x")], reader)
    assert reader.crops == [(50, 10)]  # x 0..50, y 30..40
    assert result.lines[0].box == (0, 30, 50, 40)
    assert result.cer == 0.0
    assert crop_line(image, (40, 35, 100, 100)).size == (10, 5)  # type: ignore[union-attr]


def test_a_line_off_the_page_is_scored_as_unread() -> None:
    reader = ColourReader({})
    result = score_lines(Image.new("RGB", (50, 40)), [((60, 0, 80, 10), "abc")], reader)
    assert reader.crops == []  # the recogniser is not called
    assert result.lines[0].empty_crop
    assert result.total == TextScore(3, 3, 1, 1)  # 3 deletions over 3 characters
    assert crop_line(Image.new("RGB", (50, 40)), (60, 0, 80, 10)) is None


def test_empty_inputs() -> None:
    reader = ColourReader({})
    assert score_lines(_page_image(), [], reader) == LineScores()
    assert LineScores().cer == 0.0
    # an empty reference line read as nothing: no error; read as "x": infinite line CER
    assert score_lines(_page_image(), [((150, 10, 190, 30), "")], reader).cer == 0.0
    noisy = score_lines(_page_image(), [((10, 10, 110, 30), "")], ColourReader({RED: "x"}))
    assert noisy.cer == float("inf")


def test_line_scores_add_up_over_pages() -> None:
    reader = ColourReader({RED: "ab", GREEN: "cd"})
    page1 = score_lines(_page_image(), [((10, 10, 110, 30), "ax")], reader)  # 1 edit / 2
    page2 = score_lines(_page_image(), [((10, 50, 150, 70), "cdefgh")], reader)  # 4 edits / 6
    corpus = page1 + page2
    assert len(corpus.lines) == 2
    assert corpus.total == TextScore(5, 8, 2, 2)
    assert corpus.cer == pytest.approx(5 / 8)  # not the mean of page rates (1/2 + 4/6) / 2


def _gt_page() -> Page:
    bonjour = Word(text="Bonjour", bbox=BBox(x0=10, y0=10, x1=60, y1=30))
    monde = Word(text="monde", bbox=BBox(x0=65, y0=10, x1=110, y1=30))
    periode = Word(text="Période", bbox=BBox(x0=10, y0=50, x1=150, y1=70))
    lines = [line_from_words([bonjour, monde]), line_from_words([periode])]
    return Page(index=0, width=200, height=100, blocks=[block_from_lines(lines)])


def test_score_page_lines_reads_a_ground_truth_page() -> None:
    reader = ColourReader({RED: "Bonjour monde", GREEN: "Période"})
    scores = score_page_lines(_page_image(), _gt_page(), reader)
    assert reader.crops == [(100, 20), (140, 20)]  # line boxes bound their words
    assert scores.total == TextScore(0, 20, 0, 3)


def test_score_page_lines_refuses_an_image_of_another_size() -> None:
    with pytest.raises(UsageError, match=r"100x50 px.*200x100 px"):
        score_page_lines(Image.new("RGB", (100, 50)), _gt_page(), ColourReader({}))
