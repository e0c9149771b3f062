"""Key-field extraction: precision, recall and F1 per field and micro-averaged.

A field's value is compared by exact match after the normaliser of the field's *type*:

* ``amount``: ``"1 234,56 €"``, ``"1234.56"``, ``"1.234,56 EUR"`` -> ``Decimal("1234.56")``
  (see :func:`parse_amount` for the separator rules). Decimals compare by value: ``12`` equals
  ``12.00``.
* ``date``: ``"12/03/2024"`` (day first, the French order), ``"2024-03-12"``, ``"12 mars 2024"``,
  ``"20240312"`` -> ``datetime.date(2024, 3, 12)`` (see :func:`parse_date`).
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
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from ocrxtract.errors import UsageError
from ocrxtract.metrics.counts import MatchCounts, total
from ocrxtract.metrics.text import normalise

log = logging.getLogger(__name__)

#: A single field value as loaders and extractors give it.
FieldValue = str | int | float | Decimal | date | None
#: A field: one value or several.
FieldValues = FieldValue | Sequence[FieldValue]

# --- per-type normalisers --------------------------------------------------------------------

_NOT_AMOUNT = re.compile(r"[^0-9.,]")
_NOT_SIGNED_AMOUNT = re.compile(r"[^0-9.,()\-−–]")


def parse_amount(text: str) -> Decimal | None:
    """A money amount as a Decimal, or ``None`` when ``text`` holds no number.

    Currency signs and codes, spaces (no-break ones too) and apostrophes are dropped. Then:

    * with both ``,`` and ``.``, the last one is the decimal separator (``1.234,56``, ``1,234.56``);
    * with one kind of separator occurring more than once, it groups thousands (``1.234.567``);
    * with a single separator followed by exactly three digits and preceded by a non-zero
      group, it groups thousands (``45,000`` -> 45000, ``1.234`` -> 1234); currencies rarely have
      three decimals. Otherwise it is the decimal separator (``0,500``, ``12,5``).

    A minus (or dash) or an opening parenthesis before the number, or a minus after it, makes
    it negative: ``-12,00 €``, ``€ -12.00``, ``(12.00)``, ``12.00-``.
    """
    signed = _NOT_SIGNED_AMOUNT.sub("", text)
    negative = signed.startswith(("-", "−", "–", "(")) or signed.endswith(("-", "−", "–"))
    digits = _NOT_AMOUNT.sub("", text).strip(".,")
    if not any(ch.isdigit() for ch in digits):
        return None
    if "," in digits and "." in digits:
        decimal_sep = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        digits = digits.replace(thousands, "").replace(decimal_sep, ".")
    else:
        sep = "," if "," in digits else "." if "." in digits else ""
        if sep:
            head, _, tail = digits.rpartition(sep)
            groups_thousands = digits.count(sep) > 1 or (
                len(tail) == 3 and head.lstrip("0") != "" and len(head) <= 3
            )
            digits = digits.replace(sep, "") if groups_thousands else f"{head}.{tail}"
    try:
        value = Decimal(digits)
    except InvalidOperation:  # e.g. "1.2.3,4,5": separators in an order no rule reads
        return None
    return -value if negative else value


_MONTHS = {
    # French (folded: no accents, lower case), full and abbreviated
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NUMERIC_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_WORDS_DMY = re.compile(r"(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_WORDS_MDY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as strptime's %y: 00-68 -> 2000s, 69-99 -> 1900s
        year += 2000 if year <= 68 else 1900
    return year


def parse_date(text: str) -> date | None:
    """A calendar date, or ``None`` when ``text`` is not one of the accepted forms.

    Accepted (whole string, surrounding spaces ignored): ISO ``2024-03-12``; compact
    ``20240312`` (Factur-X format 102); day first ``12/03/2024``, ``12.03.2024``, ``12-03-24``
    (two-digit years as ``strptime``'s ``%y``); ``12 mars 2024``, ``1er mars 2024``,
    ``12 March 2024``, ``March 12, 2024``, abbreviations such as ``févr.`` and ``Sept``.
    Impossible dates (``31/02/2024``) give ``None``.
    """
    folded = normalise(text, "folded")
    try:
        if m := _ISO.fullmatch(folded):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _COMPACT.fullmatch(folded):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC_DMY.fullmatch(folded):
            return date(_year(m[3]), int(m[2]), int(m[1]))
        if (m := _WORDS_DMY.fullmatch(folded)) and m[2] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2]], int(m[1]))
        if (m := _WORDS_MDY.fullmatch(folded)) and m[1] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1]], int(m[2]))
    except ValueError:  # day or month out of range
        return None
    return None


_ID_SEPARATORS = re.compile(r"[\s.\-‐‑‒–—]")


def normalise_identifier(text: str) -> str:
    """Spaces, dots and dashes removed, upper-cased: ``fr 12.345-678`` -> ``FR12345678``."""
    return _ID_SEPARATORS.sub("", normalise(text, "exact")).upper()


def normalise_text_field(text: str) -> str:
    """The ``folded`` normalisation (which also collapses whitespace)."""
    return normalise(text, "folded")


def normalise_amount(value: FieldValue) -> Hashable:
    """:func:`parse_amount`'s Decimal, or the text normaliser's string when it is not a number."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value)
    parsed = parse_amount(text)
    if parsed is None:
        log.debug("not an amount, compared as text: %r", text)
        return normalise_text_field(text)
    return parsed


def normalise_date(value: FieldValue) -> Hashable:
    """:func:`parse_date`'s date, or the text normaliser's string when it is not a date."""
    if isinstance(value, date):
        return value
    text = str(value)
    parsed = parse_date(text)
    if parsed is None:
        log.debug("not a date, compared as text: %r", text)
        return normalise_text_field(text)
    return parsed


#: Field types and their normalisers (value -> comparable key).
FIELD_NORMALISERS: dict[str, Callable[[FieldValue], Hashable]] = {
    "amount": normalise_amount,
    "date": normalise_date,
    "identifier": lambda value: normalise_identifier(str(value)),
    "text": lambda value: normalise_text_field(str(value)),
}


def normalise_field(value: FieldValue, kind: str = "text") -> Hashable:
    """The comparable key of ``value`` under the normaliser of field type ``kind``.

    Raises:
        UsageError: unknown field type; the message lists the known ones.
    """
    try:
        normaliser = FIELD_NORMALISERS[kind]
    except KeyError:
        known = ", ".join(FIELD_NORMALISERS)
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


def _keys(value: FieldValues, kind: str) -> Counter[Hashable]:
    return Counter(normalise_field(v, kind) for v in _values(value))


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
        UsageError: a type that :data:`FIELD_NORMALISERS` does not know.
    """
    types = types or {}
    for kind in {*types.values(), default_type}:
        if kind not in FIELD_NORMALISERS:
            known = ", ".join(FIELD_NORMALISERS)
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
