"""Metrics: pure functions with named normalisations (see :mod:`ocrxtract.metrics.text`)."""

from ocrxtract.metrics.text import NORMALISATIONS, TextScore, cer, normalise, score_text, wer

__all__ = ["NORMALISATIONS", "TextScore", "cer", "normalise", "score_text", "wer"]
