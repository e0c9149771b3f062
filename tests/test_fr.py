"""French value rules (``ocrxtract.fr``): check digits against published or hand-computed
vectors, French formats, and reading amounts and dates back. Expected values are worked out by
hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocrxtract import fr

# --- check digits: published or hand-computed vectors ---------------------------------------------


def test_luhn_siren_siret_known_vectors():
    # INSEE's documentation example: SIRET 732 829 320 00074 (SIREN 732 829 320).
    # SIREN Luhn: digits 7 3 2 8 2 9 3 2 0, every second from the right doubled:
    # 7 + 6 + 2 + 16->7 + 2 + 18->9 + 3 + 4 + 0 = 40 -> 0 mod 10.
    assert fr.luhn_sum("732829320") == 0
    assert fr.siren_valid("732 829 320")
    assert fr.siret_valid("732 829 320 00074")
    assert not fr.siren_valid("732829321")  # last digit changed: sum 41
    assert not fr.siret_valid("73282932000075")
    assert not fr.siret_valid("7328293200007")  # 13 digits
    assert fr.luhn_complete("73282932") == "732829320"


def test_vat_number_known_vector():
    # SIREN 404 833 048 = 97 * 4173536 + 56 -> key (12 + 3 * 56) mod 97 = 180 - 97 = 83.
    assert 404833048 % 97 == 56
    assert fr.vat_number("404833048") == "FR83404833048"
    assert fr.vat_valid("FR 83 404833048")
    assert not fr.vat_valid("FR84404833048")


def test_iban_known_vectors():
    # The French example IBAN of the ECBS / Wikipedia: FR14 2004 1010 0505 0001 3M02 606.
    assert fr.iban_valid("FR14 2004 1010 0505 0001 3M02 606")
    assert not fr.iban_valid("FR14 2004 1010 0505 0001 3M02 607")
    assert not fr.iban_valid("FR15 2004 1010 0505 0001 3M02 606")
    # Its RIB key: account 0500013M026, M -> 4 (RIB letter table), so 05000134026;
    # 89 * 20041 + 15 * 1005 + 3 * 5000134026 = 15002200802 = 91 mod 97 -> key 97 - 91 = 06.
    assert fr.rib_key("20041", "01005", "0500013M026") == "06"
    assert fr.iban_check_digits("FR", "20041010050500013M02606") == "14"
    assert fr.format_iban("FR1420041010050500013M02606") == "FR14 2004 1010 0505 0001 3M02 606"


def test_nir_known_vectors():
    # Wikipedia's example: 2 55 08 14 168 025; 2550814168025 mod 97 = 59 -> key 97 - 59 = 38.
    assert fr.nir_key("2550814168025") == "38"
    assert fr.nir_valid("2 55 08 14 168 025 38")
    assert not fr.nir_valid("2 55 08 14 168 025 39")
    # Corsica: 2A counts as 19 for the key: 1840319004123 mod 97 = 24 -> key 73.
    assert fr.nir_key("184032A004123") == "73"
    assert fr.nir_valid("1 84 03 2A 004 123 73")
    assert fr.format_nir("255081416802538") == "2 55 08 14 168 025 38"


def test_mrz_check_digits_icao_specimen():
    # ICAO 9303 part 3 specimen: document L898902C3 -> 6, birth 740812 -> 2, expiry 120415 -> 9.
    assert fr.mrz_check_digit("L898902C3") == "6"
    assert fr.mrz_check_digit("740812") == "2"
    assert fr.mrz_check_digit("120415") == "9"
    assert fr.mrz_check_digit("<<<<") == "0"


@pytest.mark.parametrize(
    ("field", "valid"),
    [
        ("7408122", True),  # birth date 740812, check digit 2 (above)
        ("7408123", False),
        ("D231458907", True),  # D=13: 91+6+3+7+12+5+56+27+0 = 207 -> 7
        ("D231458906", False),
        ("74-8122", False),  # "-" is not an MRZ character
        ("0", False),  # too short to hold a check digit
        ("", False),
    ],
)
def test_mrz_valid(field, valid):
    assert fr.mrz_valid(field) is valid


# ICAO 9303 part 5's TD1 specimen (Anna Maria Eriksson, Utopia).
TD1_SPECIMEN = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]
ALL_VALID = {"document_number": True, "birth_date": True, "expiry_date": True, "composite": True}


def test_check_mrz_td1_icao_specimen():
    # Composite over "D23145890" "7" + 15 "<", "7408122", "1204159", 11 "<" (fillers count 0):
    # D231458907 at weights 7 3 1 ...: 207 + 7 * 7 = 256; 7408122 at positions 25-31 (weights
    # 3 1 7 3 1 7 3): 21 + 4 + 0 + 24 + 1 + 14 + 6 = 70; 1204159 at 32-38 (weights 1 7 3 1 7 3
    # 1): 1 + 14 + 0 + 4 + 7 + 15 + 9 = 50. 256 + 70 + 50 = 376 -> 6, the last character.
    assert fr.check_mrz_td1(TD1_SPECIMEN) == ALL_VALID
    assert fr.check_mrz_td1("\n".join(TD1_SPECIMEN) + "\n") == ALL_VALID  # one text is fine too
    assert fr.check_mrz_td1([f" {line} " for line in TD1_SPECIMEN]) == ALL_VALID


def _bump(line: str, position: int) -> str:
    """``line`` with the character at ``position`` replaced by the next one (value + 1)."""
    value = 0 if line[position] == "<" else int(line[position], 36)
    char = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(value + 1) % 36]
    return line[:position] + char + line[position + 1 :]


@pytest.mark.parametrize(
    ("line", "position", "wrong"),
    [
        # A value one higher at one place moves the weighted sum by 7, 3 or 1, never 0 mod 10.
        (0, 7, {"document_number", "composite"}),  # a character of the document number
        (0, 14, {"document_number", "composite"}),  # its check digit
        (0, 20, {"composite"}),  # the optional data of line 1 ("<" -> "1")
        (1, 2, {"birth_date", "composite"}),  # the birth month
        (1, 6, {"birth_date", "composite"}),  # its check digit
        (1, 7, set()),  # the sex: outside every check
        (1, 10, {"expiry_date", "composite"}),  # the expiry month
        (1, 14, {"expiry_date", "composite"}),  # its check digit
        (1, 16, set()),  # the nationality: outside every check on a TD1
        (1, 29, {"composite"}),  # the composite check digit itself
        (2, 3, set()),  # the name line has no check digit
    ],
)
def test_check_mrz_td1_on_a_generated_card(line, position, wrong):
    from ocrxtract.datasets.synthetic.documents.id_card import mrz_td1
    from ocrxtract.datasets.synthetic.values import FrenchValues

    person = FrenchValues(3).person()
    lines = mrz_td1(person, "X4RF2L5C9", date(2033, 8, 1))
    assert fr.check_mrz_td1(lines) == ALL_VALID
    lines[line] = _bump(lines[line], position)
    assert fr.check_mrz_td1(lines) == {name: name not in wrong for name in ALL_VALID}


@pytest.mark.parametrize(
    "lines",
    [
        TD1_SPECIMEN[:2],  # two lines
        [*TD1_SPECIMEN, TD1_SPECIMEN[2]],  # four lines
        [TD1_SPECIMEN[0][:29], *TD1_SPECIMEN[1:]],  # a short line
        [],
    ],
)
def test_check_mrz_td1_refuses_other_shapes(lines):
    with pytest.raises(ValueError, match="3 lines of 30 characters"):
        fr.check_mrz_td1(lines)


# --- formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), "1 234,56 €"),
        (Decimal("0.5"), "0,50 €"),
        (Decimal("1000000"), "1 000 000,00 €"),
        (Decimal("-3.456"), "-3,46 €"),  # half up
        (12, "12,00 €"),
    ],
)
def test_format_euros(value, expected):
    assert fr.format_euros(value) == expected


def test_dates_and_numbers():
    assert fr.format_date(date(2024, 3, 12)) == "12/03/2024"
    assert fr.format_month(date(2024, 3, 12)) == "mars 2024"
    assert fr.format_long_date(date(2024, 3, 1)) == "1er mars 2024"
    assert fr.format_long_date(date(2024, 8, 15)) == "15 août 2024"
    assert fr.format_number(Decimal("12345.678"), 1) == "12 345,7"
    assert fr.format_number(7, 0) == "7"
    assert fr.month_bounds(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert fr.unbreakable("1 234,56 €") == "1\u00a0234,56\u00a0€"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zéro"),
        (21, "vingt et un"),
        (71, "soixante et onze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (91, "quatre-vingt-onze"),
        (200, "deux cents"),
        (280, "deux cent quatre-vingts"),
        (1001, "mille un"),
        (80_000, "quatre-vingt mille"),
        (200_000, "deux cent mille"),
        (2_000_000, "deux millions"),
    ],
)
def test_number_in_words(number, words):
    assert fr.number_in_words(number) == words


def test_amount_in_words():
    assert fr.amount_in_words(Decimal("845.50")) == (
        "huit cent quarante-cinq euros et cinquante centimes"
    )
    assert fr.amount_in_words(Decimal("1.01")) == "un euro et un centime"


# --- reading amounts and dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56 €", Decimal("1234.56")),  # space groups, comma decimal
        ("1234.56", Decimal("1234.56")),
        ("1.234,56 EUR", Decimal("1234.56")),  # the last separator is the decimal one
        ("1,234.56 $", Decimal("1234.56")),
        ("1\u202f234,56\u00a0€", Decimal("1234.56")),  # narrow NBSP groups, NBSP before €
        ("1'234.50 CHF", Decimal("1234.50")),
        ("1.234.567", Decimal("1234567")),  # one separator repeated: thousands
        ("45,000", Decimal("45000")),  # one separator + 3 digits after a non-zero group
        ("Rp. 45.000", Decimal("45000")),  # the abbreviation's dot is not a separator
        ("0,500", Decimal("0.5")),  # a zero group: decimal
        ("12,5", Decimal("12.5")),
        ("670,96", Decimal("670.96")),
        ("-12,00 €", Decimal("-12")),
        ("€ -12.00", Decimal("-12")),
        ("(12.00)", Decimal("-12")),  # accounting negative
        ("12", Decimal("12.00")),  # Decimals compare by value
        ("N/A", None),
        ("", None),
        ("1.2.3,4,5", None),  # separators in no readable order
    ],
)
def test_parse_amount(text: str, expected: Decimal | None) -> None:
    assert fr.parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/2024", date(2024, 3, 12)),  # day first (French order)
        ("2024-03-12", date(2024, 3, 12)),
        ("12 mars 2024", date(2024, 3, 12)),
        ("12 MARS 2024", date(2024, 3, 12)),
        ("1er avril 2024", date(2024, 4, 1)),
        ("3 févr. 2024", date(2024, 2, 3)),
        ("15 août 2023", date(2023, 8, 15)),
        ("12 March 2024", date(2024, 3, 12)),
        ("March 12, 2024", date(2024, 3, 12)),
        ("12.03.2024", date(2024, 3, 12)),
        ("12-03-24", date(2024, 3, 12)),  # two-digit years as strptime's %y
        ("01/01/99", date(1999, 1, 1)),
        ("20240312", date(2024, 3, 12)),  # Factur-X format 102
        (" 12/03/2024 ", date(2024, 3, 12)),
        ("31/02/2024", None),  # no such day
        ("12 foo 2024", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert fr.parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 740,58 €", "1740.58"),
        ("1740.58", "1740.58"),
        (Decimal("1740.580"), "1740.58"),  # trailing zeros beyond the cent dropped
        ("12", "12.00"),  # at least two decimals
        (12, "12.00"),
        (12.5, "12.50"),
        ("0,125", "0.125"),  # a third decimal is kept, never rounded
        (Decimal("1E+3"), "1000.00"),  # never in exponent form
        ("-12,00 €", "-12.00"),
        ("(12.00)", "-12.00"),
        ("0,00", "0.00"),
        ("-0", "0.00"),  # no negative zero
        (Decimal("NaN"), None),
        ("N/A", None),
        ("", None),
    ],
)
def test_normalize_amount(value, expected):
    assert fr.normalize_amount(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/03/2024", "2024-03-31"),
        ("31 mars 2024", "2024-03-31"),
        ("20240331", "2024-03-31"),
        (date(2024, 3, 31), "2024-03-31"),
        ("31/02/2024", None),
        ("N/A", None),
    ],
)
def test_normalize_date(value, expected):
    assert fr.normalize_date(value) == expected


MARCH_2024 = (date(2024, 3, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a month alone: its first and last day
        ("mars 2024", MARCH_2024),
        ("MARS 2024", MARCH_2024),
        ("March 2024", MARCH_2024),
        ("03/2024", MARCH_2024),
        ("3.2024", MARCH_2024),
        ("2024-03", MARCH_2024),
        ("Période : mars 2024", MARCH_2024),  # the label of the rent receipts
        ("février 2024", (date(2024, 2, 1), date(2024, 2, 29))),  # 2024 is a leap year
        ("févr. 2023", (date(2023, 2, 1), date(2023, 2, 28))),
        ("2/2023", (date(2023, 2, 1), date(2023, 2, 28))),
        # two dates
        ("du 01/03/2024 au 31/03/2024", MARCH_2024),
        ("Période du 1er mars 2024 au 31 mars 2024", MARCH_2024),
        ("01/03/2024 - 31/03/2024", MARCH_2024),
        ("01/03/2024 – 31/03/2024", MARCH_2024),  # en dash
        ("du 1er août 2024 au 31 août 2024", (date(2024, 8, 1), date(2024, 8, 31))),
        ("du 12/03/2024 au 12/03/2024", (date(2024, 3, 12), date(2024, 3, 12))),  # one day
        # not periods
        ("du 31/03/2024 au 01/03/2024", None),  # ends before it starts
        ("du 01/03/2024 au 31/02/2024", None),  # no 31 February
        ("12/03/2024", None),  # a single date
        ("13/2024", None),  # no month 13
        ("2024-13", None),
        ("mars", None),  # no year
        ("foo 2024", None),
        ("", None),
    ],
)
def test_parse_period(text, expected):
    assert fr.parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mars 2024", "2024-03-01/2024-03-31"),
        ("03/2024", "2024-03-01/2024-03-31"),
        ("du 01/03/2024 au 31/03/2024", "2024-03-01/2024-03-31"),
        ("février 2024", "2024-02-01/2024-02-29"),
        ("12/03/2024", None),
        ("N/A", None),
    ],
)
def test_normalize_period(text, expected):
    assert fr.normalize_period(text) == expected


# --- normalising identifiers and text -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("732 829 320 00074", "73282932000074"),  # SIRET
        ("fr76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),  # IBAN
        ("FR 40-303.265.045", "FR40303265045"),  # VAT: spaces, dashes and dots dropped
        ("1\u00a084\u202f12", "18412"),  # no-break spaces too
        ("AB–12—34", "AB1234"),  # en and em dashes
        ("", ""),
    ],
)
def test_normalize_identifier(text, expected):
    assert fr.normalize_identifier(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Société  Générale ", "societe generale"),  # case, accents, spaces
        ("L’Œuvre", "l'oeuvre"),  # ’ -> ', Œ -> oe
        ("« Loyer » – mars", '" loyer " - mars'),  # guillemets and dashes
        ("Total\u202f:\n12", "total : 12"),  # narrow no-break space, line break
        ("", ""),
    ],
)
def test_normalize_text_field(text, expected):
    assert fr.normalize_text_field(text) == expected
