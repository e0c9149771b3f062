"""Text lines of a page by PP-OCRv6's detector, for engines that read lines only (``htr``,
``trocr``).

The detector is the ``rapidocr`` wheel's ``PP-OCRv6_det_small.onnx``, run through rapidocr with
recognition off: one quadrilateral per text line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ocrxtract.document import BBox
from ocrxtract.errors import EngineUnavailableError

Quad = list[tuple[float, float]]


class PpOcrLineDetector:
    """PP-OCRv6 text line detection (model loaded on first call).

    Args:
        engine: Name of the engine using it (in errors).
        install: The command that installs rapidocr for that engine.
        threads: ONNX Runtime threads (``-1``: one per core).
        max_side_len: Pages whose longer side exceeds this are scaled down.
        box_thresh: Detection score below which a region is dropped.
    """

    def __init__(
        self, engine: str, install: str, *, threads: int, max_side_len: int, box_thresh: float
    ) -> None:
        self.engine, self.install = engine, install
        self.settings = {"threads": threads, "max_side_len": max_side_len, "box_thresh": box_thresh}
        self._detector: Any = None

    @classmethod
    def for_options(cls, engine: str, install: str, options: Any) -> PpOcrLineDetector:
        """The detector an engine's options describe (``threads``, ``max_side_len``,
        ``box_thresh``)."""
        return cls(
            engine,
            install,
            threads=options.threads,
            max_side_len=options.max_side_len,
            box_thresh=options.box_thresh,
        )

    def _load(self) -> Any:
        from ocrxtract.engines.rapidocr_engine import RapidOcrEngine

        params = RapidOcrEngine(self.settings).rapidocr_params()
        params.update({"Global.use_cls": False, "Global.use_rec": False})
        params.pop("Rec.model_path", None)
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise EngineUnavailableError(
                self.engine, f"rapidocr does not import: {exc}", self.install
            ) from exc
        return RapidOCR(params=params)

    def __call__(self, rgb: npt.NDArray[np.uint8]) -> list[Quad]:
        """Line quadrilaterals of an RGB page, in page pixels."""
        import cv2

        if self._detector is None:
            self._detector = self._load()
        bgr = np.ascontiguousarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        output = self._detector(bgr, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(output, "boxes", None)
        if boxes is None:
            return []
        return [[(float(x), float(y)) for x, y in quad] for quad in boxes]


def line_crops(
    pixels: npt.NDArray[Any], outlines: Sequence[Sequence[Sequence[float]]], min_height: int
) -> tuple[list[tuple[int, BBox]], list[npt.NDArray[Any]]]:
    """The index and box (clipped to the page) of each line outline kept, and its crop of
    ``pixels``; outlines lower than ``min_height`` pixels (specks) or narrower than 2 are
    dropped."""
    height, width = pixels.shape[:2]
    boxes, crops = [], []
    for index, outline in enumerate(outlines):
        box = BBox.from_points([(x, y) for x, y in outline])
        x0, y0 = max(0, box.x0), max(0, box.y0)
        x1, y1 = min(width, box.x1), min(height, box.y1)
        if y1 - y0 < min_height or x1 - x0 < 2:
            continue
        boxes.append((index, BBox(x0=x0, y0=y0, x1=x1, y1=y1)))
        crops.append(pixels[y0:y1, x0:x1])
    return boxes, crops


def texts_of_boxes(
    pixels: npt.NDArray[Any],
    boxes: Sequence[BBox],
    read: Callable[[list[npt.NDArray[Any]]], list[str]],
) -> list[str]:
    """``read`` on the crop of each box (clipped to the page); a box holding fewer than 2×2
    pixels of the page reads as ``""`` (the contract of ``OcrEngine.recognize_lines``)."""
    outlines = [[(box.x0, box.y0), (box.x1, box.y1)] for box in boxes]
    kept, crops = line_crops(pixels, outlines, min_height=2)
    texts = [""] * len(boxes)
    for (index, _), text in zip(kept, read(crops), strict=True):
        texts[index] = text
    return texts


def clip_polygon(
    outline: Sequence[Sequence[float]], width: int, height: int
) -> list[tuple[int, int]]:
    """An outline rounded to integer points inside the page."""
    return [(min(max(0, round(x)), width), min(max(0, round(y)), height)) for x, y in outline]
