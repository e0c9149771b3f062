"""Candidate values: the spans of a recognised document that a field's value could be.

The document is read as lines of words with boxes (any engine, a PDF text layer or ground
truth). For each field type the schema needs, the candidates are:

* typed values (amounts, dates, periods, times, identifiers under their pattern): every match of
  the type's pattern inside a line's text, mapped back to the words it covers;
* free text: each line whole, the part of a line after its first colon, and a line joined with
  the lines just below it when the field may span several (addresses);
* company names: the free-text candidates, and the start of a line up to a legal form
  (``Au bon moulin SARL`` out of ``Au bon moulin SARL - 1242 chemin de l'olive``).
* addresses: the free-text candidates (their values part the street from "postcode town" with
  ``", "``: :func:`~.types.normalize`);
* MRZ lines: pattern matches, the name line's misread digits turned back into letters.

Numeric dates are read day first unless the document shows it writes them month first (a date
such as ``11/17/2017``: :func:`~.types.month_first_dates`).

Candidates know their geometry (page, box, line), so features and rules can look at their
neighbours: what is to their left on the same row, what is above.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from statistics import median

from ocrxtract.document import BBox, Document
from ocrxtract.extract.fields.schema import Schema
from ocrxtract.extract.fields.types import month_first_dates, normalize, pattern
from ocrxtract.fr.companies import legal_form_pattern
from ocrxtract.fr.identifiers import repair_mrz_name_line


@dataclass
class TextLine:
    """A line of the document flattened for extraction."""

    index: int
    page: int
    text: str
    box: BBox
    #: (start, end, box, confidence) of each word in ``text``.
    words: list[tuple[int, int, BBox, float | None]]


@dataclass
class Candidate:
    """A span that may be a field's value."""

    key: str  # "text" or "<type>:<pattern>"
    line: int
    start: int
    end: int
    text: str
    box: BBox
    boxes: list[BBox]
    page: int
    confidence: float | None
    origin: str  # line | after_colon | match | join | before_form
    lines: int = 1
    value: str | None = None
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class PageLines:
    """The lines of a document and what features need about them."""

    lines: list[TextLine]
    sizes: dict[int, tuple[int, int]]  # page -> (width, height)
    line_height: float
    #: Page -> slope of its text rows (dy/dx: a skewed scan's rows climb or fall).
    slopes: dict[int, float] = field(default_factory=dict)

    def row_y(self, page: int, box: BBox) -> float:
        """The box's centre height with the page's skew taken out (rows share it)."""
        slope = self.slopes.get(page, 0.0)
        return (box.y0 + box.y1) / 2 - slope * (box.x0 + box.x1) / 2

    @cached_property
    def _rows_by_page(self) -> dict[int, list[tuple[float, int]]]:
        """Page -> (row height, line index) of its lines, sorted (computed once)."""
        rows: dict[int, list[tuple[float, int]]] = {}
        for line in self.lines:
            rows.setdefault(line.page, []).append((self.row_y(line.page, line.box), line.index))
        return {page: sorted(found) for page, found in rows.items()}

    def near_rows(self, page: int, low: float, high: float) -> list[TextLine]:
        """The lines of ``page`` whose row height (:meth:`row_y`) lies in ``[low, high]``,
        whatever their place in the reading order (an engine may read a column of values
        long after their labels)."""
        rows = self._rows_by_page.get(page, [])
        start = bisect_left(rows, (low, -1))
        end = bisect_right(rows, (high, len(self.lines)))
        return [self.lines[i] for _, i in rows[start:end]]


def _union(boxes: list[BBox]) -> BBox:
    return BBox(
        x0=min(b.x0 for b in boxes),
        y0=min(b.y0 for b in boxes),
        x1=max(b.x1 for b in boxes),
        y1=max(b.y1 for b in boxes),
    )


#: A gap between two words wider than this many line heights splits a line in segments.
SPLIT_GAP = 1.0


