"""Order-independent page CER: recognition errors without the reading-order errors.

Page CER compares the texts in their reading orders, so an engine that reads a payslip's table
column by column scores badly although every word is right. Here the reference and hypothesis
*lines* are matched one to one at minimum total edit cost (the Hungarian assignment, the way
OmniDocBench matches blocks); a matched pair costs the edit distance of its two lines, a
reference line left unmatched costs its length (deletions), a hypothesis line left unmatched its
length (insertions). The rate is the total cost over the reference's characters (line
separators excluded), so it neither rewards nor punishes the order in which lines are read; a
line split in two (or two merged) still costs what the split adds.

Lines are the texts' lines after the named normalisation (applied to each line: it collapses
spaces within a line); empty lines are ignored; pages (form feeds) are only line separators.
Identical lines are matched first (cost 0); the assignment runs on what is left. Above
:data:`EXACT_LIMIT` lines left on either side, a greedy matching (cheapest pairs first) stands
in for the exact assignment, whose cost grows with the cube of the line count.

Worked example (exact): reference ``"Total 12\nNom Dupont"``, hypothesis ``"Nom Dupond\nTotal
12"``: "Total 12" matches itself (0), "Nom Dupont"/"Nom Dupond" cost 1; 1 edit over 18
reference characters: 5.6 %, where page CER (order counted) is far higher.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from ocrxtract.metrics.text import normalize

log = logging.getLogger(__name__)

#: Above this many unmatched lines on a side, the assignment is greedy instead of exact.
EXACT_LIMIT = 1500


@dataclass(frozen=True)
class UnorderedScore:
    """Edit counts of line-matched texts.

    Attributes:
        edits: Total cost of the matching (edits in matched pairs + unmatched characters).
        reference: Characters of the reference lines.
        matched: Pairs of lines matched.
        exact: Whether the optimal assignment was computed (``False``: greedy).
    """

    edits: int = 0
    reference: int = 0
    matched: int = 0
    exact: bool = True

    @property
    def cer(self) -> float:
        """Order-independent CER (``0`` for an empty reference and hypothesis)."""
        return self.edits / self.reference if self.reference else float(self.edits > 0)


def _lines(text: str, normalization: str) -> list[str]:
    lines = []
    for raw in text.replace("\f", "\n").split("\n"):
        line = normalize(raw, normalization)
        if line:
            lines.append(line)
    return lines


def _assign(ref: list[str], hyp: list[str]) -> tuple[int, int, bool]:
    """(total cost, matched pairs, exact) of the best one-to-one matching of two line lists."""
    total, pairs, exact = _pairs(ref, hyp)
    return total, len(pairs), exact


def _pairs(ref: list[str], hyp: list[str]) -> tuple[int, list[tuple[int, int]], bool]:
    """(total cost, matched (reference, hypothesis) index pairs, exact)."""
    import numpy as np
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import cdist

    n, m = len(ref), len(hyp)
    if n == 0 or m == 0:
        return sum(map(len, ref)) + sum(map(len, hyp)), [], True
    costs = cdist(ref, hyp, scorer=Levenshtein.distance, dtype=np.int32, workers=1)
    ref_len = np.array([len(r) for r in ref], dtype=np.int64)
    hyp_len = np.array([len(h) for h in hyp], dtype=np.int64)
    if max(n, m) > EXACT_LIMIT:
        return _greedy(costs, ref_len, hyp_len)
    from scipy.optimize import linear_sum_assignment

    # Square matrix: [pairs | reference alone] over [hypothesis alone | nothing].
    big = int(ref_len.sum() + hyp_len.sum() + 1)
    matrix = np.full((n + m, m + n), big, dtype=np.int64)
    matrix[:n, :m] = costs
    matrix[np.arange(n), m + np.arange(n)] = ref_len
    matrix[n + np.arange(m), np.arange(m)] = hyp_len
    matrix[n:, m:] = 0
    rows, cols = linear_sum_assignment(matrix)
    total = int(matrix[rows, cols].sum())
    pairs = [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if r < n and c < m]
    return total, pairs, True


def _greedy(
    costs: object, ref_len: object, hyp_len: object
) -> tuple[int, list[tuple[int, int]], bool]:
    import numpy as np

    costs = np.asarray(costs)
    ref_len, hyp_len = np.asarray(ref_len), np.asarray(hyp_len)
    # A pair is worth matching when it costs less than leaving both lines unmatched.
    gain = ref_len[:, None] + hyp_len[None, :] - costs
    order = np.argsort(-gain, axis=None, kind="stable")
    used_r = np.zeros(len(ref_len), dtype=bool)
    used_h = np.zeros(len(hyp_len), dtype=bool)
    total = int(ref_len.sum() + hyp_len.sum())
    pairs = []
    for flat in order:
        i, j = divmod(int(flat), len(hyp_len))
        if gain[i, j] <= 0:
            break
        if used_r[i] or used_h[j]:
            continue
        used_r[i] = used_h[j] = True
        total -= int(gain[i, j])
        pairs.append((i, j))
    return total, pairs, False


@dataclass(frozen=True)
class LinePair:
    """A reference line and the hypothesis line matched to it (``None``: none), with the cost."""

    reference: str
    hypothesis: str | None
    edits: int


def match_lines(reference: str, hypothesis: str, normalization: str = "exact") -> list[LinePair]:
    """Each reference line with the hypothesis line the matching gives it, in reference order
    (for showing where an engine errs: the costliest pairs are its hardest lines)."""
    from rapidfuzz.distance import Levenshtein

    ref = _lines(reference, normalization)
    hyp = _lines(hypothesis, normalization)
    _, pairs, _ = _pairs(ref, hyp)
    matched = dict(pairs)
    result = []
    for index, line in enumerate(ref):
        other = hyp[matched[index]] if index in matched else None
        edits = len(line) if other is None else Levenshtein.distance(line, other)
        result.append(LinePair(line, other, edits))
    return result


def score_unordered(
    reference: str, hypothesis: str, normalization: str = "exact"
) -> UnorderedScore:
    """Order-independent edit counts of ``hypothesis`` against ``reference`` (module doc).

    Raises:
        UsageError: unknown normalisation.
    """
    ref = _lines(reference, normalization)
    hyp = _lines(hypothesis, normalization)
    common = Counter(ref) & Counter(hyp)
    identical = sum(common.values())
    left_ref, left_hyp = Counter(ref) - common, Counter(hyp) - common
    rest_ref = [line for line, count in left_ref.items() for _ in range(count)]
    rest_hyp = [line for line, count in left_hyp.items() for _ in range(count)]
    edits, matched, exact = _assign(rest_ref, rest_hyp)
    if not exact:
        log.info("order-free CER: %d x %d lines, greedy matching", len(rest_ref), len(rest_hyp))
    return UnorderedScore(edits, sum(map(len, ref)), matched + identical, exact)
