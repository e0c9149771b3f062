"""A RapidOCR page read with detection and recognition decoupled.

rapidocr scales the whole page down to ``max_side_len`` once and cuts the line crops out of that
reduced copy, so a smaller detection input also means blurrier crops for the recogniser. Here
the detector alone sees the reduced copy (restricted to the page's inked area when asked: blank
margins are never run through the model) and the recogniser gets its crops from the page at
full resolution. The detection scale is then a speed knob that touches only which lines are
found, not how they are read.

The detection scale can also follow the page's print (``det_text_height``): the characters'
height is measured on the page (:func:`text_height`) and detection runs on a smaller copy when
they are big (:func:`shrink_for_text`); the crops are cut as without it.

The steps are rapidocr's own (its detector, crop, classifier, recogniser and output builder),
called in the same order as ``RapidOCR.__call__``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

#: The inked area is searched on a copy this many times smaller (fast, and blind to specks).
INK_SEARCH_STEP = 4
#: A row or column of that copy holds ink when this share of its pixels is dark.
INK_SHARE = 0.004
#: Margin kept around the inked area, in pixels of the page (a line's ascenders, its box).
INK_PADDING = 24
#: The width rapidocr and PaddleOCR pad a line crop to (pixels at the recogniser's height).
RAPIDOCR_REC_WIDTH = 320
#: The recogniser's input height: crops are scaled to it before padding.
REC_HEIGHT = 48
#: Characters are measured on a copy this many times smaller (fast; heights come in steps of it).
GLYPH_SEARCH_STEP = 2
#: The fewest character-like ink blobs a page needs before its text height is trusted.
GLYPH_MIN_COUNT = 40
#: The percentile of the blobs' heights taken as the page's text height: low, so that titles and
#: capitals do not set it (on most pages it falls on the body text's small letters; small print
#: sets it only where there is a lot of it, so a detection target must leave it room).
GLYPH_PERCENTILE = 25
#: Detection never runs below this share of rapidocr's own scale, whatever the estimate says
#: (a guard against a wrong estimate, on a photo say; with a 10-pixel target, every page of the
#: speed campaign's four sets stays at or above 0.51 of it: benchmarks/rapidocr_text_height.py).
MAX_TEXT_SHRINK = 0.5


def _grey_copy(pixels: np.ndarray, step: int) -> np.ndarray:
    """``pixels`` (BGR or grey) in grey levels, ``step`` times smaller on each side (area
    averaging: thin strokes fade instead of vanishing)."""
    import cv2

    height, width = pixels.shape[:2]
    grey = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY) if pixels.ndim == 3 else pixels
    size = (max(1, width // step), max(1, height // step))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)


def inked_area(pixels: np.ndarray) -> tuple[int, int, int, int]:
    """The box ``(x0, y0, x1, y1)`` around the page's ink, padded; the whole page if none.

    A pixel is ink when it is clearly darker than the page's background (its 90th grey-level
    percentile): scanned grey paper and coloured forms keep their content, a dark scanner
    border keeps the whole page (nothing is trimmed, nothing lost).
    """
    height, width = pixels.shape[:2]
    small = _grey_copy(pixels, INK_SEARCH_STEP)
    background = float(np.percentile(small, 90))
    ink = small < background * 0.75
    rows = np.flatnonzero(ink.mean(axis=1) > INK_SHARE)
    cols = np.flatnonzero(ink.mean(axis=0) > INK_SHARE)
    if not len(rows) or not len(cols):
        return 0, 0, width, height
    x0 = max(0, int(cols[0]) * INK_SEARCH_STEP - INK_PADDING)
    y0 = max(0, int(rows[0]) * INK_SEARCH_STEP - INK_PADDING)
    x1 = min(width, (int(cols[-1]) + 1) * INK_SEARCH_STEP + INK_PADDING)
    y1 = min(height, (int(rows[-1]) + 1) * INK_SEARCH_STEP + INK_PADDING)
    return x0, y0, x1, y1


def detection_scale(width: int, height: int, max_side_len: int, limit_side_len: int) -> float:
    """The factor rapidocr scales a whole page by before its detection model.

    Pages longer than ``max_side_len`` are scaled down to it; then a page whose shorter side is
    under ``limit_side_len`` is scaled up to it (the detector's ``limit_type: min``).
    """
    scale = min(1.0, max_side_len / max(width, height))
    shorter = min(width, height) * scale
    if shorter < limit_side_len:
        scale *= limit_side_len / shorter
    return scale


def text_height(pixels: np.ndarray) -> float | None:
    """The height of the page's characters (their lower quartile), in its pixels; None when
    there are too few to tell.

    The page is binarised (Otsu) on a copy :data:`GLYPH_SEARCH_STEP` times smaller, and its ink
    blobs that look like characters are kept: at most three times wider than high (not rules
    or words run together), under a tenth of the page's height, at least 15 % inked (not
    frames). The :data:`GLYPH_PERCENTILE`-th percentile of their heights is returned, or None
    with fewer than :data:`GLYPH_MIN_COUNT` of them (a blank or nearly blank page). Noise on a dark
    scan makes many small blobs, which lowers the estimate: the safe side, since a lower
    estimate only shrinks detection less.
    """
    import cv2

    small = _grey_copy(pixels, GLYPH_SEARCH_STEP)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    glyphs = (
        (heights >= 2)
        & (widths <= 3 * heights)
        & (heights <= small.shape[0] / 10)
        & (areas >= 0.15 * widths * heights)
    )
    if int(glyphs.sum()) < GLYPH_MIN_COUNT:
        return None
    return float(np.percentile(heights[glyphs], GLYPH_PERCENTILE)) * GLYPH_SEARCH_STEP


def shrink_for_text(
    scale: float, shorter_side: int, glyph_height: float | None, *, target: float, floor: int
) -> float:
    """``scale``, lowered so that characters ``glyph_height`` pixels high come out ``target``
    pixels high at detection. Never raised; never under :data:`MAX_TEXT_SHRINK` of ``scale``;
    never so low that the page's shorter side (``shorter_side`` pixels) falls under ``floor``
    pixels (rapidocr's ``limit_side_len``)."""
    if not glyph_height or target <= 0:
        return scale
    lowest = max(MAX_TEXT_SHRINK * scale, floor / shorter_side)
    return min(scale, max(target / glyph_height, lowest))


def detection_size(width: int, height: int, scale: float) -> tuple[int, int]:
    """The detector's input size for a ``width`` x ``height`` image scaled by ``scale``:
    sides rounded to multiples of 32, as the network needs (rapidocr's own rounding)."""
    return max(32, round(width * scale / 32) * 32), max(32, round(height * scale / 32) * 32)


def _run_detector(detector: Any, image: np.ndarray) -> np.ndarray:
    """The detector's probability map for ``image`` (already at its input size)."""
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    # limit_type "max" with the image's own size: no further resizing, only normalisation.
    prepare = DetPreProcess(max(image.shape[:2]), "max", detector.mean, detector.std)
    return np.asarray(detector.session(prepare(image)))


def _boxes(
    detector: Any, predictions: np.ndarray, height: int, width: int
) -> tuple[np.ndarray, list[float]]:
    boxes, scores = detector.postprocess_op(predictions, (height, width))
    if len(boxes) < 1:
        return np.zeros((0, 4, 2), dtype=np.float32), []
    order = detector.sorted_boxes(np.asarray(boxes))
    return np.asarray(order, dtype=np.float32), list(scores)


def detect(ocr: Any, region: np.ndarray, scale: float) -> tuple[np.ndarray, list[float]]:
    """rapidocr's detector on ``region`` scaled by ``scale`` (sides rounded to multiples of
    32, as the network needs), boxes back in ``region``'s pixels, in rapidocr's order."""
    import cv2

    detector = ocr._load_det_model()
    height, width = region.shape[:2]
    resized = cv2.resize(region, detection_size(width, height, scale))
    return _boxes(detector, _run_detector(detector, resized), height, width)


def detect_inked(
    ocr: Any, page: np.ndarray, scale: float, ink: tuple[int, int, int, int]
) -> tuple[np.ndarray, list[float]]:
    """:func:`detect` on the whole ``page``, with the network run on the inked area only.

    The page is scaled exactly as for a whole-page detection; the network sees the block of
    that scaled page around ``ink``, its edges on the network's 32-pixel grid, and its map is
    put back in place in an empty map of the whole page. Boxes are then found on that map as
    on a whole-page one: the same pixels, the same grid, the same rounding. The map itself is
    not the whole page's: the network's squeeze-and-excitation blocks average over their whole
    input, margins included, so boxes move by a few pixels (up to 18 on generated A4 pages at
    300 dpi, ``tests/test_rapidocr_reading.py``).
    """
    import cv2

    detector = ocr._load_det_model()
    height, width = page.shape[:2]
    size = detection_size(width, height, scale)
    scaled = cv2.resize(page, size)
    sx, sy = size[0] / width, size[1] / height
    x0, y0, x1, y1 = ink
    left, top = int(x0 * sx) // 32 * 32, int(y0 * sy) // 32 * 32
    right = min(size[0], -(-int(np.ceil(x1 * sx)) // 32) * 32)
    bottom = min(size[1], -(-int(np.ceil(y1 * sy)) // 32) * 32)
    block = np.ascontiguousarray(scaled[top:bottom, left:right])
    predictions = np.zeros((1, 1, size[1], size[0]), dtype=np.float32)
    predictions[:, :, top:bottom, left:right] = _run_detector(detector, block)
    return _boxes(detector, predictions, height, width)


def padded_width(crop: np.ndarray, min_width: int, narrow_ratio: float, short_width: int) -> int:
    """The width (pixels at the recogniser's 48-pixel height) ``crop`` is padded to at least.

    The recogniser pads every crop to ``min_width`` (``rec_min_width``); rapidocr and PaddleOCR
    pad to :data:`RAPIDOCR_REC_WIDTH`. Two kinds of crop keep rapidocr's padding whatever
    ``min_width``, because less padding changes what the model reads in them:

    - narrow ones, at most ``narrow_ratio`` times wider than high (one or two glyphs: ditto
      marks, specks, a lone digit; ``narrow_ratio`` 0: none);
    - those between ``short_width`` and :data:`RAPIDOCR_REC_WIDTH` pixels wide once scaled to
      the recogniser's height (only lines narrower than ``short_width`` count as short and are
      padded less; ``short_width`` 320 or more: none).

    Crops wider than :data:`RAPIDOCR_REC_WIDTH` are never padded (only to their batch's widest,
    as in rapidocr): they keep ``min_width``.
    """
    if min_width >= RAPIDOCR_REC_WIDTH:
        return min_width
    height, width = crop.shape[:2]
    if narrow_ratio and width <= narrow_ratio * height:
        return RAPIDOCR_REC_WIDTH
    if short_width * height <= width * REC_HEIGHT < RAPIDOCR_REC_WIDTH * height:
        return RAPIDOCR_REC_WIDTH
    return min_width


@contextmanager
def padding_to(ocr: Any, width: int) -> Iterator[None]:
    """rapidocr's recogniser pads its crops to at least ``width`` pixels inside the block."""
    recognizer = ocr._load_rec_model()
    shape = recognizer.rec_image_shape
    recognizer.rec_image_shape = [*list(shape)[:2], width]
    try:
        yield
    finally:
        recognizer.rec_image_shape = shape


def recognize(
    ocr: Any,
    crops: list[np.ndarray],
    narrow_ratio: float,
    short_width: int = RAPIDOCR_REC_WIDTH,
) -> Any:
    """rapidocr's recogniser on ``crops``, each padded as :func:`padded_width` says.

    Crops are grouped by the width they are padded to; each group is one call of rapidocr's
    recogniser (its own batching and word boxes), and the results come back in the crops'
    order.
    """
    from rapidocr.ch_ppocr_rec.typings import TextRecOutput

    min_width = int(ocr._load_rec_model().rec_image_shape[2])
    groups: dict[int, list[int]] = {}
    for i, crop in enumerate(crops):
        groups.setdefault(padded_width(crop, min_width, narrow_ratio, short_width), []).append(i)
    if not crops or list(groups) == [min_width]:
        return ocr.recognize_txt(crops)
    parts = []
    for width, indexes in sorted(groups.items(), reverse=True):
        with padding_to(ocr, width):
            parts.append((indexes, ocr.recognize_txt([crops[i] for i in indexes])))
    txts: list[Any] = [None] * len(crops)
    scores: list[Any] = [None] * len(crops)
    words: list[Any] = [None] * len(crops)
    for indexes, result in parts:
        for slot, i in enumerate(indexes):
            txts[i], scores[i] = result.txts[slot], result.scores[slot]
            words[i] = result.word_results[slot]
    return TextRecOutput(
        imgs=crops,
        txts=tuple(txts),
        scores=scores,
        word_results=tuple(words),
        elapse=sum(result.elapse or 0.0 for _, result in parts),
        viser=parts[0][1].viser,
    )


def read_decoupled(
    ocr: Any,
    pixels: np.ndarray,
    max_side_len: int,
    *,
    trim: bool,
    full_resolution_crops: bool = True,
    narrow_ratio: float = 0.0,
    short_width: int = RAPIDOCR_REC_WIDTH,
    det_text_height: float = 0.0,
) -> Any:
    """rapidocr's output for ``pixels`` (BGR), read with the steps of ``RapidOCR.__call__``
    but detection, crops and recognition each set apart (see the module's docstring).

    Args:
        ocr: A ``rapidocr.RapidOCR`` object (its models, crop and output code are used).
        pixels: The page, BGR (or grey), as ``RapidOCR.__call__`` takes it.
        max_side_len: Detection runs on the page scaled as if its longer side were at most
            this many pixels (the same factor for a trimmed page as for the whole one).
        trim: Run the detection network on the inked area only (:func:`detect_inked`).
        full_resolution_crops: Cut the line crops out of the page itself; otherwise out of the
            page reduced to ``max_side_len``, as rapidocr does.
        narrow_ratio: Crops at most this many times wider than high are padded as rapidocr
            pads them (:func:`padded_width`); 0: none.
        short_width: Crops between this width and 320 pixels at the recogniser's height are
            padded as rapidocr pads them (:func:`padded_width`); 320: none.
        det_text_height: Detection runs smaller still when the page's characters
            (:func:`text_height`) would be over this many pixels high at detection
            (:func:`shrink_for_text`); crops are cut as without it. 0: off.

    Returns:
        A ``RapidOCROutput`` (or rapidocr's empty output) with boxes in page coordinates.
    """
    import cv2
    from rapidocr.ch_ppocr_cls.utils import TextClsOutput
    from rapidocr.ch_ppocr_det.utils import TextDetOutput
    from rapidocr.ch_ppocr_rec.typings import TextRecOutput
    from rapidocr.utils.process_img import apply_vertical_padding

    if pixels.ndim == 2:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2BGR)
    source, record = pixels, {"preprocess": {"ratio_h": 1.0, "ratio_w": 1.0}}
    if not full_resolution_crops:  # rapidocr's own way: everything on the reduced page
        source, preprocessed = ocr.preprocess_img(pixels)
        record = {"preprocess": preprocessed["preprocess"]}
    height, width = source.shape[:2]
    scale = detection_scale(width, height, max_side_len, ocr.cfg.Det.limit_side_len)
    if det_text_height > 0:
        glyphs = text_height(source)
        scale = shrink_for_text(
            scale,
            min(width, height),
            glyphs,
            target=det_text_height,
            floor=ocr.cfg.Det.limit_side_len,
        )
    region, top = source, 0
    if ocr.cfg.Global.use_vertical_padding:  # very wide, short pages, as rapidocr pads them
        region, padding = apply_vertical_padding(source, {}, ocr.width_height_ratio, ocr.min_height)
        top = padding["padding_1"]["top"]
    if trim and region is source:
        boxes, scores = detect_inked(ocr, source, scale, inked_area(source))
    else:
        boxes, scores = detect(ocr, np.ascontiguousarray(region), scale)
    det_res, cls_res, rec_res = TextDetOutput(), TextClsOutput(), TextRecOutput()
    crops: list[np.ndarray] = []
    if len(boxes):
        boxes[:, :, 1] -= top
        det_res = TextDetOutput(img=source, boxes=boxes, scores=scores)
        crops = ocr.crop_text_regions(source, boxes)
        images = crops
        if ocr.use_cls:
            images, cls_res = ocr.cls_and_rotate(crops)
        if ocr.use_rec:
            rec_res = recognize(ocr, images, narrow_ratio, short_width)
    return ocr.build_final_output(pixels, det_res, cls_res, rec_res, crops, record)
