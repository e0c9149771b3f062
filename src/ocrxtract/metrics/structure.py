"""Structure metrics: headings, the section tree, text coverage, furniture removal.

Pure functions on plain values (``(title, level)`` pairs, texts, ``(page, text)`` pairs), so that
any structure reader can be scored, with named normalisations:

* :func:`normalize_heading`: case folded, NFKC, typographic quotes and dashes made plain,
  spaces collapsed, trailing ``.`` and ``:`` dropped. ``"2.1  L’Évaluation :"`` →
  ``"2.1 l'évaluation"``.
* :func:`coverage_words`: words of letters and digits, case folded (punctuation, bullets and
  hyphens at word ends are not words).

Scores:

* :func:`heading_counts`: headings matched one-to-one on normalised text **and** level
  (``use_level=False``: text only) → :class:`~ocrxtract.metrics.counts.MatchCounts`
  (precision, recall, F1; summable over a corpus).
* :func:`tree_similarity`: ``1 - TED / max(n_pred, n_ref)`` between the heading trees (a
  root, headings nested by level, labelled by their normalised text; tree edit distance with
  unit costs, APTED), 1.0 when both have no headings. :func:`tree_counts` gives the summable
  ``(distance, size)``.
* :func:`text_coverage`: share of the reference's words (as a multiset) found in the
  prediction → :class:`CoverageCounts`.
* :func:`furniture_removal`: share of the reference's running headers, footers and page
  numbers (page, text) that the prediction set aside → :class:`CoverageCounts`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ocrxtract.errors import UsageError
from ocrxtract.metrics.counts import MatchCounts

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def normalize_heading(text: str) -> str:
    """A heading's text for matching (see the module docstring)."""
    plain = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(plain.split()).rstrip(" .:")


def coverage_words(text: str) -> list[str]:
    """The words of ``text`` for coverage: runs of letters and digits, case folded."""
    return _WORDS.findall(unicodedata.normalize("NFKC", text).casefold())


Heading = tuple[str, int]


def heading_counts(
    predicted: Sequence[Heading],
    reference: Sequence[Heading],
    *,
    use_level: bool = True,
    normalize: Callable[[str], str] = normalize_heading,
) -> MatchCounts:
    """Headings matched one-to-one on normalised text (and level).

    >>> heading_counts([("1. Intro", 1), ("Annexe", 2)], [("1. intro", 1), ("Annexe", 1)])
    MatchCounts(true_positives=1, false_positives=1, false_negatives=1)
    """

    def key(heading: Heading) -> tuple[str, int]:
        return (normalize(heading[0]), heading[1] if use_level else 0)

    pred, ref = Counter(map(key, predicted)), Counter(map(key, reference))
    hits = sum((pred & ref).values())
    return MatchCounts(hits, sum(pred.values()) - hits, sum(ref.values()) - hits)


@dataclass
class _Node:
    label: str
    level: int
    children: list[_Node] = field(default_factory=list)


def _tree(headings: Sequence[Heading], normalize: Callable[[str], str]) -> _Node:
    root = _Node("", 0)
    stack = [root]
    for text, level in headings:
        node = _Node(normalize(text), level)
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root


def tree_counts(
    predicted: Sequence[Heading],
    reference: Sequence[Heading],
    normalize: Callable[[str], str] = normalize_heading,
) -> tuple[int, int]:
    """``(tree edit distance, max(n_pred, n_ref))`` between the heading trees (summable).

    Raises:
        UsageError: the ``apted`` package is missing.
    """
    try:
        from apted import APTED, Config  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError("tree similarity needs 'apted': pip install 'apted>=1.0.3'") from None

    class _Config(Config):  # type: ignore[misc]
        def rename(self, a: _Node, b: _Node) -> int:
            return 0 if a.label == b.label else 1

        def children(self, node: _Node) -> list[_Node]:
            return node.children

    size = max(len(predicted), len(reference))
    if size == 0:
        return 0, 0
    distance = APTED(
        _tree(predicted, normalize), _tree(reference, normalize), _Config()
    ).compute_edit_distance()
    return int(distance), size


def tree_similarity(
    predicted: Sequence[Heading],
    reference: Sequence[Heading],
    normalize: Callable[[str], str] = normalize_heading,
) -> float:
    """``1 - TED / max(n_pred, n_ref)`` (floored at 0); 1.0 when neither has headings.

    >>> round(tree_similarity([("A", 1), ("B", 2)], [("A", 1), ("B", 2), ("C", 2)]), 3)
    0.667
    """
    distance, size = tree_counts(predicted, reference, normalize)
    return 1.0 if size == 0 else max(0.0, 1.0 - distance / size)


@dataclass(frozen=True)
class CoverageCounts:
    """Reference items found among reference items (summable)."""

    found: int = 0
    reference: int = 0

    def __add__(self, other: CoverageCounts) -> CoverageCounts:
        return CoverageCounts(self.found + other.found, self.reference + other.reference)

    @property
    def rate(self) -> float:
        """``found / reference``; 1.0 when there was nothing to find."""
        return self.found / self.reference if self.reference else 1.0


def text_coverage(
    predicted: str,
    reference: str,
    words: Callable[[str], list[str]] = coverage_words,
) -> CoverageCounts:
    """How many of the reference's words (multiset) the prediction holds.

    >>> text_coverage("le règlement", "Le règlement, le décret").rate
    0.5
    """
    pred, ref = Counter(words(predicted)), Counter(words(reference))
    return CoverageCounts(sum((pred & ref).values()), sum(ref.values()))


def furniture_removal(
    predicted: Sequence[tuple[int, str]],
    reference: Sequence[tuple[int, str]],
    normalize: Callable[[str], str] = normalize_heading,
) -> CoverageCounts:
    """How many reference furniture lines ``(page, text)`` the prediction set aside.

    >>> furniture_removal([(0, "Page 1")], [(0, "Page 1"), (1, "Page 2")]).rate
    0.5
    """
    pred = Counter((page, normalize(text)) for page, text in predicted)
    ref = Counter((page, normalize(text)) for page, text in reference)
    return CoverageCounts(sum((pred & ref).values()), sum(ref.values()))
