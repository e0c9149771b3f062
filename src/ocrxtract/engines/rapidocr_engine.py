"""The ``rapidocr`` engine: PaddleOCR's PP-OCRv6 small models on onnxruntime, through rapidocr 3.

The detection and recognition models ship inside the rapidocr wheel; this adapter points
rapidocr at those files, so it never downloads anything (unless ``allow_download`` is on). The
recognition model is multilingual: its 18 708-symbol dictionary holds the French accented
letters, ``œ``, ``«»``, the typographic apostrophe and ``€``.

Words: rapidocr recognises *lines*. Their word boxes come from rapidocr's own split
(``return_word_box``: CTC column positions mapped back into the line's quadrilateral, so they
span the line's height); a line whose split does not give back its words is cut in proportion
to character counts instead, with a provenance note. Every word carries its line's confidence
(rapidocr's per-word scores are those of single characters).

Character set: the recognition model's dictionary mixes Latin letters with 18 000 Chinese,
Japanese and other symbols, and on Latin pages it sometimes reads a ``1`` as ``一`` or a whole
line as Chinese. When every requested language is written in the Latin script (``fra``,
``eng``...), ``latin_only`` (on by default) masks the other symbols' probabilities before the
CTC decoding: digits, punctuation, ``€``, ``œ``, ``«»`` and typographic quotes are kept
(:func:`latin_symbol`). ``latin_only=False`` gives the model's full dictionary back.

The angle classifier (``use_cls``) is off by default: on upright pages it turns some lines
upside down. Pages larger than ``max_side_len`` are scaled down for detection (rapidocr's
default, 2000 px): an A4 page at 300 dpi is read as well and several times faster than at full
size.

Speed (issue 18, wiki page "Vitesse"): the time is in the two models. The default reads with a
recogniser cut to Latin symbols plus a reject pool (:mod:`ocrxtract.engines.rapidocr_latin`)
and pads short lines to 96 pixels instead of 320 (``rec_min_width``; lone marks and lines
nearly 320 pixels wide still as rapidocr pads them, ``rec_narrow_ratio`` and
``rec_short_width``), and detects big print on a smaller copy of the page
(``det_text_height``): about 1.3x more pages per minute than rapidocr's own
settings (the ``accurate`` preset, the default until December 2026), page CER within 0.2 point
of it on every set measured. The ``fast`` preset also decouples detection from recognition
(:mod:`ocrxtract.engines.rapidocr_reading`: detection on the inked area of the page scaled to
1600 pixels, line crops from the full-resolution page): about 1.5x, the same line CER, a page
CER that moves by a few tenths of a point either way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, field_validator

from ocrxtract.document import BBox, Line, Page, Word, block_from_lines
from ocrxtract.engines.base import (
    Availability,
    EngineOptions,
    OcrEngine,
    crop_line,
    files_fingerprint,
)
from ocrxtract.engines.rapidocr_latin import latin_symbol
from ocrxtract.errors import EngineUnavailableError, ModelNotFoundError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENGINE = "rapidocr"
INSTALL = "pip install 'ocrxtract[rapidocr]'"
#: Model files inside the rapidocr wheel (``rapidocr/models``) this adapter is configured for.
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

#: Languages of the PP-OCRv6 recognition model (rapidocr's ``default_models.yaml``), as the
#: ISO 639-2 codes ocrxtract uses (Tesseract's names).
LANGUAGES = (
    "afr", "aze", "bos", "cat", "ces", "chi_sim", "chi_tra", "cym", "dan", "deu", "eng", "est",
    "eus", "fin", "fra", "gle", "glg", "hrv", "hun", "ind", "isl", "ita", "jpn", "kur", "lat",
    "lav", "lit", "ltz", "mlt", "mri", "msa", "nld", "nor", "oci", "pol", "por", "que", "roh",
    "ron", "slk", "slv", "spa", "sqi", "srp_latn", "swa", "swe", "tgl", "tur", "uzb", "vie",
)  # fmt: skip


class RapidOcrOptions(EngineOptions):
    """Options of the ``rapidocr`` engine.

    Attributes:
        use_cls: Run the 0/180 degree line classifier (off: it flips upright lines).
        latin_only: When every language is written in the Latin script, decode Latin letters,
            digits, punctuation and common symbols only (the model's other 17 000 symbols are
            masked); off: the model's whole dictionary.
        threads: onnxruntime threads per model (``-1``: onnxruntime's choice, one per core;
            rapidocr ignores counts above the number of cores).
        max_side_len: Pages whose longer side exceeds this many pixels are scaled down first.
        limit_side_len: Detection scales the page up until its shorter side reaches this.
        text_score: Lines recognised with a lower score are dropped.
        box_thresh: Detection score below which a text region is dropped.
        latin_recognizer: With ``latin_only``, read with a copy of the recognition model whose
            classifier and dictionary are cut to those symbols and to a reject pool of 1 000
            other symbols that keep their share of the softmax (derived once from the wheel's
            file, cached by its hash: :mod:`ocrxtract.engines.rapidocr_latin`): faster, the same
            text on clean lines; a stray mark may score a little higher. Off: the whole model,
            its other symbols masked.
        full_resolution_crops: Cut the line crops out of the page at full resolution, the
            detection alone running on the page scaled to ``max_side_len``
            (:mod:`ocrxtract.engines.rapidocr_reading`); off: rapidocr's way, crops cut out of
            the scaled page.
        trim_margins: Run the detection network on the page's inked area only (blank margins
            skipped), on the whole page's scale and grid; boxes may move by a few pixels (the
            network averages over its whole input).
        det_text_height: Run detection on a smaller copy of the page when its characters
            (the 25th percentile of its character-like ink blobs) would be over this many
            pixels high at rapidocr's detection scale: big print is found as well on fewer
            pixels (never under half rapidocr's scale, nor under ``limit_side_len``). Crops
            are cut as without it. 0: off, rapidocr's fixed scale (10 here: of the targets
            measured, 8, 9 and 10, the only one whose page CER stays within 0.2 point of
            rapidocr's own settings on every set of the speed campaign, wiki page "Vitesse").
        rec_min_width: Line crops are padded to at least this width (pixels, at the
            recogniser's 48-pixel height) before recognition; rapidocr and PaddleOCR pad to
            320, so a short word costs as much as a 320-pixel line (96 here: page CER within
            0.2 point of 320 on the speed campaign's sets, wiki page "Vitesse").
        rec_narrow_ratio: Line crops at most this many times wider than high (one or two
            glyphs: ditto marks, specks, a lone digit) are padded to 320 pixels as rapidocr
            pads them, whatever ``rec_min_width``: less padding changes what the model reads
            in a lone mark. 0: none.
        rec_short_width: Only line crops narrower than this (pixels, at the recogniser's
            48-pixel height) count as short and are padded to ``rec_min_width``; those between
            it and 320 pixels are padded to 320 as rapidocr pads them (240 here: the generated
            photos' lines, padded less, lost 1.6 points of line CER; wiki page "Vitesse").
            320: every line is padded to ``rec_min_width``.
        rec_batch_size: Line crops recognised per call (sorted by width first).
        memory_arena: onnxruntime's CPU memory arena (rapidocr turns it off): the same output,
            about 10 % faster, about 500 MiB more peak memory per process (generated A4 pages
            at 300 dpi, one thread, three runs each of ``benchmarks/rapidocr_profile.py
            --pages 4 [-O memory_arena=true]``: median 2.40 -> 2.15 s per page, peak RSS
            946 -> 1 452 MiB).
    """

    use_cls: bool = False
    memory_arena: bool = False
    threads: int = Field(default=-1, ge=-1, le=256)

    @field_validator("threads")
    @classmethod
    def _thread_count(cls, value: int) -> int:
        if value == 0:
            raise ValueError("threads is -1 (onnxruntime's choice) or a positive count")
        return value

    latin_only: bool = True
    latin_recognizer: bool = True
    full_resolution_crops: bool = False
    trim_margins: bool = False
    det_text_height: float = Field(default=10.0, ge=0.0, le=200.0)
    rec_min_width: int = Field(default=96, ge=16, le=4000)
    rec_narrow_ratio: float = Field(default=1.5, ge=0.0, le=10.0)
    rec_short_width: int = Field(default=240, ge=16, le=4000)
    rec_batch_size: int = Field(default=6, ge=1, le=256)
    max_side_len: int = Field(default=2000, ge=320, le=10_000)
    limit_side_len: int = Field(default=736, ge=32, le=10_000)
    text_score: float = Field(default=0.5, ge=0.0, le=1.0)
    box_thresh: float = Field(default=0.5, ge=0.0, le=1.0)


def models_dir() -> Path | None:
    """``rapidocr/models`` inside the installed package, found without importing it."""
    spec = find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _missing(*models: str) -> list[str]:
    folder = models_dir()
    return [name for name in models if folder is None or not (folder / name).is_file()]


#: Languages of the model that are not written in the Latin script.
NON_LATIN = frozenset({"chi_sim", "chi_tra", "jpn"})


class _MaskedDecoder:
    """rapidocr's CTC decoder, fed probabilities where the masked symbols are zero."""

    def __init__(self, decoder: Any) -> None:
        import numpy as np

        self.decoder = decoder
        characters = list(decoder.character)
        # Index 0 is the CTC blank; keep it and every symbol allowed on a Latin page.
        self.keep = np.array(
            [i == 0 or latin_symbol(str(c)) for i, c in enumerate(characters)], dtype=bool
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.decoder, name)

    def __call__(self, preds: Any, *args: Any, **kwargs: Any) -> Any:
        import numpy as np

        masked = np.where(self.keep[: preds.shape[-1]], preds, 0.0).astype(preds.dtype)
        return self.decoder(masked, *args, **kwargs)


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import version

    det, rec = (Path(name).stem for name in (DET_MODEL, REC_MODEL))
    return f"rapidocr {version('rapidocr')} ({det}, {rec})"


@dataclass(frozen=True)
class RapidLine:
    """A recognised line: its quadrilateral, text, score and rapidocr's words if usable."""

    quad: list[tuple[float, float]]
    text: str
    score: float
    words: list[tuple[str, list[tuple[float, float]]]] | None


class RapidOcrEngine(OcrEngine):
    """PP-OCRv6 small (detection + multilingual recognition) on onnxruntime, CPU."""

    name = "rapidocr"
    options_class = RapidOcrOptions
    extra = "rapidocr"
    description = "PaddleOCR PP-OCRv6 small models on onnxruntime (rapidocr); CPU"
    main_options = ("text_score", "box_thresh", "use_cls")
    thread_option = "threads"
    execution_options = frozenset({"threads", "memory_arena"})
    line_recognizer = "rapidocr-rec"
    presets: ClassVar[dict[str, tuple[dict[str, Any], str]]] = {
        "small-print": (
            {"max_side_len": 3200, "limit_side_len": 1280, "det_text_height": 0.0},
            "detection at a higher resolution: small print on dense pages (slower)",
        ),
        "fast": (
            {
                "latin_recognizer": True,
                "trim_margins": True,
                "full_resolution_crops": True,
                "rec_min_width": 96,
                "rec_narrow_ratio": 1.5,
                "max_side_len": 1600,
            },
            "about 1.1-1.4x more pages per minute than the default (1.5-1.9x rapidocr's own "
            "settings, depending on the CPU): detection on the inked area at 1600 pixels (less for"
            " big print), crops at full resolution, the recogniser cut to Latin symbols (plus a "
            "reject pool), short words padded less (lone marks as rapidocr pads them); page CER "
            "within a few tenths of a point of the default",
        ),
        "accurate": (
            {
                "latin_recognizer": False,
                "trim_margins": False,
                "full_resolution_crops": False,
                "rec_min_width": 320,
                "rec_narrow_ratio": 0.0,
                "rec_batch_size": 6,
                "max_side_len": 2000,
                "det_text_height": 0.0,
            },
            "rapidocr's own settings, pinned (the default until December 2026): full recogniser, "
            "every line padded to 320 pixels; the default reads within 0.2 point, faster",
        ),
        "rotated": ({"use_cls": True}, "lines upside down: pages scanned the wrong way up"),
    }

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._ocr: Any = None
        self._line_ocr: Any = None
        self._lock = threading.Lock()

    @classmethod
    def availability(cls) -> Availability:
        for module in ("rapidocr", "onnxruntime", "cv2"):
            if find_spec(module) is None:
                return Availability(
                    available=False, reason=f"python package {module} is missing", install=INSTALL
                )
        missing = _missing(DET_MODEL, REC_MODEL)
        if missing:
            return Availability(
                available=False,
                reason=f"model file(s) {', '.join(missing)} missing from {models_dir()}",
                install=f"pip install --force-reinstall 'rapidocr>=3.4,<4' ({INSTALL})",
            )
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        return _version() if find_spec("rapidocr") is not None else "unavailable"

    @classmethod
    def languages(cls) -> list[str]:
        return list(LANGUAGES)

    def _options(self) -> RapidOcrOptions:
        assert isinstance(self.options, RapidOcrOptions)
        return self.options

    def rapidocr_params(self) -> dict[str, Any]:
        """rapidocr's ``params`` for these options, models pinned to the wheel's files.

        Returns:
            The dotted keys of rapidocr's ``config.yaml`` and their values (``RapidOCR(params=
            ...)``); without model paths when ``allow_download`` is on.

        Raises:
            ModelNotFoundError: a language the model does not read, or a model file missing
                while downloads are off.
        """
        options = self._options()
        unknown = [lang for lang in options.languages if lang not in LANGUAGES]
        if unknown:
            raise ModelNotFoundError(
                ENGINE,
                f"the PP-OCRv6 model does not read {', '.join(unknown)} "
                f"(it reads: {', '.join(LANGUAGES)})",
            )
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            "Global.use_cls": options.use_cls,
            "Global.return_word_box": True,
            "Global.max_side_len": options.max_side_len,
            "Global.text_score": options.text_score,
            "Det.limit_side_len": options.limit_side_len,
            "Det.box_thresh": options.box_thresh,
            "Rec.rec_img_shape": [3, 48, options.rec_min_width],
            "Rec.rec_batch_num": options.rec_batch_size,
            "EngineConfig.onnxruntime.intra_op_num_threads": options.threads,
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": options.memory_arena,
        }
        if options.allow_download:
            return params
        models = [DET_MODEL, REC_MODEL] + ([CLS_MODEL] if options.use_cls else [])
        missing = _missing(*models)
        if missing:
            raise ModelNotFoundError(
                ENGINE,
                f"model file(s) {', '.join(missing)} missing from {models_dir()} and "
                "downloads are off (allow_download=False)",
                f"pip install --force-reinstall 'rapidocr>=3.4,<4' ({INSTALL})",
            )
        folder = models_dir()
        assert folder is not None
        params["Det.model_path"] = str(folder / DET_MODEL)
        params["Rec.model_path"] = str(self._latin_recognizer() or folder / REC_MODEL)
        if options.use_cls:
            params["Cls.model_path"] = str(folder / CLS_MODEL)
        return params

    def _engine(self) -> Any:
        """The RapidOCR object, built on the first page and reused."""
        if self._ocr is None:
            params = self.rapidocr_params()
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise EngineUnavailableError(
                    ENGINE, f"rapidocr does not import: {exc}", INSTALL
                ) from exc
            self._ocr = self._restricted(RapidOCR(params=params))
        return self._ocr

    def _latin_applies(self) -> bool:
        options = self._options()
        return options.latin_only and not set(options.languages) & NON_LATIN

    def _latin_recognizer(self) -> Path | None:
        """The recogniser cut to Latin symbols (derived once, cached) when ``latin_only``
        applies; ``None`` (the shipped model, masked) when it does not or cannot be derived."""
        if not self._latin_applies() or not self._options().latin_recognizer:
            return None
        folder = models_dir()
        assert folder is not None
        source = folder / REC_MODEL
        try:
            from ocrxtract.engines.rapidocr_latin import latin_model, reject_pool

            return latin_model(source, pool=reject_pool())
        except (ImportError, OSError, ValueError) as exc:
            log.warning(
                "rapidocr: the Latin recogniser could not be derived from %s (%s); the whole "
                "model is used with its other symbols masked (slower, same text)",
                source,
                exc,
            )
            return None

    def _restricted(self, ocr: Any) -> Any:
        """``ocr`` with its decoder limited to Latin symbols when the options ask for it
        (a no-op on the cut recogniser, whose dictionary holds nothing else)."""
        if not self._latin_applies():
            return ocr
        recognizer = ocr._load_rec_model()  # rapidocr builds its recogniser lazily
        if not isinstance(recognizer.postprocess_op, _MaskedDecoder):
            recognizer.postprocess_op = _MaskedDecoder(recognizer.postprocess_op)
        return ocr

    def model_fingerprint(self) -> str:
        """Hash of the ONNX files read (detection, recognition, and the classifier if used)."""
        folder = models_dir()
        if folder is None or self._options().allow_download:
            return ""
        models = [DET_MODEL, REC_MODEL] + ([CLS_MODEL] if self._options().use_cls else [])
        return files_fingerprint(folder / name for name in models)

    def _line_engine(self) -> Any:
        """A RapidOCR object of its own for line crops: rapidocr keeps the ``use_det`` flags of
        the last call, so one object reading pages and line crops would stop detecting.
        Crops reach the recogniser as they are: rapidocr's page resizing (to ``max_side_len``)
        would shrink a long line (to nothing, below 16 pixels high: ``ResizeImgError``)."""
        if self._line_ocr is None:
            params = {**self.rapidocr_params(), "Global.use_preprocess_img": False}
            from rapidocr import RapidOCR

            self._line_ocr = self._restricted(RapidOCR(params=params))
        return self._line_ocr

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        """The recognition model alone on each line crop (no detection, no classifier), padded
        as page reading pads it (:func:`~ocrxtract.engines.rapidocr_reading.padded_width`)."""
        import numpy as np

        from ocrxtract.engines.rapidocr_reading import padded_width, padding_to

        options = self._options()

        texts = []
        for number, box in enumerate(boxes, start=1):
            crop = crop_line(page, box, number)
            if crop is None:
                texts.append("")
                continue
            pixels = np.ascontiguousarray(np.asarray(crop.image.convert("RGB"))[:, :, ::-1])
            width = padded_width(
                pixels, options.rec_min_width, options.rec_narrow_ratio, options.rec_short_width
            )
            with self._lock:
                ocr = self._line_engine()
                with padding_to(ocr, width):  # as page reading pads it (BGR, as rapidocr expects)
                    output = ocr(pixels, use_det=False, use_cls=False, use_rec=True)
            texts.append(" ".join(str(text) for text in (getattr(output, "txts", None) or ())))
        return texts

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        import cv2
        import numpy as np

        from ocrxtract.engines.rapidocr_reading import RAPIDOCR_REC_WIDTH, read_decoupled

        pixels = np.asarray(page.image)
        if pixels.ndim == 3:  # rapidocr takes arrays in OpenCV's BGR order
            pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
        options = self._options()
        with self._lock:
            if (
                options.full_resolution_crops
                or options.trim_margins
                or options.rec_narrow_ratio
                or options.rec_short_width < RAPIDOCR_REC_WIDTH
                or options.det_text_height
            ):
                ocr = self._engine()
                ocr.update_params(use_det=True, use_cls=options.use_cls, use_rec=True)
                output = read_decoupled(
                    ocr,
                    pixels,
                    options.max_side_len,
                    trim=options.trim_margins,
                    full_resolution_crops=options.full_resolution_crops,
                    narrow_ratio=options.rec_narrow_ratio,
                    short_width=options.rec_short_width,
                    det_text_height=options.det_text_height,
                )
            else:
                output = self._engine()(pixels)
        lines = rapid_lines(output)
        return lines_to_page(lines, page)


def rapid_lines(output: Any) -> list[RapidLine]:
    """rapidocr's output -> lines, with its word split kept where it is consistent."""
    texts = tuple(getattr(output, "txts", None) or ())
    if not texts:
        return []
    boxes, scores = output.boxes, output.scores
    word_results = tuple(getattr(output, "word_results", None) or ())
    aligned = len(word_results) == len(texts)
    lines = []
    for i, text in enumerate(texts):
        quad = [(float(x), float(y)) for x, y in boxes[i]]
        words = None
        if aligned:
            candidate = [
                (str(w[0]), [(float(x), float(y)) for x, y in w[2]]) for w in word_results[i]
            ]
            if [w[0] for w in candidate] == text.split():
                words = candidate
        lines.append(RapidLine(quad, str(text), float(scores[i]), words))
    return lines


def _clip_box(points: list[tuple[float, float]], width: int, height: int) -> BBox:
    box = BBox.from_points(points)
    x0, y0 = min(max(0, box.x0), width), min(max(0, box.y0), height)
    return BBox(x0=x0, y0=y0, x1=min(max(x0, box.x1), width), y1=min(max(y0, box.y1), height))


def split_line(text: str, box: BBox) -> list[tuple[str, BBox]]:
    """Words of ``text`` with boxes cut from ``box`` in proportion to character counts."""
    step = box.width / max(1, len(text))
    words, start = [], 0
    for token in text.split():
        start = text.index(token, start)
        x0 = box.x0 + int(start * step)
        x1 = max(x0, min(box.x1, box.x0 + round((start + len(token)) * step)))
        words.append((token, BBox(x0=x0, y0=box.y0, x1=x1, y1=box.y1)))
        start += len(token)
    return words


def lines_to_page(lines: list[RapidLine], page: PageImage) -> tuple[Page, list[str]]:
    width, height = page.width, page.height
    result: list[Line] = []
    split = 0
    for raw in lines:
        line_box = _clip_box(raw.quad, width, height)
        if raw.words is not None:
            pairs = [(text, _clip_box(points, width, height)) for text, points in raw.words]
        else:
            pairs = split_line(raw.text, line_box)
            split += 1
        if not pairs:
            continue
        confidence = min(1.0, max(0.0, raw.score))
        words = [Word(text=text, bbox=box, confidence=confidence) for text, box in pairs]
        polygon = [
            (min(max(0, round(x)), width), min(max(0, round(y)), height)) for x, y in raw.quad
        ]
        result.append(
            Line(
                words=words,
                bbox=BBox.union([line_box, *(w.bbox for w in words)]),
                confidence=confidence,
                polygon=polygon,
            )
        )
    notes = []
    if split:
        notes.append(f"word boxes of {split} line(s) cut in proportion to character counts")
    # rapidocr finds lines, not paragraphs: they make one block, in rapidocr's order.
    blocks = [block_from_lines(result)] if result else []
    return Page(index=page.index, width=width, height=height, dpi=page.dpi, blocks=blocks), notes
