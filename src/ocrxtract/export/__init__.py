"""Exports of a :class:`~ocrxtract.document.Document`, and readers for the lossless ones.

Every export is a pure function of the document that returns text (write it as UTF-8):

========  ===========  ==========================================================  =========
format    extension    what                                                        read back
========  ===========  ==========================================================  =========
json      ``.json``    the result model's own JSON (:mod:`.json_export`)          yes
txt       ``.txt``     text in reading order, pages split by ``\\f``               no
hocr      ``.hocr``    hOCR 1.2, XHTML (:mod:`.hocr`)                              yes
alto      ``.xml``     ALTO v4 (:mod:`.alto`)                                      yes
========  ===========  ==========================================================  =========

``read_document(export_document(doc, fmt), fmt) == doc`` holds for json, hocr and alto: boxes,
polygons, confidences, block kinds, page sizes, dpi, provenance, source and metadata all come
back. Where hOCR and ALTO have no field for something, the module docstrings say where it goes.
"""

from __future__ import annotations

import logging

from ocrxtract.document import Document
from ocrxtract.errors import UnknownFormatError

log = logging.getLogger(__name__)

#: Every export format, in the order they are offered.
FORMATS: tuple[str, ...] = ("json", "txt", "hocr", "alto")
#: Formats that :func:`read_document` reads back.
READABLE_FORMATS: tuple[str, ...] = ("json", "hocr", "alto")

_EXTENSIONS = {"json": ".json", "txt": ".txt", "hocr": ".hocr", "alto": ".xml"}

__all__ = [
    "FORMATS",
    "READABLE_FORMATS",
    "export_document",
    "file_extension",
    "read_document",
]


def _check_format(fmt: str) -> str:
    key = fmt.strip().lower() if isinstance(fmt, str) else fmt
    if key not in FORMATS:
        raise UnknownFormatError(
            f"unknown export format {fmt!r}; known formats: {', '.join(FORMATS)}"
        )
    return key


def file_extension(fmt: str) -> str:
    """File extension, with its dot, for a format (``"alto"`` -> ``".xml"``).

    Raises:
        UnknownFormatError: ``fmt`` is not one of :data:`FORMATS`.
    """
    return _EXTENSIONS[_check_format(fmt)]


def export_document(doc: Document, fmt: str) -> str:
    """Export ``doc`` in format ``fmt`` (one of :data:`FORMATS`, case-insensitive).

    Args:
        doc: The document to export.
        fmt: ``"json"``, ``"txt"``, ``"hocr"`` or ``"alto"``.

    Returns:
        The exported text; XML formats start with an UTF-8 XML declaration.

    Raises:
        UnknownFormatError: ``fmt`` is not a known format (the message lists them).
        ExportError: hocr/alto only: some text holds a control character that XML cannot
            carry (json can).
    """
    key = _check_format(fmt)
    if key == "json":
        from ocrxtract.export.json_export import to_json

        return to_json(doc)
    if key == "txt":
        from ocrxtract.export.text_export import to_text

        return to_text(doc)
    if key == "hocr":
        from ocrxtract.export.hocr import to_hocr

        return to_hocr(doc)
    from ocrxtract.export.alto import to_alto

    return to_alto(doc)


def read_document(text: str | bytes, fmt: str, *, name: str | None = None) -> Document:
    """Read an export back into a :class:`Document` (formats in :data:`READABLE_FORMATS`).

    Args:
        text: The exported text, or the file's bytes.
        fmt: ``"json"``, ``"hocr"`` or ``"alto"``.
        name: Name of the input (usually its file name), used in error messages.

    Raises:
        UnknownFormatError: ``fmt`` is unknown, or is ``"txt"``, which cannot be read back.
        ExportParseError: the input is malformed or does not describe a valid document.
    """
    key = _check_format(fmt)
    if key == "json":
        from ocrxtract.export.json_export import from_json

        return from_json(text, name=name)
    if key == "hocr":
        from ocrxtract.export.hocr import from_hocr

        return from_hocr(text, name=name)
    if key == "alto":
        from ocrxtract.export.alto import from_alto

        return from_alto(text, name=name)
    raise UnknownFormatError(
        f"format {fmt!r} cannot be read back (plain text keeps no layout); "
        f"readable formats: {', '.join(READABLE_FORMATS)}"
    )
