"""Precision, recall and F1 from counts: the shared convention, hand-computed."""

from __future__ import annotations

import pytest

from ocrxtract.metrics import MatchCounts, total


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "f1"),
    [
        (MatchCounts(0, 0, 0), 1.0, 1.0, 1.0),  # nothing to find, nothing claimed: no error
        (MatchCounts(0, 0, 3), 0.0, 0.0, 0.0),  # nothing claimed on a non-empty reference
        (MatchCounts(0, 2, 0), 0.0, 0.0, 0.0),  # claims on an empty reference
        (MatchCounts(3, 0, 0), 1.0, 1.0, 1.0),
        # P = 3/4, R = 3/5, F1 = 2*3 / (2*3 + 1 + 2) = 6/9 (= 2PR/(P+R) = 0.9/1.35)
        (MatchCounts(3, 1, 2), 3 / 4, 3 / 5, 2 / 3),
        (MatchCounts(1, 1, 1), 0.5, 0.5, 0.5),  # one wrong value is one FP and one FN
    ],
)
def test_precision_recall_f1(
    counts: MatchCounts, precision: float, recall: float, f1: float
) -> None:
    assert counts.precision == pytest.approx(precision)
    assert counts.recall == pytest.approx(recall)
    assert counts.f1 == pytest.approx(f1)


def test_counts_add_up_to_micro_averages() -> None:
    # page 1: P = 1/1; page 2: P = 1/3: micro P = 2/4, not the mean of ratios 2/3
    pages = [MatchCounts(1, 0, 0), MatchCounts(1, 2, 0)]
    assert total(pages) == MatchCounts(2, 2, 0)
    assert total(pages).precision == pytest.approx(0.5)
    assert total([]) == MatchCounts()
    assert MatchCounts(1, 2, 3).reference == 4
    assert MatchCounts(1, 2, 3).hypothesis == 3
