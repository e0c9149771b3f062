"""Where the tables of a page are: ruled grids, and runs of text lines set in columns.

Works in the de-skewed frame (:mod:`.tokens`), lengths in text heights (``unit``):

* **ruled grids**: horizontal and vertical rules that touch form a grid; two of each (or three
  stacked horizontal rules of the same width, the open "booktabs" table) that hold words make a
  table. The bands of a frame around a table (an ``Exhibit`` title, notes and source inside
  the same box) are peeled off, and a bare box of four rules around a grid is dropped;
* **aligned runs**: consecutive text lines split into two or more phrases by wide gaps (the
  columns), with figures in them or three phrases or more, make a table; a line or two without
  gaps inside the run (a label on two lines, a section heading) stays in it. Running text set
  in page columns is not a table (phrases of many words, few figures). A run that crosses
  ruled grids is cut by them: it does not join two ruled tables, and only its parts outside
  them count (header lines right above a grid, a line right below it, join that grid);
* each run is then grown to the rules that close it above and below, and to the header lines
  between its top rule and its first row;
* candidates that overlap are joined; a candidate under or over a ``Figure ...`` caption is a
  chart, not a table.

A caption (``Table 3: ...``, and the lines that go on from it) or a source note is not part of
the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocrxtract.extract.tables.columns import is_figure, phrases
from ocrxtract.extract.tables.rulings import Rule, Rulings
from ocrxtract.extract.tables.tokens import FBox, TextLine, Token

#: Gap between two phrases of a line that makes them two columns (text heights).
COLUMN_GAP = 1.2
#: Largest vertical gap between two rows of one table (text heights).
ROW_GAP = 3.5
#: Lines without a column gap that a run may hold in a row.
MAX_PLAIN_RUN = 2
_BULLET = re.compile(r"^([•▪■◦‣●○□➢✓*\-–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])$")
_FIGURE = re.compile(r"^(figure|fig\.|graphique|graph|chart|carte|map)\b", re.I)
_TABLE = re.compile(r"^(table|tableau)\b", re.I)
_CAPTION = re.compile(r"^(table|tableau|figure|graphique|source|note|chart|annex|exhibit)\b", re.I)


@dataclass
class _Candidate:
    box: FBox
    ruled: bool = False


def _union(a: FBox, b: FBox) -> FBox:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _overlap(a: FBox, b: FBox) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _touch(a: Rule, b: Rule, slack: float) -> bool:
    return not (
        a.x1 + slack < b.x0 or b.x1 + slack < a.x0 or a.y1 + slack < b.y0 or b.y1 + slack < a.y0
    )


def ruled_grids(rulings: Rulings, lines: list[TextLine], unit: float) -> list[FBox]:
    """Boxes of the grids of touching rules that hold text lines."""
    rules = [r for r in rulings.horizontal if r.length >= 3 * unit] + [
        r for r in rulings.vertical if r.length >= 1.5 * unit
    ]
    parent = list(range(len(rules)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    slack = max(2.0, 0.25 * unit)
    for i in range(len(rules)):
        for j in range(i + 1, len(rules)):
            if rules[i].horizontal != rules[j].horizontal and _touch(rules[i], rules[j], slack):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for k, rule in enumerate(rules):
        groups.setdefault(find(k), []).append(rule)
    found: list[tuple[FBox, bool]] = []  # box, whether it is a bare frame (a box of 4 rules)
    for group in groups.values():
        hs = [r for r in group if r.horizontal]
        vs = [r for r in group if not r.horizontal]
        if len(hs) < 2 or len(vs) < 2:
            continue
        box = (min(r.x0 for r in group), min(r.y0 for r in group),
               max(r.x1 for r in group), max(r.y1 for r in group))  # fmt: skip
        box = _peel_frame(box, hs, vs, lines, unit)
        if sum(1 for line in lines if _holds(box, line)) >= 2:
            found.append((box, len(hs) == 2 and len(vs) == 2))
    # a bare frame around a grid is a box around a table (with its title and notes)
    boxes = [
        box
        for box, bare in found
        if not (bare and any(other != box and _contains(box, other) for other, _ in found))
    ]
    boxes += _stacked_rules(rulings.horizontal, lines, unit, boxes)
    return boxes


def _contains(outer: FBox, inner: FBox) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def _inside(line: TextLine, box: FBox, slack: float = 0.0) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, line.cy
    return box[0] - slack <= cx <= box[2] + slack and box[1] - slack <= cy <= box[3] + slack


def _peel_frame(
    box: FBox, hs: list[Rule], vs: list[Rule], lines: list[TextLine], unit: float
) -> FBox:
    """The grid without the bands of a frame around it (``Exhibit 19`` and its title above the
    table, notes and source below it, all inside one box).

    A band between the first (or last) two horizontal rules goes when no inner vertical rule
    crosses it and it holds a caption or running text (two lines or more that are not split
    into columns): a spanning header cell (one line) stays.
    """
    rows: list[float] = []
    for position in sorted(r.position for r in hs):  # a double rule is one
        if not rows or position - rows[-1] > 0.5 * unit:
            rows.append(position)
    inner = [v for v in vs if box[0] + 2 * unit < v.position < box[2] - 2 * unit]

    def peel(top: float, bottom: float) -> bool:
        middle = (top + bottom) / 2
        if any(v.y0 < middle < v.y1 for v in inner):
            return False
        band = [ln for ln in lines if top < ln.cy < bottom and _holds(box, ln)]
        if not band or any(_is_tabular(ln, unit) for ln in band):
            return False
        return len(band) >= 2 or any(_CAPTION.match(ln.text) for ln in band)

    peeled_top = peeled_bottom = False
    while len(rows) >= 3 and peel(rows[0], rows[1]):
        rows.pop(0)
        peeled_top = True
    while len(rows) >= 3 and peel(rows[-2], rows[-1]):
        rows.pop()
        peeled_bottom = True
    return (
        box[0],
        rows[0] - 1.0 if peeled_top else box[1],
        box[2],
        rows[-1] + 1.0 if peeled_bottom else box[3],
    )


def _tokens_in(box: FBox, line: TextLine, slack: float = 0.0) -> list[Token]:
    """The words of ``line`` whose centre is in ``box``."""
    return [
        t
        for t in line.tokens
        if box[0] - slack <= t.cx <= box[2] + slack and box[1] - slack <= t.cy <= box[3] + slack
    ]


def _holds(box: FBox, line: TextLine, slack: float = 0.0) -> bool:
    """Whether a word of ``line`` is in ``box`` (a small table beside a column of text shares
    its text lines with the column)."""
    return bool(_tokens_in(box, line, slack))


def _stacked_rules(
    rules: list[Rule], lines: list[TextLine], unit: float, taken: list[FBox]
) -> list[FBox]:
    """Three horizontal rules or more of the same extent, with tabular lines between them."""
    long = sorted((r for r in rules if r.length >= 8 * unit), key=lambda r: r.position)
    out: list[FBox] = []
    used: set[int] = set()
    for i, first in enumerate(long):
        if i in used:
            continue
        stack = [first]
        for j in range(i + 1, len(long)):
            rule = long[j]
            if abs(rule.x0 - first.x0) <= 1.5 * unit and abs(rule.x1 - first.x1) <= 1.5 * unit:
                between = [ln for ln in lines if stack[-1].position < ln.cy < rule.position]
                if len(between) > 40 or any(_CAPTION.match(ln.text) for ln in between):
                    break  # a caption between two rules: the next table
                tabular = sum(1 for ln in between if _is_tabular(ln, unit))
                if len(between) >= 4 and tabular < len(between) / 3:
                    break  # running text between two rules: a frame or a rule under a heading
                stack.append(rule)
                used.add(j)
        if len(stack) < 3:
            continue
        box = (min(r.x0 for r in stack), stack[0].position, max(r.x1 for r in stack),
               stack[-1].position)  # fmt: skip
        inside = [ln for ln in lines if _inside(ln, box)]
        if sum(1 for ln in inside if _is_tabular(ln, unit)) >= 2 and not any(
            _overlap(box, t) for t in taken
        ):
            out.append(box)
    return out


def _runs(line: TextLine, unit: float) -> list[list[Token]]:
    """The line's phrases, a list item's bullet or number (``•``, ``1.``, ``a)``) left out."""
    runs = phrases(line.tokens, unit, COLUMN_GAP)
    if len(runs) >= 2 and len(runs[0]) == 1 and _BULLET.match(runs[0][0].text):
        return runs[1:]
    return runs


def _wordy(run: list[Token]) -> bool:
    """A phrase of words (three or more, mostly letters): running text, not a cell value."""
    words = [t for t in run if sum(c.isalpha() for c in t.text) >= max(1, len(t.text) // 2)]
    return len(run) >= 3 and len(words) >= 0.7 * len(run)


def _is_prose(runs: list[list[Token]]) -> bool:
    """Phrases of running text side by side: the columns of a page, not a table row."""
    return len(runs) >= 2 and all(_wordy(r) for r in runs) and max(len(r) for r in runs) >= 5


def _is_tabular(line: TextLine, unit: float) -> bool:
    runs = _runs(line, unit)
    return len(runs) >= 2 and not _is_prose(runs)


def _strong(line: TextLine, unit: float) -> bool:
    runs = _runs(line, unit)
    if len(runs) >= 3:
        return True
    return len(runs) >= 2 and any(is_figure(" ".join(t.text for t in run)) for run in runs)


def _running_text(lines: list[TextLine], unit: float) -> bool:
    """Whether lines split into phrases read as columns of running text: their phrases are
    mostly long (a table's cells hold a few words; a page column's lines many), with few
    figures."""
    runs = [run for line in lines for run in _runs(line, unit)]
    sizes = sorted(len(run) for run in runs)
    figures = sum(1 for run in runs if is_figure(" ".join(t.text for t in run)))
    return sizes[len(sizes) // 2] >= 4 and figures < 0.2 * len(sizes)


def aligned_runs(lines: list[TextLine], unit: float) -> list[FBox]:
    """Boxes of runs of lines set in columns (see the module doc)."""
    boxes: list[FBox] = []
    k = 0
    while k < len(lines):
        if not _is_tabular(lines[k], unit) or _CAPTION.match(lines[k].text):
            k += 1
            continue
        run = [lines[k]]
        plain = 0
        j = k + 1
        while j < len(lines):
            line = lines[j]
            if line.y0 - run[-1].y1 > ROW_GAP * unit or _CAPTION.match(line.text):
                break
            heads = lines[max(0, k - 3) : k] + run[:3]
            if len(run) > 3 and any(line.text == head.text for head in heads):
                break  # the header again: the next table starts
            if _is_tabular(line, unit):
                run.append(line)
                plain = 0
            else:
                plain += 1
                if plain > MAX_PLAIN_RUN:
                    break
                run.append(line)
            j += 1
        while run and not _is_tabular(run[-1], unit):
            run.pop()
        tabular = [line for line in run if _is_tabular(line, unit)]
        strong = sum(1 for line in tabular if _strong(line, unit))
        if len(tabular) >= 3 and strong >= 2 and not _running_text(tabular, unit):
            boxes.append((min(ln.x0 for ln in run), run[0].y0, max(ln.x1 for ln in run),
                          run[-1].y1))  # fmt: skip
        k = max(j, k + 1)
    return boxes


def _grow(box: FBox, lines: list[TextLine], rules: list[Rule], unit: float) -> FBox:
    """The run's box grown to its closing rules and the header lines under its top rule."""
    x0, y0, x1, y1 = box
    width = x1 - x0
    closed_top = False
    above = [
        r
        for r in rules
        if r.position < y0 and y0 - r.position <= 8 * unit and r.covers(x0, x1) >= 0.6
        and r.length <= 1.6 * width + 2 * unit
    ]  # fmt: skip
    for rule in sorted(above, key=lambda r: -r.position):
        between = [ln for ln in lines if rule.position < ln.cy < y0]
        if all(not _CAPTION.match(ln.text) and x0 - unit <= ln.x0 and ln.x1 <= x1 + 2 * unit
               for ln in between):  # fmt: skip
            y0 = min(y0, rule.position)
            x0, x1 = min(x0, rule.x0), max(x1, rule.x1)
            closed_top = True
            break
    below = [
        r
        for r in rules
        if r.position > y1 and r.position - y1 <= 1.5 * unit and r.covers(x0, x1) >= 0.6
    ]
    if below:
        rule = min(below, key=lambda r: r.position)
        y1 = rule.position
        x0, x1 = min(x0, rule.x0), max(x1, rule.x1)
    # header lines right above, inside the columns' extent, that are not a caption (nor
    # its second line); a rule above the table closes it
    higher = [ln for ln in lines if ln.y1 <= y0 + 0.3 * unit]
    for k in range(len(higher) - 1, -1, -1) if not closed_top else ():
        line = higher[k]
        if y0 - line.y1 > 1.0 * unit or _in_caption(higher, k, unit):
            break
        if line.x0 < x0 - unit or line.x1 > x1 + unit or line.x1 - line.x0 > 0.9 * width:
            break
        y0 = line.y0
    return x0, y0, x1, y1


