"""Page furniture as blocks of its own: running headers, footers and page numbers.

:func:`mark_furniture` looks at every page of a document at once (:func:`find_running`: a line
in the top or bottom band that comes back at the same height on many pages, or a page number)
and gives each such line a block of its own whose role says what it is (``header``,
``footer``, ``page_number``), **where it stands** in the reading order: the block it was in is
split around it and keeps its role. So the JSON, ALTO (``TextBlock`` tags) and hOCR exports say
which text is furniture and a reader of the content can skip it, while the text and its order
are unchanged (moving page numbers to the top or bottom of their page was tried: it moved the
page CER away from the transcriptions' order on three development sets).

A document of one page has no repetition: only its page number is found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ocrxtract.document import Block, Line, Page, block_from_lines
from ocrxtract.layout.running import find_running

#: The name of the step in ``Provenance.steps``.
FURNITURE_STEP = "furniture:running-1"


def mark_furniture(pages: Sequence[Page]) -> list[Page]:
    """The pages of one document with their furniture lines in blocks of their own role.

    Args:
        pages: A document's pages in order (already in reading order, or not).

    Returns:
        New pages (the input is left as it was); a page without furniture is returned as it
        is. The step is noted in the provenance of the pages it changed.
    """
    lines = [list(page.lines()) for page in pages]
    found = find_running(
        [(page.height, page_lines) for page, page_lines in zip(pages, lines, strict=True)]
    )
    marked: list[Page] = []
    for number, page in enumerate(pages):
        roles = {index: role for (p, index), role in found.items() if p == number}
        marked.append(_moved(page, roles) if roles else page)
    return marked


def _moved(page: Page, roles: Mapping[int, str]) -> Page:
    """``page`` with the lines at the positions of ``roles`` in blocks of their own, in place."""
    blocks: list[Block] = []
    index = 0
    for block in page.blocks:
        kept: list[Line] = []
        for line in block.lines:
            role = roles.get(index)
            index += 1
            if role is None:
                kept.append(line)
                continue
            if kept:
                blocks.append(block_from_lines(kept, role=block.role))
                kept = []
            blocks.append(block_from_lines([line], role=role))
        if kept:
            whole = len(kept) == len(block.lines)
            blocks.append(block if whole else block_from_lines(kept, role=block.role))
    moved = page.model_copy(update={"blocks": blocks})
    if page.provenance is not None:
        moved.provenance = page.provenance.model_copy(
            update={"steps": [*page.provenance.steps, FURNITURE_STEP]}
        )
    return moved
