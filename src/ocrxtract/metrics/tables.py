"""Table recognition: TEDS and structure-only TEDS (the PubTabNet definition), over HTML tables.

TEDS (Tree-Edit-Distance-based Similarity, Zhong et al., ECCV 2020) compares two tables as HTML
trees: ``TEDS = 1 - EditDistance(Ta, Tb) / max(|Ta|, |Tb|)``. The tree edit distance is computed
with the ``apted`` package (APTED algorithm), with the costs of PubTabNet's reference code
(``src/metric.py``), which this module follows:

* inserting or deleting a node costs 1;
* renaming a node costs 1 when the tags, ``colspan`` or ``rowspan`` differ; between two cells
  (``td``) of the same spans it costs the Levenshtein distance of their contents divided by the
  longer one. A cell's content is the list of its characters, with inline tags inside the cell
  (``<b>``, ``<sup>``...) as tokens of their own;
* ``|T|`` is the number of elements below ``<table>`` (``table.xpath(".//*")``): rows, cells
  and inline tags inside cells, the ``<table>`` element itself excluded. (The
  ``table-recognition-metric`` package counts tree nodes instead, which gives slightly
  different figures; this module keeps the reference's.)

Structure-only TEDS empties every cell's content, so only rows, cells and spans count.

Where this module departs from the reference code, to accept what OCR engines produce:

* a bare ``<table>...</table>`` fragment is accepted (the reference needs
  ``<html><body><table>``) and the first ``<table>`` found is scored;
* header cells ``<th>`` are scored as ``<td>`` (PubTabNet has only ``td``; the reference code
  would ignore the text of a ``th``); ``<thead>``/``<tbody>`` are kept unless ``ignore_tags``
  strips them;
* two missing tables (empty strings, or markup holding no ``<table>``) score 1.0 (nothing to
  find, nothing found); one missing table scores 0.0, as in the reference.

Corpus figures are means over tables (as PubTabNet reports them): add :class:`TableScore`
values and read :attr:`TableScore.teds`.

On whole documents (:func:`score_tables`), tables are first found: predicted tables are paired
with reference ones by the IoU of their boxes (>= 0.5, detection precision and recall), each
reference table is scored against its pair (0 when missed), and the ICDAR 2013 cell adjacency
relations (:func:`adjacency_relations`) are compared over the document's tables.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ocrxtract.document import BBox, Table, TableCell
from ocrxtract.errors import UsageError
from ocrxtract.metrics.counts import MatchCounts

log = logging.getLogger(__name__)

_INSTALL = "pip install 'apted>=1.0.3'"


class _Cell:
    """A node of the table tree as APTED sees it."""

    __slots__ = ("children", "colspan", "content", "rowspan", "tag")

    def __init__(
        self, tag: str, colspan: int | None, rowspan: int | None, content: list[str] | None
    ) -> None:
        self.tag = tag
        self.colspan = colspan
        self.rowspan = rowspan
        self.content = content
        self.children: list[_Cell] = []


def _rename_cost(a: _Cell, b: _Cell) -> float:
    from rapidfuzz.distance import Levenshtein

    if a.tag != b.tag or a.colspan != b.colspan or a.rowspan != b.rowspan:
        return 1.0
    if a.tag == "td" and (a.content or b.content):
        ca, cb = a.content or [], b.content or []
        return Levenshtein.distance(ca, cb) / max(len(ca), len(cb))
    return 0.0


def _tokens(element: Any, tokens: list[str], is_cell: bool) -> None:
    """Characters and inline tags of a cell, in document order (the reference's tokenizer)."""
    if not is_cell:
        tokens.append(f"<{element.tag}>")
    tokens.extend(element.text or "")
    for child in element:
        if isinstance(child.tag, str):
            _tokens(child, tokens, False)
        else:  # a processing instruction: not content, but the text after it is
            tokens.extend(child.tail or "")
    if not is_cell:
        tokens.append(f"</{element.tag}>")
        tokens.extend(element.tail or "")


def _tree(element: Any, structure_only: bool) -> _Cell:
    if element.tag == "td":
        content: list[str] = []
        if not structure_only:
            _tokens(element, content, True)
        return _Cell(
            "td",
            _span(element, "colspan"),
            _span(element, "rowspan"),
            content,
        )
    node = _Cell(str(element.tag), None, None, None)
    node.children = [
        _tree(child, structure_only) for child in element if isinstance(child.tag, str)
    ]
    return node


def _span(element: Any, name: str) -> int:
    value = str(element.get(name, "1")).strip()
    try:
        return max(1, int(value))
    except ValueError:
        log.debug("unreadable %s=%r read as 1", name, value)
        return 1


def _parse_table(markup: str, ignore_tags: tuple[str, ...]) -> Any | None:
    """The first ``<table>`` element of ``markup`` (a private copy), or ``None``."""
    if not markup.strip():
        return None
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree  # type: ignore[import-untyped]

    try:
        root = lxml.html.fromstring(markup, parser=lxml.html.HTMLParser(remove_comments=True))
    except etree.ParserError:  # e.g. markup made of comments only
        return None
    table = root if root.tag == "table" else next(root.iter("table"), None)
    if table is None:
        return None
    for cell in table.iter("th"):
        cell.tag = "td"
    if ignore_tags:
        etree.strip_tags(table, *ignore_tags)
    return table


def teds(
    reference: str,
    hypothesis: str,
    *,
    structure_only: bool = False,
    ignore_tags: Iterable[str] = (),
) -> float:
    """TEDS of a hypothesis HTML table against the reference one (see the module doc).

    Args:
        reference: Ground-truth table as HTML (``<table>`` with ``tr``/``td``, spans allowed;
            a whole ``<html>`` document is fine).
        hypothesis: Predicted table as HTML.
        structure_only: Ignore cell contents (structure-only TEDS, "TEDS-S").
        ignore_tags: Tags to strip (keeping their children) before scoring, e.g.
            ``("b", "thead", "tbody")``.

    Returns:
        A similarity in ``[0, 1]``; 1.0 for identical tables.

    Raises:
        UsageError: the ``apted`` package is missing (the message gives the install command).
    """
    try:
        from apted import APTED, Config  # type: ignore[import-untyped]  # untyped package
    except ImportError:
        raise UsageError(
            f"TEDS needs the 'apted' package, which is not installed; install it with: {_INSTALL}"
        ) from None

    ignore = tuple(ignore_tags)
    ref_table, hyp_table = _parse_table(reference, ignore), _parse_table(hypothesis, ignore)
    if ref_table is None or hyp_table is None:
        return 1.0 if ref_table is None and hyp_table is None else 0.0
    n_nodes = max(len(ref_table.xpath(".//*")), len(hyp_table.xpath(".//*")))
    if n_nodes == 0:  # two empty <table> elements
        return 1.0

    class _Config(Config):  # type: ignore[misc]
        valuecls = float

        def rename(self, node1: _Cell, node2: _Cell) -> float:
            return _rename_cost(node1, node2)

        def children(self, node: _Cell) -> list[_Cell]:
            return node.children

    distance = APTED(
        _tree(ref_table, structure_only), _tree(hyp_table, structure_only), _Config()
    ).compute_edit_distance()
    return max(0.0, 1.0 - float(distance) / n_nodes)


def teds_structure(reference: str, hypothesis: str, *, ignore_tags: Iterable[str] = ()) -> float:
    """Structure-only TEDS: :func:`teds` with cell contents ignored."""
    return teds(reference, hypothesis, structure_only=True, ignore_tags=ignore_tags)


@dataclass(frozen=True)
class TableScore:
    """TEDS sums over a number of tables; the properties give the means.

    Attributes:
        tables: Number of tables scored.
        teds_total: Sum of their TEDS.
        teds_structure_total: Sum of their structure-only TEDS.
    """

    tables: int = 0
    teds_total: float = 0.0
    teds_structure_total: float = 0.0

    def __add__(self, other: TableScore) -> TableScore:
        return TableScore(
            self.tables + other.tables,
            self.teds_total + other.teds_total,
            self.teds_structure_total + other.teds_structure_total,
        )

    @property
    def teds(self) -> float:
        """Mean TEDS over the tables (NaN when no table was scored)."""
        return self.teds_total / self.tables if self.tables else float("nan")

    @property
    def teds_structure(self) -> float:
        """Mean structure-only TEDS over the tables (NaN when no table was scored)."""
        return self.teds_structure_total / self.tables if self.tables else float("nan")


def score_table(reference: str, hypothesis: str, *, ignore_tags: Iterable[str] = ()) -> TableScore:
    """TEDS and structure-only TEDS of one table pair, as a summable :class:`TableScore`.

    Raises:
        UsageError: the ``apted`` package is missing.
    """
    ignore = tuple(ignore_tags)
    return TableScore(
        1,
        teds(reference, hypothesis, ignore_tags=ignore),
        teds_structure(reference, hypothesis, ignore_tags=ignore),
    )


# --- ICDAR 2013 cell adjacency relations ----------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")

#: Direction of an adjacency relation: ``h`` (the second cell is right of the first), ``v``
#: (below it).
Direction = str


def _content(text: str) -> str:
    """A cell's content as adjacency relations compare it: NFC, no white space at all."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFC", text))


def adjacency_relations(cells: Iterable[TableCell]) -> Counter[tuple[str, str, Direction]]:
    """The adjacency relations of a table (Göbel et al., ICDAR 2013 Table Competition).

    Each non-empty cell is related to its nearest non-empty neighbour to the right (``h``) and
    below (``v``) on every grid row (column) it spans; empty cells are skipped over, never
    related. A relation is ``(content, neighbour's content, direction)`` with contents compared
    without white space (:func:`_content`), so a table read with the right structure and the
    right words scores 1 whatever the spacing. The relations form a multiset (a table may hold
    the same pair twice).
    """
    grid: dict[tuple[int, int], int] = {}
    kept = [c for c in cells if _content(c.text)]
    for number, cell in enumerate(kept):
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                grid.setdefault((r, c), number)
    if not grid:
        return Counter()
    n_rows = 1 + max(r for r, _ in grid)
    n_cols = 1 + max(c for _, c in grid)
    pairs: set[tuple[int, int, Direction]] = set()
    for number, cell in enumerate(kept):
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col + cell.col_span, n_cols):
                other = grid.get((r, c))
                if other is not None and other != number:
                    pairs.add((number, other, "h"))
                    break
        for c in range(cell.col, cell.col + cell.col_span):
            for r in range(cell.row + cell.row_span, n_rows):
                other = grid.get((r, c))
                if other is not None and other != number:
                    pairs.add((number, other, "v"))
                    break
    return Counter((_content(kept[a].text), _content(kept[b].text), d) for a, b, d in pairs)


def score_adjacency(
    reference: Iterable[Iterable[TableCell]], hypothesis: Iterable[Iterable[TableCell]]
) -> MatchCounts:
    """Adjacency relations found (true positives), extra (false positives) and missed (false
    negatives), comparing the relations of all ``reference`` tables with those of all
    ``hypothesis`` tables (each a list of cells; relations never cross tables).

    Pooling the tables of a document this way needs no table matching: a table cut in two loses
    the relations across the cut, two tables read as one gain none that are right.
    """
    ref: Counter[tuple[str, str, Direction]] = Counter()
    hyp: Counter[tuple[str, str, Direction]] = Counter()
    for cells in reference:
        ref += adjacency_relations(cells)
    for cells in hypothesis:
        hyp += adjacency_relations(cells)
    found = sum((ref & hyp).values())
    return MatchCounts(found, sum(hyp.values()) - found, sum(ref.values()) - found)


# --- tables of a document: detection, then TEDS per reference table ------------------------------


def _table_box(table: Table, pages: dict[int, tuple[int, int]]) -> BBox | None:
    if table.bbox is not None:
        return table.bbox
    size = pages.get(table.page_index)
    return BBox(x0=0, y0=0, x1=size[0], y1=size[1]) if size else None


def match_tables(
    reference: Sequence[Table],
    hypothesis: Sequence[Table],
    page_sizes: dict[int, tuple[int, int]] | None = None,
    iou_threshold: float = 0.5,
) -> list[tuple[int, int, float]]:
    """Pair reference and predicted tables one to one, page by page, by the IoU of their boxes
    (greedy, highest IoU first, as :func:`ocrxtract.metrics.detection.match_boxes`).

    A table without a box (a table image whose whole page is the table) stands for its whole
    page when ``page_sizes`` (page index -> ``(width, height)``) gives the page's size.

    Returns:
        ``(reference index, hypothesis index, iou)`` of the kept pairs.
    """
    from ocrxtract.metrics.detection import match_boxes

    sizes = page_sizes or {}
    pairs: list[tuple[int, int, float]] = []
    for page in sorted({t.page_index for t in reference} | {t.page_index for t in hypothesis}):
        refs = [(i, _table_box(t, sizes)) for i, t in enumerate(reference) if t.page_index == page]
        hyps = [(j, _table_box(t, sizes)) for j, t in enumerate(hypothesis) if t.page_index == page]
        refs_boxed = [(i, b) for i, b in refs if b is not None]
        hyps_boxed = [(j, b) for j, b in hyps if b is not None]
        for a, b, iou in match_boxes(
            [b for _, b in refs_boxed], [b for _, b in hyps_boxed], iou_threshold
        ):
            pairs.append((refs_boxed[a][0], hyps_boxed[b][0], iou))
    return pairs


def table_html(table: Table) -> str:
    """The table's HTML, built from its cells when it has none."""
    if table.html:
        return table.html
    from ocrxtract.export.tables import cells_to_html

    return cells_to_html(table.cells)


def _has_header(markup: str) -> bool:
    return "<thead" in markup or "<th" in markup.replace("<thead", "")


@dataclass(frozen=True)
class TablesScore:
    """Table recognition on documents: summable counts and TEDS sums.

    Attributes:
        reference_tables: Reference tables with a structure (scored by TEDS).
        predicted_tables: Tables predicted.
        detection: Table boxes matched at IoU >= 0.5 (true positives), extra, missed.
        teds: TEDS summed over reference tables (a missed table scores 0).
        adjacency: ICDAR 2013 adjacency relations found, extra and missed.
    """

    reference_tables: int = 0
    predicted_tables: int = 0
    detection: MatchCounts = field(default_factory=MatchCounts)
    teds: TableScore = field(default_factory=TableScore)
    adjacency: MatchCounts = field(default_factory=MatchCounts)

    def __add__(self, other: TablesScore) -> TablesScore:
        return TablesScore(
            self.reference_tables + other.reference_tables,
            self.predicted_tables + other.predicted_tables,
            self.detection + other.detection,
            self.teds + other.teds,
            self.adjacency + other.adjacency,
        )


def score_tables(
    reference: Sequence[Table],
    hypothesis: Sequence[Table],
    page_sizes: dict[int, tuple[int, int]] | None = None,
) -> TablesScore:
    """Detection, TEDS and adjacency relations of the predicted tables of a document.

    * Detection: tables paired by :func:`match_tables` (IoU >= 0.5).
    * TEDS: each reference table that has a structure against its paired prediction, 0 when
      none was paired (extra predictions only lower detection precision). When the reference
      marks no header (ICDAR 2013 does not), ``thead``/``tbody`` are ignored on both sides:
      a header that cannot be right cannot be wrong either.
    * Adjacency: :func:`score_adjacency` over all tables of the document.

    Raises:
        UsageError: the ``apted`` package is missing.
    """
    pairs = match_tables(reference, hypothesis, page_sizes)
    paired = {i: j for i, j, _ in pairs}
    total = TableScore()
    structured = [i for i, t in enumerate(reference) if t.cells or t.html]
    for i in structured:
        ref_html = table_html(reference[i])
        ignore = () if _has_header(ref_html) else ("thead", "tbody")
        hyp_html = table_html(hypothesis[paired[i]]) if i in paired else ""
        if not hyp_html:  # missed, or found without a structure
            total = total + TableScore(1, 0.0, 0.0)
        else:
            total = total + score_table(ref_html, hyp_html, ignore_tags=ignore)
    return TablesScore(
        reference_tables=len(structured),
        predicted_tables=len(hypothesis),
        detection=MatchCounts(
            len(pairs), len(hypothesis) - len(pairs), len(reference) - len(pairs)
        ),
        teds=total,
        adjacency=score_adjacency([t.cells for t in reference], [t.cells for t in hypothesis]),
    )