def _in_caption(lines: list[TextLine], k: int, unit: float) -> bool:
    """Whether line ``k`` is a caption or goes on from one (lines set close above it)."""
    while k >= 0:
        if _CAPTION.match(lines[k].text):
            return True
        if k == 0 or lines[k].y0 - lines[k - 1].y1 > 0.6 * unit:
            return False
        k -= 1
    return False


def _rows_of_cells(grid: FBox, lines: list[TextLine], unit: float) -> int:
    """How many lines have two phrases or more inside ``grid`` (a grid that holds a table's
    rows, not pieces of rules around one column)."""
    return sum(1 for line in lines if len(phrases(_tokens_in(grid, line), unit, COLUMN_GAP)) >= 2)


def _outside_grids(box: FBox, lines: list[TextLine], grids: list[FBox], unit: float) -> list[FBox]:
    """The parts of a run of aligned lines that no ruled grid holds.

    A run that crosses ruled grids does not join them (two ruled tables with a heading between
    them stay two); what it holds above, between or below them is kept when it is a table of
    its own (three tabular lines or more), joined to a grid it touches.
    """
    inside = [g for g in grids if _overlap(box, g) and _rows_of_cells(g, lines, unit) >= 2]
    if not inside:
        return [box]
    members = [ln for ln in lines if _inside(ln, box)]
    parts: list[list[TextLine]] = [[]]
    for line in members:
        if any(_holds(g, line, 0.3 * unit) for g in inside):
            if parts[-1]:
                parts.append([])
            continue
        parts[-1].append(line)
    out = []
    for part in parts:
        if not part:
            continue
        box_of = (min(ln.x0 for ln in part), part[0].y0, max(ln.x1 for ln in part), part[-1].y1)
        tabular = sum(1 for ln in part if _is_tabular(ln, unit))
        if tabular >= 3:
            out.append(box_of)
            continue
        # header lines right above a grid (shaded, so without rules), a total right below it
        touching = [
            g for g in inside if -0.5 * unit <= g[1] - box_of[3] <= 1.5 * unit
            or -0.5 * unit <= box_of[1] - g[3] <= 1.5 * unit
        ]  # fmt: skip
        if touching and tabular >= 1 and len(part) - tabular <= 1:
            out.append(_union(box_of, touching[0]))
    return out


