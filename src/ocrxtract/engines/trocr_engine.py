"""The ``trocr`` engine: a TrOCR line recogniser (transformers) on PP-OCRv6's text lines.

TrOCR (Microsoft, MIT licence) reads one text line at a time with a vision encoder and a text
decoder; ``microsoft/trocr-base-handwritten`` is trained on English handwriting (IAM), and
French fine-tunes are published on the Hugging Face hub. This adapter lets a user compare such
a model with ``htr`` in the same benchmark; it is opt-in and never downloads anything:

* fetch a model once, explicitly: ``ocrxtract fetch trocr microsoft/trocr-base-handwritten``
  (writes it under ``~/.cache/ocrxtract/models/trocr/``, or ``$OCRXTRACT_MODELS_DIR``; the
  command prints where), or give any
  local folder holding a TrOCR checkpoint (``config.json``, weights, image processor and
  tokenizer files) with the ``model`` option or ``$OCRXTRACT_TROCR_MODEL``;
* the model is then loaded with ``local_files_only``: transformers never goes online.

Pages: lines are found by PP-OCRv6's detector (as the ``htr`` engine finds them), read in
batches, decoded greedily or by beam search (``beams``). Word boxes are cut from each line box
in proportion to character counts; TrOCR gives no confidence. ``recognize_lines`` reads the
ground-truth line crops, so the benchmark's line CER scores the recogniser alone.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field

from ocrxtract.document import BBox, Line, Page, Word, block_from_lines
from ocrxtract.engines.base import (
    Availability,
    EngineOptions,
    OcrEngine,
    files_fingerprint,
    library_version,
    model_unavailable,
    packages_unavailable,
)
from ocrxtract.engines.line_detection import (
    PpOcrLineDetector,
    clip_polygon,
    line_crops,
    texts_of_boxes,
)
from ocrxtract.errors import (
    EngineUnavailableError,
    MissingDependencyError,
    ModelDownloadError,
    ModelNotFoundError,
)
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENGINE = "trocr"
INSTALL = "pip install 'ocrxtract[trocr]' (with the CPU torch: make install-deep)"
#: Modules the engine needs (checked without importing them).
REQUIRED_MODULES = ("transformers", "torch", "onnxruntime", "rapidocr")
MODEL_ENV = "OCRXTRACT_TROCR_MODEL"
MODELS_DIR_ENV = "OCRXTRACT_MODELS_DIR"
#: What a model folder must hold (besides weights).
MODEL_FILES = ("config.json",)
FETCH_HINT = (
    f"fetch one explicitly, once: ocrxtract fetch trocr microsoft/trocr-base-handwritten (or "
    f"give a local TrOCR folder with the 'model' option or ${MODEL_ENV})"
)


def fetched_models_dir() -> Path:
    """Where ``ocrxtract fetch trocr`` puts models: ``$OCRXTRACT_MODELS_DIR/trocr``, by default
    in the user cache (``~/.cache/ocrxtract/models/trocr``)."""
    if os.environ.get(MODELS_DIR_ENV):
        return Path(os.environ[MODELS_DIR_ENV]).expanduser() / ENGINE
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "ocrxtract" / "models" / ENGINE


def fetch_model(repo_id: str, revision: str | None = None) -> Path:
    """Download a TrOCR model from the Hugging Face hub into :func:`fetched_models_dir` (the one
    place ocrxtract goes online for TrOCR, on the user's explicit request); return its folder.

    Raises:
        MissingDependencyError: huggingface_hub is not installed.
        ModelDownloadError: the download failed (offline, unknown model, refused).
    """
    try:
        from huggingface_hub import snapshot_download
    except ImportError as exc:
        raise MissingDependencyError("huggingface_hub", "fetch TrOCR models", INSTALL) from exc
    folder = fetched_models_dir() / model_folder_name(repo_id)
    try:
        snapshot_download(
            repo_id,
            revision=revision,
            local_dir=folder,
            allow_patterns=["*.json", "*.safetensors", "*.txt", "*.model", "README*"],
        )
    except Exception as exc:  # huggingface_hub raises many types (HTTP, offline, not found)
        raise ModelDownloadError(
            f"could not fetch TrOCR model {repo_id!r} into {folder}: {type(exc).__name__}: "
            f"{exc}. On a machine without internet, copy a TrOCR folder (config.json, "
            f"model.safetensors, preprocessor and tokenizer files) there, or point the "
            f"'model' option at it"
        ) from exc
    find_model(str(folder))  # what arrived is a usable model folder
    return folder


def model_folder_name(repo_id: str) -> str:
    """The folder of a fetched hub model: ``microsoft/trocr-base`` -> ``microsoft--trocr-base``."""
    return repo_id.strip("/").replace("/", "--")


class TrocrOptions(EngineOptions):
    """Options of the ``trocr`` engine.

    Attributes:
        model: A local TrOCR folder, or the name of a fetched one (``microsoft/trocr-base-
            handwritten``); default ``$OCRXTRACT_TROCR_MODEL``.
        beams: Beam search width (1: greedy decoding, fastest).
        max_new_tokens: Longest line decoded, in tokens.
        threads: torch threads (``-1``: one per core).
        batch_size: Lines read per forward pass.
        max_side_len: Pages whose longer side exceeds this are scaled down for line detection.
        box_thresh: Detection score below which a text region is dropped.
        min_line_height: Regions lower than this many pixels are dropped (specks).
    """

    model: str | None = None
    beams: int = Field(default=1, ge=1, le=16)
    max_new_tokens: int = Field(default=96, ge=4, le=512)
    threads: int = Field(default=-1, ge=-1, le=256)
    batch_size: int = Field(default=8, ge=1, le=128)
    max_side_len: int = Field(default=2000, ge=320, le=10_000)
    box_thresh: float = Field(default=0.5, ge=0.0, le=1.0)
    min_line_height: int = Field(default=8, ge=1)


def find_model(model: str | None) -> Path:
    """The model folder: ``model`` (a folder, or a fetched model's hub name), else
    ``$OCRXTRACT_TROCR_MODEL``.

    Raises:
        ModelNotFoundError: none given, or no TrOCR folder there.
    """
    if model is None:
        model = os.environ.get(MODEL_ENV) or None
    if model is None:
        raise ModelNotFoundError(ENGINE, "no TrOCR model given", FETCH_HINT)
    path = Path(model).expanduser()
    if not path.is_dir():
        fetched = fetched_models_dir() / model_folder_name(model)
        if fetched.is_dir():
            path = fetched
    missing = [name for name in MODEL_FILES if not (path / name).is_file()]
    if missing:
        raise ModelNotFoundError(
            ENGINE, f"no TrOCR model at {path} ({', '.join(missing)} missing)", FETCH_HINT
        )
    return path


class TrocrEngine(OcrEngine):
    """TrOCR line recognition (transformers, a model you fetch once) on PP-OCRv6 lines."""

    name = ENGINE
    options_class = TrocrOptions
    extra = "trocr"
    description = (
        "TrOCR (transformers): a line recogniser you fetch once (ocrxtract fetch trocr), on "
        "PP-OCRv6 text lines; CPU or GPU"
    )
    main_options = ("model", "beams")
    thread_option = "threads"
    parallel = "threads"
    execution_options = frozenset({"threads", "batch_size"})
    line_recognizer = "trocr"

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._model: tuple[Any, Any, Any] | None = None
        self._detector: PpOcrLineDetector | None = None
        self._lock = threading.Lock()

    def _options(self) -> TrocrOptions:
        assert isinstance(self.options, TrocrOptions)
        return self.options

    @classmethod
    def _availability(cls, model: str | None) -> Availability:
        return (
            packages_unavailable(REQUIRED_MODULES, INSTALL)
            or model_unavailable(lambda: find_model(model))
            or Availability(available=True)
        )

    @classmethod
    def availability(cls) -> Availability:
        return cls._availability(None)

    def check(self) -> Availability:
        """Packages, and the model these options name."""
        return self._availability(self._options().model)

    @classmethod
    def version(cls) -> str:
        return library_version(ENGINE, INSTALL, "transformers", "transformers")

    @classmethod
    def languages(cls) -> list[str]:
        return ["fra", "eng"]  # what it reads depends on the model

    def model_fingerprint(self) -> str:
        folder = find_model(self._options().model)
        return files_fingerprint(sorted(p for p in folder.iterdir() if p.is_file()))

    def _threads(self) -> int:
        threads = self._options().threads
        return threads if threads > 0 else max(1, os.cpu_count() or 1)

    def _load(self) -> tuple[Any, Any, Any]:
        """Model, image processor and tokenizer, from the local folder only."""
        if self._model is None:
            folder = find_model(self._options().model)
            try:
                from transformers import (
                    AutoImageProcessor,
                    AutoTokenizer,
                    VisionEncoderDecoderModel,
                )
            except ImportError as exc:
                raise EngineUnavailableError(
                    ENGINE, f"transformers does not import: {exc}", INSTALL
                ) from exc
            loaders: tuple[Any, Any, Any] = (
                VisionEncoderDecoderModel,
                AutoImageProcessor,
                AutoTokenizer,
            )
            try:
                model, processor, tokenizer = (
                    loader.from_pretrained(folder, local_files_only=True) for loader in loaders
                )
            except (OSError, ValueError) as exc:
                raise ModelNotFoundError(
                    ENGINE, f"{folder} is not a complete TrOCR model ({exc})", FETCH_HINT
                ) from exc
            model.eval()
            self._model = (model, processor, tokenizer)
        return self._model

    def read(self, crops: Sequence[Any]) -> list[str]:
        """The text of each line image (RGB or grey arrays)."""
        if not crops:
            return []
        import torch
        from PIL import Image

        model, processor, tokenizer = self._load()
        options = self._options()
        torch.set_num_threads(self._threads())
        images = [Image.fromarray(np.asarray(crop)).convert("RGB") for crop in crops]
        texts: list[str] = []
        for start in range(0, len(images), options.batch_size):
            batch = images[start : start + options.batch_size]
            pixels = processor(images=batch, return_tensors="pt").pixel_values
            with torch.inference_mode():
                ids = model.generate(
                    pixels,
                    max_new_tokens=options.max_new_tokens,
                    num_beams=options.beams,
                    do_sample=False,
                )
            texts += [t.strip() for t in tokenizer.batch_decode(ids, skip_special_tokens=True)]
        return texts

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        """The recogniser alone on each line box (no segmentation)."""
        pixels = np.asarray(page.image.convert("RGB"))
        with self._lock:
            return texts_of_boxes(pixels, boxes, self.read)

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        from ocrxtract.engines.rapidocr_engine import split_line

        rgb = np.asarray(page.image.convert("RGB"))
        height, width = rgb.shape[:2]
        options = self._options()
        with self._lock:
            self._load()
            if self._detector is None:
                self._detector = PpOcrLineDetector.for_options(ENGINE, INSTALL, options)
            quads = self._detector(rgb)
            kept, crops = line_crops(rgb, quads, options.min_line_height)
            texts = self.read(crops)
        lines = []
        for (index, box), text in zip(kept, texts, strict=True):
            if not text:
                continue
            words = [Word(text=t, bbox=b) for t, b in split_line(text, box)]
            polygon = clip_polygon(quads[index], width, height)
            lines.append(Line(words=words, bbox=box, polygon=polygon))
        blocks = [block_from_lines(lines)] if lines else []
        notes = [
            "lines by PP-OCRv6 detection, read by TrOCR",
            "word boxes cut from each line box in proportion to character counts",
        ]
        return Page(
            index=page.index, width=width, height=height, dpi=page.dpi, blocks=blocks
        ), notes
