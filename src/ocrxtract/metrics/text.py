"""Character and word error rates, computed with jiwer under a named normalisation.

Normalisations are named so that every figure says what it measured:

* ``exact``: Unicode NFC and whitespace collapsed (runs of spaces, tabs and newlines become one
  space, ends stripped). Case, accents and punctuation are kept: a French accent error counts.

Rates are corpus-level when scores are summed (:meth:`TextScore.__add__`): total edits over total
reference units, never a mean of per-page rates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ocrxtract.errors import UsageError

_SPACES = re.compile(r"\s+")


def _exact(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


NORMALISATIONS: dict[str, Callable[[str], str]] = {"exact": _exact}


def normalise(text: str, normalisation: str = "exact") -> str:
    """Apply the named normalisation to ``text``.

    Raises:
        UsageError: unknown normalisation; the message lists the known ones.
    """
    try:
        return NORMALISATIONS[normalisation](text)
    except KeyError:
        known = ", ".join(NORMALISATIONS)
        raise UsageError(f"unknown normalisation {normalisation!r}; known: {known}") from None


@dataclass(frozen=True)
class TextScore:
    """Edit counts of a hypothesis against a reference, for characters and words."""

    char_edits: int
    char_reference: int
    word_edits: int
    word_reference: int

    def __add__(self, other: TextScore) -> TextScore:
        return TextScore(
            self.char_edits + other.char_edits,
            self.char_reference + other.char_reference,
            self.word_edits + other.word_edits,
            self.word_reference + other.word_reference,
        )

    @property
    def cer(self) -> float:
        """Character error rate; 0 for an empty reference read as empty, else edits / length."""
        return _rate(self.char_edits, self.char_reference)

    @property
    def wer(self) -> float:
        """Word error rate, same convention as :attr:`cer`."""
        return _rate(self.word_edits, self.word_reference)


def _rate(edits: int, reference: int) -> float:
    if reference == 0:
        return 0.0 if edits == 0 else float("inf")
    return edits / reference


def _edit_counts(reference: str, hypothesis: str) -> tuple[int, int]:
    """(character edits, word edits) between two normalised strings, aligned by jiwer."""
    import jiwer

    if not reference or not hypothesis:  # jiwer refuses empty strings; the distance is plain
        return max(len(reference), len(hypothesis)), max(
            len(reference.split()), len(hypothesis.split())
        )
    chars = jiwer.process_characters(reference, hypothesis)
    words = jiwer.process_words(reference, hypothesis)
    return (
        int(chars.substitutions + chars.deletions + chars.insertions),
        int(words.substitutions + words.deletions + words.insertions),
    )


def score_text(reference: str, hypothesis: str, normalisation: str = "exact") -> TextScore:
    """Edit counts of ``hypothesis`` against ``reference`` after ``normalisation``."""
    ref, hyp = normalise(reference, normalisation), normalise(hypothesis, normalisation)
    char_edits, word_edits = _edit_counts(ref, hyp)
    return TextScore(char_edits, len(ref), word_edits, len(ref.split()))


def cer(reference: str, hypothesis: str, normalisation: str = "exact") -> float:
    """Character error rate of one text pair (see :class:`TextScore`)."""
    return score_text(reference, hypothesis, normalisation).cer


def wer(reference: str, hypothesis: str, normalisation: str = "exact") -> float:
    """Word error rate of one text pair (see :class:`TextScore`)."""
    return score_text(reference, hypothesis, normalisation).wer
