"""Agreement between engines: what to look at when there is no reference text.

An engine's own confidence can be high on a misread line (rapidocr reports 97 % on receipts it
misreads); two engines that err differently rarely agree on the same wrong text. For each line
of one engine's page, the line of another engine's page at the same place (the most overlapping
box) is found and the two texts compared: the *character agreement* is ``1 - edits / length of
the longer text`` (1 when they read the same, 0 when nothing matches or no line is there).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ocrxtract.document import BBox, Line, Page
from ocrxtract.metrics.text import normalize

log = logging.getLogger(__name__)

#: Lines whose agreement is below this are disagreements: any difference (after folding case,
#: accents and quotes) is worth a look.
DISAGREEMENT = 1.0


@dataclass(frozen=True)
class LineAgreement:
    """One line of an engine, what another engine read there, and how much they agree.

    Attributes:
        text: The line as this engine read it.
        other: What the other engine read at the same place (``None``: nothing there).
        agreement: Character agreement in ``[0, 1]``.
        confidence: This engine's own confidence in the line, when it gives one.
        bbox: The line's box.
    """

    text: str
    other: str | None
    agreement: float
    confidence: float | None
    bbox: BBox


def _overlap(a: BBox, b: BBox) -> float:
    """Shared area over the smaller box's area (0 when apart)."""
    ix = max(0, min(a.x1, b.x1) - max(a.x0, b.x0))
    iy = max(0, min(a.y1, b.y1) - max(a.y0, b.y0))
    smaller = min(a.area, b.area)
    return ix * iy / smaller if smaller else 0.0


def text_agreement(a: str, b: str) -> float:
    """``1 - edits / max(len)`` on the folded texts (case, accents, quotes do not count)."""
    a, b = normalize(a, "folded"), normalize(b, "folded")
    longest = max(len(a), len(b))
    if not longest:
        return 1.0
    return 1.0 - Levenshtein.distance(a, b) / longest


def _counterpart(line: Line, others: list[Line]) -> str | None:
    """The text of the lines of ``others`` that overlap ``line`` most (joined left to right)."""
    hits = [(other, _overlap(line.bbox, other.bbox)) for other in others]
    kept = [other for other, share in hits if share >= 0.3]
    if not kept:
        return None
    return " ".join(other.text for other in sorted(kept, key=lambda o: o.bbox.x0))


def line_agreements(page: Page, other: Page) -> list[LineAgreement]:
    """Each line of ``page`` against what ``other`` (another engine, same page) read there."""
    others = list(other.lines())
    result = []
    for line in page.lines():
        counterpart = _counterpart(line, others)
        agreement = 0.0 if counterpart is None else text_agreement(line.text, counterpart)
        result.append(LineAgreement(line.text, counterpart, agreement, line.confidence, line.bbox))
    return result


def page_agreement(page: Page, others: Mapping[str, Page]) -> float | None:
    """Character agreement of ``page`` with the other engines' pages, weighted by line length
    and averaged over the other engines (``None`` without another engine or any text)."""
    scores = []
    for other in others.values():
        lines = line_agreements(page, other)
        weight = sum(len(line.text) for line in lines)
        if weight:
            scores.append(sum(line.agreement * len(line.text) for line in lines) / weight)
    return sum(scores) / len(scores) if scores else None


def disagreements(
    page: Page, others: Mapping[str, Page], threshold: float = DISAGREEMENT
) -> list[tuple[LineAgreement, str]]:
    """Lines of ``page`` that some other engine reads differently: (line, that engine)."""
    found = []
    for name, other in others.items():
        for line in line_agreements(page, other):
            if line.agreement < threshold:
                found.append((line, name))
    return found
