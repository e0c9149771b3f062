"""Key-field extraction: precision, recall and F1 per field and micro-averaged.

A field's value is compared by exact match after the normaliser of the field's *type*:

* ``amount``: ``"1 234,56 €"``, ``"1234.56"``, ``"1.234,56 EUR"`` -> ``"1234.56"`` (see
  :func:`ocrxtract.fr.parse_amount` for the separator rules and
  :func:`ocrxtract.fr.normalize_amount` for the canonical string). Amounts compare by value:
  ``12`` equals ``12.00``.
* ``date``: ``"12/03/2024"`` (day first, the French order), ``"2024-03-12"``, ``"12 mars 2024"``,
  ``"20240312"`` -> ``"2024-03-12"`` (see :func:`ocrxtract.fr.parse_date`).
* ``identifier``: spaces, dots and dashes removed, upper-cased (SIRET, SIREN, IBAN, VAT number).
* ``text``: the ``folded`` normalisation (case, accents, quotes, dashes, ligatures folded) with
  whitespace collapsed.

A value that an ``amount`` or ``date`` normaliser cannot parse falls back to the ``text``
normaliser (so ``"N/A"`` still equals ``"n/a"``), and is logged at debug level.

Counting follows CORD and Donut's field-level F1: a reference field missing from the prediction
is a false negative, a predicted field absent from the reference a false positive, and a wrong
value both (one FP and one FN). A field may hold several values (a list, e.g. line items); its
values are then matched as multisets. ``None``, empty and blank values count as absent.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ocrxtract.errors import UsageError
from ocrxtract.fr import (
    normalize_amount,
    normalize_date,
    normalize_identifier,
    normalize_text_field,
)
from ocrxtract.metrics.counts import MatchCounts, total

log = logging.getLogger(__name__)

#: A single field value as loaders and extractors give it.
FieldValue = str | int | float | Decimal | date | None
#: A field: one value or several.
FieldValues = FieldValue | Sequence[FieldValue]

# --- per-type normalisers --------------------------------------------------------------------


def _amount_key(value: FieldValue) -> str:
    """:func:`~ocrxtract.fr.normalize_amount`'s canonical string, or the text normaliser's
    string when ``value`` is not a number."""
    number = value if isinstance(value, Decimal | int | float) else str(value)
    amount = normalize_amount(number)
    if amount is None:
        log.debug("not an amount, compared as text: %r", value)
        return normalize_text_field(str(value))
    return amount


def _date_key(value: FieldValue) -> str:
    """:func:`~ocrxtract.fr.normalize_date`'s ISO date, or the text normaliser's string when
    ``value`` is not a date."""
    day = normalize_date(value if isinstance(value, date) else str(value))
    if day is None:
        log.debug("not a date, compared as text: %r", value)
        return normalize_text_field(str(value))
    return day


#: Field types and their normalisers (value -> comparable key).
FIELD_NORMALIZERS: dict[str, Callable[[FieldValue], str]] = {
    "amount": _amount_key,
    "date": _date_key,
    "identifier": lambda value: normalize_identifier(str(value)),
    "text": lambda value: normalize_text_field(str(value)),
}


def normalize_field(value: FieldValue, kind: str = "text") -> str:
    """The comparable key of ``value`` under the normaliser of field type ``kind``.

    Raises:
        UsageError: unknown field type; the message lists the known ones.
    """
    try:
        normaliser = FIELD_NORMALIZERS[kind]
    except KeyError:
        known = ", ".join(FIELD_NORMALIZERS)
        raise UsageError(f"unknown field type {kind!r}; known: {known}") from None
    return normaliser(value)


# --- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldScores:
    """Counts per field name, for one document or (summed) a corpus.

    Attributes:
        per_field: Field name -> counts; every field seen on either side appears.
    """

    per_field: Mapping[str, MatchCounts] = field(default_factory=dict)

    def __add__(self, other: FieldScores) -> FieldScores:
        merged = dict(self.per_field)
        for name, counts in other.per_field.items():
            merged[name] = merged.get(name, MatchCounts()) + counts
        return FieldScores(dict(sorted(merged.items())))

    @property
    def micro(self) -> MatchCounts:
        """All fields pooled: the micro-averaged precision, recall and F1."""
        return total(self.per_field.values())

    @property
    def macro_f1(self) -> float:
        """Mean of the per-field F1 scores (1.0 when there is no field at all)."""
        if not self.per_field:
            return 1.0
        return sum(c.f1 for c in self.per_field.values()) / len(self.per_field)


def _values(value: FieldValues) -> list[FieldValue]:
    values = [value] if isinstance(value, str) or not isinstance(value, Sequence) else list(value)
    return [v for v in values if v is not None and (not isinstance(v, str) or v.strip())]


def _keys(value: FieldValues, kind: str) -> Counter[str]:
    return Counter(normalize_field(v, kind) for v in _values(value))


def score_fields(
    reference: Mapping[str, FieldValues],
    prediction: Mapping[str, FieldValues],
    types: Mapping[str, str] | None = None,
    default_type: str = "text",
) -> FieldScores:
    """Field-level counts of one document's predicted fields against its reference.

    Args:
        reference: Field name -> ground-truth value (or list of values).
        prediction: Field name -> predicted value (or list of values).
        types: Field name -> field type (``amount``, ``date``, ``identifier``, ``text``).
        default_type: Type of the fields that ``types`` does not name.

    Returns:
        Counts per field; ``.micro`` pools them. Add the results of several documents for
        corpus figures.

    Raises:
        UsageError: a type that :data:`FIELD_NORMALIZERS` does not know.
    """
    types = types or {}
    for kind in {*types.values(), default_type}:
        if kind not in FIELD_NORMALIZERS:
            known = ", ".join(FIELD_NORMALIZERS)
            raise UsageError(f"unknown field type {kind!r}; known: {known}")
    per_field: dict[str, MatchCounts] = {}
    for name in sorted({*reference, *prediction}):
        kind = types.get(name, default_type)
        ref = _keys(reference.get(name), kind)
        hyp = _keys(prediction.get(name), kind)
        matched = sum((ref & hyp).values())
        per_field[name] = MatchCounts(matched, hyp.total() - matched, ref.total() - matched)
    return FieldScores(per_field)


def total_fields(scores: Iterable[FieldScores]) -> FieldScores:
    """Sum of the field scores of several documents (per field and micro)."""
    result = FieldScores()
    for score in scores:
        result = result + score
    return result
