"""Character and word error rates (jiwer) and a bag-of-words F1, under a named normalisation.

Normalisations are named, composable pipelines of small text transformations (as jiwer's
``transformations.py`` does), so that every figure says what it measured:

* ``exact``: Unicode NFC, then whitespace collapsed (runs of spaces, tabs, newlines, form feeds
  and no-break spaces become one space; ends stripped). Case, accents and punctuation are kept:
  a French accent error counts.
* ``folded``: ``exact``, then typographic variants folded so that only recognition errors count:
  no-break and narrow no-break spaces -> space; ligatures ``œ æ ﬁ ﬂ`` (and capitals) -> ``oe ae fi
  fl``; case folded (``str.casefold``); accents stripped (NFD, combining marks dropped);
  quotes ``’ ‘ ‚ ‛ ʼ ‹ ›`` -> ``'`` and ``« » “ ” „ ‟`` -> ``"``; dashes ``‐ ‑ ‒ – — ―`` and the
  minus sign ``−`` -> ``-``; whitespace collapsed again.

The steps themselves, each usable alone, are in :mod:`ocrxtract.fr.text`.

Two measures, so that layout order and recognition quality can be told apart:

* CER/WER (:func:`score_text`) align the two texts in order: a page read in the wrong column
  order scores badly even when every word is right.
* The bag-of-words F1 (:func:`bag_of_words`) compares the *multisets* of normalised words and
  ignores order: it stays high when only the reading order is wrong.

Everything is corpus-level when scores are summed (:meth:`TextScore.__add__`,
:meth:`~ocrxtract.metrics.counts.MatchCounts.__add__`): total edits over total reference units,
never a mean of per-page rates (as Hugging Face evaluate's ``cer`` does).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ocrxtract.document import Document
from ocrxtract.errors import UsageError
from ocrxtract.fr.text import EXACT_STEPS, FOLDED_STEPS
from ocrxtract.metrics.counts import MatchCounts

log = logging.getLogger(__name__)

# --- normalisations: named pipelines of the steps of ocrxtract.fr.text ----------------------


class Pipeline:
    """A normalisation: transformations applied left to right, named for reports.

    Args:
        name: The name figures are reported under (``exact``, ``folded``...).
        steps: Functions ``str -> str`` applied in order.
    """

    def __init__(self, name: str, steps: Iterable[Callable[[str], str]]) -> None:
        self.name = name
        self.steps: tuple[Callable[[str], str], ...] = tuple(steps)

    def __call__(self, text: str) -> str:
        for step in self.steps:
            text = step(text)
        return text

    def then(self, name: str, *steps: Callable[[str], str]) -> Pipeline:
        """A new pipeline named ``name``: this one followed by ``steps``."""
        return Pipeline(name, (*self.steps, *steps))

    def __repr__(self) -> str:
        names = ", ".join(getattr(step, "__name__", repr(step)) for step in self.steps)
        return f"Pipeline({self.name!r}, [{names}])"


EXACT = Pipeline("exact", EXACT_STEPS)
FOLDED = Pipeline("folded", FOLDED_STEPS)

#: The registry of named normalisations (name -> pipeline).
NORMALIZATIONS: dict[str, Callable[[str], str]] = {EXACT.name: EXACT, FOLDED.name: FOLDED}


def normalize(text: str, normalization: str = "exact") -> str:
    """Apply the named normalisation to ``text``.

    Raises:
        UsageError: unknown normalisation; the message lists the known ones.
    """
    try:
        pipeline = NORMALIZATIONS[normalization]
    except KeyError:
        known = ", ".join(NORMALIZATIONS)
        raise UsageError(f"unknown normalisation {normalization!r}; known: {known}") from None
    return pipeline(text)


# --- CER / WER -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextScore:
    """Edit counts of a hypothesis against a reference, for characters and words.

    Characters are counted after normalisation, spaces included; words are the normalised text
    split on spaces. ``TextScore()`` is the zero to start a sum from.
    """

    char_edits: int = 0
    char_reference: int = 0
    word_edits: int = 0
    word_reference: int = 0

    def __add__(self, other: TextScore) -> TextScore:
        return TextScore(
            self.char_edits + other.char_edits,
            self.char_reference + other.char_reference,
            self.word_edits + other.word_edits,
            self.word_reference + other.word_reference,
        )

    @property
    def cer(self) -> float:
        """Character error rate; 0 for an empty reference read as empty, else edits / length.

        An empty reference with a non-empty hypothesis gives ``inf`` (edits over nothing).
        """
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


def score_text(reference: str, hypothesis: str, normalization: str = "exact") -> TextScore:
    """Edit counts of ``hypothesis`` against ``reference`` after ``normalisation``.

    Raises:
        UsageError: unknown normalisation.
    """
    ref, hyp = normalize(reference, normalization), normalize(hypothesis, normalization)
    char_edits, word_edits = _edit_counts(ref, hyp)
    return TextScore(char_edits, len(ref), word_edits, len(ref.split()))


def cer(reference: str, hypothesis: str, normalization: str = "exact") -> float:
    """Character error rate of one text pair (see :class:`TextScore`)."""
    return score_text(reference, hypothesis, normalization).cer


def wer(reference: str, hypothesis: str, normalization: str = "exact") -> float:
    """Word error rate of one text pair (see :class:`TextScore`)."""
    return score_text(reference, hypothesis, normalization).wer


# --- bag of words ----------------------------------------------------------------------------


def bag_of_words(reference: str, hypothesis: str, normalization: str = "exact") -> MatchCounts:
    """Order-free word matches: the multisets of normalised words, intersected.

    A word is matched as many times as it occurs in both texts (``min`` of the two counts);
    the rest of the hypothesis words are false positives, the rest of the reference words false
    negatives. Punctuation stays attached to its word (``réglé,`` is not ``réglé``) unless the
    normalisation removes it.

    Args:
        reference: Ground-truth text.
        hypothesis: Recognised text.
        normalisation: Name of a normalisation in :data:`NORMALIZATIONS`.

    Returns:
        The counts; ``.precision``, ``.recall`` and ``.f1`` give the scores.

    Raises:
        UsageError: unknown normalisation.
    """
    ref = Counter(normalize(reference, normalization).split())
    hyp = Counter(normalize(hypothesis, normalization).split())
    matched = sum((ref & hyp).values())
    return MatchCounts(matched, hyp.total() - matched, ref.total() - matched)


# --- documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentScore:
    """Text scores of one document (or, summed, of a corpus) under one normalisation.

    Attributes:
        text: Edit counts for CER/WER (reading order matters).
        words: Bag-of-words matches (reading order does not matter).
    """

    text: TextScore = field(default_factory=TextScore)
    words: MatchCounts = field(default_factory=MatchCounts)

    def __add__(self, other: DocumentScore) -> DocumentScore:
        return DocumentScore(self.text + other.text, self.words + other.words)

    @property
    def cer(self) -> float:
        """Corpus character error rate (see :attr:`TextScore.cer`)."""
        return self.text.cer

    @property
    def wer(self) -> float:
        """Corpus word error rate (see :attr:`TextScore.wer`)."""
        return self.text.wer

    @property
    def bag_of_words_f1(self) -> float:
        """Order-free word F1 (see :func:`bag_of_words`)."""
        return self.words.f1


def _page_texts(document: Document | str) -> list[str]:
    if isinstance(document, str):
        return document.split("\f")
    return [page.text() for page in document.pages]


def score_documents(
    reference: Document | str, hypothesis: Document | str, normalization: str = "exact"
) -> DocumentScore:
    """CER/WER counts and bag-of-words matches of a hypothesis document against its reference.

    A :class:`~ocrxtract.document.Document` is read through :meth:`Page.text`, which orders
    its lines geometrically (:mod:`ocrxtract.layout.reading_order`); when a ground truth's own
    order is authoritative (its transcription), pass its plain text instead. A string's pages are
    separated by form feeds (``\f``), as in :meth:`Document.text` and dataset samples' text.

    When both sides have the same number of pages, pages are scored one to one and summed
    (text on one page cannot repair an error on another); otherwise the whole texts are
    compared (pages joined by a form feed, which the normalisations turn into a space). A
    document without pages reads as ``""``.

    Args:
        reference: Ground truth, as a document or as its plain text.
        hypothesis: Engine output, as a document or as plain text.
        normalisation: Name of a normalisation in :data:`NORMALIZATIONS`.

    Returns:
        The summed counts; add scores of several documents for corpus figures.

    Raises:
        UsageError: unknown normalisation.
    """
    ref_pages, hyp_pages = _page_texts(reference), _page_texts(hypothesis)
    if len(ref_pages) != len(hyp_pages):
        log.debug(
            "page counts differ (%d reference, %d hypothesis): scoring whole texts",
            len(ref_pages),
            len(hyp_pages),
        )
        ref_pages, hyp_pages = ["\f".join(ref_pages)], ["\f".join(hyp_pages)]
    result = DocumentScore()
    for ref, hyp in zip(ref_pages, hyp_pages, strict=True):
        result = result + DocumentScore(
            score_text(ref, hyp, normalization), bag_of_words(ref, hyp, normalization)
        )
    return result
