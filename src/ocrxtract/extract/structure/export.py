"""Structure exports: Markdown, JSON and a flat CSV of key-values (pure functions).

* **Markdown**: headings as ``#`` … ``######`` by level, paragraphs, lists (``-`` or ``1.``,
  nested by four spaces), tables as pipe tables (first row as header), key-values as
  ``**Key :** value`` lines. A table whose grid was not read is kept as its text under an
  HTML comment.
* **JSON**: :class:`~ocrxtract.extract.structure.model.StructureDocument` as it is (versioned).
* **CSV**: one row per key-value: ``source, section, key, value, page`` (``section`` is the
  path of titles, ``" > "``-separated).
"""

from __future__ import annotations

import csv
import io
import re

from ocrxtract.errors import UnknownFormatError
from ocrxtract.extract.structure.model import (
    KeyValue,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    StructureDocument,
    TableBlock,
)

#: Format -> file suffix of ``ocrxtract structure --format``.
STRUCTURE_FORMATS = {"md": ".md", "json": ".structure.json", "csv": ".kv.csv"}
#: Columns of the key-value CSV.
CSV_COLUMNS = ("source", "section", "key", "value", "page")

_ORDERED = re.compile(r"^\(?(\d{1,3})[.)]$")
_LEADING_SPECIAL = re.compile(r"^(#{1,6}\s|\d{1,3}[.)]\s|[-*+]\s|>)")


def _escape(text: str) -> str:
    """Text that Markdown reads as text (a leading ``#``, ``1.``, ``-`` or ``>`` escaped)."""
    return _LEADING_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _table(table: TableBlock) -> str:
    if not table.rows:
        return f"<!-- table region: grid not read -->\n{_escape(table.text)}"
    width = max(len(row) for row in table.rows)
    rows = [[_cell(c) for c in row] + [""] * (width - len(row)) for row in table.rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _items(items: list[ListItem], ordered: bool, depth: int) -> list[str]:
    lines = []
    for number, item in enumerate(items, start=1):
        match = _ORDERED.match(item.marker)
        if match:
            bullet = f"{match.group(1)}."
        elif ordered:
            bullet = f"{number}."
        else:
            bullet = "-"
        lines.append(f"{'    ' * depth}{bullet} {item.text}".rstrip())
        lines += _items(item.items, ordered, depth + 1)
    return lines


def _section(section: Section, out: list[str]) -> None:
    if section.title is not None:
        out.append(f"{'#' * min(6, section.level)} {section.title}")
    for child in section.children:
        if isinstance(child, Section):
            _section(child, out)
        elif isinstance(child, Paragraph):
            out.append(_escape(child.text))
        elif isinstance(child, ListBlock):
            out.append("\n".join(_items(child.items, child.ordered, 0)))
        elif isinstance(child, TableBlock):
            out.append(_table(child))
        elif isinstance(child, KeyValue):
            out.append(f"**{_cell(child.key)} :** {child.value}")


def to_markdown(document: StructureDocument) -> str:
    """The document as Markdown (see the module docstring)."""
    out: list[str] = []
    for section in document.sections:
        _section(section, out)
    return "\n\n".join(part for part in out if part) + "\n"


def _paths(section: Section, parents: tuple[str, ...], out: list[tuple[str, KeyValue]]) -> None:
    path = (*parents, section.title) if section.title else parents
    for child in section.children:
        if isinstance(child, Section):
            _paths(child, path, out)
        elif isinstance(child, KeyValue):
            out.append((" > ".join(path), child))


def key_value_rows(document: StructureDocument) -> list[dict[str, str]]:
    """One dict per key-value: ``source, section, key, value, page`` (1-based page)."""
    found: list[tuple[str, KeyValue]] = []
    for section in document.sections:
        _paths(section, (), found)
    return [
        {
            "source": document.source or "",
            "section": path,
            "key": kv.key,
            "value": kv.value,
            "page": str(kv.locations[0].page + 1) if kv.locations else "",
        }
        for path, kv in found
    ]


def to_csv(document: StructureDocument) -> str:
    """The key-values as CSV (header ``source,section,key,value,page``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(key_value_rows(document))
    return buffer.getvalue()


def export_structure(document: StructureDocument, fmt: str) -> str:
    """The document in format ``md``, ``json`` or ``csv``.

    Raises:
        UnknownFormatError: another format; the message lists the known ones.
    """
    if fmt == "md":
        return to_markdown(document)
    if fmt == "json":
        return document.to_json() + "\n"
    if fmt == "csv":
        return to_csv(document)
    raise UnknownFormatError(
        f"unknown structure format {fmt!r}; known formats: {', '.join(STRUCTURE_FORMATS)}"
    )
