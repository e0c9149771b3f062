"""Key-field P/R/F1 with per-type normalisers, counted as CORD and Donut do; hand-computed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocrxtract.errors import UsageError
from ocrxtract.metrics import (
    FieldScores,
    MatchCounts,
    normalize_field,
    score_fields,
    total_fields,
)


@pytest.mark.parametrize(
    ("kind", "a", "b", "equal"),
    [
        ("amount", "1 234,56 €", "1234.56", True),
        ("amount", "1.234,56 EUR", "1234,56", True),
        ("amount", "1234.56", "1234.65", False),
        ("amount", "N/A", "n/a", True),  # not a number: compared as folded text
        ("amount", Decimal("12.5"), "12,50", True),
        ("amount", 12.5, "12,50 €", True),
        ("date", "12/03/2024", "12 mars 2024", True),
        ("date", "2024-03-12", "12 mars 2024", True),
        ("date", "12/03/2024", "03/12/2024", False),  # day first, not month first
        ("date", date(2024, 3, 12), "12/03/2024", True),
        ("identifier", "732 829 320 00074", "73282932000074", True),  # SIRET
        ("identifier", "FR76 3000 6000 0112 3456 7890 189", "fr7630006000011234567890189", True),
        ("identifier", "FR 40-303.265.045", "FR40303265045", True),  # VAT
        ("identifier", "FR40303265045", "FR40303265046", False),
        ("text", "  Société  Générale ", "SOCIETE GENERALE", True),
        ("text", "L’Œuvre", "l'oeuvre", True),
        ("text", "Dupont", "Dupond", False),
    ],
)
def test_normalisers(kind: str, a: object, b: object, equal: bool) -> None:
    assert (normalize_field(a, kind) == normalize_field(b, kind)) is equal  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "value", "key"),
    [
        # the keys are ocrxtract.fr's canonical strings
        ("amount", "1 234,56 €", "1234.56"),
        ("amount", Decimal("12"), "12.00"),
        ("amount", "N/A", "n/a"),  # not a number: the folded text
        ("date", "12 mars 2024", "2024-03-12"),
        ("date", date(2024, 3, 12), "2024-03-12"),
        ("date", "31/02/2024", "31/02/2024"),  # not a date: the folded text
        ("identifier", "fr 40-303.265.045", "FR40303265045"),
        ("text", " L’Œuvre ", "l'oeuvre"),
    ],
)
def test_normalized_keys(kind: str, value: object, key: str) -> None:
    assert normalize_field(value, kind) == key  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reference", "prediction", "expected"),
    [
        ({}, {}, {}),
        ({"total": "12,50"}, {"total": "12.5"}, {"total": MatchCounts(1, 0, 0)}),
        ({"total": "12,50"}, {"total": "12.60"}, {"total": MatchCounts(0, 1, 1)}),  # wrong: FP + FN
        ({"total": "12,50"}, {}, {"total": MatchCounts(0, 0, 1)}),  # missing: FN
        ({}, {"total": "12,50"}, {"total": MatchCounts(0, 1, 0)}),  # extra: FP
        ({"total": "12,50"}, {"total": None}, {"total": MatchCounts(0, 0, 1)}),  # None = absent
        ({"total": "  "}, {"total": ""}, {"total": MatchCounts(0, 0, 0)}),  # blank = absent
        # several values: multisets. ref {coca, eau, eau}, pred {eau, pain}: eau matched once;
        # pain FP; coca and the second eau FN
        (
            {"item": ["Coca", "eau", "Eau"]},
            {"item": ["EAU", "pain"]},
            {"item": MatchCounts(1, 1, 2)},
        ),
    ],
)
def test_score_fields_counts(
    reference: dict[str, object], prediction: dict[str, object], expected: dict[str, MatchCounts]
) -> None:
    types = {"total": "amount"}
    assert dict(score_fields(reference, prediction, types).per_field) == expected  # type: ignore[arg-type]


def test_micro_and_macro_averages() -> None:
    reference = {
        "invoice_number": "F-2024-001",
        "date": "12/03/2024",
        "total": "1 234,56 €",
        "siret": "732 829 320 00074",
    }
    prediction = {
        "invoice_number": "F-2024-001",  # right (text)
        "date": "2024-03-12",  # right after the date normaliser
        "total": "1 234,65 €",  # wrong: 1 FP + 1 FN
        "vat": "FR40303265045",  # extra: 1 FP; siret missing: 1 FN
    }
    types = {"date": "date", "total": "amount", "siret": "identifier", "vat": "identifier"}
    scores = score_fields(reference, prediction, types)
    assert scores.per_field["date"] == MatchCounts(1, 0, 0)
    assert scores.per_field["siret"] == MatchCounts(0, 0, 1)
    assert scores.per_field["vat"] == MatchCounts(0, 1, 0)
    # micro: TP 2, FP 2, FN 2 -> P = R = F1 = 2/4
    assert scores.micro == MatchCounts(2, 2, 2)
    assert scores.micro.f1 == pytest.approx(0.5)
    # macro: per-field F1 = invoice 1, date 1, total 0, siret 0, vat 0 -> 2/5
    assert scores.macro_f1 == pytest.approx(0.4)


def test_field_scores_add_up_over_documents() -> None:
    doc1 = score_fields({"total": "10"}, {"total": "10"}, {"total": "amount"})
    doc2 = score_fields({"total": "10", "date": "01/01/2024"}, {"total": "11"}, {"total": "amount"})
    corpus = total_fields([doc1, doc2])
    assert corpus.per_field == {"date": MatchCounts(0, 0, 1), "total": MatchCounts(1, 1, 1)}
    assert corpus.micro == MatchCounts(1, 1, 2)
    assert FieldScores().micro.f1 == 1.0  # no field at all: nothing to get wrong


def test_unknown_field_type_lists_known_ones() -> None:
    with pytest.raises(UsageError, match="amount, date, identifier, text"):
        score_fields({"a": "1"}, {"a": "1"}, {"a": "money"})
    with pytest.raises(UsageError, match="known"):
        normalize_field("1", "money")
