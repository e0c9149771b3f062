"""The ``htr`` engine: French handwriting, read by the recogniser ocrxtract trains and ships.

Two stages, both on ONNX Runtime, CPU:

1. **Line segmentation** by PP-OCRv6's text detector (the ``rapidocr`` wheel's
   ``PP-OCRv6_det_small.onnx``, through rapidocr with recognition off): one quadrilateral per
   text line, kept as the line's polygon (no baseline: the detector draws boxes, not
   baselines; the ``kraken`` engine's segmenter gives them).
2. **Line recognition** by ``htr-fr.onnx`` (``models/htr-fr``): PP-OCRv6's recogniser fine-tuned
   on French handwritten lines (``ocrxtract train htr``, model card beside the file). Lines are
   read in grey, sorted by width and batched; decoding is greedy, or a CTC beam search fused
   with the character n-gram model shipped beside it (``language_model``: on when the file is
   there and its tuned weight is not zero).

Words: the recogniser reads lines; word boxes are cut from the line box in proportion to
character counts (noted in the provenance). Each word carries its line's confidence.

``recognize_lines`` reads ground-truth line crops with the recogniser alone, so the
benchmark's line CER scores the model, as it does rapidocr's recogniser.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field

from ocrxtract.document import BBox, Line, Page, Word, block_from_lines
from ocrxtract.engines.base import (
    Availability,
    EngineOptions,
    OcrEngine,
    files_fingerprint,
    model_unavailable,
    packages_unavailable,
)
from ocrxtract.engines.htr_runtime import (
    LM_FILE,
    Recognizer,
    find_model,
    greedy_decode,
    to_grey,
)
from ocrxtract.engines.line_detection import (
    PpOcrLineDetector,
    clip_polygon,
    line_crops,
    texts_of_boxes,
)
from ocrxtract.engines.rapidocr_engine import DET_MODEL, models_dir, split_line
from ocrxtract.errors import CorruptInputError, ModelNotFoundError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENGINE = "htr"
INSTALL = "pip install 'ocrxtract[htr]'"
#: Modules the engine needs (checked without importing them).
REQUIRED_MODULES = ("onnxruntime", "cv2", "rapidocr")


class HtrOptions(EngineOptions):
    """Options of the ``htr`` engine.

    Attributes:
        model: An ONNX recognition model of your own (PP-OCR convention, as ``ocrxtract train
            htr`` writes); default: the shipped ``htr-fr.onnx`` (or ``$OCRXTRACT_HTR_MODEL``).
        language_model: Decode with the character language model shipped beside the model
            (beam search); off: greedy decoding, faster.
        beam: Prefixes kept by the beam search.
        threads: ONNX Runtime threads per model (``-1``: one per core).
        batch_size: Lines read per forward pass.
        max_side_len: Pages whose longer side exceeds this are scaled down for segmentation.
        box_thresh: Detection score below which a text region is dropped.
        min_line_height: Regions lower than this many pixels are dropped (specks).
        segmenter: ``ppocr``: PP-OCRv6's text detector (shipped, ~1 s a page); ``kraken``:
            kraken's baseline segmenter (blla), slower, with baselines; needs kraken
            (``make install-kraken``, run from ``.venv-kraken``).
    """

    model: Path | None = None
    language_model: bool = True
    beam: int = Field(default=8, ge=1, le=64)
    threads: int = Field(default=-1, ge=-1, le=256)
    batch_size: int = Field(default=16, ge=1, le=256)
    max_side_len: int = Field(default=2000, ge=320, le=10_000)
    box_thresh: float = Field(default=0.5, ge=0.0, le=1.0)
    min_line_height: int = Field(default=8, ge=1)
    segmenter: Literal["ppocr", "kraken"] = "ppocr"


@lru_cache(maxsize=4)
def _language_model(path: Path, mtime: float) -> Any:
    from ocrxtract.engines.htr_lm import CharLM

    try:
        return CharLM.load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise CorruptInputError(
            path, f"not a character language model ({exc}); delete it or train again"
        ) from exc


class HtrEngine(OcrEngine):
    """French handwriting: PP-OCRv6 line detection, then ocrxtract's trained recogniser."""

    name = ENGINE
    options_class = HtrOptions
    extra = "htr"
    description = (
        "French handwriting: PP-OCRv6 line detection + ocrxtract's recogniser fine-tuned on "
        "French manuscripts (ONNX, shipped); CPU"
    )
    main_options = ("language_model", "box_thresh")
    thread_option = "threads"
    execution_options = frozenset({"threads", "batch_size"})
    line_recognizer = "htr-rec"

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._recognizer: Recognizer | None = None
        self._detector: PpOcrLineDetector | None = None
        self._kraken: Any = None
        self._lock = threading.Lock()

    def _options(self) -> HtrOptions:
        assert isinstance(self.options, HtrOptions)
        return self.options

    @classmethod
    def availability(cls) -> Availability:
        return (
            packages_unavailable(REQUIRED_MODULES, INSTALL)
            or model_unavailable(find_model)
            or Availability(available=True)
        )

    def check(self) -> Availability:
        """Packages, and the model these options name (the shipped one by default)."""
        if self._options().segmenter == "kraken":
            from ocrxtract.engines.kraken_engine import INSTALL as KRAKEN_INSTALL

            kraken = packages_unavailable(("kraken",), KRAKEN_INSTALL)
            if kraken is not None:
                return kraken
        return (
            packages_unavailable(REQUIRED_MODULES, INSTALL)
            or model_unavailable(self.model_path)
            or Availability(available=True)
        )

    @classmethod
    def version(cls) -> str:
        try:
            path = find_model()
        except ModelNotFoundError:
            return "unavailable (no model)"
        return f"htr-fr ({_model_date(path, path.stat().st_mtime)}) + {Path(DET_MODEL).stem}"

    @classmethod
    def languages(cls) -> list[str]:
        return ["fra"]

    def model_path(self) -> Path:
        """The recognition model this instance reads."""
        return find_model(self._options().model)

    def model_fingerprint(self) -> str:
        path = self.model_path()
        files = [path, path.with_name(LM_FILE)]
        folder = models_dir()
        if folder is not None:
            files.append(folder / DET_MODEL)
        return files_fingerprint(f for f in files if f.is_file())

    def recognizer(self) -> Recognizer:
        """The ONNX recogniser, loaded on first use."""
        if self._recognizer is None:
            options = self._options()
            self._recognizer = Recognizer(
                self.model_path(), threads=max(0, options.threads), batch_size=options.batch_size
            )
        return self._recognizer

    def language_model(self) -> Any:
        """The character language model beside the recogniser, or ``None`` (off, absent, or
        tuned to a zero weight on the validation lines)."""
        if not self._options().language_model:
            return None
        path = self.model_path().with_name(LM_FILE)
        if not path.is_file():
            return None
        lm = _language_model(path, path.stat().st_mtime)
        return lm if lm.weight > 0 else None

    def read(self, lines: Sequence[Any]) -> list[tuple[str, float]]:
        """Text and confidence of each line image (RGB or grey arrays)."""
        if not lines:
            return []
        with self._lock:
            recognizer = self.recognizer()
            probabilities = recognizer.probabilities([to_grey(line) for line in lines])
            lm = self.language_model()
        alphabet = recognizer.alphabet
        results = []
        for probs in probabilities:
            text, confidence = greedy_decode(probs, alphabet)
            if lm is not None:
                from ocrxtract.engines.htr_lm import beam_decode

                text = beam_decode(probs, alphabet, lm, beam=self._options().beam).strip()
            results.append((text, confidence))
        return results

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        """The recogniser alone on each line box (no segmentation)."""
        pixels = np.asarray(page.image.convert("L"))
        return texts_of_boxes(pixels, boxes, lambda crops: [t for t, _ in self.read(crops)])

    def _segment(self, page: PageImage, rgb: Any) -> list[tuple[Any, Any]]:
        """Each line's outline (PP-OCRv6's quadrilateral or kraken's polygon) and baseline
        (kraken only)."""
        options = self._options()
        if options.segmenter == "kraken":
            if self._kraken is None:
                from ocrxtract.engines.kraken_engine import KrakenSegmenter

                threads = options.threads if options.threads > 0 else 1
                self._kraken = KrakenSegmenter(threads=threads)
            return list(self._kraken(page.image))
        if self._detector is None:
            self._detector = PpOcrLineDetector.for_options(ENGINE, INSTALL, options)
        return [(quad, None) for quad in self._detector(rgb)]

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        rgb = np.asarray(page.image.convert("RGB"))
        with self._lock:
            shapes = self._segment(page, rgb)
        grey = to_grey(rgb)
        height, width = grey.shape
        outlines = [outline for outline, _ in shapes]
        kept, crops = line_crops(grey, outlines, self._options().min_line_height)
        lines: list[Line] = []
        for (index, box), (text, score) in zip(kept, self.read(crops), strict=True):
            if not text.strip():
                continue
            outline, baseline = shapes[index]
            confidence = min(1.0, max(0.0, score))
            words = [Word(text=t, bbox=b, confidence=confidence) for t, b in split_line(text, box)]
            lines.append(
                Line(
                    words=words,
                    bbox=box,
                    confidence=confidence,
                    polygon=clip_polygon(outline, width, height),
                    baseline=baseline,
                )
            )
        notes = ["word boxes cut from each line box in proportion to character counts"]
        if self._options().segmenter == "kraken":
            notes.append("lines, polygons and baselines from kraken's segmenter (blla)")
        if self.language_model() is not None:
            notes.append("decoded with the character language model (beam search)")
        blocks = [block_from_lines(lines)] if lines else []
        return Page(
            index=page.index, width=width, height=height, dpi=page.dpi, blocks=blocks
        ), notes


@lru_cache(maxsize=4)
def _model_date(path: Path, mtime: float) -> str:
    """The training date stored in the model's metadata, or the file's name."""
    try:
        import onnx

        model = onnx.load(str(path), load_external_data=False)
    except Exception:  # onnx missing or unreadable: the version string stays short
        return path.name
    import json

    from ocrxtract.engines.htr_runtime import INFO_KEY

    for prop in model.metadata_props:
        if prop.key == INFO_KEY:
            try:
                return str(json.loads(prop.value).get("trained", "")).split("T")[0] or path.name
            except ValueError:
                return path.name
    return path.name
