"""The geometry method on a page: its words (any engine's, or a PDF's text layer) and, when the
page image is given, its ruling lines -> the page's tables.

The page's skew is measured once from its lines; tables are found (:mod:`.detect`) and read
(:mod:`.grid`) in the de-skewed frame, and their boxes turned back to page pixels
(:mod:`.assemble`). Without an image there are no rules: tables are found from the alignment of
the words alone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ocrxtract.document import Page, Table
from ocrxtract.extract.tables.assemble import grid_to_table
from ocrxtract.extract.tables.detect import find_tables
from ocrxtract.extract.tables.grid import build_grid
from ocrxtract.extract.tables.rulings import Rulings, find_rulings
from ocrxtract.extract.tables.tokens import FBox, Frame, group_lines, text_height, tokens_of
from ocrxtract.layout.reading_order import estimate_skew

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

#: The name recorded in ``Table.method``.
METHOD = "geometry"


def page_tables(
    page: Page,
    image: Image.Image | None = None,
    *,
    whole_page: bool = False,
    skew: float | None = None,
) -> list[Table]:
    """The tables of ``page`` found by the geometry method.

    Args:
        page: An engine's reading of the page (word boxes in the image's pixels).
        image: The page image, for the ruling lines (``None``: words only).
        whole_page: The page is one table (a table image, a crop): no detection.
        skew: The page's skew in degrees when it is known (0 for a PDF's text layer: the
            estimate from short cell lines is not to be trusted there); ``None`` measures it.
    """
    words = list(page.words())
    if not words:
        return []
    if skew is None:
        skew = estimate_skew(list(page.lines()))
    frame = Frame(skew, page.width / 2, page.height / 2)
    tokens = tokens_of(words, frame)
    if not tokens:
        return []
    unit = text_height(tokens)
    rulings = find_rulings(image, frame, unit, [t.box for t in tokens]) if image else Rulings()
    lines = group_lines(tokens)
    if whole_page:
        margin = 0.5 * unit
        boxes: list[FBox] = [
            (
                max(0.0, min(t.x0 for t in tokens) - margin),
                max(0.0, min(t.y0 for t in tokens) - margin),
                min(float(page.width), max(t.x1 for t in tokens) + margin),
                min(float(page.height), max(t.y1 for t in tokens) + margin),
            )
        ]
    else:
        boxes = find_tables(lines, rulings, unit)
    tables = []
    for box in boxes:
        inside = [t for t in tokens if box[0] <= t.cx <= box[2] and box[1] <= t.cy <= box[3]]
        grid = build_grid(group_lines(inside), rulings.inside(box, margin=unit), box, unit)
        if grid is None:
            log.debug("page %d: no grid in %s", page.index + 1, box)
            continue
        tables.append(
            grid_to_table(
                grid,
                frame,
                box,
                page_index=page.index,
                size=(page.width, page.height),
                method=METHOD,
            )
        )
    return tables
