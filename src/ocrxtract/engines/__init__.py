"""OCR engine adapters behind one interface (see :mod:`ocrxtract.engines.base`)."""

from ocrxtract.engines.base import Availability, EngineOptions, OcrEngine
from ocrxtract.engines.registry import (
    PRESET_JOIN,
    create_engine,
    engine_names,
    engine_presets,
    get_engine_class,
    recognize_page,
    register,
    resolve_engine,
    unregister,
)

__all__ = [
    "PRESET_JOIN",
    "Availability",
    "EngineOptions",
    "OcrEngine",
    "create_engine",
    "engine_names",
    "engine_presets",
    "get_engine_class",
    "recognize_page",
    "register",
    "resolve_engine",
    "unregister",
]
