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
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ocrxtract.errors import UsageError

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
