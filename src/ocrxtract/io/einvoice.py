"""E-invoices: the Factur-X / ZUGFeRD XML a PDF embeds, and its key fields.

A Factur-X (ZUGFeRD, XRechnung) invoice is a PDF/A-3 that carries its UN/CEFACT Cross Industry
Invoice XML as an attachment (``factur-x.xml``...): the invoice's data, exact. The French
e-invoicing reform (from 2026) makes it the common case for business invoices.
:func:`embedded_invoice_xml` finds it; :func:`parse_cii` reads its key fields (values as written
in the XML; dates as ISO ``YYYY-MM-DD``):

``invoice_number``, ``type_code`` (380 invoice, 381 credit note), ``issue_date``, ``due_date``,
``seller_name``, ``seller_siret``, ``seller_vat_id``, ``buyer_name``, ``buyer_siret``,
``buyer_vat_id``, ``currency``, ``total_ht`` (tax basis), ``total_tva`` (tax total in the invoice
currency), ``total_ttc`` (grand total), ``amount_due``. The amounts of a credit note of type
381, which the XML writes positive, are given negative, as the credit note prints them (a type
380 credit note writes them negative already): both kinds read alike. A field absent from the
XML (MINIMUM profiles carry fewer) is absent from the result. ``siret`` holds the legal
organisation id of scheme ``0002`` (SIRENE: 14 digits SIRET, or 9 digits SIREN).

Used by the ``fr-invoices-facturx-fnfe`` dataset (its ground truth) and by field extraction
(an invoice read from its XML rather than from its text).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ocrxtract.errors import CorruptInputError

#: Names under which Factur-X / ZUGFeRD / XRechnung embed their XML.
ATTACHMENT_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd_invoice.xml")
SIRENE_SCHEME = "0002"
VAT_SCHEME = "VA"


def _local_name(element: Any) -> str:
    return str(element.tag).rpartition("}")[2]


def _attachment(pdf: Path) -> tuple[bytes | None, list[str]]:
    """The invoice XML attached to ``pdf`` (``None``: none) and the names of its attachments.

    Raises:
        CorruptInputError: the PDF cannot be opened.
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise CorruptInputError(pdf, f"cannot open the PDF ({exc})") from exc
    names: list[str] = []
    try:
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            names.append(attachment.get_name())
            if names[-1].lower() in ATTACHMENT_NAMES:
                return bytes(attachment.get_data()), names
    finally:
        document.close()
    return None, names


def embedded_invoice_xml(pdf: Path) -> bytes | None:
    """The e-invoice XML embedded in ``pdf``, or ``None`` when it embeds none.

    Raises:
        CorruptInputError: the PDF cannot be opened.
    """
    return _attachment(pdf)[0]


def extract_embedded_xml(pdf: Path) -> bytes:
    """The Factur-X/ZUGFeRD XML embedded in a PDF.

    Raises:
        CorruptInputError: the PDF cannot be opened or embeds no invoice XML.
    """
    data, names = _attachment(pdf)
    if data is None:
        raise CorruptInputError(
            pdf,
            f"no embedded invoice XML (attachments: {', '.join(names) or 'none'})",
            f"is it a Factur-X PDF? expected one of {', '.join(ATTACHMENT_NAMES)}",
        )
    return data


def _text(root: Any, path: str) -> str | None:
    element = root.find(path)
    if element is None or element.text is None or not element.text.strip():
        return None
    return str(element.text.strip())


def _date(raw: str | None) -> str | None:
    if raw and re.fullmatch(r"\d{8}", raw):
        return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    return raw


def _party(party: Any, prefix: str, fields: dict[str, str | None]) -> None:
    if party is None:
        return
    fields[f"{prefix}_name"] = _text(party, "{*}Name")
    for legal in party.findall("{*}SpecifiedLegalOrganization/{*}ID"):
        if legal.get("schemeID") in (SIRENE_SCHEME, None) and legal.text:
            fields[f"{prefix}_siret"] = legal.text.strip()
            break
    for tax in party.findall("{*}SpecifiedTaxRegistration/{*}ID"):
        if tax.get("schemeID") == VAT_SCHEME and tax.text:
            fields[f"{prefix}_vat_id"] = tax.text.strip()
            break


def parse_cii(data: bytes, path: Path) -> tuple[dict[str, str], str | None]:
    """Key fields of a UN/CEFACT Cross Industry Invoice, and its profile (guideline id).

    Raises:
        CorruptInputError: not well-formed or not a CrossIndustryInvoice.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise CorruptInputError(path, f"invoice XML is not well-formed ({exc})") from exc
    if _local_name(root) != "CrossIndustryInvoice":
        raise CorruptInputError(path, f"root element <{_local_name(root)}> is not a CII invoice")
    profile = _text(
        root, "{*}ExchangedDocumentContext/{*}GuidelineSpecifiedDocumentContextParameter/{*}ID"
    )
    doc = "{*}ExchangedDocument/"
    trade = "{*}SupplyChainTradeTransaction/"
    agreement = root.find(trade + "{*}ApplicableHeaderTradeAgreement")
    settlement = trade + "{*}ApplicableHeaderTradeSettlement/"
    sums = settlement + "{*}SpecifiedTradeSettlementHeaderMonetarySummation/"
    currency = _text(root, settlement + "{*}InvoiceCurrencyCode")
    fields: dict[str, str | None] = {
        "invoice_number": _text(root, doc + "{*}ID"),
        "type_code": _text(root, doc + "{*}TypeCode"),
        "issue_date": _date(_text(root, doc + "{*}IssueDateTime/{*}DateTimeString")),
        "due_date": _date(
            _text(
                root,
                settlement + "{*}SpecifiedTradePaymentTerms/{*}DueDateDateTime/{*}DateTimeString",
            )
        ),
        "currency": currency,
        "total_ht": _text(root, sums + "{*}TaxBasisTotalAmount"),
        "total_ttc": _text(root, sums + "{*}GrandTotalAmount"),
        "amount_due": _text(root, sums + "{*}DuePayableAmount"),
    }
    taxes = root.findall(sums + "{*}TaxTotalAmount")
    for tax in taxes:
        if tax.text and tax.get("currencyID") in (currency, None):
            fields["total_tva"] = tax.text.strip()
            break
    if agreement is not None:
        _party(agreement.find("{*}SellerTradeParty"), "seller", fields)
        _party(agreement.find("{*}BuyerTradeParty"), "buyer", fields)
    if fields["type_code"] == CREDIT_NOTE:
        for name in AMOUNTS:
            fields[name] = _negated(fields.get(name))
    return {k: v for k, v in fields.items() if v}, profile


#: Type code of a credit note whose amounts the XML writes positive (EN 16931: the type says
#: it is a credit); a credit note of type 380 writes them negative.
CREDIT_NOTE = "381"
AMOUNTS = ("total_ht", "total_tva", "total_ttc", "amount_due")


def _negated(amount: str | None) -> str | None:
    """A positive XML amount as a credit (``"218.48"`` -> ``"-218.48"``), as invoices print
    it; zero and negative amounts are kept."""
    if amount is None or amount.startswith("-") or not amount.strip("0."):
        return amount
    return f"-{amount}"
