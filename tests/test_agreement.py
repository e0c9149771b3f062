"""Agreement between engines, shown where there is no reference: lines matched by place,
character agreement on folded texts (hand-checked)."""

from __future__ import annotations

import pytest

from ocrxtract.document import BBox, Page, Word, block_from_lines, line_from_words
from ocrxtract.workbench.agreement import (
    disagreements,
    line_agreements,
    page_agreement,
    text_agreement,
)


def page(*lines: tuple[str, tuple[int, int, int, int], float | None]) -> Page:
    built = [
        line_from_words([Word(text=t, bbox=BBox(x0=b[0], y0=b[1], x1=b[2], y1=b[3]))], c)
        for t, b, c in lines
    ]
    return Page(index=0, width=1000, height=1000, blocks=[block_from_lines(built)])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Total", "Total", 1.0),
        ("Total", "TOTAL", 1.0),  # case folded
        ("Été", "ete", 1.0),  # accents folded
        ("12,50", "12,80", 0.8),  # 1 edit over 5 characters
        ("abc", "", 0.0),
        ("", "", 1.0),
    ],
)
def test_text_agreement(a: str, b: str, expected: float) -> None:
    assert text_agreement(a, b) == pytest.approx(expected)


def test_lines_are_matched_by_place_and_a_missing_line_is_no_agreement() -> None:
    one = page(("12,50", (10, 10, 100, 30), 0.97), ("Merci", (10, 50, 100, 70), 0.9))
    two = page(("12,80", (12, 11, 98, 29), 0.6))  # the other engine missed "Merci"
    lines = line_agreements(one, two)
    assert [(x.text, x.other, x.agreement) for x in lines] == [
        ("12,50", "12,80", pytest.approx(0.8)),
        ("Merci", None, 0.0),
    ]
    # Weighted by length: (0.8 * 5 + 0 * 5) / 10.
    assert page_agreement(one, {"two": two}) == pytest.approx(0.4)
    assert page_agreement(one, {}) is None
    # The confident misread (97 %) is listed among the disagreements.
    disputed = disagreements(one, {"two": two})
    assert [(line.text, line.confidence, engine) for line, engine in disputed] == [
        ("12,50", 0.97, "two"),
        ("Merci", 0.9, "two"),
    ]