def _under_figure_caption(box: FBox, lines: list[TextLine], unit: float) -> bool:
    """Whether a ``Figure ...`` caption is set right above or below the box (a chart's frame,
    axis labels and legend look like a table), and no ``Table ...`` caption."""
    near = [
        ln
        for ln in lines
        if min(ln.x1, box[2]) > max(ln.x0, box[0])
        and (box[1] - 4 * unit <= ln.cy < box[1] or box[3] < ln.cy <= box[3] + 4 * unit)
    ]
    return any(_FIGURE.match(ln.text) for ln in near) and not any(
        _TABLE.match(ln.text) for ln in near
    )


def find_tables(lines: list[TextLine], rulings: Rulings, unit: float) -> list[FBox]:
    """Boxes of the tables among ``lines`` (de-skewed frame), top to bottom."""
    grids = ruled_grids(rulings, lines, unit)
    candidates = [_Candidate(b, True) for b in grids]
    for run in aligned_runs(lines, unit):
        for box in _outside_grids(run, lines, grids, unit):
            grown = _grow(box, lines, rulings.horizontal, unit)
            candidates.append(_Candidate(grown))
    merged: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (not c.ruled, c.box[1])):
        for other in merged:
            if _overlap(cand.box, other.box):
                if not other.ruled or not cand.ruled:  # two grids that overlap stay apart
                    other.box = _union(other.box, cand.box)
                break
        else:
            merged.append(cand)
    # re-merge after growth
    changed = True
    while changed:
        changed = False
        for a in range(len(merged)):
            for b in range(a + 1, len(merged)):
                if _overlap(merged[a].box, merged[b].box):
                    merged[a].box = _union(merged[a].box, merged[b].box)
                    merged[a].ruled |= merged[b].ruled
                    del merged[b]
                    changed = True
                    break
            if changed:
                break
    return [
        c.box
        for c in sorted(merged, key=lambda c: c.box[1])
        if not _under_figure_caption(c.box, lines, unit)
    ]
