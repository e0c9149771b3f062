"""The same key or section across several documents, as one table.

One platform's figure in each year's report, one field across job descriptions: give the
documents' structures, the keys (``Intitulé du poste``) and section titles (``Monthly active
recipients``) to look for; :func:`compare_rows` finds in each document the best-matching key
and section (titles and keys compared case-, accent- and spacing-folded, fuzzily, with
rapidfuzz's token-set ratio ≥ ``threshold``), and gives one row per document. With a regular
expression ``pattern``, a section's cell holds the first match in its text (the figure)
instead of the whole text. :func:`compare_documents` gives the same as a pandas DataFrame
(extra ``structure``), :func:`rows_to_csv` as CSV.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ocrxtract.errors import MissingDependencyError
from ocrxtract.extract.structure.headings import parse_numbering
from ocrxtract.extract.structure.model import Section, StructureDocument

if TYPE_CHECKING:
    import pandas as pd

#: Least fuzzy score (0-100) for a key or title to match.
DEFAULT_THRESHOLD = 85.0


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace(":", " ").split())


def _score(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    folded_a, folded_b = _fold(a), _fold(b)
    if folded_a == folded_b:
        return 101.0
    return float(fuzz.token_set_ratio(folded_a, folded_b))


def _best_section(document: StructureDocument, title: str, threshold: float) -> Section | None:
    best, best_score = None, threshold
    for section in document.iter_sections():
        if section.title is None:
            continue
        _, bare = parse_numbering(section.title)
        score = max(_score(title, bare or section.title), _score(title, section.title))
        if score >= best_score + (1e-9 if best is not None else 0):
            best, best_score = section, score
    return best


def _section_value(section: Section, pattern: re.Pattern[str] | None) -> str:
    text = section.text()
    if section.title and text.startswith(section.title):
        text = text[len(section.title) :].strip()
    if pattern is None:
        return text
    match = pattern.search(text)
    return match.group(0) if match else ""


def compare_rows(
    documents: Sequence[StructureDocument],
    *,
    keys: Sequence[str] = (),
    sections: Sequence[str] = (),
    pattern: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[dict[str, str | None]]:
    """One row per document: its name, then each key's value and each section's text.

    Args:
        documents: The structures to compare.
        keys: Keys of key-value lines to look up.
        sections: Section titles to look up (numbering ignored).
        pattern: A regular expression: a section's cell is its first match (the figure).
        threshold: Least fuzzy score (0-100) for a match.

    Returns:
        Rows ``{"document": …, key: value | None, section: text | None}``; ``None`` where
        the document has no such key or section.
    """
    regex = re.compile(pattern) if pattern else None
    rows: list[dict[str, str | None]] = []
    for document in documents:
        row: dict[str, str | None] = {"document": document.source or ""}
        pairs = list(document.key_values())
        for key in keys:
            scored = [(_score(key, kv.key), kv.value) for _, kv in pairs]
            scored = [item for item in scored if item[0] >= threshold]
            row[key] = max(scored, key=lambda item: item[0])[1] if scored else None
        for title in sections:
            section = _best_section(document, title, threshold)
            row[title] = _section_value(section, regex) if section is not None else None
        rows.append(row)
    return rows


def rows_to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Rows of :func:`compare_rows` as CSV (empty cells for ``None``)."""
    buffer = io.StringIO()
    columns = list(rows[0]) if rows else ["document"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def compare_documents(
    documents: Sequence[StructureDocument],
    *,
    keys: Sequence[str] = (),
    sections: Sequence[str] = (),
    pattern: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """:func:`compare_rows` as a pandas DataFrame indexed by document.

    Raises:
        MissingDependencyError: pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependencyError(
            "pandas", "compare documents as a table", "pip install 'ocrxtract[structure]'"
        ) from exc
    rows = compare_rows(
        documents, keys=keys, sections=sections, pattern=pattern, threshold=threshold
    )
    return pd.DataFrame(rows).set_index("document")
