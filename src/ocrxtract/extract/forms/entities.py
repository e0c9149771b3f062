"""The entities of a form: the phrases a label set (FUNSD's header / question / answer / other)
is given to, and what their layout says.

An entity is a run of words on one line of a page. FUNSD's annotators cut a printed line where
a label ends and its value begins (``DATE:`` / ``12/3/98``) and where a wide gap parts two
phrases; an engine reads such a line as one. :func:`entities_of` cuts an engine's lines the same
way: after a word ending with a colon, and at a gap wider than :data:`GAP` line heights.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from ocrxtract.document import BBox, Document, Word

#: A gap wider than this many line heights between two words of a line parts two entities.
GAP = 1.2


@dataclass
class Entity:
    """A phrase of a form, its box (page pixels) and, once labelled, its label and how sure
    the labeller is of it (``confidence``)."""

    text: str
    box: tuple[float, float, float, float]
    page: int = 0
    lines: int = 1
    label: str = "other"
    confidence: float | None = None
    boxes: list[BBox] = field(default_factory=list)


def _entity(words: list[Word], page: int) -> Entity:
    boxes = [w.bbox for w in words]
    return Entity(
        text=" ".join(w.text for w in words),
        box=(
            float(min(b.x0 for b in boxes)),
            float(min(b.y0 for b in boxes)),
            float(max(b.x1 for b in boxes)),
            float(max(b.y1 for b in boxes)),
        ),
        page=page,
        boxes=boxes,
    )


def entities_of(document: Document) -> list[Entity]:
    """The entities of every page of an engine's reading, line by line in reading order."""
    found: list[Entity] = []
    for page_number, page in enumerate(document.pages):
        for line in page.lines():
            words = sorted(line.words, key=lambda w: w.bbox.x0)
            height = statistics.median(w.bbox.y1 - w.bbox.y0 for w in words) or 1
            run = [words[0]]
            for previous, word in itertools.pairwise(words):
                gap = word.bbox.x0 - previous.bbox.x1
                if previous.text.endswith(":") or gap > GAP * height:
                    found.append(_entity(run, page_number))
                    run = []
                run.append(word)
            found.append(_entity(run, page_number))
    return found
