"""One document's extraction as a plain record (``<stem>.fields.json``) and records as CSV: what
``ocrxtract extract`` writes and the app lets you download."""

from __future__ import annotations

import csv
import io
from typing import Any


def fields_record(source: str, engine: str, extraction: Any) -> dict[str, Any]:
    """The ``<stem>.fields.json`` content of one document (with ``entities``, the labelled
    phrases, for a form)."""
    record = {
        "source": source,
        "doc_type": extraction.doc_type,
        "engine": engine,
        "method": extraction.method,
        "type_scores": extraction.type_scores,
        "fields": {
            f.name: {
                "value": f.value,
                "text": f.text,
                "confidence": f.confidence,
                "page": f.page,
                "boxes": [b.model_dump() for b in f.boxes],
                "valid": f.valid,
                "checks": f.checks,
                "alternatives": [a.model_dump() for a in f.alternatives],
            }
            for f in extraction.fields
        },
    }
    if getattr(extraction, "entities", None):
        record["entities"] = extraction.entities
    return record


def records_csv(records: list[dict[str, Any]]) -> str:
    """One row per document, one column per field (values)."""
    names: list[str] = []
    for record in records:
        names += [n for n in record["fields"] if n not in names]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["source", "doc_type", "engine", *names])
    for r in records:
        values = [r["fields"].get(n, {}).get("value") or "" for n in names]
        writer.writerow([r["source"], r["doc_type"], r["engine"], *values])
    return buffer.getvalue()
