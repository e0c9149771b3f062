"""Pluggable benchmark tasks: a scorer turns (sample, prediction) into summable counts.

A :class:`Scorer` declares the :class:`Metric` s it measures, what it needs from a prediction
(the engine's document, the line recogniser's readings, an extractor's fields or tables), the
result columns it fills (counts *and* per-sample rates), and how its counts add up over a corpus
(total errors over total reference units, never a mean of per-sample rates). The runner, the
worker, the task hash, the result columns, the leaderboard and its tables all read this
registry: adding a task (field F1, TEDS) is a scorer (and an extractor), not an edit to them.

Scorers are found like engines: the built-ins below, the ``ocrxtract.scorers`` entry points, and
:func:`register_scorer` at run time. A scorer runs on a dataset when the dataset declares one of
its metrics (``datasets.yml``) and the campaign keeps it; :meth:`Scorer.applies` can widen that.
"""

from __future__ import annotations

import importlib
import logging
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar

from ocrxtract.document import Document
from ocrxtract.errors import EngineRegistrationError, UsageError
from ocrxtract.metrics import (
    MatchCounts,
    TextScore,
    score_documents,
    score_line_boxes,
    score_text,
    score_unordered,
    score_word_boxes,
    without_zones,
)

if TYPE_CHECKING:
    from ocrxtract.datasets import DatasetSpec, Sample, ScorableLine

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ocrxtract.scorers"
#: The normalisations every text figure is given under.
NORMALIZATIONS: tuple[str, ...] = ("exact", "folded")
#: What a prediction can hold for a scorer: the engine's document (always), the line
#: recogniser's readings of the ground-truth line crops, an extractor's fields or tables.
NEEDS = frozenset({"document", "line_texts", "fields", "tables", "structure"})


@dataclass(frozen=True)
class Metric:
    """A figure a scorer measures.

    Attributes:
        name: Its name in ``datasets.yml`` and campaigns (``cer``, ``field_f1``).
        label: Its name in tables (``CER``, ``field F1``).
        key: The key of the corpus-level figure in leaderboard records; ``{norm}`` is replaced
            by the normalisation when the metric has one (``cer_{norm}``).
        lower_is_better: Direction (CER: lower; F1: higher).
        normalised: Given under each of :data:`NORMALIZATIONS`.
    """

    name: str
    label: str
    key: str
    lower_is_better: bool
    normalised: bool = False

    def record_key(self, normalization: str = "exact") -> str:
        return self.key.format(norm=normalization)


@dataclass
class Prediction:
    """What a system produced on one sample.

    Attributes:
        document: The engine's reading in reading order, with what the extractor added.
        extractor: The extractor's label (``None``: the engine alone).
        line_texts: The line recogniser's reading of each scorable line, in order (``None``
            when no scorer needs them).
        line_recognizer: What read them (``rapidocr-rec``, ``page-on-crop``...).
        line_empty_crops: Lines whose box held no pixel of the page.
    """

    document: Document
    extractor: str | None = None
    line_texts: list[str] | None = None
    line_recognizer: str | None = None
    line_empty_crops: int = 0


def rate(edits: float | None, reference: float | None) -> float | None:
    """Errors per reference unit; ``None`` (not a rate) without a reference."""
    if edits is None or not reference:
        return None
    return edits / reference


def finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def f1(tp: float | None, fp: float | None, fn: float | None) -> float | None:
    """``2 tp / (2 tp + fp + fn)``; 1 when there is nothing to find and nothing found."""
    if tp is None or fp is None or fn is None:
        return None
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 1.0


def column_sum(rows: Iterable[dict[str, Any]], column: str) -> int | float | None:
    """Sum of a column over rows that have it (``None`` when none has)."""
    values = [r[column] for r in rows if r.get(column) is not None]
    return sum(values) if values else None


