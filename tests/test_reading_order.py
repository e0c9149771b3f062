"""Reading order: rows, columns, tables and skew, on hand-built lines with hand-written texts."""

from __future__ import annotations

import math
import random

import pytest

from ocrxtract.document import BBox, Line, Page, Word, block_from_lines, line_from_words
from ocrxtract.layout import order_page, reading_order
from ocrxtract.layout.reading_order import estimate_skew, lines_to_text, order_lines

# A layout entry: (text, x0, y0, x1, y1) of one engine segment, before any rotation.
Entry = tuple[str, int, int, int, int]


def _rotate(x: float, y: float, degrees: float, centre: tuple[float, float]) -> tuple[float, float]:
    """Rotate a point about ``centre``; positive degrees turn text down to the right."""
    a = math.radians(degrees)
    dx, dy = x - centre[0], y - centre[1]
    return (
        centre[0] + dx * math.cos(a) - dy * math.sin(a),
        centre[1] + dx * math.sin(a) + dy * math.cos(a),
    )


def _corners(
    x0: float, y0: float, x1: float, y1: float, degrees: float, centre: tuple[float, float]
) -> list[tuple[float, float]]:
    """Clockwise from top-left, rotated."""
    return [_rotate(x, y, degrees, centre) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]


def make_line(entry: Entry, degrees: float = 0.0, centre: tuple[float, float] = (0, 0)) -> Line:
    """A line whose words share the box width in proportion to their length (+1 for the space),
    each word's axis-aligned box being that of the rotated word rectangle."""
    text, x0, y0, x1, y1 = entry
    tokens = text.split()
    unit = (x1 - x0) / (len(text) + 1)
    words, cursor = [], float(x0)
    for token in tokens:
        right = cursor + unit * len(token)
        words.append(
            Word(
                text=token, bbox=BBox.from_points(_corners(cursor, y0, right, y1, degrees, centre))
            )
        )
        cursor = right + unit
    return line_from_words(words)


def make_polygon_line(entry: Entry, degrees: float, centre: tuple[float, float]) -> Line:
    """A one-word line (no word geometry to fit) carrying its rotated rectangle as a polygon."""
    text, x0, y0, x1, y1 = entry
    points = [(round(x), round(y)) for x, y in _corners(x0, y0, x1, y1, degrees, centre)]
    box = BBox.from_points(points)
    return Line(words=[Word(text=text, bbox=box)], bbox=box, polygon=points)


def shuffled(lines: list[Line], seed: int) -> list[Line]:
    copy = list(lines)
    random.Random(seed).shuffle(copy)
    return copy


def rows_text(lines: list[Line]) -> list[list[str]]:
    return [[line.text for line in row] for row in order_lines(lines)]


# Title, two columns of prose whose rows line up exactly (same pitch, the hard case for an XY-cut:
# every row pair is a horizontal strip of its own), the left column one line longer, and a footer.
# Line height 20 px, column width 420 px = 21 line heights (prose), gutter 60 px.
TWO_COLUMNS: list[Entry] = [
    ("Rapport annuel de la coopérative", 250, 40, 750, 70),
    ("La coopérative a vendu cette année", 50, 100, 470, 120),
    ("trois mille tonnes de blé tendre,", 50, 130, 470, 150),
    ("soit dix pour cent de plus que", 50, 160, 470, 180),
    ("l'an dernier.", 50, 190, 200, 210),
    ("Les prix de vente ont baissé de", 530, 100, 950, 120),
    ("cinq pour cent sur la même période", 530, 130, 950, 150),
    ("Page 1 sur 4", 420, 260, 580, 280),
]
TWO_COLUMNS_TEXT = (
    "Rapport annuel de la coopérative\n"
    "La coopérative a vendu cette année\n"
    "trois mille tonnes de blé tendre,\n"
    "soit dix pour cent de plus que\n"
    "l'an dernier.\n"
    "Les prix de vente ont baissé de\n"
    "cinq pour cent sur la même période\n"
    "Page 1 sur 4"
)

