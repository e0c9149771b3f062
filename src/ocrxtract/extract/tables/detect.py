"""Where the tables of a page are: ruled grids, and runs of text lines set in columns.

Works in the de-skewed frame (:mod:`.tokens`), lengths in text heights (``unit``):

* **ruled grids**: horizontal and vertical rules that touch form a grid; two of each (or three
  stacked horizontal rules of the same width, the open "booktabs" table) that hold text make a
  table;
* **aligned runs**: consecutive text lines split into two or more phrases by wide gaps (the
  columns), with figures in them or three phrases or more, make a table; a line or two without
  gaps inside the run (a label on two lines, a section heading) stays in it;
* each run is then grown to the rules that close it above and below, and to the header lines
  between its top rule and its first row;
* candidates that overlap are joined.

A caption (``Table 3: ...``) or a source note is not part of the table.
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
_CAPTION = re.compile(r"^(table|tableau|figure|graphique|source|note|chart|annex)\b", re.I)


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
    boxes = []
    for group in groups.values():
        hs = [r for r in group if r.horizontal]
        vs = [r for r in group if not r.horizontal]
        if len(hs) < 2 or len(vs) < 2:
            continue
        box = (min(r.x0 for r in group), min(r.y0 for r in group),
               max(r.x1 for r in group), max(r.y1 for r in group))  # fmt: skip
        if sum(1 for line in lines if _inside(line, box)) >= 2:
            boxes.append(box)
    boxes += _stacked_rules(rulings.horizontal, lines, unit, boxes)
    return boxes


def _inside(line: TextLine, box: FBox, slack: float = 0.0) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, line.cy
    return box[0] - slack <= cx <= box[2] + slack and box[1] - slack <= cy <= box[3] + slack


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


def _is_tabular(line: TextLine, unit: float) -> bool:
    return len(_runs(line, unit)) >= 2


def _strong(line: TextLine, unit: float) -> bool:
    runs = _runs(line, unit)
    if len(runs) >= 3:
        return True
    return len(runs) >= 2 and any(is_figure(" ".join(t.text for t in run)) for run in runs)


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
        if len(tabular) >= 3 and strong >= 2:
            boxes.append((min(ln.x0 for ln in run), run[0].y0, max(ln.x1 for ln in run),
                          run[-1].y1))  # fmt: skip
        k = max(j, k + 1)
    return boxes


def _grow(box: FBox, lines: list[TextLine], rules: list[Rule], unit: float) -> FBox:
    """The run's box grown to its closing rules and the header lines under its top rule."""
    x0, y0, x1, y1 = box
    width = x1 - x0
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
    # header lines right above, inside the columns' extent, that are not a caption
    for line in reversed([ln for ln in lines if ln.y1 <= y0 + 0.3 * unit]):
        if y0 - line.y1 > 1.0 * unit or _CAPTION.match(line.text):
            break
        if line.x0 < x0 - unit or line.x1 > x1 + unit or line.x1 - line.x0 > 0.9 * width:
            break
        y0 = line.y0
    return x0, y0, x1, y1


def find_tables(lines: list[TextLine], rulings: Rulings, unit: float) -> list[FBox]:
    """Boxes of the tables among ``lines`` (de-skewed frame), top to bottom."""
    candidates = [_Candidate(b, True) for b in ruled_grids(rulings, lines, unit)]
    for box in aligned_runs(lines, unit):
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
    return [c.box for c in sorted(merged, key=lambda c: c.box[1])]
