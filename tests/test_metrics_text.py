"""CER/WER under the ``exact`` normalisation, hand-computed."""

from __future__ import annotations

import math

import pytest

from ocrxtract.errors import UsageError
from ocrxtract.metrics import TextScore, cer, normalise, score_text, wer


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected_cer", "expected_wer"),
    [
        ("", "", 0.0, 0.0),
        ("abc", "", 1.0, 1.0),  # 3 deletions / 3 chars; 1 word deleted
        ("abc", "abc", 0.0, 0.0),
        ("Période", "Periode", 1 / 7, 1.0),  # the accent counts: 1 substitution
        ("a b c", "a x c d", 3 / 5, 2 / 3),  # b->x, + " d" (2 chars); x and d: 2 word edits
        ("Total  réglé\n670,96 €", "Total réglé 670,96 €", 0.0, 0.0),  # whitespace collapsed
    ],
)
def test_rates(reference: str, hypothesis: str, expected_cer: float, expected_wer: float) -> None:
    assert cer(reference, hypothesis) == pytest.approx(expected_cer)
    assert wer(reference, hypothesis) == pytest.approx(expected_wer)


def test_empty_reference_with_output_is_infinite() -> None:
    assert math.isinf(cer("", "bruit"))


def test_scores_add_up_at_corpus_level() -> None:
    # page 1: 1 edit / 2 chars; page 2: 0 / 8: corpus CER = 1/10, not mean(0.5, 0) = 0.25
    total = score_text("ab", "ax") + score_text("abcdefgh", "abcdefgh")
    assert total == TextScore(1, 10, 1, 2)
    assert total.cer == pytest.approx(0.1)


def test_nfc_normalisation_equates_composed_and_decomposed_accents() -> None:
    assert normalise("e\u0301t\u00e9") == "\u00e9t\u00e9"
    assert cer("été", "e\u0301te\u0301") == 0.0


def test_unknown_normalisation_lists_known_ones() -> None:
    with pytest.raises(UsageError, match="exact"):
        normalise("x", "nope")
