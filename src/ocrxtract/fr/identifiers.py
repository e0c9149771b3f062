"""French identifiers: check digits computed and verified, and the ways they are written.

* SIREN (9 digits) and SIRET (SIREN + 5-digit NIC): the Luhn algorithm on the whole number;
* intra-community VAT number: ``FR`` + key + SIREN, key = ``(12 + 3 * (SIREN mod 97)) mod 97``;
* French IBAN: RIB key ``97 - (89 bank + 15 branch + 3 account) mod 97`` (letters of the account
  turned into digits), then the ISO 13616 check digits (the IBAN read as a number is 1 mod 97);
* NIR (social security number): 13 digits + key ``97 - NIR mod 97`` (Corsica ``2A``/``2B`` count
  as 19/18);
* ICAO 9303 machine-readable zone check digits (weights 7, 3, 1), and the four check digits
  of an identity card's MRZ verified at once (:func:`check_mrz_td1`).

:func:`normalize_identifier` gives the comparable form of any of them (separators dropped,
upper-cased).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ocrxtract.fr.text import nfc

log = logging.getLogger(__name__)


def luhn_sum(digits: str) -> int:
    """Luhn sum of a digit string (every second digit from the right doubled), mod 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10


def luhn_valid(number: str) -> bool:
    """True when ``number`` (spaces allowed) is all digits and passes the Luhn test."""
    digits = number.replace(" ", "")
    return digits.isdigit() and luhn_sum(digits) == 0


def luhn_complete(partial: str) -> str:
    """``partial`` followed by the digit that makes the whole number Luhn-valid."""
    for check in "0123456789":
        if luhn_sum(partial + check) == 0:
            return partial + check
    raise AssertionError("unreachable: one of ten digits always completes a Luhn number")


def siren_valid(siren: str) -> bool:
    """A SIREN: 9 digits, Luhn-valid."""
    digits = siren.replace(" ", "")
    return len(digits) == 9 and luhn_valid(digits)


def siret_valid(siret: str) -> bool:
    """A SIRET: 14 digits, its SIREN and the whole number Luhn-valid.

    (La Poste's establishments, SIREN 356 000 000, follow another rule; never generated here.)
    """
    digits = siret.replace(" ", "")
    return len(digits) == 14 and luhn_valid(digits) and siren_valid(digits[:9])


def vat_key(siren: str) -> str:
    """The 2-digit key of the French intra-community VAT number of ``siren``."""
    return f"{(12 + 3 * (int(siren.replace(' ', '')) % 97)) % 97:02d}"


def vat_number(siren: str) -> str:
    """``FR`` + key + SIREN (``FR83404833048``)."""
    digits = siren.replace(" ", "")
    return f"FR{vat_key(digits)}{digits}"


def vat_valid(number: str) -> bool:
    """A French VAT number whose key matches its SIREN."""
    compact = number.replace(" ", "").upper()
    return (
        len(compact) == 13
        and compact.startswith("FR")
        and compact[2:].isdigit()
        and compact[2:4] == vat_key(compact[4:])
    )


def _letters_to_digits(text: str) -> str:
    """ISO 13616: ``A`` -> 10 … ``Z`` -> 35; digits kept."""
    return "".join(str(int(c, 36)) for c in text.upper())


# RIB convention: letters of the account number become digits 1-9 (A,J=1 B,K,S=2 ... I,R,Z=9).
_RIB_LETTERS = {c: str(i % 9 + 1) for i, c in enumerate("ABCDEFGHI")}
_RIB_LETTERS |= {c: str(i % 9 + 1) for i, c in enumerate("JKLMNOPQR")}
_RIB_LETTERS |= {c: str(i % 9 + 2) for i, c in enumerate("STUVWXYZ")}


