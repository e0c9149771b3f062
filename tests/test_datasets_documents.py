"""Factur-X invoices (XML from gt/ or from the PDF attachment) and whole-document reference
texts (plain-text format), on tiny PDFs made with pypdfium2."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest

from ocrxtract.datasets import facturx, plain_text
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.errors import CorruptInputError


def spec(fmt: str, **extra) -> DatasetSpec:
    data = {
        "name": "tiny", "folder": "tiny", "kind": "administrative", "language": "fra",
        "format": fmt, "tasks": ["fields"], "license": "test", "headline": {"metric": "field_f1"},
        "render_dpi": 72,
    }  # fmt: skip
    data.update(extra)
    return DatasetSpec.model_validate(data)


def make_pdf(path: Path, pages: int = 1, attachment: tuple[str, bytes] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    if attachment:
        document.new_attachment(attachment[0]).set_data(attachment[1])
    document.save(str(path))
    document.close()
    return path


CII = b"""<?xml version='1.0' encoding='UTF-8'?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn:factur-x.eu:1p0:basicwl</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument><ram:ID>FA-2017-0010</ram:ID><ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime>
      <udt:DateTimeString format="102">20171113</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>Au bon moulin</ram:Name>
        <ram:SpecifiedLegalOrganization>
          <ram:ID schemeID="0002">99999999800010</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="VA">FR11999999998</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Ma jolie boutique</ram:Name>
        <ram:SpecifiedTaxRegistration>
          <ram:ID schemeID="VA">ESA12345674</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>
        <udt:DateTimeString format="102">20171213</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:TaxBasisTotalAmount>624.90</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="USD">55.00</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">46.25</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>671.15</ram:GrandTotalAmount>
        <ram:DuePayableAmount>470.15</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""
FIELDS = {
    "invoice_number": "FA-2017-0010",
    "type_code": "380",
    "issue_date": "2017-11-13",
    "due_date": "2017-12-13",
    "seller_name": "Au bon moulin",
    "seller_siret": "99999999800010",
    "seller_vat_id": "FR11999999998",
    "buyer_name": "Ma jolie boutique",
    "buyer_vat_id": "ESA12345674",  # no buyer SIRET in the XML: no field
    "currency": "EUR",
    "total_ht": "624.90",
    "total_tva": "46.25",  # the tax total in the invoice currency, not the USD one
    "total_ttc": "671.15",
    "amount_due": "470.15",
}


def test_parse_cii_fields_and_profile(tmp_path):
    fields, profile = facturx.parse_cii(CII, tmp_path / "x.xml")
    assert fields == FIELDS
    assert profile == "urn:factur-x.eu:1p0:basicwl"
    with pytest.raises(CorruptInputError, match="not a CII invoice"):
        facturx.parse_cii(b"<Invoice/>", tmp_path / "x.xml")


def test_facturx_xml_from_gt_or_from_the_pdf(tmp_path):
    make_pdf(tmp_path / "images" / "a.pdf", attachment=("factur-x.xml", CII))
    make_pdf(tmp_path / "images" / "b.pdf", pages=2)
    (tmp_path / "gt").mkdir()
    (tmp_path / "gt" / "b.factur-x.xml").write_bytes(CII)
    s = spec("factur-x")
    found = facturx.discover(tmp_path, s)
    a, b = (facturx.load(item, s) for item in found.items)
    assert a.fields == FIELDS == b.fields
    assert "invoice XML extracted from the PDF attachment" in a.notes
    assert "invoice XML extracted from the PDF attachment" not in b.notes
    # A4 at 72 dpi is 595 x 842 pixels; the pages are referenced, not rendered
    assert [(p.width, p.height) for p in b.truth.pages] == [(595, 842), (595, 842)]
    assert [ref.index for ref in b.pages] == [0, 1]
    assert a.text == "" and a.truth.metadata["profile"] == "urn:factur-x.eu:1p0:basicwl"


def test_facturx_pdf_without_xml_names_the_file(tmp_path):
    pdf = make_pdf(tmp_path / "plain.pdf", attachment=("notes.txt", b"hello"))
    with pytest.raises(CorruptInputError, match=r"plain\.pdf.*notes\.txt"):
        facturx.extract_embedded_xml(pdf)
    assert (
        facturx.extract_embedded_xml(
            make_pdf(tmp_path / "z.pdf", attachment=("ZUGFeRD-invoice.xml", CII))
        )
        == CII
    )


def test_facturx_corpus_layout_keeps_the_included_folder(tmp_path):
    make_pdf(tmp_path / "corpus" / "v2" / "FNFE-factur-x-examples" / "a.pdf")
    make_pdf(tmp_path / "corpus" / "v2" / "other" / "b.pdf")
    s = spec("factur-x", source={"include_dir": "FNFE-factur-x-examples"})
    found = facturx.discover(tmp_path, s)
    assert [i.sample_id for i in found.items] == ["corpus/v2/FNFE-factur-x-examples/a"]


def test_plain_text_reference(tmp_path):
    make_pdf(tmp_path / "images" / "r.pdf", pages=3)
    (tmp_path / "gt").mkdir()
    (tmp_path / "gt" / "r.md").write_bytes(b"\xef\xbb\xbf1\r\n\r\n\r\n\r\nTitle  \r\nBody\r\n\r\n")
    s = spec("plain-text", tasks=["ocr"], headline={"metric": "bow_f1"})
    sample = plain_text.load(plain_text.discover(tmp_path, s).items[0], s)
    assert sample.text == "1\n\nTitle\nBody"
    assert len(sample.pages) == 3 and len(sample.truth.pages) == 3
    assert sample.truth.pages[0].blocks == []
    # the three pages are rendered from one opening of the PDF, at the dataset's render dpi
    pages = sample.load_pages()
    assert [(p.index, p.width, p.height, p.dpi) for p in pages] == [
        (i, 595, 842, 72.0) for i in range(3)
    ]


def test_plain_text_pairs_by_folder_and_stem(tmp_path):
    make_pdf(tmp_path / "snapshots" / "Bing" / "Systemic Risks — 2023.pdf")
    make_pdf(tmp_path / "snapshots" / "X" / "Systemic Risks — 2023.pdf")
    (tmp_path / "versions" / "Bing").mkdir(parents=True)
    (tmp_path / "versions" / "Bing" / "Systemic Risks — 2023.md").write_text("text")
    (tmp_path / "versions" / "README.md").write_text("not a reference")
    s = spec("plain-text", tasks=["ocr"], headline={"metric": "bow_f1"})
    found = plain_text.discover(tmp_path, s)
    assert [i.sample_id for i in found.items] == ["Bing/Systemic Risks — 2023"]
    assert found.skipped == [("X/Systemic Risks — 2023", "PDF without reference text")]
