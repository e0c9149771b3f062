"""Columns of a table: where they are cut, and which column(s) each phrase of a line is in.

Cuts are the vertical rules that cross most of the table and the corridors of white space
between the phrases of the lines of figures (headers are where cells span, so they do not vote
when there are enough figure lines). A phrase (words closer than half a text height) that
crosses a cut spans the columns on both sides when it is centred over their boundary or covers
a good part of each (``Hommes`` over ``Effectif | Part``); otherwise its words go to the columns
their centres are in (a wide word in a narrow column does not make a spanning cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from ocrxtract.extract.tables.rulings import Rule
from ocrxtract.extract.tables.tokens import FBox, TextLine, Token, TokenGroup
from ocrxtract.fr.numbers import parse_number

#: A year or a span of years (``2023``, ``2022-23``): a column head, not a figure of data.
YEAR = re.compile(r"^(1[89]|20)\d\d([-–/]\d{2,4})?$")


def is_figure(text: str) -> bool:
    """Whether a cell's text reads as a figure (a number, a share or a missing-value mark)."""
    return parse_number(text).is_numeric


@dataclass
class Chunk(TokenGroup):
    """Tokens of one row that fall in the same column range."""

    first: int  # first column
    last: int  # last column (inclusive)

    @property
    def spans(self) -> bool:
        return self.last > self.first

    @property
    def text(self) -> str:
        return join_tokens(self.tokens)


def join_tokens(tokens: list[Token]) -> str:
    """The text of tokens read line by line (a token whose centre is inside a line's height
    joins it), left to right."""
    lines: list[list[Token]] = []
    for token in sorted(tokens, key=lambda t: t.cy):
        if lines and (
            min(t.y0 for t in lines[-1]) <= token.cy <= max(t.y1 for t in lines[-1])
            or token.y0 <= lines[-1][0].cy <= token.y1
        ):
            lines[-1].append(token)
        else:
            lines.append([token])
    return " ".join(" ".join(t.text for t in sorted(line, key=lambda t: t.x0)) for line in lines)


def phrases(tokens: list[Token], unit: float, gap: float) -> list[list[Token]]:
    """Runs of tokens (left to right) closer than ``gap`` text heights."""
    runs: list[list[Token]] = []
    for token in sorted(tokens, key=lambda t: t.x0):
        if runs and token.x0 - max(t.x1 for t in runs[-1]) <= gap * unit:
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _free_intervals(
    extents: list[list[tuple[float, float]]], x0: float, x1: float, tolerance: int, step: float
) -> list[tuple[float, float]]:
    """X intervals crossed by at most ``tolerance`` of the lines (each a list of extents)."""
    n = max(1, int((x1 - x0) / step) + 1)
    counts = [0] * n
    for line in extents:
        seen = [False] * n
        for left, right in line:
            a = max(0, int((left - x0) / step))
            b = min(n - 1, int((right - x0) / step))
            for k in range(a, b + 1):
                seen[k] = True
        for k in range(n):
            counts[k] += seen[k]
    intervals = []
    start = None
    for k in range(n + 1):
        free = k < n and counts[k] <= tolerance
        if free and start is None:
            start = k
        elif not free and start is not None:
            intervals.append((x0 + start * step, x0 + k * step))
            start = None
    return intervals


def _between_heads(a: float, b: float, heads: list[tuple[float, float]], unit: float) -> float:
    """The cut in the corridor ``a..b`` between figures: in the first gap between the column
    heads above that it meets (figures set right, heads set left: ``Évol. (%)`` over ``-3,6``
    starts inside the figures' corridor, so the head after the gap begins the next column);
    at the corridor's edge when that gap only touches it; else its middle."""
    for left, right in pairwise(heads):
        lo, hi = max(a, left[1]), min(b, right[0])
        if right[0] <= left[1] or hi - lo < -0.5 * unit:
            continue
        if hi - lo >= 0.2 * unit:
            return (lo + hi) / 2
        return min(b, max(a, (left[1] + right[0]) / 2))
    return (a + b) / 2


