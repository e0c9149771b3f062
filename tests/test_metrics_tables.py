"""TEDS and structure-only TEDS (PubTabNet definition) on small hand-computed tables.

``TEDS = 1 - distance / n`` where ``n`` is the larger number of elements below ``<table>``
(``.//*``) and a cell rename costs the normalised Levenshtein distance of its contents.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ocrxtract.document import BBox, Table, TableCell
from ocrxtract.errors import UsageError
from ocrxtract.metrics import (
    TableScore,
    adjacency_relations,
    score_adjacency,
    score_table,
    score_tables,
    teds,
    teds_structure,
)

# A: tr, td, td -> 3 elements
A = "<table><tr><td>ab</td><td>cd</td></tr></table>"


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected", "expected_structure"),
    [
        (A, A, 1.0, 1.0),
        # one cell "cd" -> "cx": rename cost lev 1 / 2 = 0.5; 1 - 0.5/3 = 5/6
        (A, "<table><tr><td>ab</td><td>cx</td></tr></table>", 5 / 6, 1.0),
        # whole cell text wrong: rename cost 2/2 = 1; 1 - 1/3
        (A, "<table><tr><td>ab</td><td>zz</td></tr></table>", 2 / 3, 1.0),
        # an extra row (tr + 2 td = 3 insertions) over max(3, 6) elements: 1 - 3/6
        (
            A,
            "<table><tr><td>ab</td><td>cd</td></tr><tr><td>ef</td><td>gh</td></tr></table>",
            0.5,
            0.5,
        ),
        # two cells merged by colspan: keep tr, rename one td (span differs: 1), delete the
        # other (1): distance 2 over max(3, 2) elements: 1 - 2/3
        (A, '<table><tr><td colspan="2">abcd</td></tr></table>', 1 / 3, 1 / 3),
        # one-cell table "Total" -> "Tota1": 1/5 over 2 elements (tr, td): 1 - 0.1
        (
            "<table><tr><td>Total</td></tr></table>",
            "<table><tr><td>Tota1</td></tr></table>",
            0.9,
            1.0,
        ),
        # an empty cell read as "ab": rename cost 2/2; 1 - 1/2
        ("<table><tr><td></td></tr></table>", "<table><tr><td>ab</td></tr></table>", 0.5, 1.0),
        ("<table><tr><td></td></tr></table>", "<table><tr><td></td></tr></table>", 1.0, 1.0),
    ],
)
def test_teds(reference: str, hypothesis: str, expected: float, expected_structure: float) -> None:
    assert teds(reference, hypothesis) == pytest.approx(expected)
    assert teds_structure(reference, hypothesis) == pytest.approx(expected_structure)
    assert teds(hypothesis, reference) == pytest.approx(expected)  # symmetric


def test_rowspan_counts_as_structure() -> None:
    # 5 elements each (tr, td, td, tr, td); the lost rowspan is one rename of cost 1: 1 - 1/5
    spanned = '<table><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>c</td></tr></table>'
    flat = "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
    assert teds(spanned, flat) == pytest.approx(0.8)
    assert teds_structure(spanned, flat) == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("", "", 1.0),  # no table expected, none produced
        ("", A, 0.0),
        (A, "", 0.0),
        (A, "<p>no table here</p>", 0.0),
        ("<table></table>", "<table></table>", 1.0),
        ("<table></table>", A, 0.0),  # 3 insertions over 3 elements
    ],
)
def test_empty_and_missing_tables(reference: str, hypothesis: str, expected: float) -> None:
    assert teds(reference, hypothesis) == expected
    assert teds_structure(reference, hypothesis) == expected


def test_markup_variants() -> None:
    assert teds(f"<html><body>{A}</body></html>", A) == 1.0  # a whole document or a fragment
    assert teds("<table><tr><th>ab</th></tr></table>", "<table><tr><td>ab</td></tr></table>") == 1.0
    # an inline tag is a token of the cell and an element of the count: cell tokens
    # [<b>, a, b, </b>] vs [a, b]: 2/4; elements max(3, 2): 1 - 0.5/3
    bold = "<table><tr><td><b>ab</b></td></tr></table>"
    plain = "<table><tr><td>ab</td></tr></table>"
    assert teds(bold, plain) == pytest.approx(5 / 6)
    assert teds(bold, plain, ignore_tags=["b"]) == 1.0


def test_thead_and_tbody_are_nodes_unless_ignored() -> None:
    # thead, tr, td, tbody, tr, td (6) vs tr, td, tr, td (4): delete thead and tbody: 1 - 2/6
    sectioned = (
        "<table><thead><tr><td>h</td></tr></thead><tbody><tr><td>v</td></tr></tbody></table>"
    )
    bare = "<table><tr><td>h</td></tr><tr><td>v</td></tr></table>"
    assert teds(sectioned, bare) == pytest.approx(2 / 3)
    assert teds(sectioned, bare, ignore_tags=("thead", "tbody")) == 1.0


def test_table_scores_average_over_tables() -> None:
    corpus = score_table(A, A) + score_table(A, "<table><tr><td>ab</td><td>zz</td></tr></table>")
    assert corpus.tables == 2
    assert corpus.teds == pytest.approx((1 + 2 / 3) / 2)
    assert corpus.teds_structure == 1.0
    assert TableScore().tables == 0
    assert TableScore().teds != TableScore().teds  # NaN: no table, no score


def test_missing_apted_raises_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "apted", None)  # makes `import apted` fail
    with pytest.raises(UsageError, match="pip install"):
        teds(A, A)


def _pubtabnet_tables(root: Path) -> dict[str, str]:
    tables = {}
    for path in sorted((root / "pubtabnet-samples" / "gt").glob("*.json")):
        for name, sample in json.loads(path.read_text(encoding="utf-8")).items():
            tables[name] = sample["html"]
    return tables


def test_real_pubtabnet_tables(shared_datasets: Path) -> None:
    import lxml.html  # type: ignore[import-untyped]

    tables = _pubtabnet_tables(shared_datasets)
    assert len(tables) == 12
    # APTED is pure Python (0.5-0.7 s per call on the 130-160-cell tables): keep the test fast
    small = {name: html for name, html in tables.items() if html.count("<td") <= 50}
    assert len(small) >= 5
    for name, html in small.items():
        assert teds(html, html) == 1.0, name
        empty = lxml.html.fromstring(html)
        for cell in empty.iter("td"):
            for child in list(cell):
                cell.remove(child)
            cell.text = None
        emptied = lxml.html.tostring(empty, encoding="unicode")
        assert teds_structure(html, emptied) == 1.0, name
        assert teds(html, emptied) < 1.0, name
    # PMC2094709_004_00: thead (1 tr, 4 td, each with a <b>) + tbody (7 tr x 4 td): 46 elements
    # below <table>; dropping the last row deletes 5 of them: 1 - 5/46
    week = tables["PMC2094709_004_00.png"]
    last_row = week.rindex("<tr>")
    truncated = week[:last_row] + week[week.index("</tbody>", last_row) :]
    assert teds(week, truncated) == pytest.approx(41 / 46)


# --- ICDAR 2013 adjacency relations and whole-document table scores ------------------------------


def _cells(rows: list[list[str]]) -> list[TableCell]:
    return [
        TableCell(row=r, col=c, text=text)
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]


def test_adjacency_relations_skip_empty_cells_and_ignore_spaces() -> None:
    # a  b        relations: a-b h, a-c v, b-d v (right of c: the empty cell is skipped to d)
    # c  ''  d    c-d h; d has nothing below or right
    cells = _cells([["a", "b", ""], ["c", "", "d"]])
    cells = [c for c in cells if not (c.row == 0 and c.col == 2)]  # a hole, not even empty
    relations = adjacency_relations(cells)
    assert relations == {("a", "b", "h"): 1, ("a", "c", "v"): 1, ("c", "d", "h"): 1}
    spaced = _cells([["a ", "b"], [" c", ""]])
    assert adjacency_relations(spaced) == {("a", "b", "h"): 1, ("a", "c", "v"): 1}


def test_adjacency_relations_of_a_spanning_cell_on_each_row_it_spans() -> None:
    # +-----+---+   "A" spans rows 0-1: it relates to "b" and to "c" on its right (one
    # |  A  | b |   relation per row it spans) and to "d" below it.
    # |     | c |   -> A-b h, A-c h, b-c v, A-d v, c-e v, d-e h
    # +-----+---+
    # |  d  | e |
    cells = [
        TableCell(row=0, col=0, row_span=2, text="A"),
        TableCell(row=0, col=1, text="b"),
        TableCell(row=1, col=1, text="c"),
        TableCell(row=2, col=0, text="d"),
        TableCell(row=2, col=1, text="e"),
    ]
    assert set(adjacency_relations(cells)) == {
        ("A", "b", "h"),
        ("A", "c", "h"),
        ("b", "c", "v"),
        ("A", "d", "v"),
        ("c", "e", "v"),
        ("d", "e", "h"),
    }


def test_score_adjacency_counts() -> None:
    reference = [_cells([["a", "b"], ["c", "d"]])]  # a-b, c-d, a-c, b-d
    # columns swapped on row 1: a-b h kept; d-c h, a-d v, b-c v are wrong
    hypothesis = [_cells([["a", "b"], ["d", "c"]])]
    counts = score_adjacency(reference, hypothesis)
    assert (counts.true_positives, counts.false_positives, counts.false_negatives) == (1, 3, 3)
    empty = score_adjacency([], [])
    assert (empty.true_positives, empty.false_positives, empty.false_negatives) == (0, 0, 0)


def _table(page: int, box: tuple[int, int, int, int] | None, rows: list[list[str]]) -> Table:
    return Table(page_index=page, bbox=BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3]) if box
                 else None, cells=_cells(rows))  # fmt: skip


def test_score_tables_detection_teds_and_header_blindness() -> None:
    ref = [
        _table(0, (0, 0, 100, 100), [["a", "b"], ["c", "d"]]),
        _table(1, (0, 0, 100, 100), [["x"]]),
    ]
    hyp = [
        # on page 0, IoU 90/100 with the reference: matched; same cells, first row as header
        Table(
            page_index=0,
            bbox=BBox(x0=0, y0=0, x1=90, y1=100),
            cells=[
                c.model_copy(update={"header": c.row == 0})
                for c in _cells([["a", "b"], ["c", "d"]])
            ],
        ),
        _table(0, (200, 200, 300, 300), [["z"]]),  # an extra table
        _table(1, (60, 60, 100, 100), [["x"]]),  # IoU 0.16: the page-1 table is missed
    ]
    score = score_tables(ref, hyp)
    d = score.detection
    assert (d.true_positives, d.false_positives, d.false_negatives) == (1, 2, 1)
    # the reference has no header: thead/tbody ignored, the first table scores 1; missed: 0
    assert score.teds.tables == 2 and score.teds.teds == pytest.approx(0.5)
    # adjacency over the document: a-b, c-d, a-c, b-d all found; z and x relate to nothing
    a = score.adjacency
    assert (a.true_positives, a.false_positives, a.false_negatives) == (4, 0, 0)


def test_score_tables_a_table_without_box_is_its_whole_page() -> None:
    ref = [_table(0, None, [["a"]])]
    hyp = [_table(0, (0, 0, 50, 40), [["a"]])]
    assert score_tables(ref, hyp, {0: (50, 40)}).detection.true_positives == 1
    assert score_tables(ref, hyp).detection.true_positives == 0  # no page size: no box
    nothing = score_tables([], [])
    assert (nothing.reference_tables, nothing.teds.tables) == (0, 0)