class Scorer(ABC):
    """One benchmark task's scoring (see the module docstring).

    Subclasses set the class attributes and implement :meth:`score` and :meth:`aggregate`.
    """

    #: Registry name.
    name: ClassVar[str]
    #: Bump when scoring changes: rows scored the old way are recomputed on resume.
    version: ClassVar[int] = 1
    metrics: ClassVar[tuple[Metric, ...]] = ()
    #: What it reads from the prediction (see :data:`NEEDS`).
    needs: ClassVar[frozenset[str]] = frozenset({"document"})
    #: Result columns it fills: ``(name, type)``, type ``str``, ``int`` or ``float``.
    columns: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: Title of its table in leaderboards.
    title: ClassVar[str] = ""

    @property
    def needs_extractor(self) -> frozenset[str]:
        """What an extractor must produce for this scorer (empty: the engine alone will do)."""
        return self.needs - {"document", "line_texts"}

    def applies(self, spec: DatasetSpec, wanted: set[str]) -> bool:
        """Whether it runs on dataset ``spec``: by default when one of its metrics is wanted
        (declared by the dataset and kept by the campaign)."""
        return any(metric.name in wanted for metric in self.metrics)

    @abstractmethod
    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        """The result columns of one sample (counts, and per-sample rates for browsing)."""

    @abstractmethod
    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        """Corpus-level figures of ``rows`` (successful rows of one system on one dataset),
        under the keys of its metrics; a figure no row measured is ``None``."""

    def report_columns(self) -> list[tuple[str, str, int]]:
        """``(header, record key, decimals)`` of its figures in leaderboard tables."""
        out = []
        for metric in self.metrics:
            norms = NORMALIZATIONS if metric.normalised else (None,)
            for norm in norms:
                header = f"{metric.label} {norm}" if norm else metric.label
                out.append((header, metric.record_key(norm or "exact"), 2))
        return out


# --- the built-in OCR scorers ------------------------------------------------------------------


class TextScorer(Scorer):
    """Page text: CER/WER edit counts and bag-of-words matches, exact and folded.

    The reference is the sample's plain text (its authoritative reading order, pages separated
    by form feeds); the hypothesis is the engine's text in reading order. The order-free CER
    (:mod:`ocrxtract.metrics.unordered`) matches their lines one to one instead: reading order
    neither helps nor hurts it.
    """

    name = "text"
    version = 3  # 2: order-independent CER; 3: samples without reference text not scored
    metrics = (
        Metric("cer", "CER", "cer_{norm}", True, normalised=True),
        Metric("oi_cer", "order-free CER", "oi_cer_{norm}", True, normalised=True),
        Metric("wer", "WER", "wer_{norm}", True, normalised=True),
        Metric("bow_f1", "BoW F1", "bow_f1_{norm}", False, normalised=True),
    )
    columns = tuple(
        (name.format(norm=norm), kind)
        for norm in NORMALIZATIONS
        for name, kind in (
            ("{norm}_char_edits", "int"),
            ("{norm}_char_ref", "int"),
            ("{norm}_word_edits", "int"),
            ("{norm}_word_ref", "int"),
            ("{norm}_bow_tp", "int"),
            ("{norm}_bow_fp", "int"),
            ("{norm}_bow_fn", "int"),
            ("cer_{norm}", "float"),
            ("wer_{norm}", "float"),
            ("bow_f1_{norm}", "float"),
            ("{norm}_oi_edits", "int"),
            ("{norm}_oi_ref", "int"),
            ("oi_cer_{norm}", "float"),
        )
    )
    title = "Page text (corpus level)"

    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        if not sample.text.strip():
            # No reference text (a document of your own not transcribed yet): its reading is
            # not an error rate, and counting it as insertions would skew the corpus figures.
            return {}
        columns: dict[str, Any] = {}
        for norm in NORMALIZATIONS:
            score = score_documents(sample.text, prediction.document, norm)
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
                    f"cer_{norm}": rate(text.char_edits, text.char_reference),
                    f"wer_{norm}": rate(text.word_edits, text.word_reference),
                    f"bow_f1_{norm}": finite(words.f1),
                }
            )
            unordered = score_unordered(sample.text, prediction.document.text(), norm)
            columns.update(
                {
                    f"{norm}_oi_edits": unordered.edits,
                    f"{norm}_oi_ref": unordered.reference,
                    f"oi_cer_{norm}": rate(unordered.edits, unordered.reference),
                }
            )
        return columns

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for norm in NORMALIZATIONS:
            record[f"cer_{norm}"] = rate(
                column_sum(rows, f"{norm}_char_edits"), column_sum(rows, f"{norm}_char_ref")
            )
            record[f"wer_{norm}"] = rate(
                column_sum(rows, f"{norm}_word_edits"), column_sum(rows, f"{norm}_word_ref")
            )
            record[f"oi_cer_{norm}"] = rate(
                column_sum(rows, f"{norm}_oi_edits"), column_sum(rows, f"{norm}_oi_ref")
            )
            record[f"bow_f1_{norm}"] = f1(
                column_sum(rows, f"{norm}_bow_tp"),
                column_sum(rows, f"{norm}_bow_fp"),
                column_sum(rows, f"{norm}_bow_fn"),
            )
        return record


