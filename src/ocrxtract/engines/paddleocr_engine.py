"""The ``paddleocr`` engine: PaddleOCR 3.x (PP-OCR detection + recognition, on PaddlePaddle).

PaddleOCR fetches its models from model hubs by default; ocrxtract never lets it unless
``allow_download`` is set. A model is a Paddle inference folder (``inference.yml``, which names
the model, beside ``inference.json``/``inference.pdiparams`` ...). Each of the detector and the
recogniser is taken, in order, from:

1. the ``det_model_dir`` / ``rec_model_dir`` options;
2. a subfolder named after the model (``PP-OCRv6_medium_det`` ...) of the ``model_dir`` option,
   else of ``$OCRXTRACT_PADDLEOCR_MODEL_DIR``, or of PaddleX's cache
   (``$PADDLE_PDX_CACHE_HOME/official_models``, default ``~/.paddlex/official_models``).

The model names default to the ones PaddleOCR picks for the language. PaddleOCR returns one
polygon per text line; word boxes are cut from it in proportion to character counts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from ocrxtract.document import Page
from ocrxtract.engines.base import (
    Availability,
    EngineOptions,
    OcrEngine,
    library_version,
    missing_modules,
    packages_unavailable,
)
from ocrxtract.engines.geometry import page_of_lines, text_quad_to_line
from ocrxtract.errors import (
    EngineUnavailableError,
    InvalidOptionsError,
    ModelNotFoundError,
    RecognitionError,
)
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENGINE_NAME = "paddleocr"
#: Modules the engine needs (checked without importing them).
REQUIRED_MODULES = ("paddleocr", "paddlex", "paddle")
INSTALL_COMMAND = "pip install 'ocrxtract[paddleocr]'"
MODEL_DIR_ENV = "OCRXTRACT_PADDLEOCR_MODEL_DIR"
APPROXIMATE_WORDS_NOTE = (
    "word boxes are approximate: PaddleOCR returns line polygons, cut into words in proportion "
    "to their character counts"
)

# fmt: off
_LATIN_CODES = {
    "eng": "en", "fra": "fr", "deu": "de", "spa": "es", "ita": "it", "por": "pt", "nld": "nl",
    "pol": "pl", "ces": "cs", "slk": "sk", "slv": "sl", "hrv": "hr", "bos": "bs", "ron": "ro",
    "hun": "hu", "swe": "sv", "dan": "da", "nor": "no", "isl": "is", "est": "et", "lav": "lv",
    "lit": "lt", "tur": "tr", "vie": "vi", "ind": "id", "msa": "ms", "afr": "af", "aze": "az",
    "cym": "cy", "gle": "ga", "lat": "la", "mlt": "mt", "sqi": "sq", "swa": "sw", "tgl": "tl",
    "uzb": "uz", "oci": "oc", "mri": "mi", "cat": "ca", "eus": "eu", "fin": "fi", "glg": "gl",
    "ltz": "lb",
}
# fmt: on

#: ISO 639-2 code -> (PaddleOCR ``lang``, script). PaddleOCR reads one ``lang`` at a time.
LANGUAGES: dict[str, tuple[str, str]] = {
    **{iso: (code, "latin") for iso, code in _LATIN_CODES.items()},
    "chi_sim": ("ch", "chinese"),
    "chi_tra": ("chinese_cht", "chinese_cht"),
    "jpn": ("japan", "japanese"),
    "kor": ("korean", "korean"),
    "rus": ("ru", "cyrillic"),
    "ukr": ("uk", "cyrillic"),
    "bel": ("be", "cyrillic"),
    "bul": ("bg", "cyrillic"),
    "ara": ("ar", "arabic"),
    "fas": ("fa", "arabic"),
    "hin": ("hi", "devanagari"),
    "tha": ("th", "thai"),
    "ell": ("el", "greek"),
}


def paddle_lang(languages: Sequence[str]) -> str:
    """The one PaddleOCR ``lang`` that reads all of ``languages``.

    English goes with any script (every PaddleOCR recogniser has Latin letters); a Latin
    language picks the Latin model. Two other scripts cannot be read together.

    Raises:
        InvalidOptionsError: an unknown code, or two scripts.
    """
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        raise InvalidOptionsError(
            f"engine {ENGINE_NAME!r} cannot read {', '.join(unknown)}; "
            f"it reads: {', '.join(sorted(LANGUAGES))}"
        )
    others = [code for code in languages if code != "eng"]
    scripts = {LANGUAGES[code][1] for code in others}
    if len(scripts) > 1:
        raise InvalidOptionsError(
            f"engine {ENGINE_NAME!r} cannot read {', '.join(languages)} together: PaddleOCR "
            f"uses one recognition model per script ({', '.join(sorted(scripts))}); "
            "run one engine per script"
        )
    return LANGUAGES[others[0]][0] if others else "en"


class PaddleOcrOptions(EngineOptions):
    """Options of the ``paddleocr`` engine.

    Attributes:
        det_model_dir: Paddle inference folder of the text detector.
        rec_model_dir: Paddle inference folder of the text recogniser.
        det_model_name: Detector to look up by name (default: PaddleOCR's for the language).
        rec_model_name: Recogniser to look up by name (default: PaddleOCR's for the language).
        model_dir: Folder holding model subfolders named after the models.
        det_limit_side_len: Side length limit of the page given to the detector.
        det_limit_type: ``min`` (shortest side at least that) or ``max`` (longest at most).
        rec_score_threshold: Drop recognised lines scoring below this.
        cpu_threads: Threads of the Paddle CPU backend (default: the machine's cores).
    """

    det_model_dir: Path | None = None
    rec_model_dir: Path | None = None
    det_model_name: str | None = None
    rec_model_name: str | None = None
    model_dir: Path | None = None
    det_limit_side_len: int | None = Field(default=None, ge=32)
    det_limit_type: Literal["min", "max"] | None = None
    rec_score_threshold: float = Field(default=0.0, ge=0, le=1)
    cpu_threads: int | None = Field(default=None, ge=1)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        try:
            paddle_lang(value)
        except InvalidOptionsError as exc:
            raise ValueError(str(exc)) from exc
        return value


# --- model folders --------------------------------------------------------------------------------


def paddlex_models_dir() -> Path:
    """PaddleX's download cache of official models."""
    root = os.environ.get("PADDLE_PDX_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".paddlex"
    )
    return Path(root) / "official_models"


def model_folders(model_dir: Path | None = None) -> list[Path]:
    """Folders searched for model subfolders, in order."""
    folders: list[Path] = []
    if model_dir is not None:
        folders.append(Path(model_dir))
    else:
        env_dir = os.environ.get(MODEL_DIR_ENV)
        if env_dir:
            folders.append(Path(env_dir))
    folders.append(paddlex_models_dir())
    return folders


def inference_model_name(folder: Path) -> str | None:
    """The model name a Paddle inference folder declares, or ``None`` if it is not one.

    A folder qualifies when it has ``inference.yml`` (with ``Global.model_name``) and at least
    one other ``inference.*`` file (the network and its weights).
    """
    import yaml

    config_path = folder / "inference.yml"
    if not config_path.is_file():
        return None
    if not any(p.name != "inference.yml" for p in folder.glob("inference.*")):
        return None
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    name = config.get("Global", {}).get("model_name") if isinstance(config, dict) else None
    return str(name) if name else None


def find_model(name: str, model_dir: Path | None = None) -> Path | None:
    """The first ``<folder>/<name>`` that is an inference folder of model ``name``."""
    for folder in model_folders(model_dir):
        candidate = folder / name
        if inference_model_name(candidate) == name:
            return candidate
    return None


def _any_models_present() -> bool:
    """Cheap check: some ``*_det`` and ``*_rec`` inference folders in a default folder."""
    for folder in model_folders():
        if not folder.is_dir():
            continue
        names = [p.name for p in folder.iterdir() if (p / "inference.yml").is_file()]
        if any(n.endswith("_det") for n in names) and any(n.endswith("_rec") for n in names):
            return True
    return False


# --- raw result -> Page ---------------------------------------------------------------------------


def _points(poly: Any) -> list[tuple[float, float]]:
    return [(float(p[0]), float(p[1])) for p in poly]


def _box_quad(box: Any) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def paddle_result_to_page(
    result: Mapping[str, Any], index: int, width: int, height: int, dpi: float | None = None
) -> Page:
    """Turn one PaddleOCR 3.x result (``OCRResult``, a dict) into a :class:`Page`.

    Args:
        result: Holds ``rec_texts`` (str), ``rec_scores`` (float) and, aligned with them,
            ``rec_polys`` (``(4, 2)`` point arrays clockwise from the top-left; more points for
            curved text) or ``rec_boxes`` (``(N, 4)`` ``[x0, y0, x1, y1]``), in pixels of the
            image PaddleOCR saw (no document unwarping: the engine turns it off).
        index: Page number. width, height, dpi: The page image's size and resolution.

    Raises:
        RecognitionError: the lists do not line up.
    """
    texts = list(result.get("rec_texts", []))
    scores = list(result.get("rec_scores", []))
    polys = list(result.get("rec_polys", []))
    boxes = result.get("rec_boxes")
    box_list = [] if boxes is None else list(boxes)
    if len(scores) != len(texts):
        raise RecognitionError(f"PaddleOCR gave {len(texts)} texts but {len(scores)} scores")
    if len(polys) == len(texts):
        quads = [_points(poly) for poly in polys]
    elif len(box_list) == len(texts):
        quads = [_box_quad(box) for box in box_list]
    else:
        raise RecognitionError(
            f"PaddleOCR gave {len(texts)} texts but {len(polys)} polygons and {len(box_list)} boxes"
        )
    lines = []
    for text, score, points in zip(texts, scores, quads, strict=True):
        quad = points
        if len(points) != 4:  # curved text: cut words along its bounding box
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            quad = _box_quad((min(xs), min(ys), max(xs), max(ys)))
        lines.append(text_quad_to_line(str(text), quad, score, width, height))
    return page_of_lines(lines, index, width, height, dpi)


# --- the engine -----------------------------------------------------------------------------------


def _library_version() -> str:
    return library_version(ENGINE_NAME, INSTALL_COMMAND, "paddleocr", "paddlepaddle")


def default_model_names(lang: str) -> tuple[str | None, str | None]:
    """The detector and recogniser PaddleOCR picks for ``lang`` (imports paddleocr).

    Uses PaddleOCR's own (private) rule so the names follow the installed version; returns
    ``(None, None)`` if that rule moved.
    """
    from paddleocr import PaddleOCR

    rule = getattr(PaddleOCR, "_get_ocr_model_names", None)
    if rule is None:
        return None, None
    try:
        det, rec = rule(None, lang, None)
    except (TypeError, ValueError):
        return None, None
    return det, rec


class PaddleOcrEngine(OcrEngine):
    """PaddleOCR 3.x on the CPU, offline by default."""

    name = ENGINE_NAME
    options_class = PaddleOcrOptions
    extra = "paddleocr"
    description = "PaddleOCR 3.x (PP-OCR, PaddlePaddle); line polygons, approximate word boxes"
    main_options = ("rec_score_threshold",)
    thread_option = "cpu_threads"
    execution_options = frozenset({"cpu_threads"})

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._pipeline: Any = None
        self._models: dict[str, str] = {}

    @property
    def paddle_options(self) -> PaddleOcrOptions:
        """The options, typed."""
        assert isinstance(self.options, PaddleOcrOptions)
        return self.options

    @classmethod
    def availability(cls) -> Availability:
        """Installed, with a detector and a recogniser in a default model folder."""
        blocked = packages_unavailable(REQUIRED_MODULES, INSTALL_COMMAND)
        if blocked is not None:
            return blocked
        if not _any_models_present():
            searched = ", ".join(str(p) for p in model_folders())
            return Availability(
                available=False,
                reason=(
                    f"no PaddleOCR models (*_det and *_rec inference folders) in {searched}; "
                    f"pass det_model_dir/rec_model_dir or model_dir, set {MODEL_DIR_ENV}, "
                    "or allow_download"
                ),
                install=f"put the inference folders in ${MODEL_DIR_ENV}",
            )
        return Availability(available=True)

    def check(self) -> Availability:
        """Whether this instance's options can run here (imports paddleocr only for default
        model names)."""
        blocked = packages_unavailable(REQUIRED_MODULES, INSTALL_COMMAND)
        if blocked is not None:
            return blocked
        try:
            self.model_sources()
        except ModelNotFoundError as exc:
            return Availability(available=False, reason=exc.reason, install=exc.install)
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        """PaddleOCR's version and PaddlePaddle's, e.g. ``3.7.0 (paddlepaddle 3.3.1)``."""
        return _library_version()

    @classmethod
    def languages(cls) -> list[str]:
        """ISO 639-2 codes PaddleOCR has models for (downloaded or not), when installed."""
        return [] if missing_modules(*REQUIRED_MODULES) else sorted(LANGUAGES)

    def _resolve_model(self, kind: Literal["det", "rec"], default_name: str | None) -> Path | str:
        """A local folder for the ``kind`` model, or its name when downloads are allowed.

        Raises:
            ModelNotFoundError: no local model and downloads are off.
        """
        options = self.paddle_options
        explicit = options.det_model_dir if kind == "det" else options.rec_model_dir
        option = f"{kind}_model_dir"
        if explicit is not None:
            if inference_model_name(Path(explicit)) is None:
                raise ModelNotFoundError(
                    ENGINE_NAME,
                    f"{option} {explicit} is not a Paddle inference model folder "
                    "(inference.yml naming the model, plus inference.json/.pdiparams)",
                    install="export the model with PaddleX, or point to a downloaded model folder",
                )
            return Path(explicit)
        name = (options.det_model_name if kind == "det" else options.rec_model_name) or default_name
        if name is None:
            raise ModelNotFoundError(
                ENGINE_NAME,
                f"no default {kind} model for languages {', '.join(options.languages)}",
                install=f"pass {option} or {kind}_model_name",
            )
        found = find_model(name, options.model_dir)
        if found is not None:
            return found
        if options.allow_download:
            return name
        searched = ", ".join(str(p) for p in model_folders(options.model_dir))
        raise ModelNotFoundError(
            ENGINE_NAME,
            f"model {name} not found in {searched}",
            install=(
                f"put the {name} inference folder there, pass {option}, "
                "or pass allow_download=True to let PaddleOCR fetch it"
            ),
        )

    def model_sources(self) -> dict[str, Path | str]:
        """Where the detector (``det``) and recogniser (``rec``) come from.

        A value is a local inference folder, or a model name that PaddleOCR will download
        (only with ``allow_download``). PaddleOCR is imported only when a model has neither a
        folder nor a name in the options (to learn its default for the language).

        Raises:
            ModelNotFoundError: a model is not on disk and downloads are off.
        """
        options = self.paddle_options
        needs_defaults = (options.det_model_dir is None and options.det_model_name is None) or (
            options.rec_model_dir is None and options.rec_model_name is None
        )
        det_default, rec_default = (
            default_model_names(paddle_lang(options.languages)) if needs_defaults else (None, None)
        )
        return {
            "det": self._resolve_model("det", det_default),
            "rec": self._resolve_model("rec", rec_default),
        }

    def pipeline_arguments(self) -> dict[str, Any]:
        """Keyword arguments this engine gives ``paddleocr.PaddleOCR(...)``.

        Raises:
            ModelNotFoundError: a model is not on disk and downloads are off.
        """
        options = self.paddle_options
        arguments: dict[str, Any] = {
            "device": "cpu",
            "use_doc_orientation_classify": False,  # these two would move the coordinates
            "use_doc_unwarping": False,
            "use_textline_orientation": False,
            "text_rec_score_thresh": options.rec_score_threshold,
        }
        sources = self.model_sources()
        for kind, key in (("detection", "det"), ("recognition", "rec")):
            model = sources[key]
            if isinstance(model, Path):
                arguments[f"text_{kind}_model_dir"] = str(model)
                arguments[f"text_{kind}_model_name"] = inference_model_name(model)
            else:
                arguments[f"text_{kind}_model_name"] = model
        if options.det_limit_side_len is not None:
            arguments["text_det_limit_side_len"] = options.det_limit_side_len
        if options.det_limit_type is not None:
            arguments["text_det_limit_type"] = options.det_limit_type
        if options.cpu_threads is not None:
            arguments["cpu_threads"] = options.cpu_threads
        return arguments

    def _load(self) -> Any:
        """Build the PaddleOCR pipeline once (imports paddle)."""
        if self._pipeline is not None:
            return self._pipeline
        missing = missing_modules(*REQUIRED_MODULES)
        if missing:
            raise EngineUnavailableError(
                ENGINE_NAME,
                f"Python package(s) {', '.join(missing)} not installed",
                INSTALL_COMMAND,
            )
        if not self.paddle_options.allow_download:
            # Read by PaddleX at import: no connectivity probe of model hubs when offline.
            os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise EngineUnavailableError(
                ENGINE_NAME, f"paddleocr does not import: {exc}", INSTALL_COMMAND
            ) from exc
        arguments = self.pipeline_arguments()
        log.info("loading PaddleOCR with %s", arguments)
        try:
            self._pipeline = PaddleOCR(**arguments)
        except (ValueError, RuntimeError, OSError) as exc:
            raise EngineUnavailableError(
                ENGINE_NAME,
                f"PaddleOCR could not build its pipeline from {arguments}: {exc}",
                install=(
                    "check that the model folders hold complete Paddle inference models, "
                    "or remove them and pass allow_download=True"
                ),
            ) from exc
        self._models = {
            key: arguments.get(f"text_{kind}_model_dir") or arguments[f"text_{kind}_model_name"]
            for kind, key in (("detection", "det"), ("recognition", "rec"))
        }
        return self._pipeline

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        import numpy as np

        pipeline = self._load()
        bgr = np.ascontiguousarray(np.asarray(page.image.convert("RGB"))[:, :, ::-1])
        try:
            results = pipeline.predict(bgr)
        except Exception as exc:  # the library's own errors: report them against the page
            raise RecognitionError(
                f"engine {ENGINE_NAME!r} failed on page {page.index} of {page.source}: {exc}"
            ) from exc
        if len(results) != 1:
            raise RecognitionError(
                f"engine {ENGINE_NAME!r} returned {len(results)} results for page {page.index} "
                f"of {page.source}; expected 1"
            )
        result = paddle_result_to_page(results[0], page.index, page.width, page.height, page.dpi)
        notes = [APPROXIMATE_WORDS_NOTE] + [
            f"{kind} model {model}" for kind, model in self._models.items()
        ]
        return result, notes

    def close(self) -> None:
        """Release the pipeline."""
        if self._pipeline is not None:
            close = getattr(self._pipeline, "close", None)
            if callable(close):
                close()
        self._pipeline = None
