"""Check digits (known-good and known-bad vectors, worked out by hand), French formats and the
generated values of the synthetic documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocrxtract.datasets.synthetic import values as v

# --- check digits: published or hand-computed vectors -------------------------------------------


def test_luhn_siren_siret_known_vectors():
    # INSEE's documentation example: SIRET 732 829 320 00074 (SIREN 732 829 320).
    # SIREN Luhn: digits 7 3 2 8 2 9 3 2 0, every second from the right doubled:
    # 7 + 6 + 2 + 16->7 + 2 + 18->9 + 3 + 4 + 0 = 40 -> 0 mod 10.
    assert v.luhn_sum("732829320") == 0
    assert v.siren_valid("732 829 320")
    assert v.siret_valid("732 829 320 00074")
    assert not v.siren_valid("732829321")  # last digit changed: sum 41
    assert not v.siret_valid("73282932000075")
    assert not v.siret_valid("7328293200007")  # 13 digits
    assert v.luhn_complete("73282932") == "732829320"


def test_vat_number_known_vector():
    # SIREN 404 833 048 = 97 * 4173536 + 56 -> key (12 + 3 * 56) mod 97 = 180 - 97 = 83.
    assert 404833048 % 97 == 56
    assert v.vat_number("404833048") == "FR83404833048"
    assert v.vat_valid("FR 83 404833048")
    assert not v.vat_valid("FR84404833048")


def test_iban_known_vectors():
    # The French example IBAN of the ECBS / Wikipedia: FR14 2004 1010 0505 0001 3M02 606.
    assert v.iban_valid("FR14 2004 1010 0505 0001 3M02 606")
    assert not v.iban_valid("FR14 2004 1010 0505 0001 3M02 607")
    assert not v.iban_valid("FR15 2004 1010 0505 0001 3M02 606")
    # Its RIB key: account 0500013M026, M -> 4 (RIB letter table), so 05000134026;
    # 89 * 20041 + 15 * 1005 + 3 * 5000134026 = 15002200802 = 91 mod 97 -> key 97 - 91 = 06.
    assert v.rib_key("20041", "01005", "0500013M026") == "06"
    assert v.iban_check_digits("FR", "20041010050500013M02606") == "14"
    assert v.format_iban("FR1420041010050500013M02606") == "FR14 2004 1010 0505 0001 3M02 606"


def test_nir_known_vectors():
    # Wikipedia's example: 2 55 08 14 168 025; 2550814168025 mod 97 = 59 -> key 97 - 59 = 38.
    assert v.nir_key("2550814168025") == "38"
    assert v.nir_valid("2 55 08 14 168 025 38")
    assert not v.nir_valid("2 55 08 14 168 025 39")
    # Corsica: 2A counts as 19 for the key: 1840319004123 mod 97 = 24 -> key 73.
    assert v.nir_key("184032A004123") == "73"
    assert v.nir_valid("1 84 03 2A 004 123 73")
    assert v.format_nir("255081416802538") == "2 55 08 14 168 025 38"


def test_mrz_check_digits_icao_specimen():
    # ICAO 9303 part 3 specimen: document L898902C3 -> 6, birth 740812 -> 2, expiry 120415 -> 9.
    assert v.mrz_check_digit("L898902C3") == "6"
    assert v.mrz_check_digit("740812") == "2"
    assert v.mrz_check_digit("120415") == "9"
    assert v.mrz_check_digit("<<<<") == "0"


# --- formats ------------------------------------------------------------------------------------


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
    assert v.format_euros(value) == expected


def test_dates_and_numbers():
    assert v.format_date(date(2024, 3, 12)) == "12/03/2024"
    assert v.format_month(date(2024, 3, 12)) == "mars 2024"
    assert v.format_long_date(date(2024, 3, 1)) == "1er mars 2024"
    assert v.format_long_date(date(2024, 8, 15)) == "15 août 2024"
    assert v.format_number(Decimal("12345.678"), 1) == "12 345,7"
    assert v.format_number(7, 0) == "7"
    assert v.month_bounds(date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert v.unbreakable("1 234,56 €") == "1\u00a0234,56\u00a0€"


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
    assert v.number_in_words(number) == words


def test_amount_in_words():
    assert v.amount_in_words(Decimal("845.50")) == (
        "huit cent quarante-cinq euros et cinquante centimes"
    )
    assert v.amount_in_words(Decimal("1.01")) == "un euro et un centime"


def test_prefecture_names():
    assert v.prefecture("69") == "Préfecture du Rhône"
    assert v.prefecture("38") == "Préfecture de l'Isère"
    assert v.prefecture("75") == "Préfecture de police"


# --- generated values ----------------------------------------------------------------------------


def test_generated_identifiers_validate():
    for seed in range(40):
        values = v.FrenchValues(seed)
        company = values.company()
        assert v.siren_valid(company.siren), company.siren
        assert v.siret_valid(company.siret), company.siret
        assert company.siret.startswith(company.siren)
        assert v.vat_valid(company.vat), company.vat
        account = values.bank_account()
        assert v.iban_valid(account.iban), account.iban
        assert len(account.iban) == 27 and account.iban.startswith("FR")
        person = values.person()
        nir = values.nir(person)
        assert v.nir_valid(nir), nir
        assert nir[0] == ("1" if person.sex == "M" else "2")
        assert nir[1:3] == f"{person.birth_date.year % 100:02d}"


def test_same_seed_same_values():
    first, second = v.FrenchValues(7), v.FrenchValues(7)
    assert first.company() == second.company()
    assert first.person() == second.person()
    assert v.FrenchValues(8).company() != v.FrenchValues(7).company()
