"""What the pipeline does to each page: engines (one instance per process), reading order,
extractors.

:func:`read_page` is the one place where a page image becomes a result page: the PDF's text
layer when the page has one (unless OCR is forced), else the engine; then the reading order
(:func:`ocrxtract.layout.order_page`, noted in the provenance). The CLI, the app, the demo and
the benchmark all go through it. :func:`read_upright` reads a page that came a quarter turn
off (a landscape table scanned sideways) again, turned both ways, and keeps the better reading.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from ocrxtract.document import Page
from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import get_engine_class, resolve_engine
from ocrxtract.extract import Extractor, get_extractor_class
from ocrxtract.fr.lexicon import Lexicon, correct_lines, french_lexicon
from ocrxtract.io import PageImage
from ocrxtract.layout import order_page

log = logging.getLogger(__name__)

#: The engine that reads the text layer of born-digital PDF pages.
TEXT_LAYER_ENGINE = "pdf-text"


@dataclass(frozen=True)
class EngineStep:
    """An engine with its options, under a label (picklable: it travels to workers).

    Attributes:
        name: Registered engine name.
        options: Its options (validated when the engine is built).
        label: The name its results are filed under (default: the engine name), so that one
            engine can run twice with different options.
        engine: An engine instance to use as is (runs in this process only; see
            :meth:`of`), instead of one built from ``name`` and ``options``.
    """

    name: str
    options: dict[str, Any] = field(default_factory=dict, hash=False)
    label: str | None = None
    engine: OcrEngine | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        return self.label or self.name

    @classmethod
    def of(cls, engine: OcrEngine, label: str | None = None) -> EngineStep:
        """A step that uses ``engine`` itself (loaded models, an unregistered class)."""
        return cls(engine.name, engine.options.model_dump(mode="json"), label, engine)

    def build(self) -> OcrEngine:
        """The engine of this step: its instance, or the process's shared one for its options.

        Raises:
            UnknownEngineError, InvalidOptionsError: see :func:`engine_for`.
        """
        return self.engine if self.engine is not None else engine_for(self.name, self.options)


@dataclass(frozen=True)
class ExtractStep:
    """An extractor with its options (picklable), run on each engine's document."""

    name: str
    options: dict[str, Any] = field(default_factory=dict, hash=False)
    label: str | None = None

    @property
    def key(self) -> str:
        return self.label or self.name


_engines: dict[tuple[str, str, str], OcrEngine] = {}
_extractors: dict[tuple[str, str, str], Extractor] = {}


def engine_for(name: str, options: dict[str, Any] | None = None) -> OcrEngine:
    """The engine ``name`` (or ``name:preset``) with ``options``, built once per process and
    reused (its models load once).

    Raises:
        UnknownEngineError: no such engine or preset.
        InvalidOptionsError: the options do not validate.
    """
    name, _, options = resolve_engine(name, options)
    cls = get_engine_class(name)
    parsed = cls.parse_options(options or {})
    key = (name, f"{cls.__module__}:{cls.__qualname__}", parsed.model_dump_json())
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = cls(parsed)
    return engine


def extractor_for(name: str, options: dict[str, Any] | None = None) -> Extractor:
    """The extractor ``name`` with ``options``, built once per process and reused."""
    cls = get_extractor_class(name)
    parsed = cls.parse_options(options or {})
    key = (
        name,
        f"{cls.__module__}:{cls.__qualname__}",
        json.dumps(parsed.model_dump(), sort_keys=True, default=str),
    )
    extractor = _extractors.get(key)
    if extractor is None:
        extractor = _extractors[key] = cls(parsed)
    return extractor


def uses_text_layer(page: PageImage, force_ocr: bool = False) -> bool:
    """Whether ``page`` is read from its PDF text layer rather than recognised."""
    return bool(page.has_text_layer) and not force_ocr


def finish_page(page: Page) -> Page:
    """What follows every engine: the reading order, applied once (noted in the provenance)."""
    return order_page(page)