def column_cuts(
    lines: list[TextLine], rules: list[Rule], box: FBox, unit: float, *, min_gap: float = 0.6
) -> list[float]:
    """X positions that separate columns (see the module doc)."""
    x0, y0, x1, y1 = box
    height = max(1.0, y1 - y0)
    hard = sorted(
        r.position
        for r in rules
        if r.length >= 0.45 * height and x0 + unit < r.position < x1 - unit
    )
    extents = [[(p[0].x0, max(t.x1 for t in p)) for p in phrases(line.tokens, unit, 0.8)]
               for line in lines]  # fmt: skip
    multi = [e for e in extents if len(e) >= 2]
    numeric = [
        e
        for e, line in zip(extents, lines, strict=True)
        if len(e) >= 2
        and sum(is_figure(t.text) for t in line.tokens) >= 0.4 * len(line.tokens)
        and not all(YEAR.match(t.text) for t in line.tokens)  # a line of years heads columns
    ]
    leaf: list[tuple[float, float]] = []  # the column heads right above the figures
    if len(numeric) >= 3:
        multi = numeric
        first = next(k for k, e in enumerate(extents) if e is numeric[0])
        above = extents[first - 1] if first > 0 else []
        if len(above) >= 2:
            leaf = above
    if len(multi) < 2:
        multi = [[(t.x0, t.x1) for t in line.tokens] for line in lines]
    n = len(multi)
    tolerance = int(0.1 * n) if n >= 8 else 0
    step = max(1.0, unit / 8)
    soft = []
    for a, b in _free_intervals(multi, x0, x1, tolerance, step):
        if b - a < min_gap * unit or a <= x0 + step or b >= x1 - step:
            continue  # too narrow, or a margin rather than a corridor between columns
        inside = [h for h in hard if a - unit * 0.3 <= h <= b + unit * 0.3]
        soft.append(inside[0] if inside else _between_heads(a, b, leaf, unit))
    merged: list[float] = []
    for cut in sorted(set(hard) | set(soft)):
        if merged and cut - merged[-1] < 0.5 * unit:
            if cut in hard:
                merged[-1] = cut
            continue
        merged.append(cut)
    return _drop_thin_columns(merged, set(hard), lines)


def _drop_thin_columns(cuts: list[float], hard: set[float], lines: list[TextLine]) -> list[float]:
    """Remove a white-space cut that leaves a column with text from at most two lines (and
    fewer than a fifth of them): a header word wider than its column made that corridor."""
    while True:
        bounds = [-1e12, *cuts, 1e12]
        support = [
            sum(1 for line in lines if any(a < t.cx <= b for t in line.tokens))
            for a, b in pairwise(bounds)
        ]
        limit = min(2, 0.2 * len(lines))
        thin = [c for c, n in enumerate(support) if 0 < n <= limit]
        removable = None
        for c in thin:
            sides = [k for k in (c - 1, c) if 0 <= k < len(cuts) and cuts[k] not in hard]
            if sides:
                removable = min(sides, key=lambda k: support[k if k < c else k + 1])
                break
        if removable is None:
            return cuts
        cuts = cuts[:removable] + cuts[removable + 1 :]


@dataclass
class Columns:
    """The columns of a table: cuts, and the extent of the text that stays inside each."""

    cuts: list[float]
    unit: float
    extents: list[tuple[float, float] | None] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cuts) + 1

    def of(self, x: float) -> int:
        """The column holding abscissa ``x``."""
        return sum(1 for cut in self.cuts if x > cut)

    def measure(self, lines: list[TextLine]) -> None:
        """Compute each column's extent from the tokens that do not cross a cut."""
        spans: list[list[float]] = [[] for _ in range(self.count)]
        slack = 0.15 * self.unit
        for line in lines:
            for token in line.tokens:
                first, last = self.of(token.x0 + slack), self.of(token.x1 - slack)
                if first == last:
                    spans[first] += [token.x0, token.x1]
        self.extents = [(min(s), max(s)) if s else None for s in spans]

    def _span(self, run: list[Token]) -> tuple[int, int] | None:
        """The columns a phrase that crosses cuts spans, or ``None`` when it does not span."""
        slack = 0.15 * self.unit
        x0, x1 = run[0].x0, max(t.x1 for t in run)
        first, last = self.of(x0 + slack), self.of(x1 - slack)
        if first == last:
            return (first, first)
        centre = (x0 + x1) / 2
        overlapped = []
        for c in range(first, last + 1):
            extent = self.extents[c] if c < len(self.extents) else None
            if extent is None:
                continue
            overlap = min(x1, extent[1]) - max(x0, extent[0])
            width = max(extent[1] - extent[0], 1.0)
            if overlap >= min(self.unit, 0.25 * width):
                overlapped.append(c)
        u = self.unit
        for c in range(first, last):
            left, right = self.extents[c], self.extents[c + 1]
            if left is None or right is None:
                continue
            if (
                left[1] - 0.5 * u <= centre <= right[0] + 0.5 * u
                and x0 <= left[1] + 0.3 * u
                and x1 >= right[0] - 0.3 * u
            ):
                cols = [c, c + 1, *overlapped]
                return (min(cols), max(cols))
        if len(overlapped) >= 2:
            return (overlapped[0], overlapped[-1])
        return None

    def place(self, tokens: list[Token]) -> list[Chunk]:
        """The chunks of one line: its phrases in the column(s) they belong to."""
        chunks: list[Chunk] = []
        for run in phrases(tokens, self.unit, 0.5):
            span = self._span(run)
            if span is not None:
                chunks.append(Chunk(list(run), span[0], span[1]))
                continue
            for token in run:
                column = self.of(token.cx)
                chunks.append(Chunk([token], column, column))
        chunks.sort(key=lambda c: (c.first, c.x0))
        merged: list[Chunk] = []
        for chunk in chunks:
            if merged and chunk.first <= merged[-1].last:
                merged[-1].tokens += chunk.tokens
                merged[-1].last = max(merged[-1].last, chunk.last)
            else:
                merged.append(chunk)
        return merged
