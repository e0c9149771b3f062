"""Markdown and file helpers shared by the wiki's page writers."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ocrxtract.datasets.registry import REPO_ROOT

log = logging.getLogger(__name__)

_CODE_SPAN = re.compile(r"(`[^`]*`)")


def md_text(text: str, *, cell: bool = False) -> str:
    """Registry text made safe for Markdown: ``<`` and ``>`` escaped outside code spans.

    Args:
        text: Plain text that may hold backtick code spans.
        cell: The text goes in a table cell: ``|`` escaped, line breaks removed.
    """
    parts = []
    for part in _CODE_SPAN.split(text):
        is_code = part.startswith("`") and part.endswith("`") and len(part) > 1
        parts.append(part if is_code else part.replace("<", "&lt;").replace(">", "&gt;"))
    result = "".join(parts)
    if cell:
        result = result.replace("|", "\\|").replace("\n", " ")
    return result.strip()


#: A cell that is a number alone (a rate, seconds, a count), perhaps a percentage.
_NUMBER_CELL = re.compile(r"-?\d+\.\d+(?: ?%)?")


def french_number(cell: str) -> str:
    """A cell that is a decimal number written the French way (``5.19 %`` -> ``5,19 %``);
    any other cell (names, versions, code) as it is."""
    return cell.replace(".", ",") if _NUMBER_CELL.fullmatch(cell) else cell


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 99) -> str:
    """A Markdown table for the (French) wiki: decimal numbers with a comma
    (:func:`french_number`); columns from ``numeric_from`` on are right-aligned."""
    align = ["---:" if i >= numeric_from else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(md_text(h, cell=True) for h in headers) + " |"]
    lines.append("|" + "|".join(align) + "|")
    lines += [
        "| " + " | ".join(md_text(french_number(str(c)), cell=True) for c in row) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def banner(source: str) -> str:
    """The HTML comment that opens every generated page: where it comes from, do not edit."""
    return (
        f"<!-- Page générée par `python -m ocrxtract.wiki` depuis {source} : "
        "ne pas la modifier à la main, modifier la source puis régénérer. -->"
    )


def write_if_changed(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (folders made) unless the file already holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
        log.info("wrote %s", path)
    return path


def percent(value: float | None, digits: int = 1) -> str:
    """``0.0561`` -> ``5,6 %`` (French decimal comma); ``None`` or non-finite -> ``—``."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value * 100:.{digits}f} %".replace(".", ",")


def slug(name: str) -> str:
    """``Fr-Typed_x`` -> ``fr-typed-x``: lower-case letters and digits joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def repo_relative(path: Path) -> str:
    """``path`` relative to the repository when it is inside it, else as given (POSIX)."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()
