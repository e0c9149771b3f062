"""The geometry method: a table's grid from its words and ruling lines.

Given the text lines and rules inside a table's box (de-skewed frame), :func:`build_grid` finds:

* **columns** (:mod:`.columns`): long vertical rules and white-space corridors;
* **the header**: the lines above the first line of figures (a line of column numbers or of
  years is a header line, not data). Phrases that span columns (``Hommes`` over ``Effectif |
  Part``; a phrase with a short rule under it spans the columns of the rule) make the upper
  header rows, one per level; every other header word goes, column by column, into one cell of
  the last header row, which spans up where nothing is above it (``Région``);
* **body rows**: one per text line, joined where they are one record: the lines between two
  rules when rules separate the rows (a ruled grid, zebra shading), a label written beside a
  line of figures that lacks it (figures centred on a two-line label), and a label continued on
  the next line (lower-case start, or a line ending in ``and``, ``of``, ``-``...).

Lengths are in units of the text height, so the method works at any resolution.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from ocrxtract.extract.tables.columns import (
    YEAR,
    Chunk,
    Columns,
    column_cuts,
    is_figure,
    join_tokens,
)
from ocrxtract.extract.tables.rulings import Rule, Rulings
from ocrxtract.extract.tables.tokens import FBox, TextLine, Token

log = logging.getLogger(__name__)

_LOWER_START = re.compile(r"^[a-zà-ÿ(]")
_CONNECTOR = re.compile(
    r"(,|-|–|\b(and|or|of|for|the|to|in|on|by|with|et|de|des|du|la|le|les|en|à|au|aux))$"
)


@dataclass
class GridRow:
    """One body row: its lines and their chunks."""

    lines: list[TextLine]
    chunks: list[Chunk] = field(default_factory=list)
    kind: str = "text"  # data or text
    band: int = 0

    @property
    def y0(self) -> float:
        return min(line.y0 for line in self.lines)

    @property
    def y1(self) -> float:
        return max(line.y1 for line in self.lines)

    def filled(self) -> set[int]:
        return {c for chunk in self.chunks for c in range(chunk.first, chunk.last + 1)}

    def spans(self) -> bool:
        return any(chunk.spans for chunk in self.chunks)


@dataclass
class GridCell:
    """A cell of the grid (frame coordinates)."""

    row: int
    col: int
    row_span: int
    col_span: int
    tokens: list[Token]
    box: FBox
    header: bool = False

    @property
    def text(self) -> str:
        return join_tokens(self.tokens)


@dataclass
class Grid:
    """A recognised table: its cells (frame coordinates)."""

    cells: list[GridCell]
    n_rows: int
    n_cols: int
    header_rows: int = 0


# --- helpers -----------------------------------------------------------------------------------


def _band_cuts(rules: list[Rule], box: FBox) -> list[float]:
    """Y positions of the horizontal rules that cross most of the table."""
    x0, _, x1, _ = box
    return sorted(r.position for r in rules if r.covers(x0, x1) >= 0.6)


def _figure_columns(rows: list[GridRow]) -> set[int]:
    """Columns whose cells are mostly figures (numbers, shares, missing marks)."""
    flags: dict[int, list[bool]] = {}
    for row in rows:
        for chunk in row.chunks:
            if not chunk.spans:
                flags.setdefault(chunk.first, []).append(is_figure(chunk.text))
    return {c for c, f in flags.items() if len(f) >= 2 and sum(f) >= 0.6 * len(f)}


def _numbering(row: GridRow, figures: set[int]) -> bool:
    """A row of column numbers or years (``1 2 3 4``, ``2005 2006``): a header, not data."""
    texts = [ch.text.strip() for ch in row.chunks if ch.first in figures]
    if len(texts) < 2:
        return False
    if all(YEAR.match(t) for t in texts):
        return True
    try:
        values = [int(t) for t in texts]
    except ValueError:
        return False
    return values == list(range(values[0], values[0] + len(values)))


def _is_data(row: GridRow, figures: set[int]) -> bool:
    cells = [ch for ch in row.chunks if not ch.spans and ch.first in figures]
    return bool(cells) and sum(is_figure(ch.text) for ch in cells) >= max(1, 0.5 * len(cells))


def _gap(upper: GridRow, lower: GridRow) -> float:
    return lower.y0 - upper.y1


def _continues(upper: GridRow, lower: GridRow) -> bool:
    """Whether ``lower``'s first cell reads as the continuation of ``upper``'s."""
    if not upper.chunks or not lower.chunks:
        return False
    first = lower.chunks[0]
    above = next((ch for ch in upper.chunks if ch.first <= first.first <= ch.last), None)
    if above is None:
        return False
    return bool(_LOWER_START.match(first.text) or _CONNECTOR.search(above.text.strip()))


# --- the header ---------------------------------------------------------------------------------


@dataclass
class _HeaderCell:
    row: int
    first: int
    last: int
    row_span: int
    tokens: list[Token]


def _under_rule(extent: tuple[float, float] | None, rule: Rule, unit: float) -> bool:
    return extent is None or min(rule.x1, extent[1]) - max(rule.x0, extent[0]) > 0.3 * unit


def _rule_span(
    chunk: Chunk, rules: list[Rule], below: float, columns: Columns, unit: float
) -> tuple[int, int] | None:
    """The columns of a short rule just under ``chunk`` (a header spanning them)."""
    bounds = [-1e12, *columns.cuts, 1e12]
    centre = (chunk.x0 + chunk.x1) / 2
    for rule in rules:
        if not (chunk.y1 - 0.3 * unit <= rule.position <= below + 0.3 * unit):
            continue
        if not rule.x0 - 0.5 * unit <= centre <= rule.x1 + 0.5 * unit:
            continue
        cols = [
            c
            for c in range(columns.count)
            if min(bounds[c + 1], rule.x1) - max(bounds[c], rule.x0) > 0.5 * unit
            and _under_rule(columns.extents[c], rule, unit)
        ]
        if 2 <= len(cols) < columns.count and cols[0] <= chunk.first and chunk.last <= cols[-1]:
            return cols[0], cols[-1]
    return None


def _centred_span(
    chunk: Chunk, line_chunks: list[Chunk], lower: list[TextLine], columns: Columns
) -> None:
    """Widen a header phrase set over two columns without crossing the cut between them
    (``2021`` centred over ``Effectif | Évol. (%)``, shorter than the gap): it spans both
    when the neighbouring column is empty on its line, a lower header line fills both, and
    its centre is nearer the pair's centre than its own column's."""
    c = chunk.first
    own = columns.extents[c] if c < len(columns.extents) else None
    if own is None:
        return
    centre = (chunk.x0 + chunk.x1) / 2
    taken = {k for other in line_chunks for k in range(other.first, other.last + 1)}
    below = {
        columns.of(t.cx)
        for line in lower
        for t in line.tokens
        if t.y0 >= chunk.y1 - 0.3 * columns.unit  # on a level of its own under the phrase
    }
    best: tuple[float, int, int] | None = None
    for a, b in ((c - 1, c), (c, c + 1)):
        if a < 0 or b >= columns.count or (b if a == c else a) in taken:
            continue
        left, right = columns.extents[a], columns.extents[b]
        if left is None or right is None or not {a, b} <= below:
            continue
        distance = abs(centre - (left[0] + right[1]) / 2)
        if distance < abs(centre - (own[0] + own[1]) / 2) and (best is None or distance < best[0]):
            best = (distance, a, b)
    if best is not None:
        chunk.first, chunk.last = best[1], best[2]


def _header(
    lines: list[TextLine], columns: Columns, rules: list[Rule], first_body: float, unit: float
) -> tuple[list[_HeaderCell], int]:
    """Header cells (rows from 0) and the number of header rows (see the module doc)."""
    spanners: list[Chunk] = []
    leaves: dict[int, list[Token]] = {}
    for k, line in enumerate(lines):
        below = lines[k + 1].y0 if k + 1 < len(lines) else first_body
        chunks = columns.place(line.tokens)
        for chunk in chunks:
            span = _rule_span(chunk, rules, below, columns, unit)
            if span is not None and not any(
                other is not chunk and other.first <= span[1] and other.last >= span[0]
                for other in chunks
            ):
                chunk.first, chunk.last = span
            if not chunk.spans and k + 1 < len(lines):
                _centred_span(chunk, chunks, lines[k + 1 :], columns)
            if chunk.spans:
                spanners.append(chunk)
            else:
                leaves.setdefault(chunk.first, []).extend(chunk.tokens)
    levels: list[list[Chunk]] = []
    for chunk in sorted(spanners, key=lambda c: c.y0):
        if levels and min(c.y1 for c in levels[-1]) > chunk.y0 + 0.3 * unit:
            levels[-1].append(chunk)
        else:
            levels.append([chunk])
    n_rows = len(levels) + (1 if leaves else 0)
    cells: list[_HeaderCell] = []
    covered_at: dict[int, int] = {}  # column -> deepest level with a spanner over it
    for level, chunks in enumerate(levels):
        for chunk in chunks:
            for c in range(chunk.first, chunk.last + 1):
                covered_at[c] = level
    for level, chunks in enumerate(levels):
        for chunk in chunks:
            columns_of = set(range(chunk.first, chunk.last + 1))
            bottom = level + 1
            while bottom < len(levels) and not any(
                columns_of & set(range(o.first, o.last + 1)) for o in levels[bottom]
            ):
                bottom += 1
            if bottom == len(levels) and leaves and not (columns_of & set(leaves)):
                bottom += 1
            cells.append(_HeaderCell(level, chunk.first, chunk.last, bottom - level, chunk.tokens))
    for column, tokens in leaves.items():
        top = covered_at.get(column, -1) + 1
        cells.append(_HeaderCell(top, column, column, n_rows - top, tokens))
    return cells, n_rows


# --- rows --------------------------------------------------------------------------------------


def _join(rows: list[GridRow], k: int, columns: Columns) -> None:
    """Join row ``k + 1`` into row ``k``."""
    upper, lower = rows[k], rows[k + 1]
    upper.lines = sorted(upper.lines + lower.lines, key=lambda line: line.cy)
    upper.chunks = _merge_chunks(upper.chunks + lower.chunks)
    upper.kind = "data" if "data" in (upper.kind, lower.kind) else upper.kind
    del rows[k + 1]


def _merge_chunks(chunks: list[Chunk]) -> list[Chunk]:
    merged: list[Chunk] = []
    for chunk in sorted(chunks, key=lambda c: (c.first, c.last)):
        if merged and chunk.first <= merged[-1].last:
            merged[-1] = Chunk(
                merged[-1].tokens + chunk.tokens, merged[-1].first, max(merged[-1].last, chunk.last)
            )
        else:
            merged.append(Chunk(list(chunk.tokens), chunk.first, chunk.last))
    return merged


def _body(rows: list[GridRow], n_bands: int, columns: Columns, unit: float) -> list[GridRow]:
    """Join the body lines that make one record (see the module doc)."""
    counts = Counter(row.band for row in rows)
    data = Counter(row.band for row in rows if row.kind == "data")
    grid_like = len(counts) >= 4 and len(rows) <= 2.5 * len(counts)
    closed = {
        b for b in counts if 0 < b < n_bands and (grid_like or (data[b] == 1 and counts[b] <= 4))
    }
    k = 0
    while k < len(rows) - 1:
        upper, lower = rows[k], rows[k + 1]
        if (
            upper.band == lower.band
            and upper.band in closed
            and (grid_like or not (upper.kind == "data" and lower.kind == "data"))
        ):
            _join(rows, k, columns)
            continue
        k += 1
    k = 0
    while k < len(rows):
        row = rows[k]
        if row.kind != "text":
            k += 1
            continue
        best, best_gap = None, 0.45 * unit
        for j in (k - 1, k + 1):
            if 0 <= j < len(rows) and rows[j].kind == "data" and rows[j].band == row.band:
                gap = _gap(rows[j], row) if j < k else _gap(row, rows[j])
                if not (rows[j].filled() & row.filled()) and gap < best_gap:
                    best, best_gap = j, gap
        if (
            best is None
            and k > 0
            and rows[k - 1].band == row.band
            and _gap(rows[k - 1], row) < 0.6 * unit
            and _continues(rows[k - 1], row)
        ):
            best = k - 1
        if best is None and k + 1 < len(rows) and rows[k + 1].band == row.band:
            nxt = rows[k + 1]
            if nxt.kind == "data" and _gap(row, nxt) < 0.6 * unit and _continues(row, nxt):
                best = k + 1
        if best is None:
            k += 1
            continue
        low = min(best, k)
        _join(rows, low, columns)
        k = low
    return rows


def build_grid(lines: list[TextLine], rulings: Rulings, box: FBox, unit: float) -> Grid | None:
    """The grid of the table in ``box`` (see the module doc); ``None`` when no table fits
    (fewer than two columns or two rows)."""
    if not lines:
        return None
    columns = Columns(column_cuts(lines, rulings.vertical, box, unit), unit)
    if columns.count < 2:
        return None
    columns.measure(lines)
    band_cuts = _band_cuts(rulings.horizontal, box)
    rows = [GridRow([line], columns.place(line.tokens)) for line in lines]
    figures = _figure_columns(rows)
    for row in rows:
        row.kind = "data" if _is_data(row, figures) and not _numbering(row, figures) else "text"
        row.band = sum(1 for cut in band_cuts if row.lines[0].cy > cut)
    first_data = next((k for k, row in enumerate(rows) if row.kind == "data"), 0)
    # the header ends at a spanning line that comes after a line of column heads
    head_end, leaf_seen = first_data, False
    for k in range(first_data):
        if leaf_seen and rows[k].spans():
            head_end = k
            break
        if sum(1 for ch in rows[k].chunks if not ch.spans) >= 2:
            leaf_seen = True
    header_lines = lines[:head_end]
    body = _body(rows[head_end:], len(band_cuts), columns, unit)
    body = [row for row in body if row.chunks]
    first_body = body[0].y0 if body else box[3]
    head, n_head = (
        _header(header_lines, columns, rulings.horizontal, first_body, unit)
        if header_lines
        else ([], 0)
    )
    if n_head + len(body) < 2:
        return None
    return _cells(head, n_head, header_lines, body, columns, box)


def _cells(  # noqa: PLR0917 (internal, called once)
    head: list[_HeaderCell],
    n_head: int,
    header_lines: list[TextLine],
    body: list[GridRow],
    columns: Columns,
    box: FBox,
) -> Grid:
    x0, y0, x1, y1 = box
    n_cols = columns.count
    xs = [x0, *columns.cuts, x1]
    # row bounds: header rows share the header's height; body rows meet half-way
    tops = [row.y0 for row in body]
    bottoms = [row.y1 for row in body]
    head_bottom = (
        (max(line.y1 for line in header_lines) + (tops[0] if tops else y1)) / 2
        if header_lines
        else y0
    )
    ys_head = [y0 + (head_bottom - y0) * k / max(n_head, 1) for k in range(n_head + 1)]
    body_top = head_bottom if n_head else y0
    ys_body = [body_top] + [(bottoms[k] + tops[k + 1]) / 2 for k in range(len(body) - 1)] + [y1]
    ys = ys_head[:-1] + ys_body if n_head else ys_body
    cells: list[GridCell] = []
    taken: set[tuple[int, int]] = set()

    def add(  # noqa: PLR0917
        row: int, first: int, last: int, row_span: int, tokens: list[Token], header: bool
    ) -> None:
        slots = {(r, c) for r in range(row, row + row_span) for c in range(first, last + 1)}
        if slots & taken:
            return
        taken.update(slots)
        box_ = (xs[first], ys[row], xs[last + 1], ys[row + row_span])
        cells.append(GridCell(row, first, row_span, last - first + 1, tokens, box_, header))

    for head_cell in head:
        add(
            head_cell.row, head_cell.first, head_cell.last, head_cell.row_span, head_cell.tokens,
            True,
        )  # fmt: skip
    for r, row in enumerate(body, start=n_head):
        for chunk in row.chunks:
            add(r, chunk.first, chunk.last, 1, chunk.tokens, False)
    n_rows = n_head + len(body)
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in taken:
                add(r, c, c, 1, [], r < n_head)
    # columns that hold no text and no spanning cell are dropped
    used = sorted(
        {cell.col for cell in cells if cell.tokens}
        | {c for cell in cells if cell.tokens for c in range(cell.col, cell.col + cell.col_span)}
    )
    if len(used) < n_cols:
        remap = {c: k for k, c in enumerate(used)}
        kept: list[GridCell] = []
        seen: set[tuple[int, int]] = set()
        for cell in sorted(cells, key=lambda c: (not c.tokens, c.row, c.col)):
            cols = [remap[c] for c in range(cell.col, cell.col + cell.col_span) if c in remap]
            if not cols:
                continue
            cell.col, cell.col_span = cols[0], cols[-1] - cols[0] + 1
            slots = {
                (r, c)
                for r in range(cell.row, cell.row + cell.row_span)
                for c in range(cell.col, cell.col + cell.col_span)
            }
            if slots & seen:
                continue
            seen |= slots
            kept.append(cell)
        cells, n_cols = kept, len(used)
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(cells, n_rows, n_cols, n_head)