class TranscribedTextScorer(Scorer):
    """Page CER of the zones the ground truth transcribes: what the engine read inside a zone
    the transcription leaves out on purpose (a line of placeholders only: handwriting or a stamp
    on a typewritten page) is removed before scoring (:mod:`ocrxtract.metrics.zones`), the
    reference is the same. On a sample without such zones it equals the page CER. Datasets
    whose transcriptions skip text declare it (``transcribed_cer``) beside ``cer``."""

    name = "transcribed_text"
    metrics = (
        Metric("transcribed_cer", "transcribed-zone CER", "transcribed_cer_{norm}", True, True),
    )
    columns = (
        ("untranscribed_words", "int"),
        *(
            (name.format(norm=norm), kind)
            for norm in NORMALIZATIONS
            for name, kind in (
                ("{norm}_transcribed_edits", "int"),
                ("{norm}_transcribed_ref", "int"),
                ("transcribed_cer_{norm}", "float"),
            )
        ),
    )
    title = "Page text of the transcribed zones (corpus level)"

    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        if not sample.text.strip():
            return {}
        zones = [(zone.page_index, zone.bbox) for zone in sample.untranscribed]
        document, dropped = without_zones(prediction.document, zones)
        columns: dict[str, Any] = {"untranscribed_words": dropped}
        for norm in NORMALIZATIONS:
            text = score_documents(sample.text, document, norm).text
            columns.update(
                {
                    f"{norm}_transcribed_edits": text.char_edits,
                    f"{norm}_transcribed_ref": text.char_reference,
                    f"transcribed_cer_{norm}": rate(text.char_edits, text.char_reference),
                }
            )
        return columns

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return {
            f"transcribed_cer_{norm}": rate(
                column_sum(rows, f"{norm}_transcribed_edits"),
                column_sum(rows, f"{norm}_transcribed_ref"),
            )
            for norm in NORMALIZATIONS
        }


class LineScorer(Scorer):
    """Line-level recognition: each ground-truth line crop read by the engine's line recogniser
    alone (no layout analysis), edit counts summed (line CER)."""

    name = "lines"
    metrics = (Metric("line_cer", "line CER", "line_cer_{norm}", True, normalised=True),)
    needs = frozenset({"line_texts"})
    columns = (
        ("lines", "int"),
        ("line_reader", "str"),
        ("line_empty_crops", "int"),
        *(
            (name.format(norm=norm), kind)
            for norm in NORMALIZATIONS
            for name, kind in (
                ("line_{norm}_char_edits", "int"),
                ("line_{norm}_char_ref", "int"),
                ("line_{norm}_word_edits", "int"),
                ("line_{norm}_word_ref", "int"),
                ("line_cer_{norm}", "float"),
            )
        ),
    )
    title = "Line recognition"

    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        texts = prediction.line_texts or []
        lines: Sequence[ScorableLine] = sample.scorable_lines
        if not lines:
            return {}
        return {
            **score_line_texts(lines, texts),
            "line_reader": prediction.line_recognizer,
            "line_empty_crops": prediction.line_empty_crops,
        }

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        record: dict[str, Any] = {"lines": column_sum(rows, "lines")}
        for norm in NORMALIZATIONS:
            record[f"line_cer_{norm}"] = rate(
                column_sum(rows, f"line_{norm}_char_edits"),
                column_sum(rows, f"line_{norm}_char_ref"),
            )
        return record


