"""Factur-X / ZUGFeRD invoices: a PDF whose embedded UN/CEFACT CII XML is the ground truth of
the key fields.

The XML is read from ``gt/<stem>.factur-x.xml`` when present, else extracted from the PDF's
embedded files with pypdfium2 (``factur-x.xml``, ``zugferd-invoice.xml``, ``xrechnung.xml``).
Fields (values as written in the XML; dates as ISO ``YYYY-MM-DD``):

``invoice_number``, ``type_code`` (380 invoice, 381 credit note), ``issue_date``, ``due_date``,
``seller_name``, ``seller_siret``, ``seller_vat_id``, ``buyer_name``, ``buyer_siret``,
``buyer_vat_id``, ``currency``, ``total_ht`` (tax basis), ``total_tva`` (tax total in the invoice
currency), ``total_ttc`` (grand total), ``amount_due`` (negative for a credit note, whatever
its type code: :func:`~ocrxtract.io.einvoice.parse_cii`). A field absent from the XML (MINIMUM
profiles carry fewer) is absent from :attr:`Sample.fields`.

``siret`` holds the legal organisation id of scheme ``0002`` (SIRENE: 14 digits SIRET, or 9
digits SIREN).
"""

from __future__ import annotations

import logging
from pathlib import Path

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import empty_page
from ocrxtract.datasets.files import GT_DIR, IMAGES_DIR, files_by_stem, require_root
from ocrxtract.datasets.geometry import pdf_page_sizes, pdf_pixel_size
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import Document
from ocrxtract.io.einvoice import ATTACHMENT_NAMES, extract_embedded_xml, parse_cii

__all__ = ["ATTACHMENT_NAMES", "discover", "extract_embedded_xml", "load", "parse_cii"]

log = logging.getLogger(__name__)

GT_SUFFIX = ".factur-x.xml"


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
