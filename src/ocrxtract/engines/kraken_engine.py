"""The ``kraken`` engine: kraken's baseline segmenter and a kraken recognition model.

kraken (Apache-2.0) is the HTR engine behind eScriptorium; most published French handwriting
models (CATMuS Modern, the HTR-United models) are kraken models. This adapter lets a user
compare them with ``htr`` in the same benchmark.

Opt in, in an environment of its own: kraken 7 pins torch (at most 2.14), scipy, scikit-image
and rich to versions that clash with the main one, so ``make install-kraken`` builds
``.venv-kraken`` (CPU torch). Nothing is downloaded at run time:

* **segmentation**: ``blla.mlmodel``, kraken's baseline and polygon segmenter, ships in its
  wheel (default), or a segmentation model file of yours (``segmentation_model``);
* **recognition**: a kraken model file (``.safetensors`` or ``.mlmodel``) given by the
  ``model`` option or ``$OCRXTRACT_KRAKEN_MODEL``. None ships. Fetch a published one
  explicitly, once (``ocrxtract fetch kraken 10.5281/zenodo.…``, or kraken's own ``kraken
  get``: both print where the file went) or train one (``ketos train``;
  ``benchmarks/htr_kraken_export.py`` writes our handwriting split in its format).

Lines keep kraken's boundary polygon and baseline; words are the spaces of each line's
prediction, boxed by the union of their characters' cuts; confidences are the mean of the
characters'. ``recognize_lines`` gives the recogniser the ground-truth line boxes (kraken's
``bbox`` segmentation), so the benchmark's line CER scores the recognition model alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from pydantic import Field

from ocrxtract.document import BBox, Line, Page, Point, Word, block_from_lines
from ocrxtract.engines.base import (
    Availability,
    EngineOptions,
    OcrEngine,
    files_fingerprint,
    library_version,
    model_unavailable,
    packages_unavailable,
)
from ocrxtract.errors import (
    EngineUnavailableError,
    MissingDependencyError,
    ModelDownloadError,
    ModelNotFoundError,
)
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENGINE = "kraken"
INSTALL = (
    "make install-kraken (an environment of its own, .venv-kraken), or pip install "
    "'ocrxtract[kraken]' 'torch==2.13.0+cpu' 'torchvision==0.28.0' in one"
)
#: Modules the engine needs (checked without importing them).
REQUIRED_MODULES = ("kraken", "torch")
MODEL_ENV = "OCRXTRACT_KRAKEN_MODEL"
FETCH_HINT = (
    f"give a kraken recognition model with the 'model' option or ${MODEL_ENV}: fetch a "
    "published one explicitly with 'ocrxtract fetch kraken DOI' (e.g. CATMuS Modern), or train "
    "one with 'ketos train' (benchmarks/htr_kraken_export.py writes ocrxtract's handwriting "
    "split for it)"
)


class KrakenOptions(EngineOptions):
    """Options of the ``kraken`` engine.

    Attributes:
        model: kraken recognition model file (``.safetensors``/``.mlmodel``); default
            ``$OCRXTRACT_KRAKEN_MODEL``.
        segmentation_model: kraken segmentation model; default: ``blla.mlmodel`` from kraken's
            wheel.
        threads: torch threads (``-1``: one per core).
        batch_size: Lines recognised per forward pass.
        padding: Blank pixels added left and right of each line (kraken's default).
    """

    model: Path | None = None
    segmentation_model: Path | None = None
    threads: int = Field(default=-1, ge=-1, le=256)
    batch_size: int = Field(default=8, ge=1, le=256)
    padding: int = Field(default=16, ge=0, le=256)


def prepare_torchvision() -> None:
    """Let torchvision import when its C extension does not load.

    The CPU torch wheels beside the PyPI torchvision (torch 2.13 "+cpu" with torchvision
    0.28) leave torchvision's compiled operators unloadable, and its import then fails while
    registering fake kernels for ``torchvision::nms``/``qnms``. kraken uses only torchvision's
    image transforms, so defining those two schemas (no kernels) is enough.
    """
    import torch

    spec = find_spec("torchvision")
    if spec is None or spec.submodule_search_locations is None or "torchvision" in sys.modules:
        return
    folder = Path(next(iter(spec.submodule_search_locations)))
    for library in folder.glob("_C*.so"):
        try:
            torch.ops.load_library(str(library))  # type: ignore[no-untyped-call]
            return
        except (OSError, RuntimeError):
            break
    for op in ("nms", "qnms"):
        with contextlib.suppress(RuntimeError):  # already defined
            torch.library.define(
                f"torchvision::{op}", "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor"
            )


def find_model(path: Path | None) -> Path:
    """The recognition model: ``path``, else ``$OCRXTRACT_KRAKEN_MODEL``.

    Raises:
        ModelNotFoundError: none given, or the file is not there.
    """
    if path is None and os.environ.get(MODEL_ENV):
        path = Path(os.environ[MODEL_ENV]).expanduser()
    if path is None:
        raise ModelNotFoundError(ENGINE, "no recognition model given", FETCH_HINT)
    if not path.is_file():
        raise ModelNotFoundError(ENGINE, f"recognition model {path} not found", FETCH_HINT)
    return path


def fetch_model(model_id: str) -> Path:
    """Download a recognition model from kraken's model repository (Zenodo, through kraken's
    ``htrmopo``) on the user's explicit request; return the model file.

    Raises:
        MissingDependencyError: kraken is not installed here.
        ModelDownloadError: the download failed, or what arrived holds no model file.
    """
    try:
        from htrmopo import get_model
    except ImportError as exc:
        raise MissingDependencyError("kraken", "fetch kraken models", INSTALL) from exc
    try:
        folder = Path(get_model(model_id))
    except Exception as exc:  # network, unknown DOI, refused: several types
        raise ModelDownloadError(
            f"could not fetch kraken model {model_id!r}: {type(exc).__name__}: {exc}. On a "
            f"machine without internet, copy a kraken model file to it and give it with the "
            f"'model' option or ${MODEL_ENV}"
        ) from exc
    files = sorted(p for p in folder.iterdir() if p.suffix in {".safetensors", ".mlmodel"})
    if not files:
        raise ModelDownloadError(f"kraken model {model_id!r} in {folder} holds no model file")
    return files[0]


def _box(points: Iterable[Sequence[float]], width: int, height: int) -> BBox | None:
    xs, ys = [], []
    for x, y in points:
        xs.append(min(max(0, round(x)), width))
        ys.append(min(max(0, round(y)), height))
    if not xs or max(xs) <= min(xs) or max(ys) <= min(ys):
        return None
    return BBox(x0=min(xs), y0=min(ys), x1=max(xs), y1=max(ys))


#: The outline and mean confidence of the characters ``[start, end)`` of a line's prediction.
Section = Callable[[int, int], tuple[Sequence[Sequence[float]], float | None]]


def record_section(record: Any) -> Section:
    """:data:`Section` of a kraken record: slicing a record gives the polygon of the characters
    (a section of the line polygon for baseline records, a box for bbox records)."""

    def section(start: int, end: int) -> tuple[Sequence[Sequence[float]], float | None]:
        _, cut, confidence = record[start:end]
        return [tuple(point) for point in cut], float(confidence)

    return section


def words_of_record(
    text: str, section: Section, line_box: BBox, size: tuple[int, int]
) -> list[Word]:
    """Split a line's prediction at spaces; box each word by its characters' outline."""
    width, height = size
    words: list[Word] = []
    start = None
    for i in range(len(text) + 1):
        if i < len(text) and not text[i].isspace():
            if start is None:
                start = i
            continue
        if start is None:
            continue
        points, confidence = section(start, i)
        box = _box(points, width, height) or line_box
        if confidence is not None:
            confidence = min(1.0, max(0.0, confidence))
        words.append(Word(text=text[start:i], bbox=box, confidence=confidence))
        start = None
    return words


class KrakenSegmenter:
    """kraken's line segmentation (``blla.mlmodel`` from its wheel, or ``model``), loaded on
    first use; also serves the ``htr`` engine's ``segmenter="kraken"``.

    Args:
        model: A kraken segmentation model file (default: kraken's ``blla.mlmodel``).
        threads: torch threads.
    """

    def __init__(self, model: Path | None = None, threads: int = 1) -> None:
        self.model_path, self.threads = model, threads
        self._model: tuple[Any, Any] | None = None

    def segmentation(self, image: Any) -> Any:
        """kraken's ``Segmentation`` of a PIL image (lines with baselines and boundaries)."""
        if self._model is None:
            if find_spec("kraken") is None:
                raise EngineUnavailableError(ENGINE, "python package kraken is missing", INSTALL)
            if self.model_path is not None and not self.model_path.is_file():
                raise ModelNotFoundError(
                    ENGINE, f"segmentation model {self.model_path} not found", FETCH_HINT
                )
            prepare_torchvision()
            from kraken.configs import SegmentationInferenceConfig
            from kraken.tasks import SegmentationTaskModel

            self._model = (
                SegmentationTaskModel.load_model(self.model_path),
                SegmentationInferenceConfig(accelerator="cpu", device=1, num_threads=self.threads),
            )
        import torch

        torch.set_num_threads(self.threads)
        model, config = self._model
        return model.predict(image, config)

    def __call__(self, image: Any) -> list[tuple[list[Point], list[Point]]]:
        """Each line's boundary polygon and baseline, in page pixels (clipped to the page)."""
        width, height = image.size
        lines = []
        for line in self.segmentation(image).lines:
            boundary = _points(getattr(line, "boundary", None), width, height)
            baseline = _points(getattr(line, "baseline", None), width, height)
            if len(boundary) >= 3 and len(baseline) >= 2:
                lines.append((boundary, baseline))
        return lines


class KrakenEngine(OcrEngine):
    """kraken: baseline segmentation (blla) and a kraken recognition model of your choice."""

    name = ENGINE
    options_class = KrakenOptions
    extra = "kraken"  # in its own environment: make install-kraken
    description = (
        "kraken (Apache-2.0): baseline segmentation + a kraken recognition model you fetch or "
        "train (CATMuS, HTR-United); own environment, CPU"
    )
    main_options = ("model",)
    thread_option = "threads"
    parallel = "threads"
    execution_options = frozenset({"threads", "batch_size"})
    line_recognizer = "kraken-rec"

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._recognizer: tuple[Any, Any] | None = None
        self._segmenter: KrakenSegmenter | None = None
        self._lock = threading.Lock()

    def _options(self) -> KrakenOptions:
        assert isinstance(self.options, KrakenOptions)
        return self.options

    @classmethod
    def availability(cls) -> Availability:
        return (
            packages_unavailable(REQUIRED_MODULES, INSTALL)
            or model_unavailable(lambda: find_model(None))
            or Availability(available=True)
        )

    def check(self) -> Availability:
        """Packages, and the recognition and segmentation models these options name."""
        options = self._options()
        segmentation = options.segmentation_model
        if segmentation is not None and not segmentation.is_file():
            return Availability(
                available=False, reason=f"segmentation model {segmentation} not found"
            )
        return (
            packages_unavailable(REQUIRED_MODULES, INSTALL)
            or model_unavailable(lambda: find_model(options.model))
            or Availability(available=True)
        )

    @classmethod
    def version(cls) -> str:
        return library_version(ENGINE, INSTALL, "kraken", "kraken")

    @classmethod
    def languages(cls) -> list[str]:
        return ["fra"]  # what the model reads depends on the model; French is what we test

    def engine_version(self) -> str:
        """kraken's version and the recognition model's file name (results say which model)."""
        try:
            model = find_model(self._options().model).name
        except ModelNotFoundError:
            model = "no model"
        return f"{self.version()} ({model})"

    def model_fingerprint(self) -> str:
        options = self._options()
        files = [find_model(options.model)]
        if options.segmentation_model is not None:
            files.append(options.segmentation_model)
        return files_fingerprint(files)

    def _threads(self) -> int:
        threads = self._options().threads
        return threads if threads > 0 else max(1, os.cpu_count() or 1)

    def _load(self) -> tuple[Any, Any]:
        """The recognition task model and its inference config (loaded once)."""
        if self._recognizer is None:
            path = find_model(self._options().model)
            prepare_torchvision()
            try:
                from kraken.configs import RecognitionInferenceConfig
                from kraken.tasks import RecognitionTaskModel
            except ImportError as exc:
                raise EngineUnavailableError(
                    ENGINE, f"kraken does not import: {exc}", INSTALL
                ) from exc
            try:
                model = RecognitionTaskModel.load_model(path)
            except Exception as exc:  # kraken raises several types for unreadable files
                raise ModelNotFoundError(
                    ENGINE, f"{path} is not a kraken recognition model ({exc})", FETCH_HINT
                ) from exc
            options = self._options()
            config = RecognitionInferenceConfig(
                accelerator="cpu",
                device=1,
                batch_size=options.batch_size,
                padding=options.padding,
                num_threads=self._threads(),
                num_line_workers=0,
            )
            self._recognizer = (model, config)
        return self._recognizer

    def _segment(self, image: Any) -> Any:
        if self._segmenter is None:
            self._segmenter = KrakenSegmenter(self._options().segmentation_model, self._threads())
        return self._segmenter.segmentation(image)

    def _predict(self, image: Any, segmentation: Any) -> list[Any]:
        import torch

        model, config = self._load()
        torch.set_num_threads(self._threads())
        return list(model.predict(image, segmentation, config))

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        """The recognition model alone on each line box (kraken's ``bbox`` segmentation)."""
        from kraken.containers import BBoxLine, Segmentation

        self._load()  # imports kraken (after the torchvision fix)
        kept = [
            (i, box)
            for i, box in enumerate(boxes)
            if min(page.width, box.x1) - max(0, box.x0) >= 2
            and min(page.height, box.y1) - max(0, box.y0) >= 2
        ]
        texts = [""] * len(boxes)
        if not kept:
            return texts
        lines = [
            BBoxLine(
                id=f"line_{i}",
                bbox=(max(0, b.x0), max(0, b.y0), min(page.width, b.x1), min(page.height, b.y1)),
            )
            for i, b in kept
        ]
        segmentation = Segmentation(
            type="bbox",
            imagename=str(page.source),
            text_direction="horizontal-lr",
            script_detection=False,
            lines=lines,
        )
        with self._lock:
            records = self._predict(page.image, segmentation)
        for (i, _), record in zip(kept, records, strict=True):
            texts[i] = record.prediction.strip()
        return texts

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        self._load()
        image = page.image
        width, height = image.size
        with self._lock:
            segmentation = self._segment(image)
            records = self._predict(image, segmentation) if segmentation.lines else []
        lines: list[Line] = []
        for record in records:
            text = record.prediction
            polygon = _points(getattr(record, "boundary", None), width, height)
            baseline = _points(getattr(record, "baseline", None), width, height)
            box = _box(polygon or baseline or [], width, height)
            if box is None or not text.strip():
                continue
            words = words_of_record(text, record_section(record), box, (width, height))
            scores = [float(c) for c in record.confidences]
            confidence = min(1.0, max(0.0, sum(scores) / len(scores))) if scores else None
            lines.append(
                Line(
                    words=words,
                    bbox=box,
                    confidence=confidence,
                    polygon=polygon if polygon and len(polygon) >= 3 else None,
                    baseline=baseline if baseline and len(baseline) >= 2 else None,
                )
            )
        blocks = [block_from_lines(lines)] if lines else []
        notes = ["lines, polygons and baselines from kraken's segmenter; word boxes from cuts"]
        return Page(
            index=page.index, width=width, height=height, dpi=page.dpi, blocks=blocks
        ), notes


def _points(points: Sequence[Sequence[float]] | None, width: int, height: int) -> list[Point]:
    if not points:
        return []
    return [(min(max(0, round(x)), width), min(max(0, round(y)), height)) for x, y in points]
