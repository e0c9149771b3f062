"""Extraction: from a recognised document to facts (key fields, tables, structure).

An :class:`Extractor` takes a :class:`~ocrxtract.document.Document` (an engine's reading, in
reading order) and returns it with what it found filled in (``Document.fields``,
``Page.tables`` ...). Extractors are found by name like engines: built-ins, then the
``ocrxtract.extractors`` entry points, then :func:`register_extractor` at run time. The pipeline
runs them after the engines (:mod:`ocrxtract.pipeline`), the benchmark scores what they find
(:mod:`ocrxtract.bench.scorers`).
"""

from ocrxtract.extract.base import Extractor, ExtractorOptions
from ocrxtract.extract.registry import (
    create_extractor,
    extractor_names,
    get_extractor_class,
    register_extractor,
    unregister_extractor,
)

__all__ = [
    "Extractor",
    "ExtractorOptions",
    "create_extractor",
    "extractor_names",
    "get_extractor_class",
    "register_extractor",
    "unregister_extractor",
]
