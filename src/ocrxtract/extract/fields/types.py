"""Field types: how a value is found in a line of text (patterns) and normalised.

=============  ================================================  ==============================
type           found as                                          normalised to
=============  ================================================  ==============================
``amount``     ``1 740,58``, ``1740.58 €``, ``18,20 EUR``         ``"1740.58"``
``date``       ``31/03/2024``, ``31 03 2024``, ``31 mars 2024``   ``"2024-03-31"``
``period``     ``mars 2024``, ``du 01/03/2024 au 31/03/2024``     ``"2024-03-01/2024-03-31"``
``identifier`` the field's ``pattern`` (SIRET, IBAN, NIR, ...)    upper case, no spaces or dots
``text``       a line, the part after its label, two lines        whitespace collapsed
``company``    as ``text``, and a line cut after its legal form     without the legal form
``address``    as ``text``                                          ``", "`` before the postcode
``time``       ``13:37``                                          ``"13:37"``
=============  ================================================  ==============================

Normalisers return ``None`` for a text that is not of the type: the extractors then keep the raw
text, flagged (never dropped).
"""

from __future__ import annotations

import re
from datetime import date

from ocrxtract.fr import normalize_amount, normalize_date, normalize_identifier, normalize_period
from ocrxtract.fr.companies import strip_legal_form
from ocrxtract.fr.text import collapse_whitespace

TYPES = ("amount", "date", "period", "identifier", "text", "company", "address", "time")

_MONTHS_FR = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre"
)
_MONTHS_EN = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_DAY = r"(?:[0-3]?\d)"

#: Patterns of the typed values inside a line (case-insensitive).
VALUE_PATTERNS: dict[str, str] = {
    "amount": (
        r"(?<![\d.,])-?\d{1,3}(?:[ \u00a0\u202f.,]?\d{3})*[.,]\s?\d{2}(?![\d])"
        r"(?:\s?(?:€|EUR))?"
    ),
    # Currencies without cents (rupiah, yen: ``25,000``, ``1.250.000``), or with them.
    "amount:whole": (
        r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?![\d.,])"
        r"|(?<![\d.,])-?\d{1,3}(?:[ \u00a0\u202f.,]?\d{3})*[.,]\s?\d{2}(?![\d])"
        r"|(?<![\d.,])\d{1,3}(?![\d.,])"
    ),
    "date": (
        rf"(?<!\d){_DAY}\s?[/.\-]\s?[01]?\d\s?[/.\-]\s?(?:\d{{4}}|\d{{2}})(?!\d)"
        rf"|(?<!\d){_DAY}\s[01]\d\s(?:19|20)\d{{2}}(?!\d)"
        rf"|(?<!\d)(?:1er|{_DAY})\s+(?:{_MONTHS_FR})\.?\s+\d{{4}}"
        r"|(?<!\d)(?:19|20)\d{2}-[01]\d-[0-3]\d(?!\d)"
        rf"|(?<!\d){_DAY}[\s\-]?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
        r"[\s\-,]*(?:\d{4}|\d{2})(?!\d)"
    ),
    "period": (
        rf"(?:{_MONTHS_FR})\s+(?:19|20)\d{{2}}"
        rf"|du\s+{_DAY}[/.]\d{{1,2}}[/.]\d{{4}}\s+au\s+{_DAY}[/.]\d{{1,2}}[/.]\d{{4}}"
    ),
    "time": r"(?<!\d)[0-2]\d[:h][0-5]\d(?!\d)",
}

#: Named identifier patterns a schema field may use (``pattern: siret``) or give itself.
IDENTIFIER_PATTERNS: dict[str, str] = {
    "siret": r"(?<!\d)\d{3}\s?\d{3}\s?\d{3}\s?\d{5}(?!\d)",
    "siren": r"(?<!\d)\d{3}\s?\d{3}\s?\d{3}(?!\d)",
    "nir": r"(?<!\d)[12]\s?\d{2}\s?[01]\d\s?(?:\d{2}|2A|2B)\s?\d{3}\s?\d{3}\s?\d{2}(?!\d)",
    "vat": r"FR\s?\d{2}\s?\d{3}\s?\d{3}\s?\d{3}(?!\d)",
    "iban": r"FR\s?\d{2}(?:\s?[0-9A-Z]{4}){5}\s?[0-9A-Z]{3}",
    "bic": r"(?<![A-Z])[A-Z]{4}FR[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Z0-9])",
    "ape": r"(?<![\dA-Z])\d{4}[A-Z](?![A-Z\d])",
    "invoice_number": r"(?<![A-Z0-9])[A-Z]{1,4}-?\d{4}-\d{3,6}(?![\d])",
    "document_number": r"(?<![A-Z0-9])[A-Z0-9]{9}(?![A-Z0-9])",
    "mrz": r"[A-Z0-9<]{24,32}",
    # The three lines of a TD1 (identity card) MRZ, each by its shape: line 1 the document
    # code ``I``/``A``/``C`` and the country; line 2 the birth date, sex, expiry date and
    # nationality (OCR reads ``O`` for ``0`` there); line 3 the names, ``<<`` between them.
    "mrz_td1_1": r"(?<![A-Z0-9<])[IAC][A-Z<][A-Z<]{3}[A-Z0-9<]{23,27}(?![A-Z0-9<])",
    "mrz_td1_2": (
        r"(?<![A-Z0-9<])[0-9O]{6}[0-9O<][MF<][0-9O]{6}[0-9O<][A-Z<]{3}[A-Z0-9<]{10,14}"
        r"(?![A-Z0-9<])"
    ),
    "mrz_td1_3": (
        r"(?<![A-Z0-9<])(?=[A-Z0-9<]*[A-Z0-9]<<[A-Z0-9])[A-Z][A-Z0-9<]{23,31}(?![A-Z0-9<])"
    ),
    "sex": r"(?<![A-Z])[MF](?![A-Z])",
    "nationality": r"(?<![A-Z])[A-Z]{3}(?![A-Z])",
    # A French identity card is issued to French nationals only: its nationality is FRA
    # (alone, not inside an MRZ line).
    "french_nationality": r"(?<![A-Z0-9<])FRA(?![A-Z0-9<])",
}

