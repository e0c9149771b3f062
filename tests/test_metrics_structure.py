"""Structure metrics, hand-computed: headings, heading trees, coverage, furniture removal."""

from __future__ import annotations

import pytest

from ocrxtract.metrics.counts import MatchCounts
from ocrxtract.metrics.structure import (
    CoverageCounts,
    coverage_words,
    furniture_removal,
    heading_counts,
    normalize_heading,
    text_coverage,
    tree_counts,
    tree_similarity,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.1  L’Évaluation :", "2.1 l'évaluation"),
        ("Conclusion.", "conclusion"),
        ("Titre — I", "titre - i"),
        ("", ""),
    ],
)
def test_normalize_heading(text: str, expected: str) -> None:
    assert normalize_heading(text) == expected


@pytest.mark.parametrize(
    ("predicted", "reference", "use_level", "expected"),
    [
        ([], [], True, MatchCounts(0, 0, 0)),
        ([("A", 1)], [], True, MatchCounts(0, 1, 0)),
        ([], [("A", 1)], True, MatchCounts(0, 0, 1)),
        # text and level: the level-2 "B" is wrong at level 1 -> one fp, one fn
        ([("A", 1), ("B", 1)], [("a.", 1), ("B", 2)], True, MatchCounts(1, 1, 1)),
        ([("A", 1), ("B", 1)], [("a.", 1), ("B", 2)], False, MatchCounts(2, 0, 0)),
        # a multiset: two "Summary" found once
        ([("Summary", 4)], [("Summary", 4), ("Summary", 4)], True, MatchCounts(1, 0, 1)),
    ],
)
def test_heading_counts(predicted, reference, use_level, expected) -> None:  # type: ignore[no-untyped-def]
    assert heading_counts(predicted, reference, use_level=use_level) == expected


def test_heading_scores_empty() -> None:
    assert heading_counts([], []).precision == 1.0
    assert heading_counts([("A", 1)], []).precision == 0.0


@pytest.mark.parametrize(
    ("predicted", "reference", "distance", "size"),
    [
        ([], [], 0, 0),
        ([("A", 1)], [("A", 1)], 0, 1),
        # one missing leaf: insert it -> 1 over max(2, 3) = 3
        ([("A", 1), ("B", 2)], [("A", 1), ("B", 2), ("C", 2)], 1, 3),
        # a renamed node: 1 over 2
        ([("A", 1), ("X", 2)], [("A", 1), ("B", 2)], 1, 2),
        # B nested under A instead of beside it: delete and insert -> 2 over 2
        ([("A", 1), ("B", 2)], [("A", 1), ("B", 1)], 2, 2),
        # levels matter only through nesting: 1/3 and 2/4 nest alike
        ([("A", 1), ("B", 3)], [("A", 2), ("B", 4)], 0, 2),
    ],
)
def test_tree_counts(predicted, reference, distance, size) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("apted")
    assert tree_counts(predicted, reference) == (distance, size)


def test_tree_similarity() -> None:
    pytest.importorskip("apted")
    assert tree_similarity([], []) == 1.0
    assert tree_similarity([("A", 1), ("B", 2)], [("A", 1), ("B", 2), ("C", 2)]) == pytest.approx(
        2 / 3
    )
    assert tree_similarity([("X", 1)], [("A", 1)]) == 0.0


def test_coverage_words() -> None:
    assert coverage_words("Le règlement (UE) 2022/2065 — art. 34 ;") == [
        "le", "règlement", "ue", "2022", "2065", "art", "34",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("predicted", "reference", "found", "total"),
    [
        ("", "", 0, 0),
        ("le règlement", "Le règlement, le décret", 2, 4),  # one "le" of two, no "décret"
        ("décret le règlement le", "Le règlement, le décret", 4, 4),  # order-free
        ("tout", "", 0, 0),
    ],
)
def test_text_coverage(predicted: str, reference: str, found: int, total: int) -> None:
    assert text_coverage(predicted, reference) == CoverageCounts(found, total)


def test_coverage_rate_and_sum() -> None:
    assert CoverageCounts(0, 0).rate == 1.0
    assert (CoverageCounts(1, 2) + CoverageCounts(2, 2)).rate == 0.75


def test_furniture_removal() -> None:
    reference = [(0, "Page 1"), (1, "Page 2"), (0, "Rapport")]
    assert furniture_removal([(0, "page 1"), (0, "Rapport"), (5, "x")], reference) == (
        CoverageCounts(2, 3)
    )  # page 2's number was left in the text; the page matters
    assert furniture_removal([(1, "Page 1")], [(0, "Page 1")]).found == 0
