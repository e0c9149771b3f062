"""Key fields of one file: its embedded e-invoice XML, or OCR then extraction (``ocrxtract
extract``).

A schema may ask for its documents to be read with an ink colour removed (``dropout: red`` on
identity cards, whose red overprint merges with the text under it); a dropout set on the
engine by the user is kept for the other types. When the schema is named,
the engine reads the file that way at once; with ``auto``, the type is only known after a
first reading, so a document of such a type is read a second time with the dropout and its
fields are extracted from that reading (the second reading costs one more OCR pass, for those
types only).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path

from ocrxtract.document import Document
from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import create_engine
from ocrxtract.extract.fields import extract_fields
from ocrxtract.extract.fields.api import Extraction
from ocrxtract.extract.fields.einvoice import METHOD, embedded_fields
from ocrxtract.extract.fields.schema import dropout_for, load_schema
from ocrxtract.io import detect_format
from ocrxtract.io.dropout import Dropout
from ocrxtract.pipeline.files import OcrSettings, ocr_document
from ocrxtract.pipeline.steps import TEXT_LAYER_ENGINE


@dataclass
class FileFields:
    """The fields of one file and what read them.

    Attributes:
        extraction: The extracted fields.
        reader: ``embedded-xml`` (the Factur-X/ZUGFeRD XML), or the engine that read the
            pages (``pdf-text`` for a text layer).
        dropout: The ink colour removed before OCR (``none``: the pages as they are).
    """

    extraction: Extraction
    reader: str
    dropout: Dropout = "none"


#: Engine -> dropout -> the same engine reading with that dropout, built once (its models are
#: loaded on its first page) and forgotten with the engine it copies.
_variants: weakref.WeakKeyDictionary[OcrEngine, dict[str, OcrEngine]] = weakref.WeakKeyDictionary()


def with_dropout(engine: OcrEngine, dropout: Dropout) -> OcrEngine:
    """``engine`` itself, or an engine of the same kind and options reading with ``dropout``
    (the same one for every file of a run)."""
    if engine.options.dropout == dropout:
        return engine
    variants = _variants.setdefault(engine, {})
    if dropout not in variants:
        options = {**engine.options.model_dump(), "dropout": dropout}
        variants[dropout] = create_engine(engine.name, options)
    return variants[dropout]


def extract_file(
    path: str | Path,
    engine: OcrEngine,
    schema: str = "auto",
    *,
    method: str = "auto",
    embedded: bool = True,
    settings: OcrSettings | None = None,
) -> FileFields:
    """Extract the key fields of one file.

    Args:
        path: An image, a multi-page TIFF or a PDF.
        engine: The engine that reads scans (a PDF page with a text layer is read from it).
        schema: ``auto`` (the detected type), a schema name or a schema YAML path.
        method: ``auto``, ``rules`` or ``model``.
        embedded: Read a PDF invoice from its embedded Factur-X/ZUGFeRD XML when it has one
            (exact); off: from its text like any document.
        settings: Rendering and limits (:class:`~ocrxtract.pipeline.OcrSettings`).

    Raises:
        InputError: the file cannot be read.
        EngineError: the engine is unavailable or failed on a page.
        UsageError: unknown schema.
    """
    path = Path(path)
    if embedded and detect_format(path) == "pdf":
        found = embedded_fields(path)
        if found is not None:
            return FileFields(found, METHOD)
    named = None if schema == "auto" else load_schema(schema)
    reader = (
        engine if named is None or named.dropout == "none" else with_dropout(engine, named.dropout)
    )
    document = ocr_document(path, reader, settings)
    extraction = extract_fields(document, schema, method=method)
    if named is None:
        wanted = dropout_for(extraction.doc_type)
        if wanted not in ("none", reader.options.dropout) and _was_ocr(document):
            reader = with_dropout(engine, wanted)
            document = ocr_document(path, reader, settings)
            extraction = extract_fields(document, extraction.doc_type, method=method)
    first = document.pages[0].provenance if document.pages else None
    used = first.engine if first is not None else reader.name
    return FileFields(extraction, used, reader.options.dropout if used == reader.name else "none")


def _was_ocr(document: Document) -> bool:
    """Whether an engine read the pages' pixels (a text layer has no ink to drop)."""
    return any(
        page.provenance is not None and page.provenance.engine != TEXT_LAYER_ENGINE
        for page in document.pages
    )


__all__ = ["FileFields", "extract_file", "with_dropout"]
