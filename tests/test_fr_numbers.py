"""French numbers in table cells (hand-written expectations)."""

from decimal import Decimal

import pytest

from ocrxtract.fr.numbers import column_decimal, parse_number


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("1 234,5", "number", Decimal("1234.5")),
        ("1\u202f234,5", "number", Decimal("1234.5")),
        ("1\u00a0234", "number", Decimal("1234")),
        ("(12,3)", "number", Decimal("-12.3")),
        ("-12,3", "number", Decimal("-12.3")),
        ("−12,3", "number", Decimal("-12.3")),
        ("+4", "number", Decimal("4")),
        ("12,5 %", "percent", Decimal("12.5")),
        ("12,5%", "percent", Decimal("12.5")),
        ("1.234,5", "number", Decimal("1234.5")),
        ("1,234.5", "number", Decimal("1234.5")),
        ("1,234,567", "number", Decimal("1234567")),
        ("1 234 €", "number", Decimal("1234")),
        ("12,3*", "number", Decimal("12.3")),
        ("–", "missing", None),
        ("—", "missing", None),
        ("n.d.", "missing", None),
        ("N.D.", "missing", None),
        ("///", "missing", None),
        ("...", "missing", None),
        ("", "empty", None),
        ("   ", "empty", None),
        ("Île-de-France", "text", None),
        ("2005-2006", "text", None),
        ("12 (3", "text", None),
    ],
)
def test_parse_number(text: str, kind: str, value: Decimal | None) -> None:
    cell = parse_number(text)
    assert cell.raw == text
    assert cell.kind == kind
    assert cell.value == value


def test_footnote_is_kept_apart() -> None:
    cell = parse_number("12,3*")
    assert cell.note == "*"


def test_column_decimal_english_when_unambiguous() -> None:
    assert column_decimal(["1,234.5", "12"]) == "."
    assert column_decimal(["1 234,5", "3,2"]) == ","
    assert parse_number("1,234", decimal=".").value == Decimal("1234")
    assert parse_number("1,234").value == Decimal("1.234")


def test_is_numeric() -> None:
    assert parse_number("n.d.").is_numeric
    assert parse_number("12").is_numeric
    assert not parse_number("Total").is_numeric
