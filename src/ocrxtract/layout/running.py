"""Running headers, footers and page numbers: the text a page repeats, not its content.

:func:`find_running` looks at the lines of every page of a document and says which ones are
page furniture. It reads geometry and text only, so it works on a PDF's text layer and on any
engine's lines alike:

* a line is in the **top band** (or **bottom band**) when it lies within ``BAND`` of the page
  height from the top (bottom) edge;
* a **page number** is a band line that is a number, alone or dressed (``- 3 -``, ``Page 3``,
  ``3/12``, ``Page 3 sur 12``, roman ``iv``), at a height where numbers come back on
  ``REPEAT_SHARE`` of the pages (with fewer than 3 pages: a number with no line between it
  and the page edge);
* a **header** (footer) is a top (bottom) band line whose text, digits replaced by ``#`` and
  case folded, comes back at about the same height on at least ``REPEAT_SHARE`` of the pages
  that have text (and on two pages at least): ``Rapport annuel 2024 — page #`` repeats even as
  its number changes.

A document of one page has no repetition: only its page number is found.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal, Protocol

log = logging.getLogger(__name__)

#: Share of the page height, from the top or bottom edge, where furniture lives.
BAND = 0.12
#: Share of the pages with text on which a line must come back to be furniture.
REPEAT_SHARE = 0.4
#: Two repeated lines are at the same height within this share of the page height.
HEIGHT_TOLERANCE = 0.02

RunningRole = Literal["header", "footer", "page_number"]

_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pag\.|seite)\s*)?[-–—|\[(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—|\])]?"
    r"(?:\s*(?:/|sur|of|de|von)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


class BoxLike(Protocol):
    @property
    def y0(self) -> int: ...
    @property
    def y1(self) -> int: ...


class RunningLine(Protocol):
    """What is read of a line: its text and box (``ocrxtract.document.Line`` fits)."""

    @property
    def text(self) -> str: ...
    @property
    def bbox(self) -> BoxLike: ...


def is_page_number(text: str) -> bool:
    """Whether ``text`` reads as a page number (``12``, ``- 3 -``, ``Page 3 sur 12``, ``iv``)."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def _key(text: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", text.casefold())).strip()


def _outermost(box: BoxLike, band: str, lines: Sequence[RunningLine]) -> bool:
    """No line lies wholly between ``box`` and the page edge of its band."""
    if band == "top":
        return not any(line.bbox.y1 <= box.y0 for line in lines)
    return not any(line.bbox.y0 >= box.y1 for line in lines)


def _same_height(places: list[tuple[int, int, float]]) -> list[list[tuple[int, int, float]]]:
    """``(page, line, relative height)`` places grouped when at about the same height."""
    groups: list[list[tuple[int, int, float]]] = []
    for place in sorted(places, key=lambda p: p[2]):
        if groups and place[2] - groups[-1][0][2] <= HEIGHT_TOLERANCE:
            groups[-1].append(place)
        else:
            groups.append([place])
    return groups


def find_running(
    pages: Sequence[tuple[float, Sequence[RunningLine]]],
) -> dict[tuple[int, int], RunningRole]:
    """Which lines of a document are running headers, footers and page numbers.

    Args:
        pages: For each page in order, its height (in the pixels of its boxes) and its lines.

    Returns:
        ``(page position in pages, line position) -> role`` for every furniture line.
    """
    found: dict[tuple[int, int], RunningRole] = {}
    numbers: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    candidates: dict[tuple[str, str], list[tuple[int, int, float]]] = defaultdict(list)
    with_text = 0
    with_text_pages = sum(1 for _, lines in pages if lines)
    for page_no, (height, lines) in enumerate(pages):
        if not lines:
            continue
        with_text += 1
        for line_no, line in enumerate(lines):
            box = line.bbox
            if box.y1 <= BAND * height:
                band = "top"
            elif box.y0 >= (1 - BAND) * height:
                band = "bottom"
            else:
                continue
            text = line.text.strip()
            if not text:
                continue
            centre = (box.y0 + box.y1) / 2 / height
            if is_page_number(text):
                if with_text_pages < 3 and not _outermost(box, band, lines):
                    continue
                numbers[band].append((page_no, line_no, centre))
                continue
            candidates[(band, _key(text))].append((page_no, line_no, centre))
    needed = max(2, round(REPEAT_SHARE * with_text))
    for places in numbers.values():
        if with_text < 3:  # too few pages to see a repetition: the outermost numbers
            for page_no, line_no, _ in places:
                found[(page_no, line_no)] = "page_number"
            continue
        for group in _same_height(places):
            if len({p for p, _, _ in group}) >= needed:
                for page_no, line_no, _ in group:
                    found[(page_no, line_no)] = "page_number"
    for (band, _), places in candidates.items():
        for group in _same_height(places):
            if len({p for p, _, _ in group}) >= needed:
                for page_no, line_no, _ in group:
                    found[(page_no, line_no)] = "header" if band == "top" else "footer"
    log.debug("%d furniture lines over %d pages", len(found), len(pages))
    return found
