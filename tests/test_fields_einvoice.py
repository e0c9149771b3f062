"""Key fields of an invoice read from the e-invoice XML its PDF embeds (Factur-X, ZUGFeRD)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ocrxtract.cli import app
from ocrxtract.extract.fields.einvoice import METHOD, embedded_fields
from test_datasets_documents import CII, make_pdf


def test_the_embedded_xml_gives_the_invoice_fields_normalised_and_checked(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "facture.pdf", attachment=("factur-x.xml", CII))
    extraction = embedded_fields(pdf)
    assert extraction is not None
    assert (extraction.doc_type, extraction.method) == ("invoice", METHOD)
    values = extraction.values()
    # the XML's names mapped onto the invoice schema by its aliases
    assert values == {
        "vendeur": "Au bon moulin",
        "siret_vendeur": "99999999800010",
        "tva_vendeur": "FR11999999998",
        "numero_facture": "FA20170010",  # identifiers: no spaces, dots or dashes
        "date_facture": "2017-11-13",
        "date_echeance": "2017-12-13",
        "acheteur": "Ma jolie boutique",
        "total_ht": "624.90",
        "total_tva": "46.25",
        "total_ttc": "671.15",
        "tva_acheteur": "ESA12345674",
    }
    fields = {f.name: f for f in extraction.fields}
    # a Spanish VAT number: its key is not a French one, so it is left unchecked
    assert fields["tva_acheteur"].checks == {} and fields["tva_acheteur"].valid is None
    assert fields["total_ttc"].checks == {"ht_tva_ttc": True}  # 624.90 + 46.25 = 671.15
    # the specimen SIRET fails its Luhn key: kept, and flagged
    assert fields["siret_vendeur"].checks == {"siret": False}
    assert fields["siret_vendeur"].valid is False
    assert all(f.confidence == 1.0 and f.page is None for f in extraction.fields)


def test_a_pdf_without_invoice_xml_gives_none(tmp_path: Path) -> None:
    assert embedded_fields(make_pdf(tmp_path / "a.pdf", attachment=("notes.txt", b"x"))) is None
    assert embedded_fields(make_pdf(tmp_path / "b.pdf")) is None


def test_extract_reads_the_embedded_xml_unless_told_not_to(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "facture.pdf", attachment=("factur-x.xml", CII))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", str(pdf), "--out", str(out), "--engine", "null"])
    assert result.exit_code == 0, result.output
    assert "from the embedded e-invoice XML" in result.output
    record = json.loads((out / "facture.fields.json").read_text(encoding="utf-8"))
    assert (record["engine"], record["method"], record["doc_type"]) == (METHOD, METHOD, "invoice")
    assert record["fields"]["numero_facture"]["text"] == "FA-2017-0010"
    # --no-embedded: the (blank) page is read instead, and nothing is found on it
    again = CliRunner().invoke(
        app, ["extract", str(pdf), "--out", str(out), "--engine", "null", "--no-embedded"]
    )
    assert again.exit_code == 0, again.output
    record = json.loads((out / "facture.fields.json").read_text(encoding="utf-8"))
    assert record["method"] != METHOD and record["fields"] == {}
