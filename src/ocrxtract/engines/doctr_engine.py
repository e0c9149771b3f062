"""The ``doctr`` engine: Mindee's docTR (a text detector + a text recogniser, on torch).

docTR fetches its weights from the network by default; ocrxtract never lets it unless
``allow_download`` is set. Weights (PyTorch state dicts) are looked for, per model, in order:

1. the ``det_weights`` / ``reco_weights`` options (paths to ``.pt`` files);
2. a folder: the ``model_dir`` option, else ``$OCRXTRACT_DOCTR_MODEL_DIR``, holding
   ``<arch>.pt`` or docTR's own file name (``fast_base-688a8b34.pt`` ...);
3. docTR's download cache (``$DOCTR_CACHE_DIR/models`` or ``~/.cache/doctr/models``).

``random_weights=True`` builds the same architectures untrained: the output is meaningless, but
the whole pipeline runs offline (tests use it). Every official docTR recogniser uses the French
vocabulary, so the engine reads French and English.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from ocrxtract.document import Line, Page, Word, block_from_lines
from ocrxtract.engines.base import (
    TORCH_PIN,
    Availability,
    EngineOptions,
    OcrEngine,
    library_version,
    missing_modules,
    packages_unavailable,
)
from ocrxtract.engines.geometry import clip_confidence, quad_to_geometry
from ocrxtract.errors import (
    EngineUnavailableError,
    InvalidOptionsError,
    ModelNotFoundError,
    RecognitionError,
)
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENGINE_NAME = "doctr"
#: Modules the engine needs (checked without importing them).
REQUIRED_MODULES = ("doctr", "torch", "torchvision")
INSTALL_COMMAND = f"pip install {TORCH_PIN} 'ocrxtract[doctr]'"
MODEL_DIR_ENV = "OCRXTRACT_DOCTR_MODEL_DIR"

#: docTR 1.x architectures (``doctr.models.detection.zoo.ARCHS`` / ``recognition.zoo.ARCHS``).
DETECTION_ARCHS = (
    "db_resnet34",
    "db_resnet50",
    "db_mobilenet_v3_large",
    "linknet_resnet18",
    "linknet_resnet34",
    "linknet_resnet50",
    "fast_tiny",
    "fast_small",
    "fast_base",
)
RECOGNITION_ARCHS = (
    "crnn_vgg16_bn",
    "crnn_mobilenet_v3_small",
    "crnn_mobilenet_v3_large",
    "sar_resnet31",
    "master",
    "vitstr_small",
    "vitstr_base",
    "parseq",
    "viptr_tiny",
)
#: ISO 639-2 code -> name in ``doctr.datasets.VOCABS``; the recogniser's vocabulary must cover it.
LANGUAGES: dict[str, str] = {"eng": "english", "fra": "french"}


class DoctrOptions(EngineOptions):
    """Options of the ``doctr`` engine.

    Attributes:
        det_arch: Detection architecture. reco_arch: Recognition architecture.
        det_weights: State dict of the detector (``.pt``). reco_weights: Same for the recogniser.
        model_dir: Folder searched for ``<arch>.pt`` or docTR's file names.
        random_weights: Untrained models (for pipeline tests: the text is garbage).
        assume_straight_pages: Straight boxes (faster); off gives rotated polygons.
        det_batch_size: Pages per detection batch. reco_batch_size: Crops per recognition batch.
        threads: torch CPU threads, set for the whole process (``torch.set_num_threads``) when
            the models load; ``None`` keeps torch's default (one per core).
    """

    det_arch: str = "fast_base"
    reco_arch: str = "crnn_vgg16_bn"
    det_weights: Path | None = None
    reco_weights: Path | None = None
    model_dir: Path | None = None
    random_weights: bool = False
    assume_straight_pages: bool = True
    det_batch_size: int = Field(default=2, ge=1)
    reco_batch_size: int = Field(default=128, ge=1)
    threads: int | None = Field(default=None, ge=1)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in LANGUAGES]
        if unknown:
            raise ValueError(
                f"engine {ENGINE_NAME!r} cannot read {', '.join(unknown)}: docTR's recognisers "
                f"use the French vocabulary; it reads {', '.join(sorted(LANGUAGES))}"
            )
        return value

    @field_validator("det_arch")
    @classmethod
    def _known_det_arch(cls, value: str) -> str:
        if value not in DETECTION_ARCHS:
            raise ValueError(
                f"unknown detection architecture {value!r}; known: {', '.join(DETECTION_ARCHS)}"
            )
        return value

    @field_validator("reco_arch")
    @classmethod
    def _known_reco_arch(cls, value: str) -> str:
        if value not in RECOGNITION_ARCHS:
            raise ValueError(
                f"unknown recognition architecture {value!r}; known: {', '.join(RECOGNITION_ARCHS)}"
            )
        return value


# --- weights on disk ------------------------------------------------------------------------------


def doctr_cache_dir() -> Path:
    """docTR's download cache for models."""
    root = os.environ.get("DOCTR_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "doctr"
    )
    return Path(root) / "models"


