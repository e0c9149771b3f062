"""Document type detection (``--schema auto``): which schema's keywords the page carries.

Each shipped schema lists keywords (``quittance de loyer``, ``net à payer``). A type's score
is the share of its keywords found in the document's text (fuzzy: partial ratio >= 85 on folded
text, OCR misspells them). The best type wins when its score reaches :data:`MIN_SCORE`;
otherwise the document is ``unknown`` and the scores say how close each type came.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from ocrxtract.extract.fields.features import fold
from ocrxtract.extract.fields.schema import load_schema, schema_names

MIN_SCORE = 0.35
UNKNOWN = "unknown"
#: Schemas that detection considers (the label sets of English corpora are chosen by name).
DETECTABLE = ("payslip", "rent_receipt", "id_card", "receipt", "invoice")


@dataclass(frozen=True)
class Detection:
    """The detected type (a schema name or ``unknown``) and every type's score in [0, 1]."""

    doc_type: str
    scores: dict[str, float]


def detect(text: str, candidates: tuple[str, ...] = DETECTABLE) -> Detection:
    """The schema whose keywords best cover ``text``."""
    folded = fold(text)
    scores: dict[str, float] = {}
    for name in candidates:
        if name not in schema_names():
            continue
        keywords = load_schema(name).keywords
        if not keywords or not folded:
            scores[name] = 0.0
            continue
        found = sum(fuzz.partial_ratio(fold(k), folded) >= 85 for k in keywords)
        scores[name] = round(found / len(keywords), 4)
    best = max(scores, key=lambda n: scores[n], default=UNKNOWN)
    if best == UNKNOWN or scores[best] < MIN_SCORE:
        return Detection(UNKNOWN, scores)
    return Detection(best, scores)