def rib_key(bank: str, branch: str, account: str) -> str:
    """The 2-digit key of a French RIB (bank code, branch code, 11-character account)."""
    account_digits = "".join(_RIB_LETTERS.get(c, c) for c in account.upper())
    remainder = (89 * int(bank) + 15 * int(branch) + 3 * int(account_digits)) % 97
    return f"{97 - remainder:02d}"


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits of ``country`` + ``bban``."""
    number = int(_letters_to_digits(bban + country + "00"))
    return f"{98 - number % 97:02d}"


def iban_valid(iban: str) -> bool:
    """True when ``iban`` (spaces allowed) passes the ISO 13616 mod-97 test."""
    compact = iban.replace(" ", "").upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact.isalnum():
        return False
    return int(_letters_to_digits(compact[4:] + compact[:4])) % 97 == 1


def format_iban(iban: str) -> str:
    """Groups of four: ``FR76 3000 6000 0112 3456 7890 189``."""
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def nir_key(nir13: str) -> str:
    """The 2-digit key of a 13-character NIR (``2A``/``2B`` department codes allowed)."""
    compact = nir13.replace(" ", "").upper()
    compact = compact.replace("2A", "19", 1) if compact[5:7] == "2A" else compact
    compact = compact.replace("2B", "18", 1) if compact[5:7] == "2B" else compact
    return f"{97 - int(compact) % 97:02d}"


def nir_valid(nir: str) -> bool:
    """A 15-character NIR whose last two digits are the key of the first 13."""
    compact = nir.replace(" ", "").upper()
    return len(compact) == 15 and compact[13:].isdigit() and nir_key(compact[:13]) == compact[13:]


def format_nir(nir: str) -> str:
    """``1 84 12 75 123 456 78``."""
    c = nir.replace(" ", "")
    return f"{c[0]} {c[1:3]} {c[3:5]} {c[5:7]} {c[7:10]} {c[10:13]} {c[13:15]}"


_MRZ_WEIGHTS = (7, 3, 1)


def mrz_check_digit(field: str) -> str:
    """ICAO 9303 check digit: ``<`` = 0, ``A`` = 10 … ``Z`` = 35, weights 7, 3, 1."""
    total = 0
    for position, char in enumerate(field):
        value = 0 if char == "<" else int(char, 36)
        total += value * _MRZ_WEIGHTS[position % 3]
    return str(total % 10)


def mrz_valid(field: str) -> bool:
    """True when the last character of ``field`` is the ICAO 9303 check digit of the rest.

    A field of fewer than two characters, or holding a character other than ``0-9 A-Z <``,
    is not valid.

    >>> mrz_valid("7408122")  # birth date 740812, check digit 2
    True
    """
    if len(field) < 2:
        return False
    try:
        return mrz_check_digit(field[:-1]) == field[-1]
    except ValueError:  # a character that is not 0-9, A-Z or <
        return False


#: The length of each of the three lines of a TD1 (ID-1 card) machine-readable zone.
TD1_LINE_LENGTH = 30


def check_mrz_td1(lines: str | Sequence[str]) -> dict[str, bool]:
    """Verify the four check digits of a TD1 (identity card) machine-readable zone.

    ICAO 9303 part 5 layout, as on the French identity card since 2021: line 1 holds the
    document number (positions 6-14) and its check digit (15); line 2 the birth date (1-6) and
    its check digit (7), the expiry date (9-14) and its check digit (15), and the composite
    check digit (30) over line 1 positions 6-30 and line 2 positions 1-7, 9-15 and 19-29.
    Line 3 (the name) has no check digit.

    Args:
        lines: The three lines, as a sequence or as one text with a line break between lines;
            spaces around each line are ignored.

    Returns:
        ``{"document_number": ..., "birth_date": ..., "expiry_date": ..., "composite": ...}``,
        each True when its check digit is right.

    Raises:
        ValueError: not three lines of 30 characters.
    """
    rows = [line.strip() for line in (lines.splitlines() if isinstance(lines, str) else lines)]
    if len(rows) != 3 or any(len(row) != TD1_LINE_LENGTH for row in rows):
        lengths = ", ".join(str(len(row)) for row in rows)
        raise ValueError(
            f"a TD1 MRZ is 3 lines of {TD1_LINE_LENGTH} characters; got {len(rows)} lines "
            f"({lengths} characters)"
        )
    upper, middle = rows[0], rows[1]
    composite = upper[5:30] + middle[0:7] + middle[8:15] + middle[18:29] + middle[29]
    return {
        "document_number": mrz_valid(upper[5:15]),
        "birth_date": mrz_valid(middle[0:7]),
        "expiry_date": mrz_valid(middle[8:15]),
        "composite": mrz_valid(composite),
    }


#: Characters OCR engines mistake for one another in the OCR-B font of an MRZ.
MRZ_CONFUSIONS = {
    "0": "OQD", "O": "0QD", "Q": "0O", "D": "0O", "1": "I", "I": "1", "5": "S", "S": "5",
    "8": "B", "B": "8", "2": "Z", "Z": "2", "6": "G", "G": "6",
}  # fmt: skip
_DIGITS_TO_LETTERS = str.maketrans("0125863", "OIZSBGE")


def repair_mrz_name_line(line: str) -> str:
    """A TD1 line 3 (``SURNAME<<GIVEN<NAMES``: letters and fillers only) with the digits an
    engine read in it turned back into the letters they stand for (``RIBEIR0`` ->
    ``RIBEIRO``). Another line is returned unchanged."""
    if "<<" not in line or line[:2] in {"ID", "I<", "AC", "C<", "P<"} or line[:6].isdigit():
        return line
    if sum(c.isdigit() for c in line) > 3:
        return line
    return line.translate(_DIGITS_TO_LETTERS)


def _field_options(field: str) -> list[str]:
    """``field`` when its check digit is right, else every one-character swap of it (checked
    with the other fields by :func:`repair_mrz_td1`)."""
    if mrz_valid(field):
        return [field]
    swaps = {
        field[:i] + other + field[i + 1 :]
        for i, char in enumerate(field)
        for other in MRZ_CONFUSIONS.get(char, "")
    }
    return sorted(swaps - {field})


def repair_mrz_td1(lines: Sequence[str]) -> list[str]:
    """A TD1 MRZ with OCR confusions undone where its check digits prove the repair.

    The name line loses its digits (:func:`repair_mrz_name_line`); a field of line 1 or 2
    whose check digit fails gets the one-character swap (:data:`MRZ_CONFUSIONS`) that makes
    both its own and the composite check digit right, when exactly one combination does.
    Lines that are not three of 30 characters are returned unchanged.
    """
    rows = [line.strip() for line in lines]
    if len(rows) != 3 or any(len(row) != TD1_LINE_LENGTH for row in rows):
        return list(lines)
    upper, middle, names = rows[0], rows[1], repair_mrz_name_line(rows[2])
    if all(check_mrz_td1([upper, middle, names]).values()):
        return [upper, middle, names]
    found = []
    for number in _field_options(upper[5:15]):
        for birth in _field_options(middle[0:7]):
            for expiry in _field_options(middle[8:15]):
                top = upper[:5] + number + upper[15:]
                mid = birth + middle[7] + expiry + middle[15:]
                if all(check_mrz_td1([top, mid, names]).values()):
                    found.append((top, mid))
    if len(found) == 1:
        return [found[0][0], found[0][1], names]
    return [upper, middle, names]


_ID_SEPARATORS = re.compile(r"[\s.\-‐‑‒–—]")


def normalize_identifier(text: str) -> str:
    """Spaces, dots and dashes removed, upper-cased: ``fr 12.345-678`` -> ``FR12345678``."""
    return _ID_SEPARATORS.sub("", nfc(text)).upper()
