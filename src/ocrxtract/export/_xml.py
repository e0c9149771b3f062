"""Helpers shared by the hOCR and ALTO modules: safe parsing, number text, XML-legal text.

lxml ships no type hints (``lxml-stubs`` is in the ``dev`` extra), so elements are typed
:data:`Element` (``Any``) here.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from lxml import etree  # type: ignore[import-untyped,unused-ignore]
from pydantic import ValidationError

from ocrxtract.document import Document, Point
from ocrxtract.errors import ExportError, ExportParseError

log = logging.getLogger(__name__)

#: An ``lxml.etree._Element``.
Element = Any

#: Characters that XML 1.0 cannot hold, not even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: An XML declaration at the start of a str (its ``encoding`` means nothing for a str).
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\b[^>]*\?>")


def xml_text(value: str, what: str, fmt: str) -> str:
    """Return ``value`` if XML 1.0 can hold it.

    Args:
        value: Text to put into an element or attribute.
        what: Where the text comes from, for the message (``"page 0 word 'abc'"``).
        fmt: Format being written (``"hOCR"``, ``"ALTO"``).

    Raises:
        ExportError: the text holds a control character or a lone surrogate.
    """
    bad = _XML_ILLEGAL.search(value)
    if bad:
        raise ExportError(
            f"cannot write {fmt}: {what} contains the character U+{ord(bad.group()):04X}, which "
            "XML 1.0 cannot hold; export this document as json, which keeps any text"
        )
    return value


def json_text(value: Any, what: str, fmt: str) -> str:
    """Compact JSON of ``value`` (non-ASCII kept as is), checked with :func:`xml_text`."""
    return xml_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), what, fmt)


def number_text(value: float) -> str:
    """The shortest text that reads back with ``float()`` as exactly ``value``.

    Integral values are written without a fractional part (``300.0`` -> ``"300"``).
    """
    number = float(value)
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return repr(number)


def points_text(points: Sequence[Point], separator: str = " ") -> str:
    """``[(1, 2), (3, 4)]`` -> ``"1 2 3 4"`` (or ``"1,2 3,4"`` with ``separator=","``)."""
    return " ".join(f"{x}{separator}{y}" for x, y in points)


def parse_points(text: str) -> list[Point]:
    """Read ``"x y x y ..."`` or ``"x,y x,y ..."`` into integer points (rounded).

    Raises:
        ValueError: an odd number of coordinates or a coordinate that is not a number.
    """
    values = [float(v) for v in text.replace(",", " ").split()]
    if len(values) % 2:
        raise ValueError(f"odd number of coordinates in points {text!r}")
    return [(round(values[i]), round(values[i + 1])) for i in range(0, len(values), 2)]


def parse_xml(data: str | bytes, label: str) -> Element:
    """Parse XML without fetching DTDs or network resources and without expanding entities.

    Args:
        data: The document, as text or as encoded bytes.
        label: Name of the input for messages (a file name or ``"ALTO input"``).

    Raises:
        ExportParseError: the input is empty or not well-formed XML.
    """
    if isinstance(data, str):
        data = _XML_DECLARATION.sub("", data, count=1)
    if not data.strip():
        raise ExportParseError(f"{label}: the input is empty")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ExportParseError(
            f"{label}: not well-formed XML ({exc}); check that the file is complete"
        ) from exc


def serialize(root: Element, doctype: str | None = None) -> str:
    """Indent ``root`` and return it as text, with an UTF-8 XML declaration."""
    etree.indent(root, space="  ")
    body = str(etree.tostring(root, encoding="unicode"))
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if doctype:
        head += doctype + "\n"
    return head + body + "\n"


def local_name(element: Element) -> str:
    """Tag name without its namespace (``""`` for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return str(etree.QName(tag).localname)


def describe(exc: ValueError) -> str:
    """One-line text of a reading problem (pydantic's multi-line errors condensed)."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or exc.title}: {error['msg']}"
            for error in exc.errors()[:5]
        )
    return str(exc)


@contextmanager
def context(where: str) -> Iterator[None]:
    """Prefix any ``ValueError`` raised inside with ``where`` (``"word 'w_1': ..."``)."""
    try:
        yield
    except ValueError as exc:
        raise ValueError(f"{where}: {describe(exc)}") from exc


def where(element: Element, kind: str) -> str:
    """How messages name an element: its ``id``/``ID``, else its line in the file."""
    ident = element.get("id") or element.get("ID")
    if ident:
        return f"{kind} {ident!r}"
    return f"{kind} on line {element.sourceline}"


def read_xml_document(
    data: str | bytes,
    label: str,
    *,
    kind: str,
    root_name: str,
    read: Callable[[Element], Document],
) -> Document:
    """Parse ``data``, check its root element and read it into a Document with ``read``.

    Raises:
        ExportParseError: not well-formed XML, a root other than ``<root_name>``, or a value
            that does not fit the result model (``read`` raises ``ValueError``, named here).
    """
    root = parse_xml(data, label)
    if local_name(root) != root_name:
        raise ExportParseError(
            f"{label}: not {kind}: the root element is <{local_name(root)}>, expected <{root_name}>"
        )
    try:
        return read(root)
    except ValueError as exc:
        raise ExportParseError(f"{label}: {describe(exc)}") from exc
