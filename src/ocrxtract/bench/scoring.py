"""Scores of one sample: the metric columns of a result row, as summable counts and rates.

Counts are stored (edits and reference lengths, matched/extra/missed words, boxes) so that
corpus figures are total errors over total reference units (:mod:`ocrxtract.bench.report`),
never a mean of per-sample rates; the per-sample rates are kept beside them for browsing.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

from ocrxtract.datasets import Sample, ScorableLine
from ocrxtract.document import Document
from ocrxtract.metrics import TextScore, score_documents, score_text, score_word_boxes

log = logging.getLogger(__name__)

#: The normalisations every text figure is given under.
NORMALISATIONS: tuple[str, ...] = ("exact", "folded")


def _rate(edits: int, reference: int) -> float | None:
    """Edits per reference unit; ``None`` (not a rate) when there is no reference."""
    return edits / reference if reference else None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def score_page_text(sample: Sample, hypothesis: Document) -> dict[str, Any]:
    """CER/WER edit counts and bag-of-words matches, under each normalisation.

    The reference is the sample's plain text (its authoritative reading order, pages separated
    by form feeds); the hypothesis is read in geometric reading order (:meth:`Document.text`).
    """
    columns: dict[str, Any] = {}
    for norm in NORMALISATIONS:
        score = score_documents(sample.text, hypothesis, norm)
        text, words = score.text, score.words
        columns.update(
            {
                f"{norm}_char_edits": text.char_edits,
                f"{norm}_char_ref": text.char_reference,
                f"{norm}_word_edits": text.word_edits,
                f"{norm}_word_ref": text.word_reference,
                f"{norm}_bow_tp": words.true_positives,
                f"{norm}_bow_fp": words.false_positives,
                f"{norm}_bow_fn": words.false_negatives,
                f"cer_{norm}": _rate(text.char_edits, text.char_reference),
                f"wer_{norm}": _rate(text.word_edits, text.word_reference),
                f"bow_f1_{norm}": _finite(words.f1),
            }
        )
    return columns


def score_line_texts(lines: Sequence[ScorableLine], texts: Sequence[str]) -> dict[str, Any]:
    """Line-level edit counts of recogniser outputs ``texts`` against ``lines``, summed.

    Raises:
        ValueError: not one text per line.
    """
    if len(lines) != len(texts):
        raise ValueError(f"{len(lines)} lines but {len(texts)} recognised texts")
    columns: dict[str, Any] = {"lines": len(lines)}
    for norm in NORMALISATIONS:
        total = TextScore()
        for line, text in zip(lines, texts, strict=True):
            total = total + score_text(line.text, text, norm)
        columns.update(
            {
                f"line_{norm}_char_edits": total.char_edits,
                f"line_{norm}_char_ref": total.char_reference,
                f"line_{norm}_word_edits": total.word_edits,
                f"line_{norm}_word_ref": total.word_reference,
                f"line_cer_{norm}": _rate(total.char_edits, total.char_reference),
            }
        )
    return columns


def score_detection(sample: Sample, hypothesis: Document) -> dict[str, Any]:
    """Word-box detection counts at IoU >= 0.5 (pages paired by position)."""
    counts = score_word_boxes(sample.truth, hypothesis)
    return {
        "det_tp": counts.true_positives,
        "det_fp": counts.false_positives,
        "det_fn": counts.false_negatives,
        "det_f1": counts.f1,
    }
