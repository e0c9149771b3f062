"""Engine registry: names -> engine classes, built-ins plus ``ocrxtract.engines`` entry points.

A third-party package adds an engine by declaring, in its ``pyproject.toml``::

    [project.entry-points."ocrxtract.engines"]
    myengine = "my_package.my_module:MyEngine"

Engine classes are imported lazily: listing names never imports torch or onnxruntime.
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any

from ocrxtract.document import Page
from ocrxtract.engines.base import OcrEngine
from ocrxtract.errors import EngineRegistrationError, UnknownEngineError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "ocrxtract.engines"

#: Engines that ship with ocrxtract, as "module:Class" references (imported on demand).
BUILTIN_ENGINES: dict[str, str] = {
    "null": "ocrxtract.engines.null_engine:NullEngine",
    "pdf-text": "ocrxtract.engines.pdftext_engine:PdfTextEngine",
    "tesseract": "ocrxtract.engines.tesseract_engine:TesseractEngine",
    "rapidocr": "ocrxtract.engines.rapidocr_engine:RapidOcrEngine",
    "easyocr": "ocrxtract.engines.easyocr_engine:EasyOcrEngine",
    "doctr": "ocrxtract.engines.doctr_engine:DoctrEngine",
    "paddleocr": "ocrxtract.engines.paddleocr_engine:PaddleOcrEngine",
    "htr": "ocrxtract.engines.htr_engine:HtrEngine",
    "kraken": "ocrxtract.engines.kraken_engine:KrakenEngine",
    "trocr": "ocrxtract.engines.trocr_engine:TrocrEngine",
    "ensemble": "ocrxtract.engines.ensemble.engine:EnsembleEngine",
}

_extra: dict[str, type[OcrEngine]] = {}


def _load_reference(name: str, reference: str) -> type[OcrEngine]:
    module_name, _, attribute = reference.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise EngineRegistrationError(
            f"engine {name!r} ({reference}) does not load: {exc}"
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, OcrEngine)):
        raise EngineRegistrationError(f"engine {name!r} ({reference}) is not an OcrEngine subclass")
    return cls


@lru_cache(maxsize=1)
def _references() -> dict[str, str]:
    """Built-in and entry-point engines by name; a name claimed twice is refused."""
    references = dict(BUILTIN_ENGINES)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in references and references[ep.name] != ep.value:
            raise EngineRegistrationError(
                f"engine name {ep.name!r} is claimed twice: {references[ep.name]} and {ep.value}"
            )
        references[ep.name] = ep.value
    return references


def register(cls: type[OcrEngine]) -> type[OcrEngine]:
    """Register an engine class at run time (for notebooks and tests); usable as a decorator.

    Raises:
        EngineRegistrationError: the name is already taken by another engine.
    """
    name = cls.name
    known = _references().get(name)
    if (known is not None and known != f"{cls.__module__}:{cls.__qualname__}") or (
        name in _extra and _extra[name] is not cls
    ):
        raise EngineRegistrationError(f"engine name {name!r} is already registered")
    _extra[name] = cls
    return cls


def unregister(name: str) -> None:
    """Remove an engine registered with :func:`register` (no effect on built-ins)."""
    _extra.pop(name, None)


def engine_names() -> list[str]:
    """Every registered engine name, built-ins first, in a stable order."""
    return list(_references()) + sorted(set(_extra) - set(_references()))


def get_engine_class(name: str) -> type[OcrEngine]:
    """The engine class registered under ``name``.

    Raises:
        UnknownEngineError: no such engine; the message lists the known ones.
    """
    if name in _extra:
        return _extra[name]
    reference = _references().get(name)
    if reference is None:
        raise UnknownEngineError(
            f"unknown engine {name!r}; known engines: {', '.join(engine_names())}"
        )
    return _load_reference(name, reference)


#: Joins an engine's name and one of its presets: ``tesseract:sparse``.
PRESET_JOIN = ":"


def resolve_engine(
    reference: str, options: dict[str, Any] | None = None
) -> tuple[str, str | None, dict[str, Any]]:
    """``(engine name, preset, options)`` of ``NAME`` or ``NAME:PRESET``: the preset's options
    under ``options`` (those given win).

    Raises:
        UnknownEngineError: no such engine, or no such preset (the message lists its presets).
    """
    name, _, preset = reference.partition(PRESET_JOIN)
    cls = get_engine_class(name)
    if not preset:
        return name, None, dict(options or {})
    if preset not in cls.presets:
        known = ", ".join(f"{name}{PRESET_JOIN}{p}" for p in cls.presets) or "none"
        raise UnknownEngineError(f"engine {name!r} has no preset {preset!r}; its presets: {known}")
    return name, preset, {**cls.presets[preset][0], **(options or {})}


def engine_presets(name: str) -> list[str]:
    """``NAME:PRESET`` of each preset of engine ``name``."""
    return [f"{name}{PRESET_JOIN}{preset}" for preset in get_engine_class(name).presets]


def create_engine(name: str, options: dict[str, Any] | None = None) -> OcrEngine:
    """Build engine ``name`` (or ``name:preset``) with ``options`` (validated against its
    options class; they win over the preset's)."""
    name, _, options = resolve_engine(name, options)
    return get_engine_class(name)(options)


_process_engines: dict[tuple[str, str, str], OcrEngine] = {}


def recognize_page(name: str, options: dict[str, Any], page: PageImage) -> Page:
    """Recognise ``page`` with engine ``name``: a picklable pure function for process pools.

    The engine (and its models) is built once per process and per options, then reused.
    """
    cls = get_engine_class(name)
    parsed = cls.parse_options(options)
    key = (name, f"{cls.__module__}:{cls.__qualname__}", parsed.model_dump_json())
    engine = _process_engines.get(key)
    if engine is None:
        engine = _process_engines[key] = cls(parsed)
    return engine.recognize(page)
