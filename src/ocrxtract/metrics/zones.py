"""Leave out what an engine read inside zones that the ground truth does not transcribe.

Some transcriptions skip text on purpose: the Tapuscorpus writes ``~~~`` for each handwritten or
stamped word of a typewritten page, HTR corpora ``⟦⟧`` for struck-out passages. The loaders drop
these placeholders from the reference text, and a line made of them only leaves a zone
(:class:`ocrxtract.datasets.UntranscribedZone`) where the reference says nothing. An engine that
reads the handwriting there is not wrong, yet the page CER counts every character it read as an
insertion. :func:`without_zones` removes those words from the engine's document before scoring
(like the "don't care" regions of the ICDAR evaluations); the page CER without it stays the
headline, this one is shown beside it (``transcribed_cer``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ocrxtract.document import BBox, Block, Document, Line, Word, block_from_lines, line_from_words


def _inside(word: Word, zones: Iterable[BBox]) -> bool:
    cx, cy = word.bbox.center
    return any(z.x0 <= cx < z.x1 and z.y0 <= cy < z.y1 for z in zones)


def without_zones(document: Document, zones: Iterable[tuple[int, BBox]]) -> tuple[Document, int]:
    """``document`` without the words whose centre lies in a zone of their page.

    Args:
        document: An engine's reading (in reading order).
        zones: ``(page index, box)`` of each zone to leave out, in the page's pixels.

    Returns:
        A copy of the document without those words (a line or block left empty goes; a line
        that loses words gets the box of those it keeps; the order is kept), and the number of
        words left out. Without zones, the document itself and 0.
    """
    by_page: dict[int, list[BBox]] = {}
    for index, box in zones:
        by_page.setdefault(index, []).append(box)
    if not by_page:
        return document, 0
    dropped = 0
    pages = []
    for page in document.pages:
        boxes = by_page.get(page.index)
        if not boxes:
            pages.append(page)
            continue
        blocks: list[Block] = []
        for block in page.blocks:
            lines: list[Line] = []
            changed = False
            for line in block.lines:
                kept = [word for word in line.words if not _inside(word, boxes)]
                if len(kept) == len(line.words):
                    lines.append(line)
                    continue
                changed = True
                dropped += len(line.words) - len(kept)
                if kept:
                    lines.append(line_from_words(kept, confidence=line.confidence))
            if not changed:
                blocks.append(block)
            elif lines:
                blocks.append(block_from_lines(lines, role=block.role))
        pages.append(page.model_copy(update={"blocks": blocks}))
    return document.model_copy(update={"pages": pages}), dropped
