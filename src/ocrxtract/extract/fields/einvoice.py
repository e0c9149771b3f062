"""Key fields of an e-invoice read from the XML its PDF embeds (Factur-X, ZUGFeRD, XRechnung).

An invoice that carries its UN/CEFACT CII XML says exactly what it bills: reading its key fields
from that XML beats reading them from its text. The XML's names (``invoice_number``,
``seller_siret``...) are mapped onto the ``invoice`` schema by the schema's aliases; values are
normalised by the schema's types and checked like extracted ones (SIRET key, VAT key,
HT + TVA = TTC). Each field has confidence 1, no page and no box: it comes from no page.
"""

from __future__ import annotations

from pathlib import Path

from ocrxtract.document import KeyField
from ocrxtract.extract.fields.api import Extraction
from ocrxtract.extract.fields.checks import check_value, cross_checks
from ocrxtract.extract.fields.schema import load_schema
from ocrxtract.extract.fields.types import normalize
from ocrxtract.io.einvoice import embedded_invoice_xml, parse_cii

#: The method named in results for fields read from an embedded XML.
METHOD = "embedded-xml"
SCHEMA = "invoice"


def embedded_fields(pdf: Path) -> Extraction | None:
    """The ``invoice`` fields of the e-invoice XML embedded in ``pdf``; ``None`` when it embeds
    none.

    Raises:
        CorruptInputError: the PDF cannot be opened, or its XML is not a CII invoice.
    """
    data = embedded_invoice_xml(pdf)
    if data is None:
        return None
    raw, _profile = parse_cii(data, pdf)
    schema = load_schema(SCHEMA)
    texts: dict[str, str] = {}
    for name, spec in schema.fields.items():
        for key in (name, *spec.aliases):
            if raw.get(key):
                texts[name] = raw[key]
                break
    values = {
        name: normalize(schema.fields[name].type, text) or text for name, text in texts.items()
    }
    crossed = cross_checks(schema, values)
    fields = []
    for name, text in texts.items():
        checks = {**check_value(schema.fields[name].check, values[name]), **crossed.get(name, {})}
        fields.append(
            KeyField(
                name=name,
                value=values[name],
                text=text,
                confidence=1.0,
                valid=all(checks.values()) if checks else None,
                checks=checks,
            )
        )
    return Extraction(SCHEMA, METHOD, fields, {SCHEMA: 1.0})