# Invoice totals: labels on the left, amounts far right (one engine segment each). The last
# amount is set in a bigger, bold face: its box is twice as tall and not centred on the label's.
TOTALS: list[Entry] = [
    ("Total HT", 100, 100, 220, 120),
    ("1 000,00 €", 800, 100, 950, 120),
    ("TVA 20 %", 100, 130, 220, 150),
    ("200,00 €", 830, 130, 950, 150),
    ("Total TTC", 100, 160, 240, 180),
    ("1 200,00 €", 770, 154, 980, 194),
]
TOTALS_ROWS = [
    ["Total HT", "1 000,00 €"],
    ["TVA 20 %", "200,00 €"],
    ["Total TTC", "1 200,00 €"],
]

# A table of short cells in three columns (gaps of 180 px = 9 line heights between columns).
TABLE_HEAD: list[Entry] = [
    ("Article", 50, 50, 150, 70),
    ("Qté", 330, 50, 380, 70),
    ("Prix", 560, 50, 620, 70),
    ("Vis M4", 50, 80, 140, 100),
    ("200", 330, 80, 375, 100),
    ("4,00", 560, 80, 620, 100),
    ("Écrou M4", 50, 110, 170, 130),
    ("150", 330, 110, 375, 130),
    ("2,25", 560, 110, 620, 130),
]
TABLE_SPANNING_ROW: Entry = ("Livraison groupée le 12 mars, franco de port", 50, 140, 620, 160)
TABLE_TAIL: list[Entry] = [
    ("Rondelle", 50, 170, 160, 190),
    ("500", 330, 170, 375, 190),
    ("1,50", 560, 170, 620, 190),
]
TABLE_ROWS_TEXT = ["Article Qté Prix", "Vis M4 200 4,00", "Écrou M4 150 2,25"]
TABLE_TAIL_TEXT = ["Rondelle 500 1,50"]


def test_empty_input_gives_empty_text_and_no_rows() -> None:
    assert lines_to_text([]) == ""
    assert order_lines([]) == []


def test_one_line() -> None:
    assert lines_to_text([make_line(("Bonjour le monde", 10, 10, 200, 30))]) == "Bonjour le monde"


@pytest.mark.parametrize("seed", range(5))
def test_shuffled_single_column_reads_top_to_bottom(seed: int) -> None:
    entries = [
        ("Madame, Monsieur,", 100, 100, 300, 120),
        ("nous avons bien reçu votre courrier du 3 mars", 100, 130, 700, 150),
        ("et vous en remercions.", 100, 160, 380, 180),
        ("Veuillez agréer nos salutations.", 100, 220, 500, 240),
    ]
    expected = (
        "Madame, Monsieur,\n"
        "nous avons bien reçu votre courrier du 3 mars\n"
        "et vous en remercions.\n"
        "Veuillez agréer nos salutations."
    )
    assert lines_to_text(shuffled([make_line(e) for e in entries], seed)) == expected


@pytest.mark.parametrize("seed", range(5))
def test_two_columns_read_column_by_column_between_title_and_footer(seed: int) -> None:
    lines = shuffled([make_line(e) for e in TWO_COLUMNS], seed)
    assert lines_to_text(lines) == TWO_COLUMNS_TEXT


def test_two_narrow_columns_whose_rows_do_not_line_up_are_columns() -> None:
    # Short lines (not prose) but different line spacings: 30 px left, 37 px right; the left
    # centres 110, 140, 170, 200 and right ones 115, 152, 189, 226 pair up only once within 5 px
    # (a quarter line height), so the gutter is a real column gutter.
    entries = [
        ("un deux", 50, 100, 150, 120),
        ("trois quatre", 50, 130, 180, 150),
        ("cinq six", 50, 160, 150, 180),
        ("sept huit", 50, 190, 160, 210),
        ("alpha beta", 300, 105, 420, 125),
        ("gamma delta", 300, 142, 430, 162),
        ("epsilon", 300, 179, 390, 199),
        ("zeta eta", 300, 216, 400, 236),
    ]
    expected = (
        "un deux\ntrois quatre\ncinq six\nsept huit\nalpha beta\ngamma delta\nepsilon\nzeta eta"
    )
    assert lines_to_text(shuffled([make_line(e) for e in entries], 1)) == expected


