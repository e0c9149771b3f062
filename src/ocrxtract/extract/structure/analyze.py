"""From lines to the structure tree: furniture, reading order, blocks, headings, sections.

:func:`analyze` takes the :class:`~ocrxtract.extract.structure.lines.TextLine` s of every page
(from a PDF's fonts or any engine) and builds a
:class:`~ocrxtract.extract.structure.model.StructureDocument`:

1. **Furniture**: running headers, footers and page numbers are set aside
   (:func:`ocrxtract.layout.find_running`).
2. **Body style**: the size and weight that most characters have.
3. **Tables**: ruled grids and the tables brick's ``Page.tables`` take their lines out of the
   flow (:mod:`.tables`).
4. **Reading order**: columns and rows (:func:`ocrxtract.layout.order_regions`); a row's
   segments are joined, a bullet or number alone in its segment joins the text after it.
5. **Blocks**, row by row: a table-of-contents entry (leaders, a page number apart, or any
   row on the page of a ``Contents``/``Sommaire`` title) is an item of one flat list, never a
   heading; a heading (:func:`.headings.heading_score`; consecutive heading
   rows of one style join), a list item (bullet or enumeration; nesting by the marker's
   indent; the lines under its text continue it), a key-value (``Label : value``, or a bold
   label and a regular value), an aligned table (three rows of aligned segments), or a
   paragraph line. A paragraph ends at a wider line pitch than the body's
   (``PARAGRAPH_PITCH``), a change of size or weight, a first-line indent, or after a short
   line ending a sentence; it goes on across a column or page break when it does not end a
   sentence and the next line starts in lower case.
6. **Levels and tree**: heading levels from style and numbering
   (:func:`.headings.assign_levels`), then sections nested by level; content before the first
   heading forms one untitled section.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from ocrxtract.document import BBox, Table
from ocrxtract.extract.structure.headings import (
    BOLD_SHARE,
    SIZE_RATIO,
    UNSTYLED_SIZE_TOLERANCE,
    BodyStyle,
    Numbering,
    Signature,
    assign_levels,
    heading_score,
    is_caps,
    is_toc_entry,
    parse_numbering,
)
from ocrxtract.extract.structure.lines import TextLine
from ocrxtract.extract.structure.model import (
    Furniture,
    KeyValue,
    ListBlock,
    ListItem,
    Location,
    PageInfo,
    Paragraph,
    Section,
    StructureDocument,
    TableBlock,
)
from ocrxtract.extract.structure.tables import TableRegion, aligned_table, ruled_tables
from ocrxtract.extract.structure.words import Lexicon, join_lines
from ocrxtract.io.styled_text import Rule
from ocrxtract.layout import find_running, order_regions

log = logging.getLogger(__name__)

#: A line pitch above the body's by this factor starts a new paragraph.
PARAGRAPH_PITCH = 1.3
#: A heading spans at most this many rows (a longer bold run is an emphasised paragraph).
MAX_HEADING_ROWS = 3
#: A key is at most this many characters.
MAX_KEY_CHARS = 60
#: A line shorter than this share of its paragraph's width ends the paragraph (with a stop).
SHORT_LINE = 0.8

_BULLETS = "•◦▪▫●○■□‣⁃∙·➢➤►▶✓✔❖–—-*"
_BULLET = re.compile(r"^([" + re.escape(_BULLETS) + r"])(?:\s+|$)")
_ENUM = re.compile(
    r"^(\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)])(?:\s+|$)|^(\(\d{1,3}\)|\([a-z]\))(?:\s+|$)"
)
_KEY_VALUE = re.compile(rf"^(?P<key>[^\W\d_][^:]{{0,{MAX_KEY_CHARS}}}?)\s*:\s+(?P<value>\S.*)$")
_TOC_TITLE = re.compile(
    r"^\s*(table of contents|contents|table des mati[eè]res|sommaire)\s*:?\s*$", re.IGNORECASE
)
_SENTENCE_END = (".", "!", "?", ":", ";", "»", '"', "”", ")", "…")


@dataclass
class PageLines:
    """One page given to :func:`analyze`.

    Attributes:
        index: 0-based page index.
        width, height: Page size in pixels.
        lines: Its lines, in any order.
        rules: Ruling lines (born-digital pages).
        tables: Tables the tables brick found on it (``Page.tables``), used as they are.
        reading: How its text was read.
    """

    index: int
    width: int
    height: int
    lines: list[TextLine]
    rules: list[Rule] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    reading: str = "text-layer"


@dataclass
class _Row:
    """A visual row in reading order: its segments, page and region."""

    lines: list[TextLine]
    page: int
    region: int
    text: str = ""
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    size: float = 0.0
    bold: float = 0.0

    def __post_init__(self) -> None:
        self.text = " ".join(line.text for line in self.lines).strip()
        self.box = _union([line.box for line in self.lines])
        self.size = max(self.lines, key=lambda line: len(line.text)).size
        total = sum(len(line.text) for line in self.lines) or 1
        self.bold = sum(line.bold * len(line.text) for line in self.lines) / total

    @property
    def first(self) -> TextLine:
        return self.lines[0]


@dataclass
class _Element:
    """A block being built: its kind, rows and what it needs."""

    kind: str  # heading, paragraph, list, key_value, table
    rows: list[_Row] = field(default_factory=list)
    text: str = ""
    numbering: Numbering | None = None
    items: list[tuple[float, str, _Row, list[_Row], str]] = field(default_factory=list)
    key: str = ""
    table: TableRegion | None = None
    page: int = 0
    ordered: bool = False
    toc: bool = False


def _union(boxes: Sequence[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _bbox(box: tuple[float, float, float, float]) -> BBox:
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    return BBox(x0=x0, y0=y0, x1=max(x0, int(box[2] + 0.999)), y1=max(y0, int(box[3] + 0.999)))


def _locations(rows: Sequence[_Row]) -> list[Location]:
    by_page: dict[int, list[tuple[float, float, float, float]]] = {}
    for row in rows:
        by_page.setdefault(row.page, []).append(row.box)
    return [Location(page=page, bbox=_bbox(_union(boxes))) for page, boxes in by_page.items()]


def _body_style(lines: Sequence[TextLine]) -> BodyStyle:
    weights: Counter[tuple[float, bool]] = Counter()
    colors: Counter[tuple[int, int, int]] = Counter()
    for line in lines:
        weights[(round(line.size * 2) / 2, line.bold >= 0.5)] += len(line.text)
        colors[line.color] += len(line.text)
    if not weights:
        return BodyStyle(size=10.0, bold=False)
    (size, bold), _ = weights.most_common(1)[0]
    return BodyStyle(size=size, bold=bold, color=colors.most_common(1)[0][0])


def _marker(text: str) -> tuple[str, str] | None:
    """The list marker starting ``text`` and the rest, or ``None``."""
    match = _BULLET.match(text)
    if match:
        rest = text[match.end() :].strip()
        if match.group(1) in "-–—*" and not rest:
            return None
        return match.group(1), rest
    match = _ENUM.match(text)
    if match:
        marker = match.group(1) or match.group(2)
        return marker, text[match.end() :].strip()
    return None


def _toc_row(row: _Row) -> bool:
    """A table-of-contents entry set without leaders: a title, then a page number alone in
    its own segment far to the right."""
    if len(row.lines) < 2 or not row.lines[-1].text.strip().isdigit():
        return False
    gap = row.lines[-1].box[0] - row.lines[-2].box[2]
    return gap > 2 * row.lines[-2].height


def _key_value(row: _Row) -> tuple[str, str] | None:
    """``(key, value)`` when a row reads as ``Label : value`` or bold label, regular value."""
    match = _KEY_VALUE.match(row.text)
    if match:
        key = match.group("key").strip()
        if len(key.split()) <= 8 and not key.lower().startswith(("http", "www")):
            return key, match.group("value").strip()
    words = [word for line in row.lines for word in line.words]
    if len(words) >= 2 and words[0].bold and not words[-1].bold:
        split = next(i for i, word in enumerate(words) if not word.bold)
        key = " ".join(word.text for word in words[:split]).rstrip(" :")
        value = " ".join(word.text for word in words[split:])
        if key and len(key) <= MAX_KEY_CHARS and words[split - 1].text.endswith(":"):
            return key, value
    return None


class _Builder:
    """Rows in reading order -> elements (headings, paragraphs, lists, key-values, tables)."""

    def __init__(self, body: BodyStyle, pitch: float, lexicon: Lexicon | None) -> None:
        self.body = body
        self.pitch = pitch  # typical line pitch over font size
        self.lexicon = lexicon
        self.elements: list[_Element] = []
        self.toc_page = -1  # the page of a table of contents: its entries are not headings

    # -- helpers ---------------------------------------------------------------------------
    def _same_style(self, a: _Row, b: _Row) -> bool:
        return abs(a.size - b.size) <= 0.6 and (a.bold >= 0.5) == (b.bold >= 0.5)

    def _close_below(self, above: _Row, below: _Row, factor: float = PARAGRAPH_PITCH) -> bool:
        if above.page != below.page or above.region != below.region:
            return False
        pitch = (below.box[1] - above.box[1]) / max(above.size, 1e-6)
        return 0 < pitch <= factor * self.pitch

    def _is_heading(self, row: _Row, numbering: Numbering | None) -> bool:
        if _marker(row.text) is not None and numbering is None:
            return False
        if _toc_row(row) or row.page == self.toc_page:
            return False
        if row.size < self.body.size * SIZE_RATIO and _key_value(row) is not None:
            return False  # "Intitulé du poste : …" in bold is a key-value, not a heading
        main = max(row.lines, key=lambda line: len(line.text))
        italic = all(line.italic for line in row.lines)
        return heading_score(
            row.text, row.size, row.bold, self.body, numbering, color=main.color, italic=italic
        )

    def _run_in(self, row: _Row, numbering: Numbering | None) -> tuple[_Row, _Row] | None:
        """A numbered bold lead-in ending with a stop, then regular text on the same line
        (``3.3.1 Robust controls. The store's …``): the heading row and the text row."""
        if (
            numbering is None
            or numbering.kind != "decimal"
            or numbering.depth < 2
            or self.body.bold
            or len(row.lines) != 1
        ):
            return None
        line = row.lines[0]
        words = line.words
        split = next((i for i, word in enumerate(words) if not word.bold), len(words))
        if split < 2 or split == len(words) or not words[split - 1].text.endswith((".", ":")):
            return None
        if any(word.bold for word in words[split:]):
            return None
        parts = []
        for chunk in (words[:split], words[split:]):
            parts.append(
                TextLine(
                    text=" ".join(word.text for word in chunk),
                    page=line.page,
                    box=_union([word.box for word in chunk]),
                    size=line.size,
                    bold=1.0 if chunk is not words[split:] else 0.0,
                    italic=line.italic,
                    family=line.family,
                    color=line.color,
                    words=list(chunk),
                    hyphen=line.hyphen and chunk is not words[:split],
                    styled=line.styled,
                )
            )
        return _Row([parts[0]], row.page, row.region), _Row([parts[1]], row.page, row.region)

    # -- rows ------------------------------------------------------------------------------
    def add(self, row: _Row) -> None:
        numbering, _ = parse_numbering(row.text)
        run_in = self._run_in(row, numbering)
        if run_in is not None:
            heading, text = run_in
            title = heading.text.rstrip(".:").strip()
            self.elements.append(_Element("heading", [heading], title, numbering, page=row.page))
            self.elements.append(_Element("paragraph", [text], page=row.page))
            return
        last = self.elements[-1] if self.elements else None
        if self._is_heading(row, numbering):
            if (
                last is not None
                and last.kind == "heading"
                and numbering is None
                and self._same_style(last.rows[-1], row)
                and self._close_below(last.rows[-1], row, 1.6)
                and not last.text.endswith(":")
                and len(last.rows) < MAX_HEADING_ROWS + 1
            ):
                last.rows.append(row)
                last.text = f"{last.text} {row.text}"
                return
            self.elements.append(_Element("heading", [row], row.text, numbering, page=row.page))
            if _TOC_TITLE.match(row.text):
                self.toc_page = row.page
            return
        if row.page == self.toc_page or is_toc_entry(row.text) or _toc_row(row):
            self._toc_entry(row)
            return
        marker = _marker(row.text)
        if marker is not None:
            self._list_item(row, *marker)
            return
        if last is not None and last.kind == "list" and self._continues_item(last, row):
            _, _, _, rows, _ = last.items[-1]
            rows.append(row)
            last.rows.append(row)
            return
        pair = _key_value(row)
        if pair is not None:
            self.elements.append(_Element("key_value", [row], pair[1], key=pair[0], page=row.page))
            return
        if last is not None and last.kind == "key_value" and self._continues_value(last, row):
            last.rows.append(row)
            last.text = join_lines(last.text, row.text, self.lexicon)
            return
        if last is not None and last.kind == "paragraph" and self._continues_paragraph(last, row):
            last.rows.append(row)
            return
        earlier = self._interrupted(row)
        if earlier is not None:
            earlier.rows.append(row)
            return
        self.elements.append(_Element("paragraph", [row], page=row.page))

    def _interrupted(self, row: _Row) -> _Element | None:
        """A paragraph cut by a page or column break *and* footnotes or a figure: the last
        paragraph of the body's style before this row, when it does not end a sentence and
        the row starts in lower case."""
        if not row.text[:1].islower():
            return None
        for element in reversed(self.elements[-4:]):
            if element.kind != "paragraph":
                if element.kind in ("heading", "list", "key_value"):
                    return None
                continue
            previous = element.rows[-1]
            if previous.page == row.page and previous.region == row.region:
                continue
            if self._same_style(previous, row) and not previous.text.endswith(_SENTENCE_END):
                return element
            if abs(previous.size - self.body.size) <= 0.6:
                return None
        return None

    def _list_item(self, row: _Row, marker: str, rest: str) -> None:
        last = self.elements[-1] if self.elements else None
        x = row.box[0]
        ordered = marker[0].isalnum() or marker[0] == "("
        if last is None or last.kind != "list" or not self._near(last.rows[-1], row):
            last = _Element("list", page=row.page, ordered=ordered)
            self.elements.append(last)
        last.items.append((x, marker, row, [], rest))
        last.rows.append(row)

    def _toc_entry(self, row: _Row) -> None:
        """A table-of-contents entry: one item of the contents list, as written."""
        last = self.elements[-1] if self.elements else None
        if last is None or last.kind != "list" or not last.toc:
            last = _Element("list", page=row.page, toc=True)
            self.elements.append(last)
        last.items.append((last.items[0][0] if last.items else row.box[0], "", row, [], row.text))
        last.rows.append(row)

    def _near(self, above: _Row, below: _Row) -> bool:
        if above.page == below.page and above.region == below.region:
            return self._close_below(above, below, 2.2)
        return True  # a list goes on across a column or page break

    def _continues_item(self, element: _Element, row: _Row) -> bool:
        x, _, first, rows, _ = element.items[-1]
        previous = rows[-1] if rows else first
        text_start = first.lines[0].box[0] if len(first.lines) > 1 else x
        if len(first.lines) == 1 and first.lines[0].words:
            words = first.lines[0].words
            text_start = words[1].box[0] if len(words) > 1 else x
        if not self._same_style(previous, row) or row.bold >= BOLD_SHARE > previous.bold:
            return False
        size = row.first.height
        indented = row.box[0] >= min(text_start, x + 0.8 * size) - 0.3 * size
        if previous.page != row.page or previous.region != row.region:
            return indented and row.text[:1].islower()
        return indented and self._close_below(previous, row)

    def _continues_value(self, element: _Element, row: _Row) -> bool:
        previous = element.rows[-1]
        return (
            self._close_below(previous, row)
            and row.box[0] > previous.box[0] + 0.5 * row.first.height
            and _key_value(row) is None
        )

    def _continues_paragraph(self, element: _Element, row: _Row) -> bool:
        previous = element.rows[-1]
        if not self._same_style(previous, row):
            return False
        if previous.page != row.page or previous.region != row.region:
            # a column or page break: go on when the sentence does
            return not previous.text.endswith(_SENTENCE_END) and row.text[:1].islower()
        if not self._close_below(previous, row):
            return False
        height = row.first.height
        left = min(r.box[0] for r in element.rows)
        if len(element.rows) == 1 and row.box[0] < previous.box[0] - 0.8 * height:
            return True  # a first line indented, this one is not: the same paragraph
        if row.box[0] > left + 0.8 * height and row.text[:1].isupper():
            return False  # a first-line indent starts a paragraph
        width = max(r.box[2] for r in element.rows) - left
        short = previous.box[2] - left < SHORT_LINE * width and len(element.rows) > 1
        return not (short and previous.text.endswith((".", "!", "?", ":")))


def _paragraph_text(rows: Sequence[_Row], lexicon: Lexicon | None) -> str:
    text = ""
    for row in rows:
        text = join_lines(text, row.text, lexicon, hyphen=row.lines[-1].hyphen)
    return text


def _typical_pitch(rows: Sequence[_Row], body: BodyStyle) -> float:
    """The body's line pitch over its size (pixels per point)."""
    pitches = []
    for above, below in pairwise(rows):
        if above.page != below.page or above.region != below.region:
            continue
        if abs(above.size - body.size) > 0.6 or abs(below.size - body.size) > 0.6:
            continue
        ratio = (below.box[1] - above.box[1]) / max(above.size, 1e-6)
        if 0.8 <= ratio * max(above.size, 1e-6) / max(above.first.height, 1e-6) <= 3.0:
            pitches.append(ratio)
    if not pitches:
        return 1.2 * max((row.first.height / max(row.size, 1e-6) for row in rows), default=1.0)
    return median(pitches)


def _join_markers(region: list[list[TextLine]]) -> list[list[TextLine]]:
    """A row whose first segment is only a marker: the marker joins the next segment."""
    out = []
    for row in region:
        if (
            len(row) >= 2
            and (_BULLET.match(row[0].text + " x") or _ENUM.match(row[0].text + " x"))
            and len(row[0].text) <= 5
        ):
            first, second = row[0], row[1]
            merged = TextLine(
                text=f"{first.text} {second.text}",
                page=second.page,
                box=_union([first.box, second.box]),
                size=second.size,
                bold=second.bold,
                italic=second.italic,
                family=second.family,
                color=second.color,
                words=first.words + second.words,
                hyphen=second.hyphen,
                styled=second.styled,
            )
            out.append([merged, *row[2:]])
        else:
            out.append(row)
    return out


def _brick_tables(page: PageLines, scale: float) -> list[TableRegion]:
    """The tables brick's tables on a page, as regions with their cells."""
    regions = []
    for table in page.tables:
        if table.bbox is None:
            continue
        box = (
            float(table.bbox.x0),
            float(table.bbox.y0),
            float(table.bbox.x1),
            float(table.bbox.y1),
        )
        grid = [[""] * max(1, table.n_cols) for _ in range(max(1, table.n_rows))]
        for cell in table.cells:
            grid[cell.row][cell.col] = cell.text
        header = max((c.row + 1 for c in table.cells if c.header), default=0)
        regions.append(TableRegion(box, grid if table.cells else [], "tables", [], header))
    return regions


def _rows_of_page(
    page: PageLines, lines: list[TextLine], region_base: int, scale: float
) -> tuple[list[_Row | TableRegion], int]:
    """A page's content in reading order: rows, and tables at their place."""
    tables = _brick_tables(page, scale) + ruled_tables(lines, page.rules, scale)
    taken: set[int] = set()
    for table in tables:
        for line in lines:
            cx, cy = (line.box[0] + line.box[2]) / 2, (line.box[1] + line.box[3]) / 2
            if table.box[0] <= cx <= table.box[2] and table.box[1] <= cy <= table.box[3]:
                taken.add(id(line))
                if table.source != "rules":
                    table.lines.append(line)
    flow = [line for line in lines if id(line) not in taken]
    items: list[_Row | TableRegion] = []
    regions = order_regions(flow)
    for number, region in enumerate(regions):
        rows = _join_markers(region)
        aligned: list[list[TextLine]] = []
        for row in [*rows, []]:
            if len(row) >= 2:
                aligned.append(row)
                continue
            found = aligned_table(aligned, scale) if aligned else None
            if found is not None:
                items.append(found)
            else:
                items.extend(_Row(r, page.index, region_base + number) for r in aligned)
            aligned = []
            if row:
                items.append(_Row(row, page.index, region_base + number))
    for table in tables:  # each table before the first row below it, overlapping it
        position = next(
            (
                i
                for i, item in enumerate(items)
                if isinstance(item, _Row)
                and item.box[1] >= table.box[3] - 1
                and item.box[0] < table.box[2]
                and item.box[2] > table.box[0]
            ),
            len(items),
        )
        items.insert(position, table)
    return items, region_base + len(regions)


def _table_block(table: TableRegion) -> TableBlock:
    lines = sorted(table.lines, key=lambda line: (line.box[1], line.box[0]))
    text = " ".join(line.text for line in lines)
    page = lines[0].page if lines else 0
    return TableBlock(
        rows=table.rows,
        header_rows=table.header_rows if table.rows else 0,
        source=table.source if table.rows else "region",  # type: ignore[arg-type]
        text=text,
        locations=[Location(page=page, bbox=_bbox(table.box))],
    )


def _list_block(element: _Element, lexicon: Lexicon | None) -> ListBlock:
    xs = sorted({round(x) for x, *_ in element.items})
    levels = {x: i for i, x in enumerate(_cluster_x(xs))}
    root = ListBlock(ordered=element.ordered, locations=_locations(element.rows))
    stack: list[tuple[int, ListItem]] = []
    for x, marker, first, rows, rest in element.items:
        level = levels[round(x)]
        text = rest
        for row in rows:
            text = join_lines(text, row.text, lexicon, hyphen=row.lines[-1].hyphen)
        item = ListItem(marker=marker, text=text, locations=_locations([first, *rows]))
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            stack[-1][1].items.append(item)
        else:
            root.items.append(item)
        stack.append((level, item))
    return root


def _cluster_x(xs: Sequence[int]) -> dict[int, int]:
    """Indents within 6 pixels are one level."""
    groups: dict[int, int] = {}
    level = -1
    previous = None
    for x in xs:
        if previous is None or x - previous > 6:
            level += 1
        groups[x] = level
        previous = x
    return groups


def analyze(
    pages: Sequence[PageLines],
    *,
    source: str | None = None,
    dpi: float = 72.0,
    lexicon: Lexicon | None = None,
) -> StructureDocument:
    """Build the structure tree of a document from its pages' lines.

    Args:
        pages: Every page, in order, with its lines (any order), rules and brick tables.
        source: The document's name.
        dpi: Resolution of the boxes' pixel space.
        lexicon: Known words, to undo hyphenation (``None``: hyphens kept).

    Returns:
        The structure (see :mod:`ocrxtract.extract.structure.model`).
    """
    scale = dpi / 72.0
    running = find_running([(page.height, page.lines) for page in pages])
    furniture: list[Furniture] = []
    content: list[list[TextLine]] = []
    for page_no, page in enumerate(pages):
        kept = []
        for line_no, line in enumerate(page.lines):
            role = running.get((page_no, line_no))
            if role is None:
                kept.append(line)
                continue
            line.role = role
            furniture.append(
                Furniture(
                    role=role,
                    text=line.text,
                    location=Location(page=page.index, bbox=_bbox(line.box)),
                )
            )
        content.append(kept)
    body = _body_style([line for lines in content for line in lines])
    if lexicon is not None:
        lexicon.learn(line.text for lines in content for line in lines)
    items: list[_Row | TableRegion] = []
    region = 0
    for page, lines in zip(pages, content, strict=True):
        page_items, region = _rows_of_page(page, lines, region, scale)
        items.extend(page_items)
    rows = [item for item in items if isinstance(item, _Row)]
    builder = _Builder(body, _typical_pitch(rows, body), lexicon)
    for item in items:
        if isinstance(item, TableRegion):
            builder.elements.append(_Element("table", table=item))
        else:
            builder.add(item)
    elements = _demote_long_headings(builder.elements)
    document = StructureDocument(
        source=source,
        dpi=dpi,
        pages=[
            PageInfo(index=p.index, width=p.width, height=p.height, reading=p.reading)  # type: ignore[arg-type]
            for p in pages
        ],
        furniture=furniture,
    )
    document.sections = _tree(elements, lexicon)
    return document


def _demote_long_headings(elements: list[_Element]) -> list[_Element]:
    for element in elements:
        if element.kind == "heading" and len(element.rows) > MAX_HEADING_ROWS:
            element.kind = "paragraph"
    return elements


def _signature(element: _Element) -> Signature:
    row = element.rows[0]
    line = max(row.lines, key=lambda candidate: len(candidate.text))
    numbering = element.numbering
    return Signature(
        size=round(row.size, 1),
        bold=row.bold >= 0.5,
        italic=line.italic,
        caps=is_caps(element.text),
        family=line.family,
        color=line.color,
        kind=numbering.kind if numbering else "none",
        depth=numbering.depth if numbering else 1,
    )


def _tree(elements: Sequence[_Element], lexicon: Lexicon | None) -> list[Section]:
    headings = [e for e in elements if e.kind == "heading"]
    styled = all(e.rows[0].first.styled for e in headings)
    tolerance = 0.0 if styled else UNSTYLED_SIZE_TOLERANCE
    levels = dict(
        zip(
            (id(e) for e in headings),
            assign_levels([_signature(e) for e in headings], tolerance),
            strict=True,
        )
    )
    roots: list[Section] = []
    stack: list[Section] = []
    for element in elements:
        if element.kind == "heading":
            level = levels[id(element)]
            section = Section(
                level=level,
                title=element.text,
                numbering=element.numbering.label if element.numbering else None,
                locations=_locations(element.rows),
            )
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].children if stack else roots).append(section)
            stack.append(section)
            continue
        if not stack:
            untitled = Section(level=1, title=None)
            roots.append(untitled)
            stack.append(untitled)
        target = stack[-1]
        if element.kind == "paragraph":
            target.children.append(
                Paragraph(
                    text=_paragraph_text(element.rows, lexicon),
                    locations=_locations(element.rows),
                )
            )
        elif element.kind == "list":
            target.children.append(_list_block(element, lexicon))
        elif element.kind == "key_value":
            target.children.append(
                KeyValue(key=element.key, value=element.text, locations=_locations(element.rows))
            )
        elif element.table is not None:
            target.children.append(_table_block(element.table))
    return roots
