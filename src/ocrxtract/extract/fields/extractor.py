"""The ``fields`` extractor: the pipeline's way to key fields.

It fills ``Document.fields`` with what :func:`~ocrxtract.extract.fields.extract_fields` finds
and puts the detected type in ``Document.metadata["doc_type"]`` (with the type scores, as JSON,
in ``metadata["doc_type_scores"]``).
"""

from __future__ import annotations

import json
from typing import ClassVar

from ocrxtract.document import Document
from ocrxtract.extract.base import Extractor, ExtractorOptions
from ocrxtract.extract.fields.api import extract_fields


class FieldsExtractorOptions(ExtractorOptions):
    """Options of the ``fields`` extractor."""

    schema_name: str = "auto"
    method: str = "auto"


class FieldsExtractor(Extractor):
    """Key fields of payslips, rent receipts, ID cards, receipts, invoices (any engine)."""

    name = "fields"
    options_class = FieldsExtractorOptions
    description = "Key fields: schema detection, layout rules and a LightGBM classifier"
    produces: ClassVar[frozenset[str]] = frozenset({"fields"})

    def _extract(self, document: Document) -> Document:
        options = self.options
        assert isinstance(options, FieldsExtractorOptions)
        result = extract_fields(document, options.schema_name, method=options.method)
        document.fields = result.fields
        document.metadata["doc_type"] = result.doc_type
        document.metadata["doc_type_scores"] = json.dumps(result.type_scores)
        return document