@pytest.mark.parametrize("seed", range(3))
def test_label_and_amount_stay_on_one_row_even_with_a_taller_amount_box(seed: int) -> None:
    lines = shuffled([make_line(e) for e in TOTALS], seed)
    assert rows_text(lines) == TOTALS_ROWS
    assert lines_to_text(lines) == "Total HT 1 000,00 €\nTVA 20 % 200,00 €\nTotal TTC 1 200,00 €"


def test_segments_of_one_row_are_joined_by_a_single_space() -> None:
    lines = [make_line(("1 200,00 €", 900, 10, 1000, 30)), make_line(("Total", 10, 10, 60, 30))]
    assert lines_to_text(lines) == "Total 1 200,00 €"


@pytest.mark.parametrize("degrees", [3.0, -3.0])
def test_skewed_page_keeps_its_rows_and_columns(degrees: float) -> None:
    # The totals block moved right and made wide (labels at x=100, amounts around x=1500) under a
    # two-column page: at 3 degrees an amount 1400 px right of its label drops 73 px, more than
    # the 30 px line pitch, so rows only hold once the skew is removed.
    totals = [
        ("Total HT", 100, 400, 220, 420),
        ("1 000,00 €", 1400, 400, 1550, 420),
        ("TVA 20 %", 100, 430, 220, 450),
        ("200,00 €", 1430, 430, 1550, 450),
        ("Total TTC", 100, 460, 240, 480),
        ("1 200,00 €", 1370, 454, 1580, 494),
    ]
    centre = (800.0, 300.0)
    lines = [make_line(e, degrees, centre) for e in TWO_COLUMNS[:-1] + totals]
    assert estimate_skew(lines) == pytest.approx(degrees, abs=0.1)
    expected = (
        TWO_COLUMNS_TEXT.removesuffix("\nPage 1 sur 4")
        + "\nTotal HT 1 000,00 €\nTVA 20 % 200,00 €\nTotal TTC 1 200,00 €"
    )
    # Sanity: a plain sort by box centre, with no de-skewing, gets this page wrong.
    naive = sorted(lines, key=lambda line: (line.bbox.center[1], line.bbox.x0))
    assert "\n".join(line.text for line in naive) != expected
    assert lines_to_text(shuffled(lines, 7)) == expected


def test_table_with_a_full_width_row_reads_row_by_row() -> None:
    # The spanning row closes every gap between the columns, so the table is never one run with
    # a full-height gutter; above and below it, each block of rows has two gutters that the
    # table test refuses to cut (cells line up and are far from prose width).
    entries = [*TABLE_HEAD, TABLE_SPANNING_ROW, *TABLE_TAIL]
    expected = "\n".join([*TABLE_ROWS_TEXT, TABLE_SPANNING_ROW[0], *TABLE_TAIL_TEXT])
    assert lines_to_text(shuffled([make_line(e) for e in entries], 3)) == expected


def test_table_without_a_full_width_row_still_reads_row_by_row() -> None:
    # Here the gaps between columns are full-height gutters; a plain XY-cut would read
    # "Article Vis M4 Écrou M4 Rondelle Qté 200 ...": the table test keeps the rows.
    entries = [
        *TABLE_HEAD,
        (TABLE_TAIL[0][0], 50, 140, 160, 160),
        ("500", 330, 140, 375, 160),
        ("1,50", 560, 140, 620, 160),
    ]
    expected = "\n".join([*TABLE_ROWS_TEXT, *TABLE_TAIL_TEXT])
    assert lines_to_text(shuffled([make_line(e) for e in entries], 4)) == expected


