"""Tables that run over several pages: flagged on each page, joined on demand.

A table is marked :attr:`~ocrxtract.document.Table.continued` (it goes on from the previous
page) when all of these hold (:func:`continues`):

* it is the first table of its page (the top-most) and the previous page (``index - 1``) has
  a table, whose last (bottom-most) table is taken;
* that table ends near the bottom of its page: its bottom edge is in the lower
  :data:`REACH` of the page and no word lies below it, except in the footer band (the
  bottom :data:`EDGE` of the page: page numbers, running footers);
* this table starts near the top of its page: its top edge is in the upper :data:`REACH`
  and no word lies above it, except in the header band (the top :data:`EDGE`: running
  heads, a "(suite)" caption);
* both have the same number of columns, and their columns are at the same place across the
  page: each column's centre, as a share of the page width, within :data:`COLUMN_TOLERANCE`
  (the table's own left and right edges when the cells have no boxes).

Pages of different sizes compare in shares of their width and height. When the continued
part's first rows repeat the header of the table's first part (same texts, spaces and case
aside, up to :data:`HEADER_SIMILARITY` for OCR slips), their count goes in
:attr:`~ocrxtract.document.Table.repeated_header_rows`. Each page keeps its own table (the
benchmarks score page by page); :func:`merged_tables` joins the parts into one logical table,
the repeated header rows left out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ocrxtract.document import Document, Page, Table, TableCell, Word
from ocrxtract.export.tables import normalize_spaces

log = logging.getLogger(__name__)

#: Share of the page height, at its top and bottom, where running heads and footers may be.
EDGE = 0.12
#: A first part must end in this lower share of its page, a continuation start in this upper one.
REACH = 0.35
#: Largest shift of a column's centre between two parts, as a share of the page width.
COLUMN_TOLERANCE = 0.05
#: Least similarity (difflib ratio) of a repeated header row to the first part's.
HEADER_SIMILARITY = 0.9


@dataclass(frozen=True)
class MergedTable:
    """One logical table: its parts, page by page, and the joined table.

    Attributes:
        table: The parts' rows one after the other (repeated header rows left out), on the
            first part's ``page_index``. Its cells have no box and no words: those are in
            the pixels of different pages; look them up in ``parts``.
        parts: The per-page tables it was joined from (one when it does not continue).
    """

    table: Table
    parts: tuple[Table, ...]

    @property
    def pages(self) -> list[int]:
        """The 0-based indices of the pages it spans."""
        return [part.page_index for part in self.parts]


class ContinuationLinker:
    """Flags continued tables page by page, for callers that do not keep a document's pages
    (``ocrxtract tables``): it holds only the previous page.

    Example::

        linker = ContinuationLinker()
        for page in pages:  # in document order, tables found
            linker.add(page)  # flags page's first table when it goes on from the previous page
    """

    def __init__(self) -> None:
        self._previous: Page | None = None
        self._first_part: Table | None = None  # the first part of the previous page's last table

    def add(self, page: Page) -> None:
        """Set ``continued`` and ``repeated_header_rows`` on the tables of ``page`` (in place)."""
        for table in page.tables:
            table.continued = False
            table.repeated_header_rows = 0
        previous, self._previous = self._previous, page
        first_part = self._first_part
        top = _first_table(page)
        if (
            previous is not None
            and first_part is not None
            and top is not None
            and continues(previous, page)
        ):
            top.continued = True
            top.repeated_header_rows = repeated_header(first_part, top)
            log.debug(
                "page %d: table continued from page %d (%d header row(s) repeated)",
                page.index + 1, previous.index + 1, top.repeated_header_rows,
            )  # fmt: skip
        last = _last_table(page)
        self._first_part = first_part if last is not None and last.continued else last


def link_continuations(pages: Sequence[Page]) -> None:
    """Set ``continued`` and ``repeated_header_rows`` on the tables of ``pages`` (in place).

    ``pages`` are in document order; flags set earlier are recomputed.
    """
    linker = ContinuationLinker()
    for page in pages:
        linker.add(page)


def continues(previous: Page, page: Page) -> bool:
    """Whether the first table of ``page`` goes on from the last table of ``previous``
    (the rule of the module doc; the repeated header plays no part in it)."""
    if page.index != previous.index + 1:
        return False
    bottom, top = _last_table(previous), _first_table(page)
    if bottom is None or top is None or bottom.bbox is None or top.bbox is None:
        return False
    if bottom.n_cols != top.n_cols or bottom.n_cols == 0:
        return False
    if bottom.bbox.y1 < (1 - REACH) * previous.height or top.bbox.y0 > REACH * page.height:
        return False
    footer = (1 - EDGE) * previous.height
    if any(bottom.bbox.y1 < _cy(w) < footer for w in previous.words() if not _inside(w, bottom)):
        return False  # body text below the first part: the table ended there
    header = EDGE * page.height
    if any(header < _cy(w) < top.bbox.y0 for w in page.words() if not _inside(w, top)):
        return False  # body text above the continuation: a new table
    return _same_columns(bottom, previous.width, top, page.width)


def repeated_header(first: Table, part: Table) -> int:
    """How many leading rows of ``part`` repeat those of ``first`` (the table's first part).

    The rows compared are ``first``'s header rows (its first row when none is marked), so a
    data row that happens to read the same is not taken for a header.
    """
    from ocrxtract.extract.tables.data import header_rows, table_grid

    head, rows = table_grid(first), table_grid(part)
    count = 0
    for k in range(min(max(header_rows(first), 1), len(head), len(rows))):
        if not _same_row(head[k], rows[k]):
            break
        count += 1
    return count


def merged_tables(source: Document | Iterable[Page] | Iterable[Table]) -> list[MergedTable]:
    """The logical tables of a document: each continued table joined to the part before it.

    Args:
        source: A document, its pages, or its tables in document order, flagged by
            :func:`link_continuations` (the ``tables`` extractor does it).

    Returns:
        One :class:`MergedTable` per logical table, in document order; a table that does not
        continue over pages is one part, its table a copy of it.
    """
    groups: list[list[Table]] = []
    bottom: dict[int, tuple[float, list[Table]]] = {}  # page -> its bottom-most table's group
    for table in _tables_of(source):
        below = bottom.get(table.page_index - 1) if table.continued else None
        if below is not None:
            group = below[1]
            group.append(table)
        else:
            group = [table]
            groups.append(group)
        y1 = float(table.bbox.y1) if table.bbox is not None else float("-inf")
        if table.page_index not in bottom or y1 >= bottom[table.page_index][0]:
            bottom[table.page_index] = (y1, group)
    return [_join(parts) for parts in groups]


def _tables_of(source: Document | Iterable[Page] | Iterable[Table]) -> list[Table]:
    items: Iterable[Page] | Iterable[Table] = (
        source.pages if isinstance(source, Document) else source
    )
    tables: list[Table] = []
    for item in items:
        tables += item.tables if isinstance(item, Page) else [item]
    return tables


def _join(parts: list[Table]) -> MergedTable:
    first = parts[0]
    if len(parts) == 1:
        return MergedTable(table=first.model_copy(deep=True), parts=(first,))
    cells: list[TableCell] = []
    offset = 0
    for k, part in enumerate(parts):
        skip = part.repeated_header_rows if k else 0
        for cell in part.cells:
            if cell.row < skip:
                continue
            cells.append(
                TableCell(
                    row=cell.row - skip + offset,
                    col=cell.col,
                    row_span=cell.row_span,
                    col_span=cell.col_span,
                    text=cell.text,
                    header=cell.header and k == 0,  # one header: the first part's
                )
            )
        offset += max(part.n_rows - skip, 0)
    table = Table(
        page_index=first.page_index, table_id=first.table_id, cells=cells, method=first.method
    )
    return MergedTable(table=table, parts=tuple(parts))


def _last_table(page: Page) -> Table | None:
    boxed = [t for t in page.tables if t.bbox is not None]
    return max(boxed, key=lambda t: t.bbox.y1 if t.bbox else 0, default=None)


def _first_table(page: Page) -> Table | None:
    boxed = [t for t in page.tables if t.bbox is not None]
    return min(boxed, key=lambda t: t.bbox.y0 if t.bbox else 0, default=None)


def _cy(word: Word) -> float:
    return (word.bbox.y0 + word.bbox.y1) / 2


def _inside(word: Word, table: Table) -> bool:
    area = table.bbox
    assert area is not None
    cx = (word.bbox.x0 + word.bbox.x1) / 2
    return area.x0 <= cx <= area.x1 and area.y0 <= _cy(word) <= area.y1


def _columns(table: Table, width: int) -> list[float] | None:
    """Each column's centre as a share of the page width (``None``: a column without boxes)."""
    spans: dict[int, tuple[int, int]] = {}
    for cell in table.cells:
        if cell.col_span != 1 or cell.bbox is None:
            continue
        x0, x1 = spans.get(cell.col, (cell.bbox.x0, cell.bbox.x1))
        spans[cell.col] = (min(x0, cell.bbox.x0), max(x1, cell.bbox.x1))
    if len(spans) != table.n_cols:
        return None
    return [(spans[c][0] + spans[c][1]) / 2 / width for c in range(table.n_cols)]


def _same_columns(a: Table, width_a: int, b: Table, width_b: int) -> bool:
    cols_a, cols_b = _columns(a, width_a), _columns(b, width_b)
    if cols_a is None or cols_b is None:
        assert a.bbox is not None and b.bbox is not None
        cols_a = [a.bbox.x0 / width_a, a.bbox.x1 / width_a]
        cols_b = [b.bbox.x0 / width_b, b.bbox.x1 / width_b]
    return all(abs(x - y) <= COLUMN_TOLERANCE for x, y in zip(cols_a, cols_b, strict=True))


def _same_row(a: list[str], b: list[str]) -> bool:
    left = [normalize_spaces(t).casefold() for t in a]
    right = [normalize_spaces(t).casefold() for t in b]
    if len(left) != len(right) or not any(left):
        return False
    if [bool(t) for t in left] != [bool(t) for t in right]:
        return False
    ratio = SequenceMatcher(None, "\x1f".join(left), "\x1f".join(right)).ratio()
    return ratio >= HEADER_SIMILARITY
