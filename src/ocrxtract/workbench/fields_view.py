"""Key fields of one document as each engine's reading gives them, side by side (the app's
extraction view).

:func:`extract_each` runs :func:`ocrxtract.extract.fields.extract_fields` on every engine's
document (:func:`dropout_advice`: the readings an identity card asks to redo with red ink
removed); :func:`fields_grid` lays the values out field by field, one column per engine, a value
that fails its check marked; :func:`field_boxes` gives the boxes of an engine's fields on a page
for :func:`ocrxtract.workbench.viz.draw_field_boxes`; :func:`fields_json` and
:func:`fields_csv` are the downloads (the records of ``ocrxtract extract``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from ocrxtract.document import BBox, Document
from ocrxtract.errors import OcrxtractError
from ocrxtract.extract.fields import extract_fields, load_schema, schema_names
from ocrxtract.extract.fields.api import Extraction
from ocrxtract.extract.fields.records import fields_record, records_csv
from ocrxtract.extract.fields.schema import dropout_for
from ocrxtract.pipeline.steps import TEXT_LAYER_ENGINE

#: Shown for a field an engine's reading did not give.
MISSING = "—"
#: Put before a value that fails one of its checks (it is kept, never dropped).
INVALID_MARK = "⚠ "


@dataclass(frozen=True)
class EngineFields:
    """One engine's extraction, or why there is none."""

    engine: str
    extraction: Extraction | None = None
    error: str | None = None


def extract_each(
    documents: Mapping[str, Document], schema: str = "auto"
) -> dict[str, EngineFields]:
    """The fields of ``schema`` (``auto``: the type detected in each reading) in each engine's
    document; an extraction that fails is kept with its message, the others go on."""
    found: dict[str, EngineFields] = {}
    for engine, document in documents.items():
        try:
            found[engine] = EngineFields(engine, extract_fields(document, schema))
        except OcrxtractError as exc:
            found[engine] = EngineFields(engine, error=str(exc))
    return found


def dropout_advice(
    results: Mapping[str, EngineFields], documents: Mapping[str, Document]
) -> dict[str, tuple[str, str]]:
    """Engine -> (detected type, ink colour its reading should have removed), for each engine
    whose detected type's schema asks for a dropout (identity cards: ``red``) that its pages
    were not read with. ``ocrxtract extract`` reads such a document again by itself; the app
    asks the user to."""
    advice: dict[str, tuple[str, str]] = {}
    for name, result in results.items():
        extraction = result.extraction
        document = documents.get(name)
        if extraction is None or document is None:
            continue
        wanted = dropout_for(extraction.doc_type)
        if wanted == "none":
            continue
        used = {
            page.provenance.options.get("dropout", "none")
            for page in document.pages
            if page.provenance is not None and page.provenance.engine != TEXT_LAYER_ENGINE
        }
        if used and used != {wanted}:
            advice[name] = (extraction.doc_type, wanted)
    return advice


def _field_order(extractions: list[Extraction]) -> list[str]:
    """The schemas' field order, then any other field found."""
    names: list[str] = []
    for extraction in extractions:
        if extraction.doc_type in schema_names():
            names += [n for n in load_schema(extraction.doc_type).fields if n not in names]
    for extraction in extractions:
        names += [f.name for f in extraction.fields if f.name not in names]
    return names


def fields_grid(results: Mapping[str, EngineFields]) -> list[dict[str, str]]:
    """One row per field (``field`` then one column per engine): the value found, ``—`` when
    none, ``⚠ value`` when it fails a check; a first row gives each engine's detected type."""
    done = {name: r.extraction for name, r in results.items() if r.extraction is not None}
    rows = [{"field": "type", **{name: e.doc_type for name, e in done.items()}}]
    values = {name: {f.name: f for f in e.fields} for name, e in done.items()}
    for field_name in _field_order(list(done.values())):
        row = {"field": field_name}
        for engine in done:
            found = values[engine].get(field_name)
            if found is None or found.value is None:
                row[engine] = MISSING if found is None else INVALID_MARK + found.text
            else:
                row[engine] = (INVALID_MARK if found.valid is False else "") + found.value
        rows.append(row)
    return rows


def field_boxes(extraction: Extraction, page: int) -> list[tuple[str, BBox, bool | None]]:
    """``(field name, word box, valid)`` of every word the fields on ``page`` were read from."""
    return [(f.name, box, f.valid) for f in extraction.fields if f.page == page for box in f.boxes]


def fields_json(source: str, results: Mapping[str, EngineFields]) -> str:
    """Every engine's extraction as the records of ``ocrxtract extract``, in one JSON list."""
    records = [
        fields_record(source, name, r.extraction)
        for name, r in results.items()
        if r.extraction is not None
    ]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def fields_csv(source: str, results: Mapping[str, EngineFields]) -> str:
    """Every engine's extraction as CSV: one row per engine, one column per field."""
    records = [
        fields_record(source, name, r.extraction)
        for name, r in results.items()
        if r.extraction is not None
    ]
    return records_csv(records)
