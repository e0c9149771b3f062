"""French dates: the ways they are written (``12/03/2024``, ``mars 2024``, ``1er mars 2024``)
and reading them back.

* :func:`parse_date` reads one day (French and English forms, ISO, compact) and
  :func:`normalize_date` gives its ISO form ``2024-03-31``;
* :func:`parse_period` reads a period (``mars 2024``, ``03/2024``, ``du 01/03/2024 au
  31/03/2024``) and :func:`normalize_period` gives its ISO 8601 interval
  ``2024-03-01/2024-03-31``.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from ocrxtract.fr.text import normalize_text_field

log = logging.getLogger(__name__)

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def format_date(day: date) -> str:
    """``12/03/2024``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_month(day: date) -> str:
    """``mars 2024``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def format_long_date(day: date) -> str:
    """``12 mars 2024``, ``1er mars 2024``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


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
    folded = normalize_text_field(text)
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


def normalize_date(value: date | str) -> str | None:
    """The ISO form of a date (``2024-03-31``), or ``None`` when ``value`` is not a date.

    Args:
        value: A date, or a text that :func:`parse_date` reads.

    >>> normalize_date("31 mars 2024")
    '2024-03-31'
    """
    if isinstance(value, date):
        return value.isoformat()
    parsed = parse_date(value)
    return parsed.isoformat() if parsed is not None else None


_PERIOD_LABEL = re.compile(r"periode\s*:?\s*")
_MONTH_WORDS = re.compile(r"([a-z]+)\.?\s+(\d{4})")
_MONTH_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_MONTH_ISO = re.compile(r"(\d{4})-(\d{1,2})")
_RANGE = re.compile(r"(?:du\s+)?(.+?)\s+(?:au|-)\s+(.+)")


def _month(year: int, month: int) -> tuple[date, date] | None:
    try:
        return month_bounds(date(year, month, 1))
    except ValueError:  # month 0 or 13, year 0
        return None


def parse_period(text: str) -> tuple[date, date] | None:
    """The first and last day of a period, or ``None`` when ``text`` is not one.

    Accepted (whole string, case and accents ignored, an opening ``Période :`` allowed):

    * a month: ``mars 2024``, ``févr. 2024``, ``March 2024``, ``03/2024``, ``3.2024``,
      ``2024-03`` give its first and last day;
    * two dates that :func:`parse_date` reads: ``du 01/03/2024 au 31/03/2024``, ``du 1er mars
      2024 au 31 mars 2024``, ``01/03/2024 - 31/03/2024``.

    A single date is not a period (``None``), nor is a range that ends before it starts.

    Args:
        text: The period as written.

    Returns:
        ``(first day, last day)``, both included.

    >>> parse_period("février 2024")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    folded = normalize_text_field(text)
    if m := _PERIOD_LABEL.match(folded):
        folded = folded[m.end() :]
    if (m := _MONTH_WORDS.fullmatch(folded)) and m[1] in _MONTHS:
        return _month(int(m[2]), _MONTHS[m[1]])
    if m := _MONTH_NUMERIC.fullmatch(folded):
        return _month(int(m[2]), int(m[1]))
    if m := _MONTH_ISO.fullmatch(folded):
        return _month(int(m[1]), int(m[2]))
    if m := _RANGE.fullmatch(folded):
        first, last = parse_date(m[1]), parse_date(m[2])
        if first is not None and last is not None and first <= last:
            return first, last
    return None


def normalize_period(text: str) -> str | None:
    """The ISO 8601 interval of a period (``2024-03-01/2024-03-31``), or ``None``.

    Args:
        text: A period that :func:`parse_period` reads (``mars 2024``, ``du 01/03/2024 au
            31/03/2024``).

    >>> normalize_period("03/2024")
    '2024-03-01/2024-03-31'
    """
    period = parse_period(text)
    if period is None:
        return None
    first, last = period
    return f"{first.isoformat()}/{last.isoformat()}"