#: The name of the post-correction step in ``Provenance.steps``.
POST_CORRECTION_STEP = "post-correction:lexicon-1"


def post_correct(page: Page, lexicon: Lexicon | None = None) -> Page:
    """A copy of ``page`` with French words fixed against a word list (optional stage).

    Only unambiguous one-letter fixes of lower-case words that are not in the list
    (:mod:`ocrxtract.fr.lexicon`): numbers, amounts, dates, identifiers and words in capitals
    are never changed. Each change is written in the page's provenance notes
    (``post-correction: line 3: 'aotualité' -> 'actualité'``) and the step in its steps; a
    word's box and confidence are kept. Apply it after the reading order (hyphenated words are
    recognised from the line before).

    Raises:
        MissingDependencyError: no word list given and the French one is not installed.
    """
    if page.provenance is not None and POST_CORRECTION_STEP in page.provenance.steps:
        return page
    lexicon = lexicon if lexicon is not None else french_lexicon()
    changes = correct_lines([[w.text for w in line.words] for line in page.lines()], lexicon)
    by_line: dict[int, dict[int, str]] = {}
    for number, index, _, new in changes:
        by_line.setdefault(number, {})[index] = new
    position = 0
    blocks = []
    for block in page.blocks:
        new_lines = []
        for line in block.lines:
            fixes = by_line.get(position, {})
            position += 1
            if fixes:
                words = [
                    w.model_copy(update={"text": fixes[i]}) if i in fixes else w
                    for i, w in enumerate(line.words)
                ]
                new_lines.append(line.model_copy(update={"words": words}))
            else:
                new_lines.append(line)
        blocks.append(block.model_copy(update={"lines": new_lines}))
    corrected = page.model_copy(update={"blocks": blocks})
    if page.provenance is not None:
        notes = [
            f"post-correction: line {number + 1}: {old!r} -> {new!r}"
            for number, _, old, new in changes
        ]
        corrected.provenance = page.provenance.model_copy(
            update={
                "steps": [*page.provenance.steps, POST_CORRECTION_STEP],
                "notes": [*page.provenance.notes, *notes],
            }
        )
    return corrected


def read_page(engine: OcrEngine, page: PageImage, *, force_ocr: bool = False) -> Page:
    """Read one page image: its text layer when it has one (unless ``force_ocr``), else with
    ``engine``; then put it in reading order.

    Raises:
        EngineUnavailableError: a package or model is missing.
        RecognitionError: the engine failed on this page.
    """
    reader = engine_for(TEXT_LAYER_ENGINE) if uses_text_layer(page, force_ocr) else engine
    return finish_page(reader.recognize(page))


def read_upright(engine: OcrEngine, image: PageImage) -> tuple[Page, PageImage, int]:
    """OCR ``image``; when its text runs vertically
    (:func:`ocrxtract.layout.orientation.quarter_turned`), read it again turned by 90° both
    ways and keep the reading with the most trustworthy text
    (:func:`~ocrxtract.layout.orientation.reading_score`).

    Returns:
        The reading, the image it was read from (the boxes are in its pixels), and the turn
        kept, in degrees anticlockwise (0, 90 or 270).

    Raises:
        EngineUnavailableError: a package or model is missing.
        RecognitionError: the engine failed on this page.
    """
    from PIL import Image

    from ocrxtract.layout.orientation import quarter_turned, reading_score

    page = read_page(engine, image, force_ocr=True)
    if not quarter_turned(page):
        return page, image, 0
    best, best_image, best_score, turn = page, image, reading_score(page), 0
    for angle, method in ((90, Image.Transpose.ROTATE_90), (270, Image.Transpose.ROTATE_270)):
        turned = replace(image, image=image.image.transpose(method))
        reading = read_page(engine, turned, force_ocr=True)
        score = reading_score(reading)
        if score > best_score:
            best, best_image, best_score, turn = reading, turned, score, angle
    return best, best_image, turn
