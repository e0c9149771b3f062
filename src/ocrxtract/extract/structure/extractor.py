"""The ``structure`` extractor: the pipeline's and the benchmark's way to the structure tree.

It works from any engine's reading (:func:`~ocrxtract.extract.structure.structure_of_document`:
geometry, numbering, spacing; no fonts, no page images), puts the tree, as JSON, in
``Document.metadata["structure"]`` (:func:`structure_from_metadata` reads it back), and marks
on each page the regions it found: headings (``title``), running headers, footers and page
numbers, lists (``list_item``) and tables (``table``). For born-digital PDFs,
:func:`~ocrxtract.extract.structure.structure_of_pdf` reads the fonts and rules too, and is what
``ocrxtract structure`` uses.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from ocrxtract.document import Document, Region, Role
from ocrxtract.extract.base import Extractor, ExtractorOptions
from ocrxtract.extract.structure.api import StructureOptions, structure_of_document
from ocrxtract.extract.structure.model import ListBlock, Section, StructureDocument, TableBlock
from ocrxtract.extract.structure.words import DEFAULT_LANGUAGES

log = logging.getLogger(__name__)

#: Where the tree goes in ``Document.metadata``.
METADATA_KEY = "structure"


class StructureExtractorOptions(ExtractorOptions):
    """Options of the ``structure`` extractor (see :class:`StructureOptions`)."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    dehyphenate: bool = True


class StructureExtractor(Extractor):
    """Headings, sections, lists, tables and key-values of any engine's reading."""

    name = "structure"
    options_class = StructureExtractorOptions
    description = "Structure tree: headings, sections, lists, tables, key-values"
    produces: ClassVar[frozenset[str]] = frozenset({"structure"})

    @classmethod
    def version(cls) -> str:
        from ocrxtract.extract.structure.model import SCHEMA_VERSION

        return f"1 (schema {SCHEMA_VERSION})"

    def _extract(self, document: Document) -> Document:
        options = self.options
        assert isinstance(options, StructureExtractorOptions)
        structure = structure_of_document(
            document,
            StructureOptions(languages=options.languages, dehyphenate=options.dehyphenate),
        )
        document.metadata[METADATA_KEY] = structure.model_dump_json()
        _mark_regions(document, structure)
        return document


def _mark_regions(document: Document, structure: StructureDocument) -> None:
    pages = {page.index: page for page in document.pages}
    found: list[tuple[int, Role, Region]] = []
    for item in structure.furniture:
        role: Role = item.role
        found.append((item.location.page, role, Region(role=role, bbox=item.location.bbox)))
    for section in structure.iter_sections():
        if section.title is not None:
            for location in section.locations:
                found.append((location.page, "title", Region(role="title", bbox=location.bbox)))
        for child in section.children:
            if isinstance(child, (ListBlock, TableBlock)) and not isinstance(child, Section):
                kind: Role = "list_item" if isinstance(child, ListBlock) else "table"
                for location in child.locations:
                    found.append((location.page, kind, Region(role=kind, bbox=location.bbox)))
    for index, _, region in found:
        page = pages.get(index)
        if page is not None:
            page.regions.append(region)


def structure_from_metadata(document: Document) -> StructureDocument | None:
    """The tree the ``structure`` extractor left in ``document``, or ``None``."""
    raw = document.metadata.get(METADATA_KEY)
    return StructureDocument.from_json(raw) if raw else None
