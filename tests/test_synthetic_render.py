"""Rendering of the synthetic documents: every word box holds its ink and is tight, fields and
tables agree with the words, fonts are checked, the same seed draws the same page."""

from __future__ import annotations

import numpy as np
import pytest

from ocrxtract.datasets.synthetic import DOCUMENT_TYPES, render_clean, templates
from ocrxtract.datasets.synthetic import fonts as fonts_module
from ocrxtract.datasets.synthetic.layout import Canvas, Seg, Style
from ocrxtract.datasets.synthetic.truth import PageTruth
from ocrxtract.document import BBox
from ocrxtract.errors import UsageError
from ocrxtract.export.tables import html_to_cells
from ocrxtract.sample import FontNotFoundError

DPI = 100  # small pages: fast, and the hardest case for tight boxes (few pixels per glyph)
INK = 200  # a pixel darker than this (0-255 grey) is ink; paper and tints are lighter


def _gray(image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def _check_tight(gray: np.ndarray, truth: PageTruth) -> list[str]:
    """Problems with word boxes: no ink inside, or an edge band (2 px) without ink."""
    problems = []
    for word in truth.document.pages[0].words():
        if word.polygon is not None:  # rotated stamps: polygon bounds, not tight by design
            continue
        b = word.bbox
        crop = gray[b.y0 : b.y1, b.x0 : b.x1] < INK
        if not crop.any():
            problems.append(f"{word.text!r} {b.as_tuple()}: no ink")
            continue
        edges = (crop[:2].any(), crop[-2:].any(), crop[:, :2].any(), crop[:, -2:].any())
        if not all(edges):
            problems.append(f"{word.text!r} {b.as_tuple()}: not tight {edges}")
    return problems


@pytest.mark.parametrize("doc_type", list(DOCUMENT_TYPES))
def test_every_word_box_holds_its_ink_and_is_tight(doc_type):
    for seed in range(3):
        page = render_clean(doc_type, seed, DPI)
        truth = page.truth
        assert truth.doc_type == doc_type and truth.template in templates(doc_type)
        assert (truth.width, truth.height) == page.image.size
        words = list(truth.document.pages[0].words())
        assert len(words) >= 10
        for word in words:  # inside the page
            b = word.bbox
            assert 0 <= b.x0 < b.x1 <= truth.width and 0 <= b.y0 < b.y1 <= truth.height
        assert _check_tight(_gray(page.image), truth) == [], (doc_type, seed)
        assert truth.text.strip() and truth.fields


def test_box_is_exactly_the_ink_of_a_lone_word():
    canvas = Canvas(60, 20, 150)
    canvas.line(10, 12, "Quittance,", Style("liberation-serif", 14))
    box = canvas.blocks[0].lines[0].words[0].bbox
    ink = np.argwhere(_gray(canvas.image) < 255)  # any coverage at all
    (y0, x0), (y1, x1) = ink.min(axis=0), ink.max(axis=0) + 1
    assert box.as_tuple() == (x0, y0, x1, y1)


def test_alignment_and_segments_share_one_line():
    canvas = Canvas(100, 20, 100)
    style = Style("dejavu-sans", 10)
    canvas.line(90, 10, [Seg("Total :", style), Seg("1 234,56 €", style.bold(), "total")],
                align="right")  # fmt: skip
    line = canvas.blocks[0].lines[0]
    assert line.text == "Total : 1 234,56 €"
    assert abs(line.bbox.x1 - canvas.px(90)) <= 2  # right-aligned on x = 90 mm
    field = canvas.fields["total"]
    assert field.value == "1 234,56 €"
    assert field.bbox == BBox.union([w.bbox for w in line.words[2:]])


def test_fields_hold_the_words_inside_their_box():
    for doc_type in DOCUMENT_TYPES:
        truth = render_clean(doc_type, 4, DPI).truth
        words = list(truth.document.pages[0].words())
        for name, field in truth.fields.items():
            if field.bbox is None:
                continue
            inside = [
                w.text
                for w in words
                if w.bbox.x0 >= field.bbox.x0
                and w.bbox.x1 <= field.bbox.x1
                and w.bbox.y0 >= field.bbox.y0
                and w.bbox.y1 <= field.bbox.y1
            ]
            for token in field.value.split():
                assert token in inside, (doc_type, name, field.value, inside)


def test_tables_have_merged_header_cells_and_consistent_html():
    merged = 0
    for seed in range(6):
        for doc_type in ("bulletin-de-salaire", "tableau-statistique"):
            truth = render_clean(doc_type, seed, DPI).truth
            for table in truth.tables:
                assert table.html.startswith("<html><body><table>")
                grid = [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]
                back = [
                    (c.row, c.col, c.row_span, c.col_span, c.text)
                    for c in html_to_cells(table.html)
                ]
                assert back == grid
                spans = [c for c in table.cells if c.col_span > 1 or c.row_span > 1]
                merged += len(spans)
                for cell in spans:
                    assert cell.header
                for cell in table.cells:
                    if cell.text:
                        assert cell.bbox is not None
                        assert table.bbox.x0 <= cell.bbox.x0 and cell.bbox.x1 <= table.bbox.x1
    assert merged >= 6  # "Part salarié" / "Part employeur", "Hommes" / "Femmes", years


def test_statistical_table_structure():
    # the region table: Région (2 rows) | Ensemble (2 rows) | Hommes (2 cols) | Femmes (2 cols)
    for seed in range(10):
        truth = render_clean("tableau-statistique", seed, DPI).truth
        first = truth.tables[0]
        if first.cells[0].text == "Région":
            cells = {(c.row, c.col): c for c in first.cells}
            assert cells[(0, 0)].row_span == 2 and cells[(0, 1)].row_span == 2
            assert cells[(0, 2)].text == "Hommes" and cells[(0, 2)].col_span == 2
            assert cells[(0, 4)].text == "Femmes" and cells[(0, 4)].col_span == 2
            assert cells[(1, 2)].text == "Effectif" and cells[(1, 3)].text == "Part (%)"
            assert first.n_cols == 6 and first.n_rows == 16  # 2 header rows, 13 regions, total
            return
    pytest.fail("no region table in 10 seeds")


def test_id_card_specimen_stamp_and_valid_mrz():
    from ocrxtract.fr import check_mrz_td1, mrz_check_digit

    seen = set()
    for seed in range(8):
        truth = render_clean("carte-identite", seed, DPI).truth
        seen.add(truth.template)
        stamps = [b for b in truth.document.pages[0].blocks if b.role == "stamp"]
        assert [w.text for b in stamps for ln in b.lines for w in ln.words] == ["SPECIMEN"]
        assert stamps[0].lines[0].words[0].polygon is not None
        if truth.template == "verso":
            line1, line2 = truth.fields["mrz_1"].value, truth.fields["mrz_2"].value
            assert len(line1) == len(line2) == len(truth.fields["mrz_3"].value) == 30
            assert line1[14] == mrz_check_digit(line1[5:14])
            assert line2[6] == mrz_check_digit(line2[0:6])
            assert line2[14] == mrz_check_digit(line2[8:14])
            assert line2[29] == mrz_check_digit(
                line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
            )
            assert all(check_mrz_td1([line1, line2, truth.fields["mrz_3"].value]).values())
    assert seen == {"recto", "verso"}


def test_payslip_amounts_add_up():
    from ocrxtract.fr import parse_amount

    for seed in range(5):
        fields = render_clean("bulletin-de-salaire", seed, DPI).truth.fields
        amount = {k: parse_amount(f.value) for k, f in fields.items()}
        assert amount["net_a_payer"] == amount["net_avant_impot"] - amount["impot_preleve"]
        assert amount["net_imposable"] > amount["net_avant_impot"]
        assert amount["salaire_brut"] > amount["net_avant_impot"]


def test_invoice_totals_add_up():
    from ocrxtract.fr import parse_amount

    for seed in range(5):
        fields = render_clean("facture", seed, DPI).truth.fields
        ht, tva, ttc = (
            parse_amount(fields[k].value) for k in ("total_ht", "total_tva", "total_ttc")
        )
        assert ht + tva == ttc


def test_same_seed_same_pixels_and_truth():
    for doc_type in DOCUMENT_TYPES:
        first, second = render_clean(doc_type, 11, 60), render_clean(doc_type, 11, 60)
        assert first.image.tobytes() == second.image.tobytes()
        assert first.truth.to_json() == second.truth.to_json()
    assert render_clean("facture", 12, 60).truth != render_clean("facture", 11, 60).truth


def test_reference_text_reads_tables_row_by_row():
    truth = render_clean("facture", 3, DPI).truth
    rows = truth.text.split("\n")
    header = next(r for r in rows if r.startswith("Désignation"))
    assert header == "Désignation Qté Unité PU HT TVA Total HT"
    assert any(
        r.startswith("Total HT") and r.endswith(truth.fields["total_ht"].value) for r in rows
    )


def test_missing_font_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts_module, "FONT_DIRS", (tmp_path,))
    fonts_module.font_path.cache_clear()
    try:
        with pytest.raises(FontNotFoundError, match="apt-get install fonts-dancingscript"):
            fonts_module.font_path("dancing-script")
        problems = fonts_module.check_fonts()
        assert len(problems) == len(fonts_module.FAMILIES)
        assert any("fonts-gnutypewriter" in p for p in problems)
    finally:
        fonts_module.font_path.cache_clear()


def test_a_glyph_the_font_lacks_is_refused():
    assert fonts_module.missing_glyphs("typewriter", "regular", "12 € «x»") == "€«»"
    assert fonts_module.covers("dejavu-sans", "regular", "12 € «x» œ É")
    canvas = Canvas(50, 20, 72)
    with pytest.raises(UsageError, match="no glyph"):
        canvas.line(5, 10, "12 €", Style("typewriter", 10))


def test_unknown_document_type():
    with pytest.raises(UsageError, match="known types: bulletin-de-salaire"):
        render_clean("passeport", 0, DPI)
