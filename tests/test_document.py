"""The result model: validation, geometry helpers and the lossless JSON round trip."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ocrxtract.document import (
    BBox,
    Document,
    Page,
    Provenance,
    Word,
    block_from_lines,
    line_from_words,
)


def word(text: str, x0: int, y0: int, x1: int, y1: int, conf: float | None = 0.9) -> Word:
    return Word(text=text, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1), confidence=conf)


def rich_document() -> Document:
    line1 = line_from_words([word("Total", 10, 10, 60, 30), word("1 234,56 €", 70, 10, 160, 32)])
    line2 = line_from_words([word("réglé", 10, 40, 60, 60, None)], confidence=0.87654321)
    rotated = Word(
        text="SPECIMEN",
        bbox=BBox(x0=100, y0=100, x1=200, y1=150),
        polygon=[(100, 140), (190, 100), (200, 110), (110, 150)],
        confidence=0.5,
    )
    page = Page(
        index=0,
        width=300,
        height=200,
        dpi=300.0,
        blocks=[block_from_lines([line1, line2]), block_from_lines([line_from_words([rotated])])],
        provenance=Provenance(
            engine="tesseract",
            engine_version="5.5.0",
            options={"psm": 3, "languages": ["fra"]},
            seconds=0.123456789,
            notes=["dpi from file"],
        ),
    )
    return Document(
        source="scan.pdf",
        pages=[page, Page(index=1, width=10, height=10)],
        metadata={"producer": "test"},
    )


def test_json_round_trip_is_lossless() -> None:
    doc = rich_document()
    again = Document.from_json(doc.to_json())
    assert again == doc
    assert again.pages[0].provenance is not None
    assert again.pages[0].provenance.seconds == 0.123456789


def test_confidence_is_rounded_to_four_decimals_and_bounded() -> None:
    assert word("a", 0, 0, 1, 1, 0.123456).confidence == 0.1235
    with pytest.raises(ValidationError):
        word("a", 0, 0, 1, 1, 1.5)
    with pytest.raises(ValidationError):
        word("a", 0, 0, 1, 1, -0.1)


@pytest.mark.parametrize("coords", [(10, 0, 5, 5), (0, 10, 5, 5)])
def test_box_corners_must_be_ordered(coords: tuple[int, int, int, int]) -> None:
    x0, y0, x1, y1 = coords
    with pytest.raises(ValidationError, match="out of order"):
        BBox(x0=x0, y0=y0, x1=x1, y1=y1)


@pytest.mark.parametrize("text", ["", " a", "a "])
def test_word_text_is_non_empty_and_stripped(text: str) -> None:
    with pytest.raises(ValidationError):
        word(text, 0, 0, 1, 1)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        Page.model_validate({"index": 0, "width": 1, "height": 1, "colour": "red"})


def test_geometry_helpers() -> None:
    a = BBox(x0=0, y0=0, x1=10, y1=10)
    b = BBox(x0=5, y0=5, x1=15, y1=15)
    # intersection 5*5 = 25; union 100 + 100 - 25 = 175
    assert a.iou(b) == pytest.approx(25 / 175)
    assert BBox.union([a, b]).as_tuple() == (0, 0, 15, 15)
    assert BBox.from_points([(1.2, 2.7), (9.5, 3.0), (4.0, 8.1)]).as_tuple() == (1, 2, 10, 9)
    assert a.center == (5.0, 5.0)


def test_line_text_and_iterators() -> None:
    doc = rich_document()
    page = doc.pages[0]
    assert [line.text for line in page.lines()] == ["Total 1 234,56 €", "réglé", "SPECIMEN"]
    assert len(list(page.words())) == 4
    assert page.blocks[0].bbox.as_tuple() == (10, 10, 160, 60)