def test_register_with_a_sparse_number_column_reads_row_by_row() -> None:
    # Entry numbers on 2 of 5 rows: every number lines up with a row on the right, which is what
    # counts (the rows of the side with fewer rows), not the 2/5 share of all rows.
    entries = [
        ("770", 50, 100, 90, 120),
        ("771", 50, 160, 90, 180),
        ("Procuration", 200, 100, 340, 120),
        ("Décharge", 200, 130, 310, 150),
        ("Vente Martin", 200, 160, 360, 180),
        ("Bail Durand", 200, 190, 350, 210),
        ("Quittance", 200, 220, 320, 240),
    ]
    expected = "770 Procuration\nDécharge\n771 Vente Martin\nBail Durand\nQuittance"
    assert lines_to_text(shuffled([make_line(e) for e in entries], 6)) == expected


def test_item_table_with_long_descriptions_reads_row_by_row() -> None:
    # An invoice's lines: descriptions of 11 to 41 characters on the left, quantities and
    # amounts on the right. By length alone both sides pass for prose (median 20 characters and
    # more); but the descriptions end where their text ends (prose runs to the column's edge)
    # and the right side is mostly figures.
    entries = [
        ("Désignation", 50, 100, 170, 120),
        ("Qté Unité PU HT TVA Total HT", 600, 100, 950, 120),
        ("Formation des utilisateurs (demi-journée)", 50, 130, 500, 150),
        ("3 forfait 893,54 20 % 2 680,62", 600, 130, 950, 150),
        ("Nettoyage des locaux", 50, 160, 270, 180),
        ("35 forfait 389,04 20 % 13 616,40", 600, 160, 950, 180),
        ("Fourniture et pose de fenêtres PVC", 50, 190, 430, 210),
        ("12 unité 634,50 10 % 7 614,00", 600, 190, 950, 210),
        ("Livres scolaires", 50, 220, 230, 240),
        ("1 unité 16,55 5,5 % 16,55", 600, 220, 950, 240),
    ]
    expected = "\n".join(
        f"{left[0]} {right[0]}" for left, right in zip(entries[::2], entries[1::2], strict=True)
    )
    assert lines_to_text(shuffled([make_line(e) for e in entries], 9)) == expected


def test_label_column_beside_a_column_of_amounts_reads_row_by_row() -> None:
    # A payslip: the labels fill their column unevenly, the amounts are figures; each side
    # alone would pass the length test of prose.
    labels = [
        "Salaire de base",
        "Heures supplémentaires 25 %",
        "Sécurité sociale - Maladie Maternité Invalidité Décès",
        "Complémentaire santé",
        "Assurance chômage",
    ]
    amounts = [
        "151,67 34,54 5 238,68",
        "4,00 43,18 172,72",
        "5 411,40 13,00 703,48",
        "42,00 25,00 31,50 12,00",
        "5 411,40 4,05 219,16",
    ]
    entries: list[Entry] = []
    for row, (label, amount) in enumerate(zip(labels, amounts, strict=True)):
        y = 100 + 30 * row
        entries.append((label, 50, y, 50 + 10 * len(label), y + 20))
        entries.append((amount, 700, y, 700 + 10 * len(amount), y + 20))
    expected = "\n".join(f"{a} {b}" for a, b in zip(labels, amounts, strict=True))
    assert lines_to_text(shuffled([make_line(e) for e in entries], 10)) == expected


def test_aligned_columns_of_short_lines_read_as_a_table() -> None:
    # The documented limit of the table test: short lines (under 20 characters) in two columns
    # whose rows line up are indistinguishable from a two-column table, and read row by row.
    entries = [
        ("Lundi", 50, 100, 120, 120),
        ("Mardi", 50, 130, 120, 150),
        ("Mercredi", 50, 160, 160, 180),
        ("Piscine", 400, 100, 490, 120),
        ("Tennis", 400, 130, 480, 150),
        ("Judo", 400, 160, 460, 180),
    ]
    expected = "Lundi Piscine\nMardi Tennis\nMercredi Judo"
    assert lines_to_text(shuffled([make_line(e) for e in entries], 8)) == expected