def score_line_texts(lines: Sequence[ScorableLine], texts: Sequence[str]) -> dict[str, Any]:
    """Line-level edit counts of recogniser outputs ``texts`` against ``lines``, summed.

    Raises:
        ValueError: not one text per line.
    """
    if len(lines) != len(texts):
        raise ValueError(f"{len(lines)} lines but {len(texts)} recognised texts")
    columns: dict[str, Any] = {"lines": len(lines)}
    for norm in NORMALIZATIONS:
        total = TextScore()
        for line, text in zip(lines, texts, strict=True):
            total = total + score_text(line.text, text, norm)
        columns.update(
            {
                f"line_{norm}_char_edits": total.char_edits,
                f"line_{norm}_char_ref": total.char_reference,
                f"line_{norm}_word_edits": total.word_edits,
                f"line_{norm}_word_ref": total.word_reference,
                f"line_cer_{norm}": rate(total.char_edits, total.char_reference),
            }
        )
    return columns


class _BoxDetectionScorer(Scorer):
    """Boxes of a kind matched one to one at IoU >= 0.5 (pages paired by position): the counts
    per sample under ``<prefix>_tp/fp/fn/f1``, the corpus F1 under the metric's key."""

    prefix: ClassVar[str]

    @abstractmethod
    def count(self, reference: Document, hypothesis: Document) -> MatchCounts:
        """Matched, extra and missed boxes of one sample."""

    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        counts = self.count(sample.truth, prediction.document)
        return {
            f"{self.prefix}_tp": counts.true_positives,
            f"{self.prefix}_fp": counts.false_positives,
            f"{self.prefix}_fn": counts.false_negatives,
            f"{self.prefix}_f1": counts.f1,
        }

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        tp, fp, fn = (column_sum(rows, f"{self.prefix}_{k}") for k in ("tp", "fp", "fn"))
        return {self.metrics[0].key: f1(tp, fp, fn)}


class DetectionScorer(_BoxDetectionScorer):
    """Word-box detection: boxes matched one to one at IoU >= 0.5 (pages paired by position)."""

    name = "detection"
    metrics = (Metric("word_detection_f1", "word det. F1", "word_det_f1", False),)
    columns = (("det_tp", "int"), ("det_fp", "int"), ("det_fn", "int"), ("det_f1", "float"))
    title = "Word detection"
    prefix = "det"

    def count(self, reference: Document, hypothesis: Document) -> MatchCounts:
        return score_word_boxes(reference, hypothesis)


class LineDetectionScorer(_BoxDetectionScorer):
    """Line segmentation: line boxes matched one to one at IoU >= 0.5 (pages paired by
    position), on datasets whose line boxes are exact (handwritten ALTO/PAGE pages)."""

    name = "line_detection"
    metrics = (Metric("line_detection_f1", "line det. F1", "line_det_f1", False),)
    columns = (
        ("line_det_tp", "int"),
        ("line_det_fp", "int"),
        ("line_det_fn", "int"),
        ("line_det_f1", "float"),
    )
    title = "Line detection"
    prefix = "line_det"

    def count(self, reference: Document, hypothesis: Document) -> MatchCounts:
        return score_line_boxes(reference, hypothesis)


# --- the registry ------------------------------------------------------------------------------