def _segments(
    words: list[tuple[str, BBox, float | None]],
) -> list[list[tuple[str, BBox, float | None]]]:
    """Words of one line cut where the gap between two is wide (engines that read a whole row
    as one line: a label and its value far right, table cells)."""
    heights = sorted(b.y1 - b.y0 for _, b, _ in words)
    height = max(heights[len(heights) // 2], 1)
    parts: list[list[tuple[str, BBox, float | None]]] = [[words[0]]]
    for word in words[1:]:
        if word[1].x0 - parts[-1][-1][1].x1 > SPLIT_GAP * height:
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def read_lines(document: Document) -> PageLines:
    """The document's lines (reading order) cut at wide gaps, with word offsets and boxes."""
    lines: list[TextLine] = []
    sizes: dict[int, tuple[int, int]] = {}
    slopes: dict[int, float] = {}
    for page_number, page in enumerate(document.pages):
        sizes[page_number] = (page.width, page.height)
        page_slopes: list[float] = []
        for line in page.lines():
            raw = [(w.text.strip(), w.bbox, w.confidence) for w in line.words if w.text.strip()]
            if not raw:
                continue
            first, last = raw[0][1], raw[-1][1]
            if len(raw) >= 3 and last.x0 - first.x0 > 8 * (first.y1 - first.y0):
                page_slopes.append(
                    ((last.y0 + last.y1) - (first.y0 + first.y1))
                    / 2
                    / ((last.x0 + last.x1 - first.x0 - first.x1) / 2)
                )
            for part in _segments(raw):
                words: list[tuple[int, int, BBox, float | None]] = []
                offset = 0
                for text, box, confidence in part:
                    words.append((offset, offset + len(text), box, confidence))
                    offset += len(text) + 1
                text = " ".join(t for t, _, _ in part)
                box = _union([b for _, b, _ in part])
                lines.append(TextLine(len(lines), page_number, text, box, words))
        if page_slopes:
            slope = float(median(page_slopes))
            slopes[page_number] = slope if abs(slope) < 0.2 else 0.0
    heights = [ln.box.y1 - ln.box.y0 for ln in lines if ln.box.y1 > ln.box.y0]
    return PageLines(lines, sizes, float(median(heights)) if heights else 1.0, slopes)


def _span(line: TextLine, start: int, end: int, key: str, origin: str) -> Candidate | None:
    covered = [w for w in line.words if w[0] < end and w[1] > start]
    if not covered:
        return None
    confidences = [w[3] for w in covered if w[3] is not None]
    return Candidate(
        key=key,
        line=line.index,
        start=start,
        end=end,
        text=line.text[start:end].strip(),
        box=_union([w[2] for w in covered]),
        boxes=[w[2] for w in covered],
        page=line.page,
        confidence=min(confidences) if confidences else None,
        origin=origin,
    )


def _below(page_lines: PageLines, line: TextLine) -> TextLine | None:
    """The next line just below ``line``, left-aligned or centred with it. Rows are compared
    with the page's skew taken out (:meth:`PageLines.row_y`): on a photo, the upright boxes
    of two tilted lines overlap although their text does not."""
    height = page_lines.line_height
    slope = page_lines.slopes.get(line.page, 0.0)
    for other in page_lines.lines[line.index + 1 : line.index + 8]:
        if other.page != line.page:
            break
        step = page_lines.row_y(line.page, other.box) - page_lines.row_y(line.page, line.box)
        tall = (_upright_height(line.box, slope) + _upright_height(other.box, slope)) / 2
        gap = step - tall  # between the two rows' text
        left_aligned = abs(other.box.x0 - line.box.x0) < 2 * height
        centred = abs((other.box.x0 + other.box.x1) - (line.box.x0 + line.box.x1)) < 4 * height
        if -0.3 * tall <= gap <= 1.2 * height and (left_aligned or centred):
            return other
    return None


def _upright_height(box: BBox, slope: float) -> float:
    """The height of a line's text with the page's skew taken out: the upright box of a line
    that climbs or falls is taller than its text by the drop across its width."""
    height = box.y1 - box.y0
    return max(height - abs(slope) * (box.x1 - box.x0), 0.3 * height)


#: Field types whose candidates are spans of lines rather than pattern matches.
FREE_TEXT = ("text", "company", "address")


def type_key(kind: str, pattern_name: str | None) -> str:
    """The candidate key of a field type (``text``, ``amount:``, ``identifier:siret``)."""
    return kind if kind in FREE_TEXT else f"{kind}:{pattern_name or ''}"


def candidates(page_lines: PageLines, schema: Schema) -> dict[str, list[Candidate]]:
    """Candidate key -> candidates, for every field type of ``schema``."""
    keys = {
        type_key(spec.type, spec.pattern): (spec.type, spec.pattern)
        for spec in schema.fields.values()
    }
    max_lines = max((s.lines for s in schema.fields.values() if s.type in FREE_TEXT), default=1)
    found: dict[str, list[Candidate]] = {key: [] for key in keys}
    lines = page_lines.lines
    forms = legal_form_pattern(schema.legal_forms)
    for line in lines:
        for key, (kind, name) in keys.items():
            if kind in FREE_TEXT:
                form = forms.search(line.text) if kind == "company" else None
                if form is not None and form.start() > 0 and form.end() < len(line.text):
                    named = _span(line, 0, form.end(), key, "before_form")
                    if named is not None:
                        found[key].append(named)
                whole = _span(line, 0, len(line.text), key, "line")
                if whole is not None:
                    found[key].append(whole)
                colon = line.text.find(":")
                if 0 < colon < len(line.text) - 1:
                    rest = _span(line, colon + 1, len(line.text), key, "after_colon")
                    if rest is not None and rest.text:
                        found[key].append(rest)
                joined = [line]
                for _ in range(max_lines - 1):
                    below = _below(page_lines, joined[-1])
                    if below is None:
                        break
                    joined.append(below)
                    boxes = [w[2] for ln in joined for w in ln.words]
                    found[key].append(
                        Candidate(
                            key=key,
                            line=line.index,
                            start=0,
                            end=len(line.text),
                            text=" ".join(ln.text for ln in joined),
                            box=_union(boxes),
                            boxes=boxes,
                            page=line.page,
                            confidence=None,
                            origin="join",
                            lines=len(joined),
                        )
                    )
                continue
            regex = pattern(kind, name)
            if regex is None:
                continue
            for match in regex.finditer(line.text):
                span = _span(line, match.start(), match.end(), key, "match")
                if span is not None:
                    found[key].append(span)
    month_first = month_first_dates([line.text for line in lines])
    for key, (kind, _) in keys.items():
        for candidate in found[key]:
            candidate.value = normalize(kind, candidate.text, month_first=month_first)
            if key.startswith("identifier:mrz") and candidate.value:
                candidate.value = repair_mrz_name_line(candidate.value)
        found[key] = [c for c in found[key] if c.value]
    return found
