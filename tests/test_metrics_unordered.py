"""Order-independent CER: lines matched one to one at minimum cost (hand-checked examples)."""

from __future__ import annotations

import pytest

from ocrxtract.metrics import cer, score_unordered
from ocrxtract.metrics import unordered as module


@pytest.mark.parametrize(
    ("reference", "hypothesis", "edits", "ref_chars"),
    [
        # Same lines, other order: nothing to pay (page CER would count the reordering).
        ("Total 12\nNom Dupont", "Nom Dupont\nTotal 12", 0, 18),
        # "Dupont" -> "Dupond": 1 substitution, the other line matches itself. 1/18.
        ("Total 12\nNom Dupont", "Nom Dupond\nTotal 12", 1, 18),
        # A missing line: its 3 characters are deletions.
        ("abc\ndef", "def", 3, 6),
        # An extra line: its 3 characters are insertions.
        ("abc", "abc\nxyz", 3, 3),
        # Two lines merged: "abc" matches "abcdef" (3 insertions), "def" is left (3 deletions).
        ("abc\ndef", "abcdef", 6, 6),
        # Pages are only line separators; empty lines are ignored.
        ("a\f\nb", "b\n\na", 0, 2),
        # Spaces inside a line are collapsed by the normalisation (exact).
        ("a  b", "a b", 0, 3),
        ("", "", 0, 0),
        ("", "xy", 2, 0),
    ],
)
def test_hand_checked_pairs(reference: str, hypothesis: str, edits: int, ref_chars: int) -> None:
    score = score_unordered(reference, hypothesis)
    assert (score.edits, score.reference) == (edits, ref_chars)


def test_it_does_not_reward_or_punish_reading_order() -> None:
    # Two columns of a letter read one after the other, or interleaved row by row: the same
    # lines either way. Page CER pays for the order; the order-free CER does not.
    left = ["Madame, Monsieur,", "nous accusons réception", "de votre demande."]
    right = ["Service des impôts", "12 rue de la Paix", "75002 Paris"]
    reference = "\n".join(left + right)
    interleaved = "\n".join(line for pair in zip(left, right, strict=True) for line in pair)
    assert score_unordered(reference, interleaved).cer == 0
    assert cer(reference, interleaved) > 0.3
    # What it still counts is segmentation: a line cut in two is matched to one part (here
    # "Net à payer": 9 deletions) and the other part is inserted (8 characters).
    assert score_unordered("Net à payer 1 366,73", "Net à payer\n1 366,73").edits == 17


def test_folded_normalisation_applies_to_each_line() -> None:
    assert score_unordered("Été", "ete", "folded").edits == 0
    assert score_unordered("Été", "ete", "exact").edits == 2


def test_the_greedy_fallback_agrees_on_easy_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    reference = "\n".join(f"ligne numéro {i}" for i in range(30))
    hypothesis = "\n".join(f"ligne numero {i}" for i in reversed(range(30)))
    exact = score_unordered(reference, hypothesis)
    monkeypatch.setattr(module, "EXACT_LIMIT", 5)
    greedy = score_unordered(reference, hypothesis)
    assert (greedy.exact, exact.exact) == (False, True)
    assert greedy.edits == exact.edits == 30  # one é per line