def test_table_below_two_columns_is_not_cut_by_their_gutter() -> None:
    # Seller and buyer addresses side by side, then after a section gap a table whose middle
    # gap lies under the addresses' gutter: the table must not be split in two.
    entries = [
        ("Vendeur : Atelier Dupont", 50, 50, 400, 70),
        ("12 rue des Lilas, 69003 Lyon", 50, 80, 400, 100),
        ("Client : Boulangerie Martin", 600, 60, 950, 80),
        ("4 place du Marché, 38000 Grenoble", 600, 90, 950, 110),
        ("Désignation", 50, 200, 200, 220),
        ("Montant", 800, 200, 900, 220),
        ("Réparation du four", 50, 230, 280, 250),
        ("450,00", 820, 230, 900, 250),
    ]
    expected = (
        "Vendeur : Atelier Dupont\n"
        "12 rue des Lilas, 69003 Lyon\n"
        "Client : Boulangerie Martin\n"
        "4 place du Marché, 38000 Grenoble\n"
        "Désignation Montant\n"
        "Réparation du four 450,00"
    )
    assert lines_to_text(shuffled([make_line(e) for e in entries], 5)) == expected


def test_cells_beside_cells_read_row_by_row_even_when_both_sides_pass_for_prose() -> None:
    # A payslip's foot: the year-to-date table (4 columns) beside the paid-leave table (5
    # columns), a total under the first. By length, letters and width each side passes for
    # prose (rows of 27 to 39 characters reaching the side's right edge); but their rows are
    # cells, several segments each, which prose lines never are: read row by row.
    entries: list[Entry] = [
        ("Cumuls", 50, 100, 110, 120),
        ("Brut", 180, 100, 220, 120),
        ("Net imposable", 300, 100, 430, 120),
        ("Impôt prélevé", 460, 100, 590, 120),
        ("Année 2022", 50, 130, 150, 150),
        ("21 858,48", 180, 130, 270, 150),
        ("17 568,56", 300, 130, 390, 150),
        ("843,28", 460, 130, 520, 150),
        ("Coût total employeur : 3 687,11 €", 50, 190, 380, 210),
        ("Heures", 650, 100, 710, 120),
        ("Congés payés", 760, 100, 880, 120),
        ("Acquis", 910, 100, 970, 120),
        ("Pris", 1000, 100, 1040, 120),
        ("Solde", 1070, 100, 1120, 120),
        ("1 213,36", 650, 130, 730, 150),
        ("N-1", 760, 130, 790, 150),
        ("25,0", 910, 130, 950, 150),
        ("13,0", 1000, 130, 1040, 150),
        ("12,0", 1070, 130, 1110, 150),
        ("N", 760, 160, 770, 180),
        ("10,0", 910, 160, 950, 180),
        ("0,0", 1000, 160, 1030, 180),
        ("10,0", 1070, 160, 1110, 180),
    ]
    expected = (
        "Cumuls Brut Net imposable Impôt prélevé Heures Congés payés Acquis Pris Solde\n"
        "Année 2022 21 858,48 17 568,56 843,28 1 213,36 N-1 25,0 13,0 12,0\n"
        "N 10,0 0,0 10,0\n"
        "Coût total employeur : 3 687,11 €"
    )
    assert lines_to_text(shuffled([make_line(e) for e in entries], 11)) == expected


def test_small_print_keeps_its_lines_under_a_larger_line_height() -> None:
    # Two lines of small print (12 px) 16 px apart under body lines of 40 px: their centres are
    # within half the body's line height, but one lies above the other (they overlap across the
    # whole width, not vertically): two rows, in order, the second not read first for
    # starting further left.
    body = [(f"Ligne de texte courant numéro {k}", 50, 60 * k, 900, 60 * k + 40) for k in range(6)]
    entries: list[Entry] = [
        *body,
        ("Cette quittance annule tous les reçus antérieurs. Elle est à", 60, 400, 900, 412),
        ("conserver pendant trois ans par le locataire.", 50, 416, 620, 428),
    ]
    expected = [line[0] for line in entries]
    assert [" ".join(row) for row in rows_text(shuffled([make_line(e) for e in entries], 12))] == (
        expected
    )


