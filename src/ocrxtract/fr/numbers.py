"""Numbers in table cells, read the French way (and the English way when it is unambiguous).

Statistical tables write ``1 234,5`` (a space, often a no-break or narrow one, groups thousands;
a comma marks decimals), ``(12,3)`` or ``-12,3`` or ``−12,3`` for a negative value, ``12,3 %``
for a share, and mark a missing value with a dash (``-``, ``–``, ``—``), dots (``..``, ``…``),
``n.d.`` (non disponible), ``n.s.`` (non significatif), ``s.o.`` (sans objet), ``///``, ``nc``,
``x`` (secret statistique) or an empty cell. :func:`parse_number` reads one cell into a
:class:`CellNumber` that keeps the raw text; footnote marks (``12,3*``, ``12,3 (p)``, ``†``)
are noted and dropped.

Rules, in order: the empty and missing markers; a sign; then the digits. With both ``,`` and
``.`` the last one is the decimal separator (``1.234,5``, ``1,234.5``). With one kind, a comma is
decimal (``12,5``; ``1,234`` too: French tables write thousands with spaces), except when it
occurs more than once (``1,234,567``); a point is decimal except when it occurs more than once
or is followed by exactly three digits after a 1-3 digit head in a text that also uses spaces
as separators (``1.234`` alone stays 1.234: it is ambiguous, and the decimal reading keeps the
digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

#: How a cell reads: a number, a missing-value marker, empty, or text.
Kind = Literal["number", "percent", "missing", "empty", "text"]

#: Markers of a missing, secret or meaningless value (compared lower-case, spaces removed).
MISSING_MARKERS = frozenset(
    {
        "-", "–", "—", "−", "--", "---", "..", "...", "…", ".", "///", "//", "/", "x", "xx",
        "n.d.", "n.d", "nd", "n.d.*", "n.s.", "n.s", "ns", "s.o.", "s.o", "so", "nc", "n.c.",
        "n.a.", "n.a", "na", "n/a", "s/o", "ε", "c", "(c)", "*", "**", "-*", "nr", "n.r.",
    }
)  # fmt: skip
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_FOOTNOTE = re.compile(r"(\s*(\*+|†+|‡+|\([a-zA-Z]{1,2}\)|\(\d\)|[a-z]\)))+$")
_NUMBER = re.compile(r"^[+\-−–(]?\s*[0-9][0-9 .,]*\)?\s*%?\s*[-−]?$")


@dataclass(frozen=True)
class CellNumber:
    """One cell read as a number.

    Attributes:
        raw: The cell's text, as it was.
        kind: ``number``, ``percent`` (the value is in percent: ``12,5 %`` -> 12.5),
            ``missing`` (a marker such as ``n.d.``), ``empty`` or ``text``.
        value: The value (``None`` unless ``kind`` is ``number`` or ``percent``).
        note: A footnote mark that was dropped (``*``, ``(p)``), or ``""``.
    """

    raw: str
    kind: Kind
    value: Decimal | None = None
    note: str = ""

    @property
    def is_numeric(self) -> bool:
        """Whether the cell belongs in a number column (a number, a share or a missing mark)."""
        return self.kind in ("number", "percent", "missing")


def _digits(body: str, decimal: str | None) -> Decimal | None:
    if (
        decimal == "."
        and "," in body
        and "." not in body
        and all(len(p) == 3 for p in body.split(",")[1:])
    ):
        body = body.replace(",", "")
    if "," in body and "." in body:
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        if body.count(decimal_sep) > 1:
            return None
        body = body.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in body:
        if body.count(",") > 1:
            parts = body.split(",")
            if all(len(p) == 3 for p in parts[1:]):
                body = body.replace(",", "")
            else:
                return None
        else:
            body = body.replace(",", ".")
    elif body.count(".") > 1:
        parts = body.split(".")
        if all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
            body = body.replace(".", "")
        else:
            return None
    try:
        return Decimal(body)
    except InvalidOperation:
        return None


def parse_number(text: str, decimal: str | None = None) -> CellNumber:
    """Read one table cell (see the module doc).

    Args:
        text: The cell's text.
        decimal: The decimal separator when it is known for the whole column (``"."`` in an
            English table: ``1,234`` is then 1234); ``None`` reads each cell by itself.

    >>> parse_number("1 234,5").value
    Decimal('1234.5')
    >>> parse_number("(12,3)").value
    Decimal('-12.3')
    >>> parse_number("n.d.").kind
    'missing'
    """
    raw = text
    stripped = _SPACES.sub(" ", text).strip()
    if not stripped:
        return CellNumber(raw, "empty")
    if stripped.replace(" ", "").lower() in MISSING_MARKERS:
        return CellNumber(raw, "missing")
    note = ""
    footnote = _FOOTNOTE.search(stripped)
    if footnote and footnote.start() > 0:
        note = footnote.group(0).strip()
        stripped = stripped[: footnote.start()].strip()
    for currency in ("€", "EUR", "$", "£", "k€", "M€", "Md€"):
        if stripped.endswith(currency) or stripped.startswith(currency):
            stripped = stripped.replace(currency, "").strip()
    if not _NUMBER.match(stripped):
        return CellNumber(raw, "text")
    percent = stripped.endswith("%")
    body = stripped.rstrip("%").strip()
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    if body[:1] in "-−–":
        negative, body = True, body[1:].strip()
    elif body[:1] == "+":
        body = body[1:].strip()
    if body[-1:] in "-−":
        negative, body = True, body[:-1].strip()
    if "(" in body or ")" in body:
        return CellNumber(raw, "text")
    body = _SPACES.sub("", body).replace("'", "")
    if not body or not body[0].isdigit() or not body[-1].isdigit():
        return CellNumber(raw, "text")
    value = _digits(body, decimal)
    if value is None:
        return CellNumber(raw, "text")
    return CellNumber(raw, "percent" if percent else "number", -value if negative else value, note)


def column_decimal(texts: list[str]) -> str:
    """The decimal separator of a column of cells: ``"."`` when some cell can only be read the
    English way (``1,234.5``, ``12,345,678``), else ``","`` (French)."""
    for text in texts:
        body = _SPACES.sub("", text)
        if re.search(r"\d,\d{3}\.\d", body) or re.search(r"\d,\d{3},\d{3}", body):
            return "."
        if re.search(r"\d\.\d{3},\d", body) or re.search(r"\d\.\d{3}\.\d{3}", body):
            return ","
    return ","
