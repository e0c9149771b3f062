"""Factur-X / ZUGFeRD invoices: a PDF whose embedded UN/CEFACT CII XML is the ground truth of
the key fields.

The XML is read from ``gt/<stem>.factur-x.xml`` when present, else extracted from the PDF's
embedded files with pypdfium2 (``factur-x.xml``, ``zugferd-invoice.xml``, ``xrechnung.xml``).
Fields (values as written in the XML; dates as ISO ``YYYY-MM-DD``):

``invoice_number``, ``type_code`` (380 invoice, 381 credit note), ``issue_date``, ``due_date``,
``seller_name``, ``seller_siret``, ``seller_vat_id``, ``buyer_name``, ``buyer_siret``,
``buyer_vat_id``, ``currency``, ``total_ht`` (tax basis), ``total_tva`` (tax total in the invoice
currency), ``total_ttc`` (grand total), ``amount_due``. A field absent from the XML (MINIMUM
profiles carry fewer) is absent from :attr:`Sample.fields`.

``siret`` holds the legal organisation id of scheme ``0002`` (SIRENE: 14 digits SIRET, or 9
digits SIREN).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import empty_page
from ocrxtract.datasets.files import GT_DIR, IMAGES_DIR, files_by_stem, local_name, require_root
from ocrxtract.datasets.geometry import pdf_page_sizes, pdf_pixel_size
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import Document
from ocrxtract.errors import CorruptInputError

log = logging.getLogger(__name__)

GT_SUFFIX = ".factur-x.xml"
#: Names under which Factur-X / ZUGFeRD / XRechnung embed their XML.
ATTACHMENT_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd_invoice.xml")
SIRENE_SCHEME = "0002"
VAT_SCHEME = "VA"


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Every PDF (``images/`` when present, else anywhere under the root), with its XML when
    given beside it in ``gt/``."""
    root = require_root(root, spec.name)
    found = Discovery(root=root)
    if (root / IMAGES_DIR).is_dir():
        found.layout = "images/<stem>.pdf (+ gt/<stem>.factur-x.xml)"
        pdfs = files_by_stem(root / IMAGES_DIR, [".pdf"])
        xmls = files_by_stem(root / GT_DIR, [GT_SUFFIX])
        for stem, pdf in pdfs.items():
            files = {"pdf": pdf, **({"gt": xmls[stem]} if stem in xmls else {})}
            found.items.append(Item(stem, spec.default_split, files))
        found.skipped += [(s, "XML without its PDF") for s in sorted(set(xmls) - set(pdfs))]
        return found
    found.layout = "PDFs anywhere (XML extracted from the PDF)"
    include = spec.source.include_dir
    for pdf in sorted(p for p in root.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()):
        if include and include not in pdf.relative_to(root).parts[:-1]:
            continue
        sample_id = str(pdf.relative_to(root).with_suffix(""))
        found.items.append(Item(sample_id, spec.default_split, {"pdf": pdf}))
    return found


def extract_embedded_xml(pdf: Path) -> bytes:
    """The Factur-X/ZUGFeRD XML embedded in a PDF.

    Raises:
        CorruptInputError: the PDF cannot be opened or embeds no invoice XML.
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise CorruptInputError(pdf, f"cannot open the PDF ({exc})") from exc
    try:
        names = []
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            name = attachment.get_name()
            names.append(name)
            if name.lower() in ATTACHMENT_NAMES:
                return bytes(attachment.get_data())
    finally:
        document.close()
    raise CorruptInputError(
        pdf,
        f"no embedded invoice XML (attachments: {', '.join(names) or 'none'})",
        f"is it a Factur-X PDF? expected one of {', '.join(ATTACHMENT_NAMES)}",
    )


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
    if local_name(root) != "CrossIndustryInvoice":
        raise CorruptInputError(path, f"root element <{local_name(root)}> is not a CII invoice")
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
    return {k: v for k, v in fields.items() if v}, profile


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one invoice: fields from its XML, page sizes from its PDF."""
    pdf = item.files["pdf"]
    notes = []
    if "gt" in item.files:
        xml_path = item.files["gt"]
        data = xml_path.read_bytes()
    else:
        xml_path = pdf
        data = extract_embedded_xml(pdf)
        notes.append("invoice XML extracted from the PDF attachment")
    fields, profile = parse_cii(data, xml_path)
    dpi = float(spec.render_dpi)
    sizes = pdf_page_sizes(pdf)
    source = f"{spec.name}:factur-x"
    pages = [
        empty_page(i, *pdf_pixel_size(w, h, dpi), dpi, source) for i, (w, h) in enumerate(sizes)
    ]
    if profile:
        notes.append(f"profile {profile}")
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=tuple(PageRef(path=pdf, index=i) for i in range(len(sizes))),
        truth=Document(
            source=str(pdf),
            pages=pages,
            metadata={
                "format": "factur-x",
                "ground_truth": str(xml_path),
                "profile": profile or "",
            },
        ),
        text="",
        split=item.split,
        dpi=dpi,
        fields=fields,
        notes=tuple(notes),
        # The XML's names map onto the invoice schema (its aliases); it may leave printed
        # fields out (the MINIMUM profile has no parties' addresses, no due date).
        tags={"schema": "invoice", "fields": "partial"},
    )
