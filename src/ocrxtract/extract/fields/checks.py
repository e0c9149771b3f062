"""Validators: check digits of one value, and consistency checks between values.

A failed check flags the value (``KeyField.valid`` false, ``checks[name]`` false); it never
drops it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from ocrxtract.extract.fields.schema import Schema
from ocrxtract.fr import (
    check_mrz_td1,
    iban_valid,
    mrz_valid,
    nir_valid,
    siren_valid,
    siret_valid,
    vat_valid,
)

#: Checks of a single normalised value.
VALUE_CHECKS: dict[str, Callable[[str], bool]] = {
    "siret": siret_valid,
    "siren": siren_valid,
    "iban": iban_valid,
    "vat": vat_valid,
    "nir": nir_valid,
    "mrz": lambda value: (
        len(value) == 30 and set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
    ),
}


#: Checks that apply to French identifiers only: another country's VAT number (``ESA12345674``)
#: has its own key, which we do not check (it is neither passed nor failed).
FRENCH_ONLY = {"vat": "FR"}


def check_value(check: str | None, value: str | None) -> dict[str, bool]:
    """``{check: passed}`` for a field's own check (empty when none applies)."""
    if not check or value is None or check not in VALUE_CHECKS:
        return {}
    prefix = FRENCH_ONLY.get(check)
    if prefix and value[:2].isalpha() and not value.upper().startswith(prefix):
        return {}
    try:
        return {check: bool(VALUE_CHECKS[check](value))}
    except (ValueError, TypeError):
        return {check: False}


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def cross_checks(schema: Schema, values: Mapping[str, str | None]) -> dict[str, dict[str, bool]]:
    """Field name -> ``{check name: passed}`` for the schema's checks whose fields are all found."""
    result: dict[str, dict[str, bool]] = {}
    for check in schema.checks:
        found = [values.get(name) for name in check.fields]
        if any(v is None for v in found):
            continue
        passed: bool | None = None
        if check.rule in {"ge", "sum"}:
            parsed = [_decimal(v) for v in found]
            numbers = [n for n in parsed if n is not None]
            if len(numbers) != len(parsed):
                continue
            if check.rule == "ge":
                passed = numbers[0] >= numbers[1]
            else:
                passed = sum(numbers[:-1], Decimal(0)) == numbers[-1]
        elif check.rule == "mrz_td1":
            try:
                passed = all(check_mrz_td1([str(v) for v in found]).values())
            except (ValueError, TypeError, IndexError):
                passed = False
        if passed is None:
            continue
        for name in check.fields:
            result.setdefault(name, {})[check.name] = passed
    return result


__all__ = ["VALUE_CHECKS", "check_value", "cross_checks", "mrz_valid"]
