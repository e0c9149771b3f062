"""The structure tree of a document, its JSON schema and its version.

A :class:`StructureDocument` holds the document's **sections** (title, level, numbering) in a
tree; each section holds its content in reading order: :class:`Paragraph`, :class:`ListBlock`
(items, nested), :class:`TableBlock` (a grid of cells, or only its region), :class:`KeyValue`
and sub-sections. Running headers, footers and page numbers are set aside in ``furniture``.
Every node has the pages and boxes it was read from (:class:`Location`: 0-based page, box in
the pixel space of the document's ``dpi``; see :mod:`ocrxtract.document` for the convention).

Content found before the first heading, or in a document without headings, is kept in one
*untitled* section (``title`` is ``None``).

The JSON form is ``StructureDocument.model_dump(mode="json")``, read back with
``model_validate``; its schema is :func:`json_schema`. ``schema_version`` follows semantic
versioning: a new optional field bumps the minor number, a renamed or removed one the major.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ocrxtract.document import BBox

#: Version of the JSON form (``schema_version`` of every document written).
SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    """Where a node was read: 0-based page and box (pixels at the document's dpi)."""

    page: int = Field(ge=0)
    bbox: BBox


class Paragraph(_Model):
    """A paragraph, re-flowed across line, column and page breaks (hyphenation undone where
    the joined word is a word)."""

    type: Literal["paragraph"] = "paragraph"
    text: str
    locations: list[Location] = Field(default_factory=list)


class ListItem(_Model):
    """One list item: its marker (``•``, ``1.``, ``a)``), text and nested items."""

    marker: str = ""
    text: str
    items: list[ListItem] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)


class ListBlock(_Model):
    """A list: ordered when its markers are numbers or letters."""

    type: Literal["list"] = "list"
    ordered: bool = False
    items: list[ListItem] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)

    def iter_items(self) -> Iterator[ListItem]:
        """Every item, depth first."""
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.items))


class TableBlock(_Model):
    """A table: its rows of cell texts when the grid was read, else only its region.

    ``source`` says who read the grid: ``rules`` (ruling lines), ``alignment`` (aligned text
    columns), ``tables`` (the tables brick, :mod:`ocrxtract.extract.tables`, through
    ``Page.tables``) or ``region`` (the region only: ``rows`` is empty and ``text`` holds the
    words in reading order, for a tables reader to fill later).
    """

    type: Literal["table"] = "table"
    rows: list[list[str]] = Field(default_factory=list)
    header_rows: int = Field(default=0, ge=0)
    source: Literal["rules", "alignment", "tables", "region"] = "region"
    text: str = ""
    locations: list[Location] = Field(default_factory=list)


class KeyValue(_Model):
    """A key-value line (``Intitulé du poste : Chargé de mission``)."""

    type: Literal["key_value"] = "key_value"
    key: str
    value: str
    locations: list[Location] = Field(default_factory=list)


Block = Annotated[
    "Paragraph | ListBlock | TableBlock | KeyValue | Section", Field(discriminator="type")
]


class Section(_Model):
    """A section: its heading (``None`` for the untitled section), level 1-6 and content."""

    type: Literal["section"] = "section"
    level: int = Field(ge=1, le=6)
    title: str | None = None
    numbering: str | None = None
    children: list[Block] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)

    def sections(self) -> Iterator[Section]:
        """This section and every sub-section, depth first."""
        yield self
        for child in self.children:
            if isinstance(child, Section):
                yield from child.sections()

    def blocks(self) -> Iterator[Paragraph | ListBlock | TableBlock | KeyValue]:
        """The content blocks of this section and its sub-sections, in reading order."""
        for child in self.children:
            if isinstance(child, Section):
                yield from child.blocks()
            else:
                yield child

    def text(self) -> str:
        """The section's text: its own content and its sub-sections', titles included."""
        return "\n\n".join(part for part in _texts(self) if part)


class Furniture(_Model):
    """A running header, footer or page number, set aside from the content."""

    role: Literal["header", "footer", "page_number"]
    text: str
    location: Location


class PageInfo(_Model):
    """A page's size in pixels at the document's dpi, and how its text was read."""

    index: int = Field(ge=0)
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    reading: Literal["text-layer", "ocr"] = "text-layer"


class StructureDocument(_Model):
    """A document's structure: sections in a tree, furniture aside, warnings.

    Attributes:
        schema_version: Version of this JSON form (:data:`SCHEMA_VERSION`).
        source: The file (or name) it was read from.
        dpi: Resolution of the boxes' pixel space (72: PDF points).
        pages: The pages read.
        sections: Top-level sections in reading order.
        furniture: Running headers, footers and page numbers.
        warnings: What the reader doubts (broken font encodings, pages without text).
    """

    schema_version: str = SCHEMA_VERSION
    source: str | None = None
    dpi: float = Field(default=72.0, gt=0)
    pages: list[PageInfo] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    furniture: list[Furniture] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def iter_sections(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        for section in self.sections:
            yield from section.sections()

    def headings(self) -> list[tuple[str, int]]:
        """``(title, level)`` of every titled section, in reading order."""
        return [(s.title, s.level) for s in self.iter_sections() if s.title is not None]

    def key_values(self) -> Iterator[tuple[Section, KeyValue]]:
        """Every key-value with the innermost section that holds it."""
        for section in self.iter_sections():
            for child in section.children:
                if isinstance(child, KeyValue):
                    yield section, child

    def text(self) -> str:
        """The content's text in reading order (titles included, furniture excluded)."""
        return "\n\n".join(section.text() for section in self.sections)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> StructureDocument:
        return cls.model_validate_json(data)


def _texts(section: Section) -> Iterator[str]:
    if section.title:
        yield section.title
    for child in section.children:
        if isinstance(child, Section):
            yield from _texts(child)
        elif isinstance(child, Paragraph):
            yield child.text
        elif isinstance(child, ListBlock):
            yield "\n".join(f"{item.marker} {item.text}".strip() for item in child.iter_items())
        elif isinstance(child, TableBlock):
            yield "\n".join(" ".join(row) for row in child.rows) if child.rows else child.text
        else:
            yield f"{child.key} : {child.value}"


def json_schema() -> dict[str, Any]:
    """The JSON schema of :class:`StructureDocument` (draft 2020-12), with its version."""
    schema = StructureDocument.model_json_schema()
    schema["$id"] = f"https://ocrxtract/schemas/structure-{SCHEMA_VERSION}.json"
    schema["title"] = f"ocrxtract structure {SCHEMA_VERSION}"
    return schema


Section.model_rebuild()
ListItem.model_rebuild()
StructureDocument.model_rebuild()
