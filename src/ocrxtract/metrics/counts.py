"""True/false positive counts and the precision, recall and F1 derived from them.

One small dataclass serves every matching metric (bag of words, word boxes, key fields), so that
they share one convention for the empty case and one way to aggregate:

* ``precision = tp / (tp + fp)``, ``recall = tp / (tp + fn)``,
  ``f1 = 2 tp / (2 tp + fp + fn)`` (the harmonic mean of the two, written with counts).
* A zero denominator means there was nothing to find or nothing was claimed. The score is then
  ``1.0`` when nothing at all could go wrong (``tp = fp = fn = 0``: an empty page read as empty)
  and ``0.0`` otherwise (an empty output on a page that has text scores 0, not a vacuous 1).
* Counts add up (:meth:`MatchCounts.__add__`): corpus figures are *micro* averages, total matches
  over total items, never a mean of per-page ratios.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MatchCounts:
    """Matches between a reference and a hypothesis.

    Attributes:
        true_positives: Hypothesis items matched to a reference item.
        false_positives: Hypothesis items left unmatched (extra or wrong).
        false_negatives: Reference items left unmatched (missed or wrong).
    """

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def __add__(self, other: MatchCounts) -> MatchCounts:
        return MatchCounts(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )

    @property
    def reference(self) -> int:
        """Number of reference items (``tp + fn``)."""
        return self.true_positives + self.false_negatives

    @property
    def hypothesis(self) -> int:
        """Number of hypothesis items (``tp + fp``)."""
        return self.true_positives + self.false_positives

    @property
    def precision(self) -> float:
        """Share of hypothesis items that are right (see the module doc for the empty case)."""
        return self._ratio(self.true_positives, self.hypothesis)

    @property
    def recall(self) -> float:
        """Share of reference items that were found (see the module doc for the empty case)."""
        return self._ratio(self.true_positives, self.reference)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall, ``2 tp / (2 tp + fp + fn)``."""
        return self._ratio(2 * self.true_positives, self.reference + self.hypothesis)

    def _ratio(self, numerator: int, denominator: int) -> float:
        if denominator:
            return numerator / denominator
        return 1.0 if self.reference + self.hypothesis == 0 else 0.0


def total(counts: Iterable[MatchCounts]) -> MatchCounts:
    """Sum of ``counts`` (the micro-average's numerators and denominators); empty gives zeros."""
    result = MatchCounts()
    for item in counts:
        result = result + item
    return result
