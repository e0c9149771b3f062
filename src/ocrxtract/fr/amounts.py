"""French amounts: rounding to the cent, the French ways of writing numbers, and reading them.

Formats: amounts ``1 234,56 €`` (plain spaces: the narrow no-break space of print is replaced by
a space so that words split where an OCR engine splits them), numbers ``12 345,6``, percentages
``6,90 %``, amounts in words (``huit cent quarante-cinq euros``).

:func:`parse_amount` reads an amount written in French or English conventions
(``1 234,56 €``, ``1.234,56 EUR``, ``1,234.56``).
"""

from __future__ import annotations

import logging
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

log = logging.getLogger(__name__)

CENT = Decimal("0.01")


def money(value: Decimal | float | int | str) -> Decimal:
    """A Decimal rounded to the cent (half up, as payroll and invoices round)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(value: Decimal | float | int, decimals: int = 2) -> str:
    """French number: ``12 345,67`` (space between thousands, comma for decimals)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):,.{decimals}f}"
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", " ")
    return f"{sign}{whole},{fraction}" if decimals else f"{sign}{whole}"


def format_euros(value: Decimal | float | int, symbol: str = "€") -> str:
    """``1 234,56 €`` (``symbol=""``: ``1 234,56``)."""
    number = format_number(value, 2)
    return f"{number} {symbol}" if symbol else number


def unbreakable(text: str) -> str:
    """``text`` with no-break spaces: a paragraph never breaks ``1 234,56 €`` across lines."""
    return text.replace(" ", "\u00a0")


def format_percent(value: Decimal | float, decimals: int = 2) -> str:
    """``6,90 %``."""
    return f"{format_number(value, decimals)} %"


_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
)  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: 60/80 + 10..19
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = 10 + unit
        joiner = " et " if tens == 7 and unit == 1 else "-"
        return f"{base}{joiner}{_UNITS[rest]}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    word = _TENS[tens]
    if unit == 0:
        return word
    return f"{word} et un" if unit == 1 else f"{word}-{_UNITS[unit]}"


def _below_thousand(n: int, final: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        else:
            plural = "s" if rest == 0 and final else ""
            parts.append(f"{_UNITS[hundreds]} cent{plural}")
    if rest or not hundreds:
        text = _below_hundred(rest)
        if not final and text == "quatre-vingts":
            text = "quatre-vingt"
        parts.append(text)
    return " ".join(parts)


def number_in_words(n: int) -> str:
    """A whole number (0 <= n < 10**9) in French words (traditional spelling).

    >>> number_in_words(845)
    'huit cent quarante-cinq'
    >>> number_in_words(2080)
    'deux mille quatre-vingts'
    """
    if not 0 <= n < 10**9:
        raise ValueError(f"{n} is out of range for number_in_words")
    if n == 0:
        return "zéro"
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        word = _below_thousand(millions, final=False)
        parts.append(f"{word} million{'s' if millions > 1 else ''}")
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_thousand(thousands, False)} mille")
    if units:
        parts.append(_below_thousand(units, final=True))
    return " ".join(parts)


def amount_in_words(value: Decimal) -> str:
    """``845,50`` -> ``huit cent quarante-cinq euros et cinquante centimes``."""
    cents_total = int(money(value) * 100)
    euros, cents = divmod(cents_total, 100)
    text = f"{number_in_words(euros)} euro{'s' if euros > 1 else ''}"
    if euros and euros % 1_000_000 == 0:
        text = text.replace(" euros", " d'euros")
    if cents:
        text += f" et {number_in_words(cents)} centime{'s' if cents > 1 else ''}"
    return text


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


def normalize_amount(value: Decimal | int | float | str) -> str | None:
    """The canonical string of an amount: plain digits, a point, at least two decimals.

    Two amounts get the same string exactly when they are the same number: ``"1 740,58 €"``,
    ``"1740.58"`` and ``Decimal("1740.580")`` all give ``"1740.58"``; ``12`` gives ``"12.00"``;
    ``"0,125"`` keeps its third decimal (``"0.125"``). No rounding happens.

    Args:
        value: A number, or a text that :func:`parse_amount` reads.

    Returns:
        The canonical string, or ``None`` when ``value`` is not a (finite) amount.

    >>> normalize_amount("1 740,58 €")
    '1740.58'
    """
    if isinstance(value, Decimal):
        number: Decimal | None = value
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        number = parse_amount(value)
    if number is None or not number.is_finite():
        return None
    if number.is_zero():
        return "0.00"  # also for -0 and 0E-5
    text = f"{number:f}"  # exact: never in exponent form, never rounded to a context
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"
