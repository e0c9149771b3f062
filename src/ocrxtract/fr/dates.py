"""French dates: the ways they are written (``12/03/2024``, ``mars 2024``, ``1er mars 2024``)
and reading them back (:func:`parse_date`: French and English forms, ISO, compact).
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from ocrxtract.fr.text import normalise_text_field

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
    folded = normalise_text_field(text)
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