def test_stacked_lines_beside_another_column_are_read_top_to_bottom_in_their_row() -> None:
    # A handwritten register: an entry written on two lines whose tall boxes overlap (the second
    # starting further left) shares a row with its number far right. The row keeps the entry's
    # lines together, upper one first, then the number: not "lower upper number", not the upper
    # line with the number and the lower one alone.
    entries: list[Entry] = [
        ("Vente par M. Durand à M. Petit d'une", 60, 100, 420, 130),
        ("maison sise à Lyon, rue des Lilas", 50, 115, 400, 145),
        ("N° 1875", 600, 108, 670, 138),
    ]
    assert rows_text(shuffled([make_line(e) for e in entries], 16)) == [
        ["Vente par M. Durand à M. Petit d'une", "maison sise à Lyon, rue des Lilas", "N° 1875"]
    ]


def test_tall_overlapping_boxes_of_handwritten_lines_stay_apart() -> None:
    # Handwriting: boxes 150 px tall (ascenders, descenders) for a line pitch of 70 px; the
    # centres of neighbours are within half a line height, the boxes overlap, yet each is a
    # line of its own.
    entries: list[Entry] = [
        (f"ligne manuscrite {k} du jugement", 50 + 5 * (k % 2), 70 * k, 900, 70 * k + 150)
        for k in range(6)
    ]
    rows = rows_text(shuffled([make_line(e) for e in entries], 13))
    assert rows == [[e[0]] for e in entries]


def test_a_smaller_word_written_above_a_handwritten_line_is_read_with_it() -> None:
    # A will (Testaments de Poilus): "avons", added above the end of a line in a smaller hand,
    # overlaps it across and down; transcriptions read it at the end of that line.
    entries: list[Entry] = [
        ("et en cas de mon decés toutes les", 651, 795, 1926, 896),
        ("économies que nous gagnés ensemble", 654, 901, 2130, 1007),
        ("avons", 1406, 886, 1569, 940),
        ("qui soient en papier ou en argent.", 646, 979, 2117, 1100),
    ]
    assert rows_text(shuffled([make_line(e) for e in entries], 15)) == [
        ["et en cas de mon decés toutes les"],
        ["économies que nous gagnés ensemble", "avons"],
        ["qui soient en papier ou en argent."],
    ]


def test_text_running_into_its_neighbour_stays_on_its_row() -> None:
    # A long value runs under the next label on the same row (the boxes overlap horizontally at
    # the same height): still one row, not two lines.
    entries: list[Entry] = [
        ("Matricule : 08326", 50, 60, 300, 80),
        ("Emploi : Conducteur d'engins forestiers de récolte", 50, 100, 700, 120),
        ("Statut : Agent de maîtrise", 500, 101, 800, 121),
        ("Convention collective : Syntec", 50, 140, 450, 160),
    ]
    assert rows_text(shuffled([make_line(e) for e in entries], 14)) == [
        ["Matricule : 08326"],
        ["Emploi : Conducteur d'engins forestiers de récolte", "Statut : Agent de maîtrise"],
        ["Convention collective : Syntec"],
    ]


def test_polygons_give_the_skew_of_one_word_lines() -> None:
    # One-word lines: no word centres to fit, only the polygons tell the -4 degree skew. An
    # amount 1400 px right of its label rises by 98 px, three line pitches.
    entries = [
        ("FACTURE N° 2024-117", 100, 50, 600, 80),
        ("Total HT", 100, 120, 220, 140),
        ("1 000,00 €", 1400, 120, 1550, 140),
        ("TVA 20 %", 100, 150, 220, 170),
        ("200,00 €", 1430, 150, 1550, 170),
        ("Total TTC", 100, 180, 240, 200),
        ("1 200,00 €", 1400, 180, 1550, 200),
    ]
    lines = [make_polygon_line(e, -4.0, (800.0, 150.0)) for e in entries]
    assert all(len(line.words) == 1 and line.words[0].polygon is None for line in lines)
    assert estimate_skew(lines) == pytest.approx(-4.0, abs=0.2)
    expected = "FACTURE N° 2024-117\nTotal HT 1 000,00 €\nTVA 20 % 200,00 €\nTotal TTC 1 200,00 €"
    assert lines_to_text(shuffled(lines, 2)) == expected


