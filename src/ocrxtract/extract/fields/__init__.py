"""Key-field extraction: payslips, rent receipts, ID cards, till receipts, invoices, SROIE.

==================  ===========================================================
module              job
==================  ===========================================================
:mod:`.schema`      schemas (YAML in ``schemas/``): fields, types, labels, checks
:mod:`.types`       field types: patterns and normalisers
:mod:`.checks`      check digits and consistency checks (flag, never drop)
:mod:`.candidates`  the spans of a document a value could be
:mod:`.features`    label anchors, position, shape of (field, candidate) pairs
:mod:`.model`       the LightGBM classifier (text model + JSON card)
:mod:`.select`      the best candidate per field, runners-up, checks
:mod:`.detect`      the document type (``--schema auto``)
:mod:`.api`         :func:`extract_fields`
==================  ===========================================================
"""

from ocrxtract.extract.fields.api import Extraction, extract_fields
from ocrxtract.extract.fields.detect import Detection, detect
from ocrxtract.extract.fields.schema import FieldSpec, Schema, load_schema, schema_names

__all__ = [
    "Detection",
    "Extraction",
    "FieldSpec",
    "Schema",
    "detect",
    "extract_fields",
    "load_schema",
    "schema_names",
]
