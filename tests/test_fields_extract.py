"""Key-field extraction: types, checks, schemas, rules and the shipped model (no OCR engine:
documents are built from words, or are generated pages' ground-truth words)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocrxtract.document import BBox, Block, Document, Line, Page, Word
from ocrxtract.errors import UsageError
from ocrxtract.extract.fields import detect, extract_fields, load_schema, schema_names
from ocrxtract.extract.fields.checks import check_value, cross_checks
from ocrxtract.extract.fields.scoring import score_extraction
from ocrxtract.extract.fields.types import month_first_dates, normalize


def _doc(rows: list[list[tuple[str, int]]], height: int = 30) -> Document:
    """One page; each row a list of (text, x) words on its own line at y = 40 * row."""
    lines = []
    for r, row in enumerate(rows):
        words = [
            Word(
                text=text,
                bbox=BBox(x0=x, y0=40 * r + 10, x1=x + 12 * len(text), y1=40 * r + 10 + height),
            )
            for text, x in row
        ]
        lines.append(Line(words=words, bbox=BBox.union([w.bbox for w in words])))
    block = Block(lines=lines, bbox=BBox.union([ln.bbox for ln in lines]))
    return Document(pages=[Page(index=0, width=1200, height=40 * len(rows) + 60, blocks=[block])])


def _words(text: str, x: int) -> list[tuple[str, int]]:
    out, at = [], x
    for word in text.split():
        out.append((word, at))
        at += 12 * len(word) + 8
    return out


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("amount", "1 740,58 €", "1740.58"),
        ("amount", "576.00", "576.00"),
        ("amount", "18,20 EUR", "18.20"),
        ("date", "16 06 2025", "2025-06-16"),
        ("date", "31/03/2024", "2024-03-31"),
        ("date", "06 JAN 2018", "2018-01-06"),
        ("date", "pas une date", None),
        ("period", "mars 2024", "2024-03-01/2024-03-31"),
        ("period", "du 01/02/2024 au 29/02/2024", "2024-02-01/2024-02-29"),
        ("identifier", "643 493 398 00652", "64349339800652"),
        ("time", "13:37", "13:37"),
        ("text", "  Mme   Josette  ", "Mme Josette"),
        ("company", "Au bon moulin SARL", "Au bon moulin"),
        ("company", "S.A.S. Durand", "Durand"),
        ("company", "Durand et Fils", "Durand et Fils"),
        ("company", "SA", "SA"),
        (
            "address",
            "29 bd des Peupliers. 36000 Châteauroux",
            "29 bd des Peupliers, 36000 Châteauroux",
        ),
        (
            "address",
            "29 bd des Peupliers 36000 Châteauroux",
            "29 bd des Peupliers, 36000 Châteauroux",
        ),
        ("address", "75011 Paris", "75011 Paris"),
    ],
)
def test_normalisers(kind: str, text: str, expected: str | None) -> None:
    assert normalize(kind, text) == expected


def test_month_first_dates_only_when_the_document_shows_it() -> None:
    assert month_first_dates(["Invoice Date 11/03/2017", "Paid 11/17/2017"])
    assert not month_first_dates(["Date 11/03/2017", "Payé le 17/11/2017"])
    assert not month_first_dates(["Date 11/03/2017"])  # ambiguous: day first, the French way
    assert normalize("date", "11/03/2017", month_first=True) == "2017-11-03"
    assert normalize("date", "11/03/2017") == "2017-03-11"


def test_an_unlabelled_seller_is_the_top_company_and_labels_read_as_printed() -> None:
    """A header line names the seller before its legal form; no label says "vendeur"."""
    doc = _doc(
        [
            _words("Au bon moulin SARL - 1242 chemin de l'olive - 84340 Malaucène", 100),
            _words("TVA : FR11999999998 - SIRET : 99999999800010 - APE : 4778C", 100),
            _words("Avoir AV-2017-0005", 100),
            _words("Date de facture 16/11/2017", 100),
            _words("N° TVA client FR19787878784", 100),
            _words("Total HT", 700) + _words("-218,48 €", 900),
            _words("Total taxes", 700) + _words("-14,99 €", 900),
            _words("Total TTC", 700) + _words("-233,47 €", 900),
        ]
    )
    values = extract_fields(doc, "invoice", method="rules").values()
    assert values["vendeur"] == "Au bon moulin"
    assert values["siret_vendeur"] == "99999999800010"
    assert values["tva_vendeur"] == "FR11999999998"
    assert values["tva_acheteur"] == "FR19787878784"
    assert values["numero_facture"] == "AV20170005"
    assert values["date_facture"] == "2017-11-16"
    assert (values["total_ht"], values["total_tva"], values["total_ttc"]) == (
        "-218.48",
        "-14.99",
        "-233.47",
    )


def test_an_unlabelled_employee_is_the_line_with_a_civility() -> None:
    doc = _doc(
        [
            _words("BULLETIN DE SALAIRE", 100),
            _words("Atelier Devaux", 100) + _words("M. Sébastien BRUNET", 800),
            _words("SIRET : 666 664 826 00656", 100) + _words("20 rue de Martinez", 800),
        ]
    )
    values = extract_fields(doc, "payslip", method="rules").values()
    assert values["salarie"] == "M. Sébastien BRUNET"
    assert values["employeur"] == "Atelier Devaux"


def test_a_label_is_found_whatever_the_reading_order() -> None:
    """An engine that reads a column of values long after their labels (a payslip's totals
    column, 70 lines later) still pairs each value with the label on its row."""
    rows = [_words("Net à payer", 100)] + [_words(f"ligne {i}", 100) for i in range(70)]
    doc = _doc(rows)
    value = Word(text="2 532,77", bbox=BBox(x0=900, y0=10, x1=996, y1=40))
    doc.pages[0].blocks[0].lines.append(Line(words=[value], bbox=value.bbox))
    assert extract_fields(doc, "payslip", method="rules").values()["net_a_payer"] == "2532.77"


def test_value_checks() -> None:
    # 643 493 398 00652: its Luhn sum is a multiple of 10 (valid); last digit changed: not
    assert check_value("siret", "64349339800652") == {"siret": True}
    assert check_value("siret", "64349339800653") == {"siret": False}
    assert check_value("iban", "FR7630002905233640562241596") == {"iban": True}
    assert check_value(None, "x") == {}


def test_cross_checks_flag_both_sides() -> None:
    schema = load_schema("rent_receipt")
    good = cross_checks(schema, {"loyer": "500.00", "charges": "50.00", "total": "550.00"})
    bad = cross_checks(schema, {"loyer": "500.00", "charges": "50.00", "total": "560.00"})
    assert good["total"] == {"loyer_charges_total": True}
    assert bad["loyer"] == {"loyer_charges_total": False}
    assert cross_checks(schema, {"loyer": "500.00"}) == {}


def test_schemas_load_and_unknown_is_a_usage_error() -> None:
    names = schema_names()
    assert {"payslip", "rent_receipt", "id_card", "receipt", "invoice", "sroie", "cord",
            "funsd"} <= set(names)  # fmt: skip
    assert all(load_schema(n).fields for n in names if load_schema(n).kind == "fields")
    assert "net_a_payer" in load_schema("payslip").fields
    with pytest.raises(UsageError, match="known"):
        load_schema("passport")


def test_rules_read_labelled_values_and_flag_a_bad_siret() -> None:
    doc = _doc(
        [
            _words("QUITTANCE DE LOYER", 400),
            _words("Bailleur : Daniel Adam", 100),
            _words("Période : octobre 2022", 100),
            _words("Loyer :", 100) + _words("1 300,00 €", 700),
            _words("Charges :", 100) + _words("117,00 €", 700),
            _words("Total :", 100) + _words("1 427,00 €", 700),
        ]
    )
    result = extract_fields(doc, "rent_receipt", method="rules")
    values = result.values()
    assert values["loyer"] == "1300.00"
    assert values["charges"] == "117.00"
    assert values["periode"] == "2022-10-01/2022-10-31"
    assert values["bailleur"] == "Daniel Adam"
    total = next(f for f in result.fields if f.name == "total")
    # 1300 + 117 != 1427: kept, flagged
    assert total.value == "1427.00" and total.valid is False
    assert total.checks == {"loyer_charges_total": False}
    assert total.boxes and total.page == 0 and 0 < (total.confidence or 0) <= 1


def test_empty_document_gives_no_fields_and_unknown_type() -> None:
    empty = Document(pages=[Page(index=0, width=100, height=100)])
    assert extract_fields(empty, "payslip", method="rules").fields == []
    result = extract_fields(empty, "auto")
    assert result.doc_type == "unknown" and result.fields == []
    other = _doc([_words("Compte rendu de la réunion du conseil municipal", 100)])
    detection = detect("\n".join(ln.text for ln in other.pages[0].lines()))
    assert detection.doc_type == "unknown" and set(detection.scores) >= {"payslip", "invoice"}


def test_detection_of_a_rent_receipt() -> None:
    text = "QUITTANCE DE LOYER\nBailleur : X\nLocataire : Y\nLoyer 500,00\nCharges 20,00\nLogement"
    assert detect(text).doc_type == "rent_receipt"


@pytest.fixture(scope="module")
def generated() -> list:  # type: ignore[type-arg]
    """Ten generated pages (two per type) from seeds no model trained on (777000+)."""
    from ocrxtract.datasets.synthetic import render_clean

    types = [
        "bulletin-de-salaire",
        "quittance-de-loyer",
        "carte-identite",
        "ticket-de-caisse",
        "facture",
    ]
    return [render_clean(t, seed=777000 + i, dpi=100).truth for t in types for i in range(2)]


def test_shipped_model_scores_generated_pages(generated: list) -> None:  # type: ignore[type-arg]
    pytest.importorskip("lightgbm", reason="the fields extra is not installed")
    from ocrxtract.extract.fields.schema import schema_for_doc_type
    from ocrxtract.metrics.fields import FieldScores

    total = FieldScores()
    for truth in generated:
        schema = schema_for_doc_type(truth.doc_type)
        assert schema is not None
        result = extract_fields(truth.document, schema.name, method="model")
        assert result.method == "model"
        total += score_extraction(
            schema, {k: v.value for k, v in truth.fields.items()}, result.values()
        )
    # ground-truth words (no OCR): the model must find nearly every field
    assert total.micro.f1 >= 0.9, total.micro


def test_training_smoke_and_safe_format(generated: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    pytest.importorskip("lightgbm", reason="the fields extra is not installed")
    from ocrxtract.extract.fields.model import load_model
    from ocrxtract.train.fields import Labelled, train_fields

    schema = load_schema("receipt")
    docs = [
        Labelled(t.document, {k: v.value for k, v in t.fields.items()}, t.template, t.seed)
        for t in generated
        if t.doc_type == "ticket-de-caisse"
    ]
    model = train_fields(schema, docs, about={"data": "test"})
    model_path, card_path = model.save(tmp_path, "receipt")
    assert model_path.read_text().startswith("tree")
    card = json.loads(card_path.read_text())
    assert card["schema"] == "receipt" and card["documents"] == 2
    loaded = load_model(tmp_path / "receipt")
    result = extract_fields(docs[0].document, schema, method="model", model=loaded)
    assert result.values().get("total") is not None


def test_cli_records_and_csv() -> None:
    from ocrxtract.extract.fields.records import fields_record, records_csv

    doc = _doc([_words("Loyer :", 100) + _words("500,00 €", 600)])
    extraction = extract_fields(doc, "rent_receipt", method="rules")
    record = fields_record("a.png", "rapidocr", extraction)
    assert record["fields"]["loyer"]["value"] == "500.00"
    assert set(record["fields"]["loyer"]) >= {
        "value",
        "text",
        "confidence",
        "page",
        "boxes",
        "valid",
        "checks",
    }
    csv_text = records_csv([record])
    assert csv_text.splitlines()[0] == "source,doc_type,engine,loyer"
    assert csv_text.splitlines()[1] == "a.png,rent_receipt,rapidocr,500.00"


def test_registered_extractor_fills_document_fields() -> None:
    from ocrxtract.extract import create_extractor

    doc = _doc(
        [_words("QUITTANCE DE LOYER", 300), _words("Loyer :", 100) + _words("500,00 €", 600)]
    )
    out = create_extractor("fields", {"schema_name": "rent_receipt", "method": "rules"}).extract(
        doc
    )
    assert out.field("loyer") is not None and out.field("loyer").value == "500.00"  # type: ignore[union-attr]
    assert out.metadata["doc_type"] == "rent_receipt"
    assert doc.fields == []  # the input is left as it was


def test_mrz_repairs_only_what_check_digits_prove() -> None:
    from ocrxtract.fr.identifiers import check_mrz_td1, repair_mrz_name_line, repair_mrz_td1

    assert (
        repair_mrz_name_line("RIBEIR0<<CAMILLE<MARIE<<<<<<<<") == "RIBEIRO<<CAMILLE<MARIE<<<<<<<<"
    )
    line1 = "IDFRA9SB835JVG0<<<<<<<<<<<<<<<"
    assert repair_mrz_name_line(line1) == line1  # line 1: its digits are data
    good = ["IDFRAX4RTBPFW46<<<<<<<<<<<<<<<", "9007138F3002119FRA<<<<<<<<<<<6",
            "MARTIN<<MAELYS<GAELLE<MARIE<<<"]  # fmt: skip
    assert all(check_mrz_td1(good).values())
    assert repair_mrz_td1(good) == good
    misread = [good[0], good[1].replace("900713", "9O0713"), good[2].replace("O", "0")]
    assert repair_mrz_td1(misread) == good  # O for 0 in the birth date: one repair proves it
    assert repair_mrz_td1(["too", "short", "lines"]) == ["too", "short", "lines"]


def test_a_piece_of_a_label_is_no_value() -> None:
    from ocrxtract.extract.fields.features import is_label_piece

    labels = ("issuing authority", "autorite")
    assert is_label_piece(labels, "g authority")
    assert not is_label_piece(labels, "Préfecture du Var")


def test_a_french_card_s_nationality_needs_no_label_but_is_never_read_in_the_mrz() -> None:
    recto = _doc([_words("CARTE NATIONALE D'IDENTITÉ", 100), _words("M", 100) + _words("FRA", 300)])
    assert extract_fields(recto, "id_card", method="rules").values()["nationalite"] == "FRA"
    verso = _doc([_words("7102095M3205150FRA<<<<<<<<<<<4", 100)])
    assert "nationalite" not in extract_fields(verso, "id_card", method="rules").values()


def test_an_address_under_a_letterhead_stops_before_the_phone(tmp_path: Path) -> None:
    """A schema field with ``unlabelled: address_block``: the street address under the top
    company name, its lines joined, the registration number and the phone left out."""
    schema_file = tmp_path / "letterhead.yml"
    schema_file.write_text(
        "name: letterhead\n"
        "fields:\n"
        "  company: {type: text, labels: [], unlabelled: top_company}\n"
        "  address: {type: text, labels: [], lines: 4, unlabelled: address_block}\n",
        encoding="utf-8",
    )
    doc = _doc(
        [
            _words("BOULANGERIE MARTIN", 100),
            _words("(789417-W)", 100),
            _words("12 rue de la Paix,", 100),
            _words("75002 Paris", 100),
            _words("Tél. : 01 23 45 67 89", 100),
        ]
        + [_words(f"article {i} 1,00", 100) for i in range(20)]
    )
    values = extract_fields(doc, str(schema_file), method="rules").values()
    assert values["company"] == "BOULANGERIE MARTIN"
    assert values["address"] == "12 rue de la Paix, 75002 Paris"


def test_an_address_on_two_tilted_lines_is_joined_whatever_their_upright_boxes() -> None:
    """On a photo, rows climb (here 0.1 px per px): the upright boxes of two address lines
    overlap, yet the second line is the one below the first."""
    from ocrxtract.extract.fields.candidates import candidates, read_lines

    slope = -0.1

    def tilted(texts: list[str], x: int, top: float) -> Line:
        words, at = [], x
        for text in texts:
            width = 14 * len(text)
            y_left, y_right = top + slope * at, top + slope * (at + width)
            words.append(
                Word(
                    text=text,
                    bbox=BBox(
                        x0=at,
                        y0=round(min(y_left, y_right)),
                        x1=at + width,
                        y1=round(max(y_left, y_right)) + 26,
                    ),
                )
            )
            at += width + 10
        return Line(words=words, bbox=BBox.union([w.bbox for w in words]))

    lines = [
        tilted(["ADRESSE", "/", "Address"], 100, 300),
        tilted(["62", "bis", "avenue", "du", "Docteur", "Pasteur"], 100, 334),
        tilted(["72000", "Le", "Mans"], 100, 372),
        tilted(["DATE", "DE", "DÉLIVRANCE"], 100, 430),
    ]
    assert lines[1].bbox.y1 > lines[2].bbox.y0  # the upright boxes overlap
    block = Block(lines=lines, bbox=BBox.union([ln.bbox for ln in lines]))
    document = Document(pages=[Page(index=0, width=1000, height=600, blocks=[block])])
    page_lines = read_lines(document)
    joined = [c.text for c in candidates(page_lines, load_schema("id_card"))["address"]]
    assert "62 bis avenue du Docteur Pasteur 72000 Le Mans" in joined
    assert "ADRESSE / Address 72000 Le Mans" not in joined  # no line skipped


def test_a_schema_s_own_legal_forms_end_a_company_name() -> None:
    from ocrxtract.fr.companies import LEGAL_FORM, legal_form_pattern

    malaysian = legal_form_pattern(("SDN BHD", "S/B"))
    assert legal_form_pattern(()) is LEGAL_FORM
    for text in ("AEON CO. (M) SDN. BHD.", "99 SPEED MART S/B", "MAISON DUPONT SARL"):
        assert malaysian.search(text) is not None
    assert LEGAL_FORM.search("99 SPEED MART S/B") is None  # the French forms alone


def test_the_top_company_is_a_heading_name_with_its_form_not_a_customer_further_down() -> None:
    schema = load_schema("sroie")
    receipt = _doc(
        [
            _words("TAN CHAY YEE", 10),  # the owner's name first
            _words("PASARAYA BORONG PINTAR", 10),
            _words("SDN BHD", 60),  # the form on a line of its own
            _words("NO 19 JALAN TASIK UTAMA 4,", 10),
            _words("BILL TO", 10),
            _words("GOGIANT ENGINEERING (M) SDN BHD", 10),  # a customer, lower down
            _words("TOTAL 8.20", 10),
        ]
    )
    values = extract_fields(receipt, schema, method="rules").values()
    assert values["company"] == "PASARAYA BORONG PINTAR SDN BHD"
    assert values["total"] == "8.20"


def test_a_malaysian_address_block_starts_at_lot_and_stops_before_an_international_phone() -> None:
    schema = load_schema("sroie")
    receipt = _doc(
        [
            _words("99 SPEED MART S/B (519537-X)", 10),  # the form, then a registration number
            _words("LOT P.T. 2811, JALAN ANGSA,", 10),  # P.T. is no telephone
            _words("41150 KLANG, SELANGOR", 10),
            _words("+603-9130 2672", 10),  # a phone ends the address
            _words("TOTAL 8.20", 10),
        ]
    )
    values = extract_fields(receipt, schema, method="rules").values()
    assert values["company"] == "99 SPEED MART S/B"
    assert values["address"] == "LOT P.T. 2811, JALAN ANGSA, 41150 KLANG, SELANGOR"


def _cord_receipt(change: str = "11,500") -> Document:
    rows = [
        _words("WARUNG SEDERHANA", 100),
        _words("Nasi Goreng", 50) + _words("25,000", 600),
        _words("2 Es Teh", 50) + _words("10,000", 600),
        _words("SUBTOTAL", 50) + _words("35,000", 600),
        _words("PB1", 50) + _words("3,500", 600),
        _words("TOTAL", 50) + _words("38,500", 600),
        _words("CASH", 50) + _words("50,000", 600),
        _words("CHANGE", 50) + _words(change, 600),
    ]
    return _doc(rows)


def test_cord_totals_are_read_in_whole_rupiah_and_scored_against_cord_categories() -> None:
    """The cord schema's fields are the CORD loader's category names, its amounts have no
    cents (25,000 is twenty-five thousand), and the change is checked against cash and total."""
    extraction = extract_fields(_cord_receipt(), "cord", method="rules")
    values = extraction.values()
    assert values == {
        "sub_total.subtotal_price": "35000.00",
        "sub_total.tax_price": "3500.00",
        "total.total_price": "38500.00",
        "total.cashprice": "50000.00",
        "total.changeprice": "11500.00",
    }
    truth = {"total.total_price": "38,500", "total.cashprice": "50,000", "menu.nm": "Nasi Goreng",
             "total.changeprice": "11,500", "sub_total.subtotal_price": "35,000",
             "sub_total.tax_price": "3,500"}  # fmt: skip
    micro = score_extraction(load_schema("cord"), truth, values).micro
    assert (micro.true_positives, micro.false_positives, micro.false_negatives) == (5, 0, 0)
    wrong = extract_fields(_cord_receipt(change="12,500"), "cord", method="rules")
    change = next(f for f in wrong.fields if f.name == "total.changeprice")
    assert change.valid is False and change.value == "12500.00"
