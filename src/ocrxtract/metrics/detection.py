"""Word-box detection: precision, recall and F1 of predicted boxes at IoU >= 0.5.

Matching is one-to-one and greedy by IoU: every (reference, hypothesis) pair whose intersection
over union reaches the threshold is a candidate; candidates are taken from the highest IoU down
(ties broken by reference index, then hypothesis index, so results are deterministic), and a
pair is kept when neither of its boxes is matched yet. A matched hypothesis box is a true
positive, an unmatched one a false positive, an unmatched reference box a false negative. Text is
not compared: this measures detection only.

Greedy matching can, in contrived overlaps, keep fewer pairs than an optimal (Hungarian)
assignment would; with word boxes, which rarely overlap one another, the two agree. Boxes follow
the project convention (integer pixels, top-left origin, ``x1``/``y1`` exclusive); an empty box
(zero width or height) has IoU 0 with everything and is never matched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from itertools import zip_longest

import numpy as np
import numpy.typing as npt

from ocrxtract.document import BBox, Document, Page
from ocrxtract.metrics.counts import MatchCounts

log = logging.getLogger(__name__)

BoxLike = BBox | tuple[int, int, int, int]

#: The default IoU threshold (inclusive), as in ICDAR-style detection evaluation.
IOU_THRESHOLD = 0.5


def _as_array(boxes: Sequence[BoxLike]) -> npt.NDArray[np.float64]:
    rows = [box.as_tuple() if isinstance(box, BBox) else tuple(box) for box in boxes]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), 4)


def iou_matrix(
    reference: Sequence[BoxLike], hypothesis: Sequence[BoxLike]
) -> npt.NDArray[np.float64]:
    """Pairwise IoU, shape ``(len(reference), len(hypothesis))``; 0 where a union is empty."""
    ref, hyp = _as_array(reference), _as_array(hypothesis)
    ix = np.minimum(ref[:, None, 2], hyp[None, :, 2]) - np.maximum(ref[:, None, 0], hyp[None, :, 0])
    iy = np.minimum(ref[:, None, 3], hyp[None, :, 3]) - np.maximum(ref[:, None, 1], hyp[None, :, 1])
    inter = np.clip(ix, 0, None) * np.clip(iy, 0, None)
    area_ref = (ref[:, 2] - ref[:, 0]) * (ref[:, 3] - ref[:, 1])
    area_hyp = (hyp[:, 2] - hyp[:, 0]) * (hyp[:, 3] - hyp[:, 1])
    union = area_ref[:, None] + area_hyp[None, :] - inter
    iou: npt.NDArray[np.float64] = np.divide(
        inter, union, out=np.zeros_like(inter), where=union > 0
    )
    return iou


def match_boxes(
    reference: Sequence[BoxLike],
    hypothesis: Sequence[BoxLike],
    iou_threshold: float = IOU_THRESHOLD,
) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching of boxes by IoU (see the module doc).

    Args:
        reference: Ground-truth boxes.
        hypothesis: Predicted boxes.
        iou_threshold: Smallest IoU (inclusive) for a pair to match; must be in ``(0, 1]``.

    Returns:
        ``(reference index, hypothesis index, iou)`` for every kept pair, highest IoU first.

    Raises:
        ValueError: ``iou_threshold`` outside ``(0, 1]``.
    """
    if not 0.0 < iou_threshold <= 1.0:
        raise ValueError(f"iou_threshold must be in (0, 1], got {iou_threshold}")
    if not reference or not hypothesis:
        return []
    ious = iou_matrix(reference, hypothesis)
    rows, cols = np.nonzero(ious >= iou_threshold)
    # Sort by IoU descending, then reference index, then hypothesis index (lexsort: last key first).
    order = np.lexsort((cols, rows, -ious[rows, cols]))
    used_ref: set[int] = set()
    used_hyp: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for k in order:
        r, h = int(rows[k]), int(cols[k])
        if r in used_ref or h in used_hyp:
            continue
        used_ref.add(r)
        used_hyp.add(h)
        pairs.append((r, h, float(ious[r, h])))
    return pairs


def score_boxes(
    reference: Sequence[BoxLike],
    hypothesis: Sequence[BoxLike],
    iou_threshold: float = IOU_THRESHOLD,
) -> MatchCounts:
    """Detection counts of one page's boxes (``.precision``, ``.recall``, ``.f1``).

    Raises:
        ValueError: ``iou_threshold`` outside ``(0, 1]``.
    """
    matched = len(match_boxes(reference, hypothesis, iou_threshold))
    return MatchCounts(matched, len(hypothesis) - matched, len(reference) - matched)


def _word_boxes(page: Page) -> list[BBox]:
    return [word.bbox for word in page.words()]


def _line_boxes(page: Page) -> list[BBox]:
    return [line.bbox for line in page.lines()]


def _score_pages(
    reference: Document | Page,
    hypothesis: Document | Page,
    boxes: Callable[[Page], list[BBox]],
    iou_threshold: float,
) -> MatchCounts:
    """Counts of ``boxes`` of each page matched with the same page's, pages paired by position."""
    ref_pages = [reference] if isinstance(reference, Page) else reference.pages
    hyp_pages = [hypothesis] if isinstance(hypothesis, Page) else hypothesis.pages
    if len(ref_pages) != len(hyp_pages):
        log.debug("page counts differ: %d reference, %d hypothesis", len(ref_pages), len(hyp_pages))
    result = MatchCounts()
    for ref_page, hyp_page in zip_longest(ref_pages, hyp_pages):
        ref_boxes = [] if ref_page is None else boxes(ref_page)
        hyp_boxes = [] if hyp_page is None else boxes(hyp_page)
        result = result + score_boxes(ref_boxes, hyp_boxes, iou_threshold)
    return result


def score_line_boxes(
    reference: Document | Page,
    hypothesis: Document | Page,
    iou_threshold: float = IOU_THRESHOLD,
) -> MatchCounts:
    """Line-box detection counts (segmentation of a page into lines), pages paired by position:
    the same one-to-one matching as :func:`score_word_boxes`, on line boxes."""
    return _score_pages(reference, hypothesis, _line_boxes, iou_threshold)


def score_word_boxes(
    reference: Document | Page,
    hypothesis: Document | Page,
    iou_threshold: float = IOU_THRESHOLD,
) -> MatchCounts:
    """Word-box detection counts of a document (or page), pages paired by position.

    Boxes are only matched within the same page. A page present on one side only counts all its
    words as missed (reference) or extra (hypothesis).

    Raises:
        ValueError: ``iou_threshold`` outside ``(0, 1]``.
    """
    return _score_pages(reference, hypothesis, _word_boxes, iou_threshold)