def test_skew_estimate_is_zero_without_geometry_and_clamped_beyond_ten_degrees() -> None:
    one_word_lines = [make_line(("Bonjour", 10, 10, 100, 30)), make_line(("Merci", 10, 40, 80, 60))]
    assert estimate_skew(one_word_lines) == 0.0
    steep = [
        make_line(("une ligne de texte bien longue", 100, 100 + 40 * i, 900, 120 + 40 * i), 15.0)
        for i in range(3)
    ]
    assert estimate_skew(steep) == 10.0
    # A vertical stamp (90 degrees) does not vote; the straight lines win.
    stamp = make_polygon_line(("COPIE", 0, 0, 300, 40), 90.0, (500.0, 500.0))
    straight = [
        make_line(("une ligne de texte droite", 100, 100 + 40 * i, 900, 120 + 40 * i))
        for i in range(3)
    ]
    assert estimate_skew([stamp, *straight]) == 0.0


def test_every_line_appears_once_and_order_is_deterministic() -> None:
    entries = [*TWO_COLUMNS, *[(t, x0, y0 + 300, x1, y1 + 300) for t, x0, y0, x1, y1 in TOTALS]]
    lines = [make_line(e) for e in entries]
    first = order_lines(shuffled(lines, 0))
    assert sorted(id(line) for row in first for line in row) == sorted(id(line) for line in lines)
    for seed in range(1, 6):
        again = order_lines(shuffled(lines, seed))
        assert [[line.text for line in row] for row in again] == [
            [line.text for line in row] for row in first
        ]


def test_page_text_joins_the_order_applied_once() -> None:
    lines = [make_line(e) for e in TWO_COLUMNS]
    page = Page(index=0, width=1000, height=300, blocks=[block_from_lines(lines[::-1])])
    assert page.text() == "\n".join(line.text for line in lines[::-1])  # stored order
    ordered = order_page(page)
    assert ordered.text() == TWO_COLUMNS_TEXT == lines_to_text(lines[::-1])
    assert page.text() != ordered.text()  # the input is left as it was


def _stacked_pages(pages: int) -> list[Line]:
    """Pages stacked, each a title over 20 rows of two prose columns: 41 lines a page."""
    lines: list[Line] = []
    for page in range(pages):
        top = page * 1000
        lines.append(make_line((f"Titre {page}", 400, top, 600, top + 20)))
        for row in range(20):
            y = top + 60 + 30 * row
            lines.append(
                make_line((f"gauche {page} {row} texte de la colonne", 50, y, 470, y + 20))
            )
            lines.append(
                make_line((f"droite {page} {row} texte de la colonne", 530, y, 950, y + 20))
            )
    return lines


def test_a_few_thousand_lines_are_ordered() -> None:
    lines = _stacked_pages(50)
    text = lines_to_text(shuffled(lines, 0)).split("\n")
    assert len(text) == len(lines) == 2050
    assert text[:3] == [
        "Titre 0",
        "gauche 0 0 texte de la colonne",
        "gauche 0 1 texte de la colonne",
    ]
    assert text[21] == "droite 0 0 texte de la colonne"
    assert text[-1] == "droite 49 19 texte de la colonne"


def test_work_grows_like_n_log_n(monkeypatch: pytest.MonkeyPatch) -> None:
    # Counted, not timed (a timing flakes on a loaded machine): the line boxes the cut scans.
    scanned = [0]
    real_free = reading_order._free

    def counting_free(items, *args):  # type: ignore[no-untyped-def]
        scanned[0] += len(items)
        return real_free(items, *args)

    monkeypatch.setattr(reading_order, "_free", counting_free)
    work = []
    for pages in (25, 50, 100):
        scanned[0] = 0
        order_lines(shuffled(_stacked_pages(pages), 0))
        work.append(scanned[0])
    # Doubling the input at most ~doubles the work (n log n with a shallow cut tree); a
    # quadratic cut would quadruple it.
    assert work[1] <= 2.6 * work[0] and work[2] <= 2.6 * work[1], work
