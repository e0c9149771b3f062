"""Structure of well-formatted documents: headings, sections, lists, tables, key-values.

=====================  ==============================================================
module                 job
=====================  ==============================================================
:mod:`.model`          the tree (:class:`StructureDocument`), its JSON schema, version
:mod:`.lines`          lines with their style, from a PDF's fonts or any engine
:mod:`.headings`       numbering, heading cues, levels
:mod:`.tables`         table regions (rules, aligned columns, the tables brick's)
:mod:`.words`          re-flow and hyphenation (word lists)
:mod:`.analyze`        lines -> blocks -> sections
:mod:`.api`            :func:`structure_of_pdf`, :func:`structure_of_document`
:mod:`.export`         Markdown, JSON, key-value CSV
:mod:`.compare`        one section or key across several documents, as one table
:mod:`.extractor`      the ``structure`` extractor for the pipeline and the benchmark
=====================  ==============================================================
"""

from ocrxtract.extract.structure.api import (
    StructureOptions,
    structure_of_document,
    structure_of_pages,
    structure_of_pdf,
)
from ocrxtract.extract.structure.compare import compare_documents, compare_rows, rows_to_csv
from ocrxtract.extract.structure.export import (
    STRUCTURE_FORMATS,
    export_structure,
    key_value_rows,
    to_csv,
    to_markdown,
)
from ocrxtract.extract.structure.extractor import (
    METADATA_KEY,
    StructureExtractor,
    StructureExtractorOptions,
    structure_from_metadata,
)
from ocrxtract.extract.structure.model import (
    SCHEMA_VERSION,
    Furniture,
    KeyValue,
    ListBlock,
    ListItem,
    Location,
    PageInfo,
    Paragraph,
    Section,
    StructureDocument,
    TableBlock,
    json_schema,
)

__all__ = [
    "METADATA_KEY",
    "SCHEMA_VERSION",
    "STRUCTURE_FORMATS",
    "Furniture",
    "KeyValue",
    "ListBlock",
    "ListItem",
    "Location",
    "PageInfo",
    "Paragraph",
    "Section",
    "StructureDocument",
    "StructureExtractor",
    "StructureExtractorOptions",
    "StructureOptions",
    "TableBlock",
    "compare_documents",
    "compare_rows",
    "export_structure",
    "json_schema",
    "key_value_rows",
    "rows_to_csv",
    "structure_from_metadata",
    "structure_of_document",
    "structure_of_pages",
    "structure_of_pdf",
    "to_csv",
    "to_markdown",
]