#: Scorers that ship with ocrxtract, as "module:Class" references, in table order.
BUILTIN_SCORERS: dict[str, str] = {
    "text": "ocrxtract.bench.scorers:TextScorer",
    "transcribed_text": "ocrxtract.bench.scorers:TranscribedTextScorer",
    "lines": "ocrxtract.bench.scorers:LineScorer",
    "detection": "ocrxtract.bench.scorers:DetectionScorer",
    "line_detection": "ocrxtract.bench.scorers:LineDetectionScorer",
    "tables": "ocrxtract.bench.table_scorer:TablesScorer",
    "fields": "ocrxtract.bench.field_scorer:FieldsScorer",
}
#: The scorers of OCR text: their figures have tables of their own in leaderboards (the
#: transcribed-zone CER, declared by a few datasets only, gets a table as other scorers do).
OCR_SCORERS = frozenset(BUILTIN_SCORERS) - {"tables", "fields", "transcribed_text"}

_extra: dict[str, type[Scorer]] = {}


@lru_cache(maxsize=1)
def _references() -> dict[str, str]:
    references = dict(BUILTIN_SCORERS)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in references and references[ep.name] != ep.value:
            raise EngineRegistrationError(
                f"scorer name {ep.name!r} is claimed twice: {references[ep.name]} and {ep.value}"
            )
        references[ep.name] = ep.value
    return references


def _load(name: str, reference: str) -> type[Scorer]:
    module_name, _, attribute = reference.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise EngineRegistrationError(
            f"scorer {name!r} ({reference}) does not load: {exc}"
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, Scorer)):
        raise EngineRegistrationError(f"scorer {name!r} ({reference}) is not a Scorer")
    return cls


def register_scorer(cls: type[Scorer]) -> type[Scorer]:
    """Register a scorer class at run time (notebooks, tests); usable as a decorator.

    Raises:
        EngineRegistrationError: the name, or one of its metric names, is taken.
    """
    known = _references().get(cls.name)
    if (known is not None and known != f"{cls.__module__}:{cls.__qualname__}") or (
        cls.name in _extra and _extra[cls.name] is not cls
    ):
        raise EngineRegistrationError(f"scorer name {cls.name!r} is already registered")
    for metric in cls.metrics:
        owner = metric_owner(metric.name)
        if owner is not None and owner.name != cls.name:
            raise EngineRegistrationError(
                f"metric {metric.name!r} is already measured by scorer {owner.name!r}"
            )
    _extra[cls.name] = cls
    return cls


def unregister_scorer(name: str) -> None:
    """Remove a scorer registered with :func:`register_scorer`."""
    _extra.pop(name, None)


def scorer_classes() -> list[type[Scorer]]:
    """Every registered scorer class: built-ins first, in a stable order."""
    classes = [_load(name, ref) for name, ref in _references().items()]
    return classes + [cls for name, cls in sorted(_extra.items()) if name not in _references()]


def scorers() -> list[Scorer]:
    """An instance of every registered scorer."""
    return [cls() for cls in scorer_classes()]


def get_scorer(name: str) -> Scorer:
    """The scorer registered under ``name``.

    Raises:
        UsageError: no such scorer (the message lists the known ones).
    """
    for cls in scorer_classes():
        if cls.name == name:
            return cls()
    known = ", ".join(cls.name for cls in scorer_classes())
    raise UsageError(f"unknown scorer {name!r}; known scorers: {known}")


def metric_owner(metric: str) -> Scorer | None:
    """The scorer that measures ``metric``, or ``None`` when none does."""
    for cls in scorer_classes():
        if any(m.name == metric for m in cls.metrics):
            return cls()
    return None


def metric_info(metric: str) -> Metric | None:
    """The :class:`Metric` called ``metric``, or ``None`` when no scorer measures it."""
    owner = metric_owner(metric)
    if owner is None:
        return None
    return next(m for m in owner.metrics if m.name == metric)


def measured_metrics() -> list[str]:
    """Every metric some registered scorer measures."""
    return [m.name for cls in scorer_classes() for m in cls.metrics]


def metric_labels() -> dict[str, str]:
    """Metric name -> label, for every registered scorer."""
    return {m.name: m.label for cls in scorer_classes() for m in cls.metrics}
