"""JSON export: the result model's own lossless JSON (:meth:`Document.to_json`)."""

from __future__ import annotations

import logging

from pydantic import ValidationError

from ocrxtract.document import Document
from ocrxtract.errors import ExportParseError

log = logging.getLogger(__name__)


def to_json(doc: Document, indent: int | None = 2) -> str:
    """Serialise ``doc`` to JSON; :func:`from_json` reads it back into an equal document.

    Args:
        doc: The document to export.
        indent: Spaces per indentation level, or ``None`` for one line.
    """
    return doc.to_json(indent=indent)


def from_json(data: str | bytes, *, name: str | None = None) -> Document:
    """Read a document written by :func:`to_json`.

    Args:
        data: The JSON text (or UTF-8 bytes).
        name: Name of the input (usually its file name) for error messages.

    Raises:
        ExportParseError: the input is not JSON or does not describe a valid document.
    """
    label = name or "JSON input"
    try:
        return Document.from_json(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'document'}: {error['msg']}"
            for error in exc.errors()[:5]
        )
        raise ExportParseError(
            f"{label}: not an ocrxtract JSON document ({problems}); "
            "export it again with `ocrxtract` or check the file is complete"
        ) from exc
