"""Reading order applied to a page once: :func:`order_page`.

Engines return lines in their own order, and some split one visual line into segments
(``"Total"`` … ``"1 234,56 €"``). :func:`order_page` rebuilds the page in the order a person
reads it (:mod:`ocrxtract.layout.reading_order`: de-skew, XY-cut columns with a table guard,
rows): one block per region (column, section), one line per visual row, the segments of a row
merged into that line. The pipeline applies it once, after the engine, and notes it in the
page's provenance (``steps``); :meth:`ocrxtract.document.Page.text` then joins the stored order,
so the ``.txt`` export, ALTO and hOCR all carry the same order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ocrxtract.document import Block, Line, Page, Role, block_from_lines, line_from_words
from ocrxtract.layout.reading_order import order_regions

log = logging.getLogger(__name__)

#: The name of the step in ``Provenance.steps`` (bump the number when the method changes: the
#: benchmark's task hashes include it). 2: a side of a gutter is prose only if its rows fill it
#: and are mostly letters. 3: ... and are in one piece; segments of a row stacked one above the
#: other (small print, tall handwritten boxes) are read top to bottom, a lone stack is split.
READING_ORDER_STEP = "reading-order:xycut-3"


def _merged(row: Sequence[Line]) -> Line:
    """One line for a visual row: its segments' words in order; confidence weighted by length."""
    if len(row) == 1:
        return row[0]
    words = [word for line in row for word in line.words]
    confidences = [line.confidence for line in row]
    confidence = None
    if all(c is not None for c in confidences):
        weights = [max(1, len(line.text)) for line in row]
        total = sum(w * c for w, c in zip(weights, confidences, strict=True) if c is not None)
        confidence = min(1.0, max(0.0, total / sum(weights)))
    return line_from_words(words, confidence=confidence)


def order_page(page: Page) -> Page:
    """A copy of ``page`` with its text in reading order, noted in its provenance.

    Each region (column, section) becomes a block; each visual row a line, the segments an
    engine returned for one row merged into it (words kept as they are; the line's confidence
    is the length-weighted mean of its segments'; a merged line has no polygon). A region keeps
    the role its lines had when they all had the same one, else ``text``. Tables, regions and
    everything else are kept. A page already ordered by this step is returned unchanged.
    """
    if page.ordered:
        return page
    lines = list(page.lines())
    role_of: dict[int, Role] = {
        id(line): block.role for block in page.blocks for line in block.lines
    }
    blocks: list[Block] = []
    for region in order_regions(lines):
        roles = {role_of[id(line)] for row in region for line in row}
        role: Role = roles.pop() if len(roles) == 1 else "text"
        blocks.append(block_from_lines([_merged(row) for row in region], role=role))
    ordered = page.model_copy(update={"blocks": blocks})
    if page.provenance is not None:
        ordered.provenance = page.provenance.model_copy(
            update={"steps": [*page.provenance.steps, READING_ORDER_STEP]}
        )
    return ordered
