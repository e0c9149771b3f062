"""Line-level recognition CER: recognition quality measured apart from layout and reading order.

Each ground-truth line is cropped from the page image (its box, no padding, clipped to the page)
and given to a *recogniser* alone, a callable ``crop -> text``; its output is scored against the
line's ground-truth text, and the line scores are summed (corpus-level: total edits over total
reference characters). Page CER mixes recognition errors with reading-order and segmentation
errors; line CER keeps only the first.

A ground-truth line whose box lies wholly outside the page (nothing left after clipping) cannot
be read: it is scored as an empty hypothesis (all its characters are deletions), flagged in
:attr:`LineResult.empty_crop` and logged, never dropped silently. Lines that should not be scored
at all (e.g. ALTO lines holding placeholders for untranscribed words) are left out by the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from PIL import Image

from ocrxtract.document import BBox, Page
from ocrxtract.errors import UsageError
from ocrxtract.metrics.text import TextScore, normalize, score_text

log = logging.getLogger(__name__)

BoxLike = BBox | tuple[int, int, int, int]


class BoxedText(Protocol):
    """Anything with a pixel box and a text: a document ``Line``, a dataset's scorable line."""

    @property
    def bbox(self) -> BBox: ...

    @property
    def text(self) -> str: ...


#: A ground-truth line: an object with ``bbox`` and ``text``, or a ``(box, text)`` pair.
GroundTruthLine = BoxedText | tuple[BoxLike, str]


@runtime_checkable
class LineRecognizer(Protocol):
    """Reads the text of one cropped line image (e.g. a wrapper around an engine's
    :meth:`~ocrxtract.engines.base.OcrEngine.recognize_lines`; the benchmark calls that
    capability directly, with every line box of a page at once)."""

    def __call__(self, crop: Image.Image) -> str:
        """The text of ``crop``, one line, ``""`` when nothing is read."""
        ...


@dataclass(frozen=True)
class LineResult:
    """One ground-truth line, what the recogniser read on its crop, and the edit counts.

    Attributes:
        box: The crop box used (clipped to the page); the original box when off-page.
        reference: Ground-truth text of the line.
        hypothesis: Recogniser output (``""`` when the crop was empty).
        score: Edit counts under the chosen normalisation.
        empty_crop: True when the box held no pixel of the page (recogniser not called).
    """

    box: tuple[int, int, int, int]
    reference: str
    hypothesis: str
    score: TextScore
    empty_crop: bool = False


@dataclass(frozen=True)
class LineScores:
    """Per-line results of one page (or, summed, of a corpus) and their total.

    Attributes:
        lines: One result per ground-truth line, in the order given.
        total: Sum of the line scores: ``total.cer`` is the corpus line CER.
    """

    lines: tuple[LineResult, ...] = ()
    total: TextScore = field(default_factory=TextScore)

    def __add__(self, other: LineScores) -> LineScores:
        return LineScores(self.lines + other.lines, self.total + other.total)

    @property
    def cer(self) -> float:
        """Corpus line CER (total edits / total reference characters)."""
        return self.total.cer

    @property
    def wer(self) -> float:
        """Corpus line WER."""
        return self.total.wer

    def rescore(self, normalization: str) -> LineScores:
        """The same recogniser outputs scored under another normalisation (no new recognition).

        Raises:
            UsageError: unknown normalisation.
        """
        return _collect(
            LineResult(
                box=r.box,
                reference=r.reference,
                hypothesis=r.hypothesis,
                score=score_text(r.reference, r.hypothesis, normalization),
                empty_crop=r.empty_crop,
            )
            for r in self.lines
        )


def _collect(results: Iterable[LineResult]) -> LineScores:
    kept = tuple(results)
    total = TextScore()
    for result in kept:
        total = total + result.score
    return LineScores(kept, total)


def clip_box(box: BoxLike, width: int, height: int) -> tuple[int, int, int, int] | None:
    """``box`` clipped to a ``width`` x ``height`` page, or ``None`` when nothing is left.

    Boxes follow the project convention (top-left origin, ``x1``/``y1`` exclusive).
    """
    x0, y0, x1, y1 = box.as_tuple() if isinstance(box, BBox) else box
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(width, x1), min(height, y1)
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1, y1)


def crop_line(image: Image.Image, box: BoxLike) -> Image.Image | None:
    """The pixels of ``box`` in ``image`` (no padding, clipped); ``None`` when it is off-page."""
    clipped = clip_box(box, image.width, image.height)
    return None if clipped is None else image.crop(clipped)


def _box_and_text(line: GroundTruthLine) -> tuple[BoxLike, str]:
    if isinstance(line, tuple):
        box, text = line
        return box, text
    return line.bbox, line.text


def score_lines(
    image: Image.Image,
    lines: Iterable[GroundTruthLine],
    recognizer: LineRecognizer,
    normalization: str = "exact",
) -> LineScores:
    """Run ``recognizer`` on each ground-truth line's crop and score it against the line's text.

    Args:
        image: The page image the ground-truth boxes refer to (pixels, top-left origin).
        lines: Ground-truth lines: objects with ``bbox`` and ``text`` (a document
            :class:`~ocrxtract.document.Line`, a dataset sample's scorable line) or
            ``(box, text)`` pairs.
        recognizer: A :class:`LineRecognizer`; its exceptions propagate (the benchmark records
            them per sample).
        normalisation: Name of a normalisation in :data:`ocrxtract.metrics.text.NORMALIZATIONS`.

    Returns:
        Per-line results and their sum.

    Raises:
        UsageError: unknown normalisation.
    """
    normalize("", normalization)  # an unknown name fails before the recogniser runs
    results: list[LineResult] = []
    for index, line in enumerate(lines):
        box, reference = _box_and_text(line)
        raw = box.as_tuple() if isinstance(box, BBox) else box
        clipped = clip_box(raw, image.width, image.height)
        if clipped is None:
            log.warning(
                "ground-truth line %d: box %s is outside the page; scored as unread", index, raw
            )
            hypothesis = ""
        else:
            hypothesis = recognizer(image.crop(clipped))
        results.append(
            LineResult(
                box=raw if clipped is None else clipped,
                reference=reference,
                hypothesis=hypothesis,
                score=score_text(reference, hypothesis, normalization),
                empty_crop=clipped is None,
            )
        )
    return _collect(results)


def score_page_lines(
    image: Image.Image,
    page: Page,
    recognizer: LineRecognizer,
    normalization: str = "exact",
) -> LineScores:
    """:func:`score_lines` over every line of a ground-truth page.

    Args:
        image: The page image; it must have the page's pixel size.
        page: Ground-truth page whose line boxes refer to ``image``.
        recognizer: See :func:`score_lines`.
        normalisation: See :func:`score_lines`.

    To leave lines out (placeholders, untranscribed text), call :func:`score_lines` with the
    lines to keep instead.

    Raises:
        UsageError: the image and the page differ in size, or unknown normalisation.
    """
    if (image.width, image.height) != (page.width, page.height):
        raise UsageError(
            f"page image is {image.width}x{image.height} px but ground-truth page {page.index} "
            f"is {page.width}x{page.height} px; pass the image the ground truth was drawn on"
        )
    return score_lines(image, page.lines(), recognizer, normalization)
