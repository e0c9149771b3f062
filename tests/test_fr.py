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