def weight_folders(model_dir: Path | None = None) -> list[Path]:
    """Folders searched for weights, in order."""
    folders: list[Path] = []
    if model_dir is not None:
        folders.append(Path(model_dir))
    else:
        env_dir = os.environ.get(MODEL_DIR_ENV)
        if env_dir:
            folders.append(Path(env_dir))
    folders.append(doctr_cache_dir())
    return folders


def url_file_name(url: str) -> str:
    """The file name docTR caches a weights URL under (``download_from_url``'s rule)."""
    return url.rpartition("/")[-1].split("&")[0]


def find_weights(
    arch: str, official_name: str | None, model_dir: Path | None = None
) -> Path | None:
    """``<arch>.pt`` or docTR's own file name in the weight folders, or ``None``."""
    names = [f"{arch}.pt"] + ([official_name] if official_name else [])
    for folder in weight_folders(model_dir):
        for name in names:
            if (folder / name).is_file():
                return folder / name
    return None


def _weights_look_present(arch: str, model_dir: Path | None = None) -> bool:
    """Cheap check (no import): ``<arch>.pt`` or ``<arch>-<hash>.pt`` in a weight folder."""
    for folder in weight_folders(model_dir):
        if (folder / f"{arch}.pt").is_file() or any(folder.glob(f"{arch}-*.pt")):
            return True
    return False


# --- raw result -> Page ---------------------------------------------------------------------------


def relative_geometry_to_quad(geometry: Any, width: int, height: int) -> list[tuple[float, float]]:
    """docTR geometry (relative) as four pixel corners clockwise from the top-left.

    Args:
        geometry: ``((xmin, ymin), (xmax, ymax))`` for straight boxes, or a ``(4, 2)`` array of
            corners (top-left, top-right, bottom-right, bottom-left) for rotated ones, in
            fractions of the page size.
        width, height: The page size in pixels.
    """
    points = [(float(p[0]) * width, float(p[1]) * height) for p in geometry]
    if len(points) == 2:
        (x0, y0), (x1, y1) = points
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if len(points) == 4:
        return points
    raise ValueError(f"docTR geometry with {len(points)} points; expected 2 or 4")


