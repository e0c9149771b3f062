"""Word-box detection P/R/F1 at IoU >= 0.5 with greedy one-to-one matching, hand-computed."""

from __future__ import annotations

import pytest

from ocrxtract.document import BBox, Document, Page, Word, block_from_lines, line_from_words
from ocrxtract.metrics import MatchCounts, match_boxes, score_boxes, score_word_boxes
from ocrxtract.metrics.detection import iou_matrix

Box = tuple[int, int, int, int]


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ([], [], MatchCounts(0, 0, 0)),
        ([(0, 0, 10, 10)], [], MatchCounts(0, 0, 1)),
        ([], [(0, 0, 10, 10)], MatchCounts(0, 1, 0)),
        ([(0, 0, 10, 10)], [(0, 0, 10, 10)], MatchCounts(1, 0, 0)),
        # IoU = 100 / 200 = 0.5 exactly: the threshold is inclusive
        ([(0, 0, 10, 10)], [(0, 0, 10, 20)], MatchCounts(1, 0, 0)),
        # IoU = 100 / 210 = 0.476: missed and extra
        ([(0, 0, 10, 10)], [(0, 0, 10, 21)], MatchCounts(0, 1, 1)),
        # one-to-one: two predictions on one word (IoU 1 and 100/120): one TP, one FP
        ([(0, 0, 10, 10)], [(0, 0, 10, 10), (0, 0, 10, 12)], MatchCounts(1, 1, 0)),
        # an empty box (zero width) has IoU 0 with everything, even with itself
        ([(5, 5, 5, 15)], [(5, 5, 5, 15)], MatchCounts(0, 1, 1)),
        # no overlap at all
        ([(0, 0, 10, 10)], [(20, 0, 30, 10)], MatchCounts(0, 1, 1)),
    ],
)
def test_score_boxes(reference: list[Box], hypothesis: list[Box], expected: MatchCounts) -> None:
    assert score_boxes(reference, hypothesis) == expected


def test_iou_matrix() -> None:
    # (0,0,10,10) vs (5,0,15,10): intersection 5x10 = 50, union 100 + 100 - 50 = 150 -> 1/3
    ious = iou_matrix([(0, 0, 10, 10)], [(5, 0, 15, 10), (0, 0, 10, 10)])
    assert ious.shape == (1, 2)
    assert ious[0, 0] == pytest.approx(1 / 3)
    assert ious[0, 1] == 1.0
    assert BBox(x0=0, y0=0, x1=10, y1=10).iou(BBox(x0=5, y0=0, x1=15, y1=10)) == pytest.approx(
        1 / 3
    )


def test_highest_iou_is_matched_first() -> None:
    # refs (0,0,10,10) and (0,0,10,12); prediction (0,0,10,11):
    # IoU with ref 0 = 100/110 = 0.909, with ref 1 = 110/120 = 0.917 -> it goes to ref 1
    pairs = match_boxes([(0, 0, 10, 10), (0, 0, 10, 12)], [(0, 0, 10, 11)])
    assert [(r, h) for r, h, _ in pairs] == [(1, 0)]
    assert pairs[0][2] == pytest.approx(110 / 120)


def test_greedy_matching_is_not_an_optimal_assignment() -> None:
    # 1-D boxes of height 10. refs R0 = [2,12), R1 = [5,15); predictions H0 = [3,13), H1 = [0,10).
    # IoU(R0,H0) = 9/11 = 0.818, IoU(R1,H0) = 8/12 = 0.667, IoU(R0,H1) = 8/12 = 0.667,
    # IoU(R1,H1) = 5/15 < 0.5. Greedy takes R0-H0 first, and then R1 and H1 have nothing left:
    # 1 match, where the assignment R0-H1, R1-H0 would give 2. (Documented behaviour.)
    refs = [(2, 0, 12, 10), (5, 0, 15, 10)]
    hyps = [(3, 0, 13, 10), (0, 0, 10, 10)]
    assert score_boxes(refs, hyps) == MatchCounts(1, 1, 1)


def test_threshold_is_validated_and_adjustable() -> None:
    with pytest.raises(ValueError, match="iou_threshold"):
        score_boxes([], [], iou_threshold=0.0)
    # IoU 1/3 matches at 0.3 but not at the default 0.5
    assert score_boxes([(0, 0, 10, 10)], [(5, 0, 15, 10)], iou_threshold=0.3) == MatchCounts(
        1, 0, 0
    )


def _page(index: int, boxes: list[Box]) -> Page:
    words = [
        Word(text=f"w{i}", bbox=BBox(x0=b[0], y0=b[1], x1=b[2], y1=b[3]))
        for i, b in enumerate(boxes)
    ]
    blocks = [block_from_lines([line_from_words(words)])] if words else []
    return Page(index=index, width=200, height=200, blocks=blocks)


def test_documents_are_matched_page_by_page() -> None:
    # page 0: both words found; page 1 (reference only): its 3 words missed. The page-1 boxes
    # would match page-0 predictions if pages were pooled.
    reference = Document(
        pages=[
            _page(0, [(0, 0, 10, 10), (20, 0, 30, 10)]),
            _page(1, [(0, 0, 10, 10), (20, 0, 30, 10), (40, 0, 50, 10)]),
        ]
    )
    hypothesis = Document(pages=[_page(0, [(0, 0, 10, 10), (20, 0, 30, 10)])])
    counts = score_word_boxes(reference, hypothesis)
    assert counts == MatchCounts(2, 0, 3)
    assert counts.recall == pytest.approx(2 / 5)
    assert score_word_boxes(reference.pages[0], hypothesis.pages[0]) == MatchCounts(2, 0, 0)
    assert score_word_boxes(Document(), Document()) == MatchCounts()
    assert score_word_boxes(_page(0, []), _page(0, [(0, 0, 5, 5)])) == MatchCounts(0, 1, 0)
