"""The ``tesseract`` engine: Tesseract 5 through tesserocr (in-process) or the command line.

Two backends give the same result model:

* ``tesserocr`` — the C++ API in-process (the tesserocr wheel bundles libtesseract 5.5). The API
  is built once per engine instance, on the first page, and reused; a lock serialises pages.
* ``pytesseract`` — the ``tesseract`` program (e.g. Debian's ``tesseract-ocr``) run once per
  page, with ``OMP_THREAD_LIMIT=1``: its OpenMP threads only fight each other on small machines.

``backend="auto"`` takes tesserocr when it imports, else the program. Both read the same
traineddata folder (:func:`tessdata_dir`). The page's resolution is always passed to Tesseract
(``dpi_fallback`` when the file does not state one, with a provenance note): Tesseract sizes
its noise filters and word spacing from it.

Binarisation (``thresholding``): Otsu is Tesseract's default and works on clean scans, but
reads little or nothing on some dark, stained or unevenly lit pages, which Sauvola rescues;
Sauvola in turn loses faint ink on tinted paper. ``auto`` (the default) runs Otsu and, when its
result is nearly empty or of low confidence, runs Sauvola too and keeps the better of the two
(more characters x higher mean confidence); ``best`` always runs both (twice the time). The
method used is noted in the provenance. ``benchmarks/tesseract_thresholding.py`` measures them
on real typed pages and receipts.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

from pydantic import Field, field_validator

from ocrxtract.document import BBox, Line, Page, Word, block_from_lines, line_from_words
from ocrxtract.engines.base import (
    Availability,
    EngineOptions,
    OcrEngine,
    crop_line,
    files_fingerprint,
)
from ocrxtract.errors import EngineUnavailableError, InvalidOptionsError, ModelNotFoundError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENGINE = "tesseract"
#: Where Debian/Ubuntu (``tesseract-ocr-*`` packages) and source builds put traineddata.
DEFAULT_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
TESSDATA_ENV = "OCRXTRACT_TESSDATA"
INSTALL_PROGRAM = "sudo apt-get install tesseract-ocr tesseract-ocr-fra"
INSTALL_PACKAGE = "pip install 'ocrxtract[tesseract]'"

#: Tesseract's ``thresholding_method`` values.
THRESHOLDING_METHODS: Mapping[str, int] = {"otsu": 0, "leptonica-otsu": 1, "sauvola": 2}
#: ``auto`` retries with Sauvola when Otsu reads fewer characters than this ...
AUTO_MIN_CHARS = 20
#: ... or when the mean confidence of Otsu's words (weighted by length) is below this.
AUTO_MIN_CONFIDENCE = 0.60
#: Variables set through the typed options, refused in ``config``.
_MANAGED_VARIABLES = {
    "thresholding_method": "thresholding",
    "tessedit_pageseg_mode": "psm",
    "tessedit_ocr_engine_mode": "oem",
    "user_defined_dpi": "dpi_fallback (the page's own dpi is used when known)",
}
_VARIABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class TesseractOptions(EngineOptions):
    """Options of the ``tesseract`` engine.

    Attributes:
        psm: Page segmentation mode (3: automatic; 4: one column; 6: one block; 11: sparse).
            0 and 2 are refused: they do not recognise text.
        oem: OCR engine mode (1: LSTM only; 0: legacy; 2: both; 3: whatever the traineddata
            prefers). Debian's traineddata hold both engines; the LSTM one is the better.
        dpi_fallback: Resolution passed to Tesseract when the page does not state one.
        thresholding: Binarisation: ``otsu``, ``leptonica-otsu``, ``sauvola``, ``auto``
            (Otsu, then Sauvola when Otsu's result is poor) or ``best`` (both, always).
        tessdata_dir: Folder of the ``*.traineddata`` files; by default ``$OCRXTRACT_TESSDATA``,
            ``$TESSDATA_PREFIX`` or the Debian folder.
        backend: ``tesserocr`` (in-process), ``pytesseract`` (the ``tesseract`` program) or
            ``auto`` (tesserocr when it imports).
        config: Extra Tesseract variables, e.g. ``{"preserve_interword_spaces": "1"}``.
    """

    psm: int = Field(default=3, ge=1, le=13)
    oem: int = Field(default=1, ge=0, le=3)
    dpi_fallback: int = Field(default=300, ge=30, le=2400)
    thresholding: Literal["auto", "best", "otsu", "leptonica-otsu", "sauvola"] = "auto"
    tessdata_dir: Path | None = None
    backend: Literal["auto", "tesserocr", "pytesseract"] = "auto"
    config: dict[str, str] = Field(default_factory=dict)

    @field_validator("psm")
    @classmethod
    def _recognising_psm(cls, value: int) -> int:
        if value == 2:
            raise ValueError("psm 2 (layout analysis only) recognises no text; use 3, 4, 6 ...")
        return value

    @field_validator("config")
    @classmethod
    def _valid_variables(cls, value: dict[str, str]) -> dict[str, str]:
        for name, setting in value.items():
            if not _VARIABLE_NAME.match(name):
                raise ValueError(f"{name!r} is not a Tesseract variable name")
            if name in _MANAGED_VARIABLES:
                raise ValueError(f"set {name!r} with the option {_MANAGED_VARIABLES[name]}")
            if not setting or any(char.isspace() for char in setting) or "=" in setting:
                raise ValueError(f"value {setting!r} of {name!r}: non-empty, no spaces, no '='")
        return value


# --- traineddata ----------------------------------------------------------------------------


def tessdata_dir(explicit: Path | None = None) -> Path | None:
    """The traineddata folder: ``explicit``, the environment, or the first Debian default.

    ``$TESSDATA_PREFIX`` may name the folder itself (Tesseract 4+) or its parent (Tesseract 3).
    Returns ``None`` when no candidate holds a ``*.traineddata`` file.
    """
    candidates: list[str] = []
    if explicit is not None:
        candidates.append(str(explicit))
    else:
        candidates += [os.environ.get(TESSDATA_ENV, ""), os.environ.get("TESSDATA_PREFIX", "")]
        candidates += DEFAULT_TESSDATA_DIRS
    for candidate in filter(None, candidates):
        for folder in (Path(candidate), Path(candidate) / "tessdata"):
            if folder.is_dir() and any(folder.glob("*.traineddata")):
                return folder
        if explicit is not None:
            break
    return None


def installed_languages(folder: Path | None) -> list[str]:
    """Traineddata names in ``folder`` (``osd``, orientation detection only, left out)."""
    if folder is None:
        return []
    return sorted(p.stem for p in folder.glob("*.traineddata") if p.stem != "osd")


def debian_package(language: str) -> str:
    """Debian package holding a traineddata: ``chi_sim`` -> ``tesseract-ocr-chi-sim``."""
    return "tesseract-ocr-" + language.lower().replace("_", "-")


def _checked_tessdata(options: TesseractOptions) -> tuple[Path, str]:
    """The traineddata folder and Tesseract's ``lang`` string for ``options``.

    Raises:
        ModelNotFoundError: no traineddata folder, or a language without traineddata.
    """
    folder = tessdata_dir(options.tessdata_dir)
    if folder is None:
        where = (
            options.tessdata_dir or f"${TESSDATA_ENV}, $TESSDATA_PREFIX, {DEFAULT_TESSDATA_DIRS[0]}"
        )
        raise ModelNotFoundError(ENGINE, f"no *.traineddata found in {where}", INSTALL_PROGRAM)
    installed = set(installed_languages(folder))
    missing = [lang for lang in options.languages if lang not in installed]
    if missing:
        raise ModelNotFoundError(
            ENGINE,
            f"no traineddata for {', '.join(missing)} in {folder} "
            f"(installed: {', '.join(sorted(installed)) or 'none'})",
            "sudo apt-get install " + " ".join(debian_package(lang) for lang in missing),
        )
    return folder, "+".join(options.languages)


# --- backends -------------------------------------------------------------------------------


def _tesserocr_importable() -> bool:
    return find_spec("tesserocr") is not None


def _program_available() -> bool:
    import shutil

    return find_spec("pytesseract") is not None and shutil.which("tesseract") is not None


def _resolve_backend(requested: str) -> str | None:
    """The backend that ``requested`` runs here, or ``None`` when it is missing."""
    if requested in ("auto", "tesserocr") and _tesserocr_importable():
        return "tesserocr"
    if requested in ("auto", "pytesseract") and _program_available():
        return "pytesseract"
    return None


@lru_cache(maxsize=2)
def backend_version(backend: str) -> str:
    """``tesseract 5.5.4 (tesserocr 2.13.0)`` or ``tesseract 5.3.0 (command line)``; cached."""
    if backend == "tesserocr":
        import tesserocr

        first = tesserocr.tesseract_version().splitlines()[0].strip()
        return f"{first} (tesserocr {tesserocr.__version__})"
    import pytesseract

    return f"tesseract {pytesseract.get_tesseract_version()} (command line)"


@dataclass(frozen=True)
class TessWord:
    """A word as Tesseract gives it: block and line keys, text, box, confidence 0-100."""

    block: int
    line: int
    text: str
    box: tuple[int, int, int, int]
    confidence: float


class WordReader(Protocol):
    """A backend: reads the words of an image at a resolution with a thresholding method."""

    def read(self, image: Any, dpi: int, method: int) -> list[TessWord]:
        """Recognise ``image`` (a PIL image) and return its non-empty words in order."""
        ...

    def close(self) -> None:
        """Release what the backend holds."""
        ...


class _Tesserocr:
    """One tesserocr API, built on first use and reused page after page."""

    def __init__(self, options: TesseractOptions, folder: Path, lang: str) -> None:
        import tesserocr

        self._api = tesserocr.PyTessBaseAPI(
            path=str(folder) + os.sep,
            lang=lang,
            oem=options.oem,
            psm=options.psm,
            variables=dict(options.config),
        )
        unknown = [k for k in options.config if self._api.GetVariableAsString(k) is None]
        if unknown:
            self._api.End()
            raise InvalidOptionsError(
                f"engine {ENGINE!r}: unknown Tesseract variable(s) {', '.join(unknown)} in "
                "config (list them with: tesseract --print-parameters)"
            )
        self._method: int | None = None

    def read(self, image: Any, dpi: int, method: int) -> list[TessWord]:
        from tesserocr import RIL

        api = self._api
        if method != self._method:
            api.SetVariable("thresholding_method", str(method))
            self._method = method
        api.SetImage(image)
        api.SetSourceResolution(dpi)
        api.Recognize()
        iterator = api.GetIterator()
        words: list[TessWord] = []
        if iterator is None:
            return words
        block = line = -1
        word_level, line_level, block_level = RIL.WORD, RIL.TEXTLINE, RIL.BLOCK
        while True:
            if iterator.IsAtBeginningOf(block_level):
                block += 1
            if iterator.IsAtBeginningOf(line_level):
                line += 1
            box = iterator.BoundingBox(word_level)
            if box is not None:
                try:
                    text = iterator.GetUTF8Text(word_level).strip()
                except RuntimeError:  # tesserocr's way of saying "no text here"
                    text = ""
                if text:
                    words.append(TessWord(block, line, text, box, iterator.Confidence(word_level)))
            if not iterator.Next(word_level):
                return words

    def close(self) -> None:
        self._api.End()


class _Program:
    """The ``tesseract`` program through pytesseract, one process per page."""

    def __init__(self, options: TesseractOptions, folder: Path, lang: str) -> None:
        self._lang = lang
        self._base = [
            f"--tessdata-dir {shlex.quote(str(folder))}",
            f"--psm {options.psm}",
            f"--oem {options.oem}",
        ] + [f"-c {shlex.quote(f'{k}={v}')}" for k, v in options.config.items()]

    def read(self, image: Any, dpi: int, method: int) -> list[TessWord]:
        import pytesseract

        config = " ".join([*self._base, f"--dpi {dpi}", f"-c thresholding_method={method}"])
        # An uncompressed PNM file is the cheapest thing to hand over (pytesseract saves the
        # image in its .format; a copy keeps the caller's image untouched).
        copy = image.copy()
        copy.format = "PPM"
        with single_omp_thread():
            tsv = pytesseract.image_to_data(copy, lang=self._lang, config=config)
        return parse_tsv(tsv)

    def close(self) -> None:
        """Nothing is kept between pages."""


def parse_tsv(tsv: str) -> list[TessWord]:
    """Words of Tesseract's TSV output (level 5 rows), lines keyed by block, paragraph, line.

    pytesseract's ``Output.DICT`` truncates the confidences to integers; the text keeps them.
    """
    rows = tsv.splitlines()
    if not rows:
        return []
    column = {name: i for i, name in enumerate(rows[0].split("\t"))}
    words: list[TessWord] = []
    lines: dict[tuple[str, str, str], int] = {}
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) != len(column) or cells[column["level"]] != "5":
            continue
        text = cells[column["text"]].strip()
        if not text:
            continue
        block = cells[column["block_num"]]
        key = (block, cells[column["par_num"]], cells[column["line_num"]])
        line = lines.setdefault(key, len(lines))
        left, top = int(cells[column["left"]]), int(cells[column["top"]])
        right = left + int(cells[column["width"]])
        bottom = top + int(cells[column["height"]])
        confidence = float(cells[column["conf"]])
        words.append(TessWord(int(block), line, text, (left, top, right, bottom), confidence))
    return words


_omp_lock = threading.Lock()
_omp_users = 0


@contextmanager
def single_omp_thread() -> Iterator[None]:
    """Set ``OMP_THREAD_LIMIT=1`` for child processes started inside the block.

    pytesseract passes ``os.environ`` to the program, so the variable is set there while a
    page is read (and removed afterwards, so OpenMP libraries loaded later in this process are
    not limited). A value set by the user is left alone.
    """
    global _omp_users  # noqa: PLW0603 - one process-wide counter, guarded by the lock
    with _omp_lock:
        owned = _omp_users > 0 or "OMP_THREAD_LIMIT" not in os.environ
        if owned:
            _omp_users += 1
            os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if owned:
            with _omp_lock:
                _omp_users -= 1
                if _omp_users == 0:
                    os.environ.pop("OMP_THREAD_LIMIT", None)


# --- result model ---------------------------------------------------------------------------


def _quality(words: Sequence[TessWord]) -> tuple[int, float]:
    """Characters read and their mean confidence in [0, 1] (each word weighted by length)."""
    chars = sum(len(w.text) for w in words)
    if not chars:
        return 0, 0.0
    return chars, sum(len(w.text) * w.confidence for w in words) / chars / 100.0


def _to_confidence(value: float) -> float:
    return min(1.0, max(0.0, value / 100.0))


def words_to_page(words: Sequence[TessWord], page: PageImage) -> Page:
    """Tesseract words -> Page > Block > Line > Word, boxes clipped to the page."""
    width, height = page.width, page.height
    lines: dict[tuple[int, int], list[Word]] = {}
    for raw in words:
        x0, y0, x1, y1 = raw.box
        box = BBox(
            x0=min(max(0, x0), width),
            y0=min(max(0, y0), height),
            x1=min(max(0, x1), width),
            y1=min(max(0, y1), height),
        )
        word = Word(text=raw.text, bbox=box, confidence=_to_confidence(raw.confidence))
        lines.setdefault((raw.block, raw.line), []).append(word)
    blocks: dict[int, list[Line]] = {}
    for (block, _), line_words in lines.items():
        confidences = [w.confidence or 0.0 for w in line_words]
        line = line_from_words(line_words, confidence=sum(confidences) / len(confidences))
        blocks.setdefault(block, []).append(line)
    return Page(
        index=page.index,
        width=width,
        height=height,
        dpi=page.dpi,
        blocks=[block_from_lines(block_lines) for block_lines in blocks.values()],
    )


def otsu_or_sauvola(
    reader: WordReader, page: PageImage, dpi: int, *, always_both: bool
) -> tuple[list[TessWord], str]:
    """Otsu, and Sauvola too when Otsu's result is poor (or always); the better of the two.

    The better result reads more characters at a higher mean confidence (their product).
    Returns the words and a note naming the method kept.
    """
    otsu = reader.read(page.image, dpi, THRESHOLDING_METHODS["otsu"])
    chars, confidence = _quality(otsu)
    if not always_both and chars >= AUTO_MIN_CHARS and confidence >= AUTO_MIN_CONFIDENCE:
        return otsu, "otsu"
    sauvola = reader.read(page.image, dpi, THRESHOLDING_METHODS["sauvola"])
    s_chars, s_confidence = _quality(sauvola)
    summary = f"(otsu {chars} chars at {confidence:.2f}, sauvola {s_chars} at {s_confidence:.2f})"
    if s_chars * s_confidence > chars * confidence:
        return sauvola, f"sauvola {summary}"
    return otsu, f"otsu {summary}"


# --- the engine -----------------------------------------------------------------------------


class TesseractEngine(OcrEngine):
    """Tesseract 5 (LSTM), in-process through tesserocr or through the ``tesseract`` program."""

    name = "tesseract"
    options_class = TesseractOptions
    extra = "tesseract"
    description = "Tesseract 5 LSTM (tesserocr or the tesseract program); fast on CPU"
    main_options = ("psm", "thresholding", "oem")
    line_recognizer = "tesseract-psm7"
    presets: ClassVar[dict[str, tuple[dict[str, Any], str]]] = {
        "single-block": ({"psm": 6}, "one uniform block of text: forms, tables, letters"),
        "sparse": ({"psm": 11}, "scattered text in no particular order: receipts, ID cards"),
    }

    def __init__(self, options: EngineOptions | dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._reader: WordReader | None = None
        self._backend: str | None = None
        self._line_engine: TesseractEngine | None = None
        self._lock = threading.Lock()

    @classmethod
    def availability(cls) -> Availability:
        if not (_tesserocr_importable() or _program_available()):
            return Availability(
                available=False,
                reason="neither tesserocr nor pytesseract with the tesseract program is installed",
                install=f"{INSTALL_PACKAGE} (or {INSTALL_PROGRAM})",
            )
        if tessdata_dir() is None:
            return Availability(
                available=False,
                reason=f"no traineddata found (looked in ${TESSDATA_ENV}, $TESSDATA_PREFIX, "
                f"{', '.join(DEFAULT_TESSDATA_DIRS)})",
                install=INSTALL_PROGRAM,
            )
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        backend = _resolve_backend("auto")
        return backend_version(backend) if backend else "unavailable"

    @classmethod
    def languages(cls) -> list[str]:
        return installed_languages(tessdata_dir())

    def _reader_for_pages(self) -> WordReader:
        if self._reader is None:
            options = self._options()
            backend = _resolve_backend(options.backend)
            if backend is None:
                raise EngineUnavailableError(
                    ENGINE,
                    f"backend {options.backend!r} is not installed",
                    INSTALL_PACKAGE if options.backend != "pytesseract" else INSTALL_PROGRAM,
                )
            folder, lang = _checked_tessdata(options)
            log.debug("tesseract: backend %s, tessdata %s, lang %s", backend, folder, lang)
            reader: WordReader
            if backend == "tesserocr":
                reader = _Tesserocr(options, folder, lang)
            else:
                reader = _Program(options, folder, lang)
            self._reader, self._backend = reader, backend
        return self._reader

    def _options(self) -> TesseractOptions:
        assert isinstance(self.options, TesseractOptions)
        return self.options

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        options = self._options()
        notes: list[str] = []
        if page.dpi:
            dpi = round(page.dpi)
        else:
            dpi = options.dpi_fallback
            notes.append(f"page resolution unknown: {dpi} dpi assumed (dpi_fallback)")
        with self._lock:
            reader = self._reader_for_pages()
            mode = options.thresholding
            if mode in THRESHOLDING_METHODS:
                words = reader.read(page.image, dpi, THRESHOLDING_METHODS[mode])
                notes.append(f"thresholding: {mode}")
            else:
                words, note = otsu_or_sauvola(reader, page, dpi, always_both=mode == "best")
                notes.append(f"thresholding: {mode} -> {note}")
        return words_to_page(words, page), notes

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        """Each line crop read with these options as a single text line (``psm`` 7)."""
        if self._line_engine is None:
            self._line_engine = TesseractEngine(self.options.model_copy(update={"psm": 7}))
        reader = self._line_engine
        texts = []
        for number, box in enumerate(boxes, start=1):
            crop = crop_line(page, box, number)
            texts.append(
                "" if crop is None else " ".join(w.text for w in reader.recognize(crop).words())
            )
        return texts

    def model_fingerprint(self) -> str:
        """Hash of the traineddata files of the languages read."""
        folder = tessdata_dir(self._options().tessdata_dir)
        if folder is None:
            return ""
        return files_fingerprint(folder / f"{lang}.traineddata" for lang in self.options.languages)

    def engine_version(self) -> str:
        """The Tesseract that this instance runs (tesserocr's library or the program)."""
        if self._backend is not None:
            return backend_version(self._backend)
        return self.version()

    def close(self) -> None:
        """End the tesserocr API (the next page builds a new one)."""
        with self._lock:
            if self._reader is not None:
                self._reader.close()
            self._reader = None
            if self._line_engine is not None:
                self._line_engine.close()
            self._line_engine = None
