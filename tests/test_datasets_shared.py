"""The loaders on the real files of ../shared/datasets: counts, and one sample per folder whose
expected values were read by hand from the files (skipped when the folder is absent)."""

from __future__ import annotations

import pytest

from ocrxtract.datasets import discover, load_sample
from ocrxtract.document import BBox

pytestmark = pytest.mark.shared_data

#: name -> (samples, files left aside), as found in the shared folder.
COUNTS = {
    "sroie": (74, 0),
    "funsd-test": (29, 0),
    "fr-typed-tapuscorpus": (57, 0),
    "fr-handwritten-testaments-poilus": (26, 0),
    "fr-mixed-timeus-prudhommes": (14, 0),
    "lectaurep-repertoires": (63, 0),
    "celestine-doniau-danest": (3, 0),
    "fr-handwritten-tables-lectaurep-mariages": (1, 0),
    "icdar2013-tables": (37, 0),  # every PDF with both answer files (-reg, -str)
    "pubtabnet-samples": (27, 0),
    "fr-invoices-facturx-fnfe": (12, 0),
    "dsa-systemic-risk-reports": (4, 0),
}


@pytest.fixture(autouse=True)
def only_shared(shared_datasets, tmp_path, monkeypatch):
    """Read the datasets from the shared folder only (an empty data dir, the repo registry)."""
    monkeypatch.setenv("OCRXTRACT_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("OCRXTRACT_SHARED_DATASETS", str(shared_datasets))
    monkeypatch.delenv("OCRXTRACT_DATASETS_FILE", raising=False)


@pytest.mark.parametrize(("name", "expected"), COUNTS.items())
def test_counts(name, expected):
    found = discover(name)
    assert (len(found.items), len(found.skipped)) == expected


def lines_of(sample):
    return [(line.text, line.bbox.as_tuple()) for line in sample.truth.pages[0].lines()]


def test_sroie_000():
    # gt/000.box.csv line 1: "72,25,326,25,326,64,72,64,TAN WOON YANN"; 000.key.json
    s = load_sample("sroie", "000")
    assert lines_of(s)[0] == ("TAN WOON YANN", (72, 25, 326, 64))
    assert s.fields == {
        "company": "BOOK TA .K (TAMAN DAYA) SDN BHD",
        "date": "25/12/2018",
        "address": "NO.53 55,57 & 59, JALAN SAGU 18, TAMAN DAYA, 81100 JOHOR BAHRU, JOHOR.",
        "total": "9.00",
    }
    assert "NO.53 55,57 & 59, JALAN SAGU 18," in s.text  # commas kept in the transcript
    assert s.split == "train"


def test_funsd_82250337_0338():
    s = load_sample("funsd-test", "82250337_0338")
    assert s.dpi == 100.0 and s.truth.pages[0].dpi == 100.0
    assert s.fields["DATE:"] == "2-Dec-97"  # words "2-" "Dec-" "97" joined
    assert s.fields["MANUFACTURER:"] == "B&W"
    assert s.text.startswith("COMPETITIVE PRODUCT INTRODUCTION\nPROGRESS REPORT\n")


def test_tapuscorpus_first_page():
    # TextLine HPOS=685 VPOS=175 WIDTH=566 HEIGHT=48; "_Plan _de _présentation"
    s = load_sample("fr-typed-tapuscorpus", "AN-20130043_87__FRAN_0011_11082_L-medium")
    lines = lines_of(s)
    assert lines[0] == ("MISSION NOUVELLE - ECOSSE 1962", (685, 175, 1251, 223))
    assert lines[2][0] == "Plan de présentation"
    assert (s.truth.pages[0].width, s.truth.pages[0].height) == (2000, 1580)
    assert s.dpi is None


def test_tapuscorpus_handwritten_page_is_untranscribed_zones():
    # A handwritten letter among the typewritten pages: 22 lines of `~~~` only, a reference of
    # two typed words; each line is a zone the ground truth leaves untranscribed.
    s = load_sample("fr-typed-tapuscorpus", "gallica-btv1b525062185__1_14b3a_default")
    assert s.text == "A. 09474"
    assert len(s.untranscribed) == 22
    assert s.untranscribed[0].bbox.as_tuple() == (1069, 141, 2083, 279)
    assert all(z.page_index == 0 and z.bbox.x1 <= s.truth.pages[0].width for z in s.untranscribed)


def test_testaments_line_and_dpi():
    s = load_sample(
        "fr-handwritten-testaments-poilus", "batch-2__TestamentsDePoilus_will_AD78_0002-0"
    )
    assert ("Je soussigné André René Vaugon", (718, 205, 2075, 306)) in lines_of(s)
    assert s.dpi == 300.0
    assert len(s.scorable_lines) == 23


def test_timeus_stated_72_dpi_is_unknown():
    s = load_sample("fr-mixed-timeus-prudhommes", "cph_1858__PH_1858-26")
    assert s.dpi is None  # the JPEG states 72 dpi
    lines = lines_of(s)
    assert lines[0] == ("Audience", (2419, 522, 2839, 634))
    assert (
        lines[2][0] == "Vendredi vingt deux Janvier mil huit cent cinquante huit"
    )  # trailing space


def test_lectaurep_double_escaped_ampersand_and_png_dpi():
    s = load_sample("lectaurep-repertoires", "DAFANCH96_048MIC06480_L-1")
    assert "& de Rizzo" in s.text.split("\n")  # CONTENT="&amp;amp; de Rizzo" in the XML
    assert "&amp;" not in s.text
    assert s.dpi == 200.0  # stated 199.9996


def test_celestine_placeholders():
    s = load_sample("celestine-doniau-danest", "10c3fa40-d683-4703-8bc4-94b48936ce85")
    assert (len(lines_of(s)), len(s.scorable_lines)) == (54, 53)  # the [???] line is not scored
    unreadable = "ces nouvelles se borneront à nous dire s'ils sont tués ou blessés !!!.. !"
    assert unreadable in s.text.split("\n")
    assert unreadable not in [line.text for line in s.scorable_lines]
    assert "Revenu avec une livre de beurre à 2f ,40" in s.text  # "2^f ,40"


def test_mariages_page_xml():
    s = load_sample(
        "fr-handwritten-tables-lectaurep-mariages", "lectaurep-cm-sd__FRAN_0187_49914_L"
    )
    page = s.truth.pages[0]
    assert (page.width, page.height, page.dpi) == (7089, 5613, 300.0)
    # Coords "6630,308 6635,285 6728,247 6780,247 6845,299 6831,322 6738,350 6635,322"
    assert lines_of(s)[0] == ("198", (6630, 247, 6845, 350))
    assert len(lines_of(s)) == 159  # 161 TextLines, 2 signatures transcribed "¥"


def test_icdar2013_eu_003_and_the_typo():
    s = load_sample("icdar2013-tables", "eu-003")
    assert len(s.tables) == 3
    first = s.tables[0]
    # -reg.xml table 1: x1=92 y1=564 x2=519 y2=651 pt on a 792 pt page, 300 dpi
    assert first.bbox == BBox(x0=383, y0=587, x1=2163, y1=950)
    assert first.html == (
        "<html><body><table><tbody><tr><td></td><td>All companies analysed</td>"
        "<td>FTSE Eurotop 100 companies analysed</td></tr><tr><td>Number of member states in "
        "the analysis</td><td>21</td><td>8</td></tr><tr><td>Number of member states where one "
        "or more of the financial companies applied the amendment</td><td>11</td><td>3</td>"
        "</tr></tbody></table></body></html>"
    )
    us018 = load_sample("icdar2013-tables", "us-018")
    # page 7, start-row 3, start-col 2: x1='26ß' (page 6 has the same cell at x1='261')
    # (rows and columns renumbered from 0 in the region: row 2, column 2)
    (total,) = [c for t in us018.tables if t.page_index == 6 for c in t.cells
                if (c.row, c.col) == (2, 2)]  # fmt: skip
    assert total.text == "Total (in billions)"
    assert total.bbox == BBox(x0=1083, y0=370, x1=1263, y1=455)  # 260 pt = 1083.3 px


def test_pubtabnet_both_formats():
    html_only = load_sample("pubtabnet-samples", "PMC2094709_004_00")
    assert html_only.split == "val"
    assert html_only.tables[0].html.startswith("<html><body><table><thead><tr><td><b>Week</b></td>")
    assert len(html_only.tables[0].cells) == 32  # 4 columns x (1 header + 7 rows)
    assert html_only.text.split("\n")[0] == "Week Duration (min) Intensity (% HRR) Intensity (RPE)"
    jsonl = load_sample("pubtabnet-samples", "PMC2753619_002_00")
    assert jsonl.split == "train"
    assert len(jsonl.tables[0].cells) == 12
    assert jsonl.tables[0].cells[0].text == "Trait" and jsonl.tables[0].cells[0].header


def test_facturx_credit_note():
    s = load_sample("fr-invoices-facturx-fnfe", "Avoir_FR_type380_BASIC")
    assert s.fields == {
        "invoice_number": "AV-2017-0005",
        "type_code": "380",
        "issue_date": "2017-11-16",
        "due_date": "2017-11-16",
        "currency": "EUR",
        "total_ht": "-218.48",
        "total_tva": "-14.99",
        "total_ttc": "-233.47",
        "amount_due": "-233.47",
        "seller_name": "Au bon moulin",
        "seller_siret": "99999999800010",
        "seller_vat_id": "FR11999999998",
        "buyer_name": "Ma jolie boutique",
        "buyer_siret": "78787878400035",
        "buyer_vat_id": "FR19787878784",
    }


def test_facturx_credit_note_of_type_381_reads_negative_as_printed():
    s = load_sample("fr-invoices-facturx-fnfe", "Avoir_FR_type381_BASIC")
    assert s.fields["type_code"] == "381"
    assert (s.fields["total_ht"], s.fields["total_tva"], s.fields["total_ttc"]) == (
        "-218.48",
        "-14.99",
        "-233.47",
    )


def test_dsa_report():
    s = load_sample("dsa-systemic-risk-reports", "Amazon__Systemic_Risks_2023")
    assert len(s.pages) == len(s.truth.pages) == 22
    assert s.text.startswith("1\n\nTable of Contents\n\n1. Introduction")


@pytest.mark.parametrize(
    ("name", "sample_id"),
    [
        ("sroie", "000"),
        ("funsd-test", "82250337_0338"),
        ("fr-invoices-facturx-fnfe", "Facture_FR_MINIMUM"),
    ],
)
def test_page_images_match_the_ground_truth_pages(name, sample_id):
    s = load_sample(name, sample_id)
    page = next(s.iter_pages())
    truth = s.truth.pages[0]
    assert (page.width, page.height, page.dpi) == (truth.width, truth.height, truth.dpi)