def _confidence(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return clip_confidence(number) if math.isfinite(number) else None


def doctr_page_to_page(
    doctr_page: Any, index: int, width: int, height: int, dpi: float | None = None
) -> Page:
    """Turn one ``doctr.io.elements.Page`` into a :class:`Page`.

    Words without text are dropped, and so are lines and blocks left empty. A line's confidence is
    the mean of its words' recognition confidences.

    Args:
        doctr_page: A docTR page (``blocks`` > ``lines`` > ``words`` with relative geometry).
        index: Page number. width, height, dpi: The page image's size and resolution.
    """
    blocks = []
    for doctr_block in doctr_page.blocks:
        lines = []
        for doctr_line in doctr_block.lines:
            words = []
            for doctr_word in doctr_line.words:
                text = str(doctr_word.value).strip()
                if not text:
                    continue
                quad = relative_geometry_to_quad(doctr_word.geometry, width, height)
                bbox, polygon = quad_to_geometry(quad, width, height)
                words.append(
                    Word(
                        text=text,
                        bbox=bbox,
                        confidence=_confidence(doctr_word.confidence),
                        polygon=polygon,
                    )
                )
            if not words:
                continue
            quad = relative_geometry_to_quad(doctr_line.geometry, width, height)
            bbox, polygon = quad_to_geometry(quad, width, height)
            scores = [w.confidence for w in words if w.confidence is not None]
            confidence = sum(scores) / len(scores) if scores else None
            lines.append(Line(words=words, bbox=bbox, confidence=confidence, polygon=polygon))
        if lines:
            blocks.append(block_from_lines(lines))
    return Page(index=index, width=width, height=height, dpi=dpi, blocks=blocks)


# --- the engine -----------------------------------------------------------------------------------


def _library_version() -> str:
    return library_version(ENGINE_NAME, INSTALL_COMMAND, "python-doctr", "torch")


class DoctrEngine(OcrEngine):
    """docTR on the CPU, offline by default."""

    name = ENGINE_NAME
    options_class = DoctrOptions
    extra = "doctr"
    description = "docTR (detection + recognition models, torch); word boxes"
    main_options = ("assume_straight_pages",)
    thread_option = "threads"
    execution_options = frozenset({"threads"})

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._predictor: Any = None
        self._weights_notes: list[str] = []

    @property
    def doctr_options(self) -> DoctrOptions:
        """The options, typed."""
        assert isinstance(self.options, DoctrOptions)
        return self.options

    @classmethod
    def availability(cls) -> Availability:
        """Installed, with the default models' weights on disk."""
        blocked = packages_unavailable(REQUIRED_MODULES, INSTALL_COMMAND)
        if blocked is not None:
            return blocked
        defaults = DoctrOptions()
        absent = [
            a for a in (defaults.det_arch, defaults.reco_arch) if not _weights_look_present(a)
        ]
        if absent:
            searched = ", ".join(str(p) for p in weight_folders())
            return Availability(
                available=False,
                reason=(
                    f"no docTR weights for {', '.join(absent)} in {searched}; pass det_weights/"
                    f"reco_weights or model_dir, set {MODEL_DIR_ENV}, or allow_download"
                ),
                install=f"put {' and '.join(f'{a}.pt' for a in absent)} in ${MODEL_DIR_ENV}",
            )
        return Availability(available=True)

    def check(self) -> Availability:
        """Whether this instance's options can run here (cheap: weights are not opened)."""
        blocked = packages_unavailable(REQUIRED_MODULES, INSTALL_COMMAND)
        if blocked is not None:
            return blocked
        options = self.doctr_options
        if options.random_weights or options.allow_download:
            return Availability(available=True)
        for arch, explicit in (
            (options.det_arch, options.det_weights),
            (options.reco_arch, options.reco_weights),
        ):
            if explicit is not None:
                present = Path(explicit).is_file()
            else:
                present = _weights_look_present(arch, options.model_dir)
            if not present:
                where = explicit or ", ".join(str(p) for p in weight_folders(options.model_dir))
                return Availability(
                    available=False,
                    reason=f"no docTR weights for {arch} in {where}",
                    install="pass det_weights/reco_weights or model_dir, or allow_download=True",
                )
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        """docTR's version and torch's, e.g. ``1.1.0 (torch 2.14.1)``."""
        return _library_version()

    @classmethod
    def languages(cls) -> list[str]:
        """French and English (the official recognisers' vocabulary), when docTR is installed."""
        return [] if missing_modules(*REQUIRED_MODULES) else sorted(LANGUAGES)

    def _load_weights(self, model: Any, arch: str, explicit: Path | None) -> None:
        """Load a local state dict into ``model`` (or download it when allowed).

        Raises:
            ModelNotFoundError: no local file and downloads are off.
        """
        options = self.doctr_options
        if options.random_weights:
            self._weights_notes.append(f"{arch}: random weights (untrained, for tests)")
            return
        url = str(model.cfg.get("url") or "")
        official_name = url_file_name(url) if url else None
        if explicit is not None:
            if not Path(explicit).is_file():
                raise ModelNotFoundError(
                    ENGINE_NAME,
                    f"weights file {explicit} for {arch} does not exist",
                    install="pass the path of a docTR state dict (.pt)",
                )
            path: Path | None = Path(explicit)
        else:
            path = find_weights(arch, official_name, options.model_dir)
        if path is not None:
            log.info("loading docTR %s weights from %s", arch, path)
            try:
                model.from_pretrained(str(path))
            except (RuntimeError, ValueError, OSError, pickle.UnpicklingError) as exc:
                raise ModelNotFoundError(
                    ENGINE_NAME,
                    f"weights file {path} does not load into {arch}: {exc}",
                    install=f"pass a state dict saved from a {arch} model (model.state_dict())",
                ) from exc
            self._weights_notes.append(f"{arch}: weights {path}")
            return
        if options.allow_download and url:
            log.info("downloading docTR %s weights (allow_download is on)", arch)
            try:
                model.from_pretrained(url)
            except (OSError, ValueError) as exc:  # no network, or a corrupted download
                raise ModelNotFoundError(
                    ENGINE_NAME,
                    f"download of {arch} weights from {url} failed: {exc}",
                    install=f"download {official_name} by hand and pass it as a weights file",
                ) from exc
            self._weights_notes.append(f"{arch}: weights {official_name} (downloaded)")
            return
        searched = ", ".join(str(p) for p in weight_folders(options.model_dir))
        raise ModelNotFoundError(
            ENGINE_NAME,
            f"no weights for {arch} ({arch}.pt or {official_name}) in {searched}",
            install=(
                f"put the state dict in one of those folders or pass "
                f"{'det' if arch in DETECTION_ARCHS else 'reco'}_weights, "
                "or pass allow_download=True to let docTR fetch it"
            ),
        )

    def _load(self) -> Any:
        """Build the docTR predictor once (imports torch)."""
        if self._predictor is not None:
            return self._predictor
        missing = missing_modules(*REQUIRED_MODULES)
        if missing:
            raise EngineUnavailableError(
                ENGINE_NAME,
                f"Python package(s) {', '.join(missing)} not installed",
                INSTALL_COMMAND,
            )
        try:
            from doctr.datasets import VOCABS
            from doctr.models import detection, ocr_predictor, recognition
            from doctr.models.detection.fast.pytorch import reparameterize
        except ImportError as exc:
            raise EngineUnavailableError(
                ENGINE_NAME, f"doctr does not import: {exc}", INSTALL_COMMAND
            ) from exc
        options = self.doctr_options
        if options.threads is not None:
            import torch

            torch.set_num_threads(options.threads)
        self._weights_notes = []
        det_model = getattr(detection, options.det_arch)(
            pretrained=False,
            pretrained_backbone=False,
            assume_straight_pages=options.assume_straight_pages,
        )
        self._load_weights(det_model, options.det_arch, options.det_weights)
        if isinstance(det_model, detection.FAST):
            det_model = reparameterize(det_model)
        reco_model = getattr(recognition, options.reco_arch)(
            pretrained=False, pretrained_backbone=False
        )
        self._check_vocabulary(str(reco_model.cfg.get("vocab", "")), VOCABS)
        self._load_weights(reco_model, options.reco_arch, options.reco_weights)
        self._predictor = ocr_predictor(
            det_model,
            reco_model,
            pretrained=False,
            assume_straight_pages=options.assume_straight_pages,
            det_bs=options.det_batch_size,
            reco_bs=options.reco_batch_size,
        )
        return self._predictor

    def _check_vocabulary(self, vocab: str, vocabs: dict[str, str]) -> None:
        """Refuse languages whose letters the recogniser cannot output."""
        for code in self.doctr_options.languages:
            lacking = sorted(set(vocabs[LANGUAGES[code]]) - set(vocab))
            if lacking:
                raise InvalidOptionsError(
                    f"engine {ENGINE_NAME!r}: recogniser {self.doctr_options.reco_arch} cannot "
                    f"write {code} (missing {''.join(lacking)})"
                )

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        import numpy as np

        predictor = self._load()
        image = np.ascontiguousarray(np.asarray(page.image.convert("RGB")))
        try:
            document = predictor([image])
        except Exception as exc:  # the library's own errors: report them against the page
            raise RecognitionError(
                f"engine {ENGINE_NAME!r} failed on page {page.index} of {page.source}: {exc}"
            ) from exc
        result = doctr_page_to_page(
            document.pages[0], page.index, page.width, page.height, page.dpi
        )
        return result, list(self._weights_notes)

    def close(self) -> None:
        """Drop the predictor (and its torch models)."""
        self._predictor = None
