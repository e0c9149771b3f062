"""OCR engine adapters behind one interface (see :mod:`ocrxtract.engines.base`)."""

from ocrxtract.engines.base import Availability, EngineOptions, OcrEngine
from ocrxtract.engines.registry import (
    create_engine,
    engine_names,
    get_engine_class,
    recognize_page,
    register,
    unregister,
)

__all__ = [
    "Availability",
    "EngineOptions",
    "OcrEngine",
    "create_engine",
    "engine_names",
    "get_engine_class",
    "recognize_page",
    "register",
    "unregister",
]