_COMPILED: dict[str, re.Pattern[str]] = {}


def pattern(kind: str, name: str | None = None) -> re.Pattern[str] | None:
    """The compiled pattern of a typed value (``None`` for free text); ``name`` picks a
    variant (an identifier's kind, ``amount`` ``whole`` for currencies without cents)."""
    key = f"{kind}:{name}"
    if key not in _COMPILED:
        if kind == "identifier":
            source = IDENTIFIER_PATTERNS.get(name or "", name or "")
            flags = 0
        else:
            source = VALUE_PATTERNS.get(f"{kind}:{name}" if name else kind, "")
            flags = re.IGNORECASE
        if not source:
            return None
        _COMPILED[key] = re.compile(source, flags)
    return _COMPILED[key]


def _english_date(text: str) -> str | None:
    match = re.fullmatch(r"\s*(\d{1,2})[\s\-]?([a-z]{3,9})[\s\-,]*(\d{4}|\d{2})\s*", text.lower())
    if not match or (
        match.group(2)[:4].rstrip("t") not in _MONTHS_EN and (match.group(2)[:3] not in _MONTHS_EN)
    ):
        return None
    month = _MONTHS_EN.get(match.group(2)[:3])
    year = int(match.group(3))
    year = year + 2000 if year < 100 else year
    try:
        return date(year, month or 0, int(match.group(1))).isoformat()
    except ValueError:
        return None


_NUMERIC_DATE = re.compile(
    r"(?<!\d)([0-3]?\d)\s?([/.\-])\s?([0-3]?\d)\s?[/.\-]\s?(\d{4}|\d{2})(?!\d)"
)


_BEFORE_POSTCODE = re.compile(r"(?<=\S)\s*[,.;:\-]?\s+(?=(?:\d{5}|\d{2} \d{3})\b)")


def _day_first(text: str) -> str:
    """A month-first numeric date written day first (``11/17/2017`` -> ``17/11/2017``)."""
    match = _NUMERIC_DATE.fullmatch(text.strip())
    if not match:
        return text
    month, sep, day, year = match.groups()
    return f"{day}{sep}{month}{sep}{year}"


def month_first_dates(texts: list[str]) -> bool:
    """Whether a document writes its numeric dates month first (US English): some date's
    middle number is above 12 and none's first number is."""
    firsts, seconds = [], []
    for text in texts:
        for match in _NUMERIC_DATE.finditer(text):
            firsts.append(int(match.group(1)))
            seconds.append(int(match.group(3)))
    return any(13 <= n <= 31 for n in seconds) and not any(n > 12 for n in firsts)


def normalize_date_text(text: str) -> str | None:
    """An ISO date from a French (or SROIE English) date, ``None`` when it is not one."""
    cleaned = re.sub(r"\s*([/.\-])\s*", r"\1", text.strip())
    found = normalize_date(cleaned)
    if found is None and re.fullmatch(r"\d{1,2} \d{2} \d{4}", cleaned):
        found = normalize_date(cleaned.replace(" ", "/"))
    if found is None and re.fullmatch(r"\d{1,2}[.\-]\d{1,2}[.\-]\d{2,4}", cleaned):
        found = normalize_date(re.sub(r"[.\-]", "/", cleaned))
    if found is None:
        found = _english_date(cleaned)
    return found


def normalize(kind: str, text: str, *, month_first: bool = False) -> str | None:
    """The normalised value of ``text`` under field type ``kind`` (``None``: not of the type).

    Args:
        month_first: Numeric dates are written month first (``11/17/2017``, a document in US
            English: :func:`month_first_dates` tells).
    """
    text = collapse_whitespace(text.replace("\u00a0", " ").replace("\u202f", " "))
    if not text:
        return None
    if kind == "amount":
        cleaned = re.sub(r"(?i)\s*(€|eur|rm)\s*", "", text)
        cleaned = re.sub(r"[.,]\s+(\d{2})$", r",\1", cleaned)
        return normalize_amount(cleaned)
    if kind == "date":
        return normalize_date_text(_day_first(text) if month_first else text)
    if kind == "period":
        return normalize_period(text.lower())
    if kind == "identifier":
        return normalize_identifier(text) or None
    if kind == "company":
        return strip_legal_form(text)
    if kind == "address":
        # "Peupliers. 36000", "Peupliers 36000" (two lines joined) and "Peupliers, 36000" are
        # one address: the street and "postcode town" parted by ", " (OCR misreads the comma).
        return _BEFORE_POSTCODE.sub(", ", text)
    if kind == "time":
        match = re.fullmatch(r"([0-2]\d)[:h]([0-5]\d)", text)
        return f"{match.group(1)}:{match.group(2)}" if match else None
    return text
