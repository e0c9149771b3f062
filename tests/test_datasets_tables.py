"""Tables: PubTabNet (JSONL and HTML-only), ICDAR 2013 (PDF + XML), HTML <-> cells."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
from PIL import Image

from ocrxtract.datasets import icdar2013, pubtabnet
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import BBox, TableCell
from ocrxtract.export.tables import cells_to_html, html_to_cells


def spec(fmt: str, **extra) -> DatasetSpec:
    data = {
        "name": "tiny", "folder": "tiny", "kind": "tables", "language": "eng", "format": fmt,
        "tasks": ["tables"], "license": "test", "headline": {"metric": "teds"},
    }  # fmt: skip
    data.update(extra)
    return DatasetSpec.model_validate(data)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PTN_ENTRY = {
    "filename": "t.png",
    "split": "train",
    "imgid": 1,
    "html": {
        "structure": {"tokens": [
            "<thead>", "<tr>", "<td>", "</td>", "<td", ' colspan="2"', ">", "</td>", "</tr>",
            "</thead>", "<tbody>", "<tr>", "<td>", "</td>", "<td>", "</td>", "<td>", "</td>",
            "</tr>", "</tbody>",
        ]},
        "cells": [
            {"tokens": ["<b>", "N", "a", "m", "e", "</b>"], "bbox": [1, 1, 20, 9]},
            {"tokens": ["V", "a", "l", "u", "e", "s"], "bbox": [30, 1, 60, 9]},
            {"tokens": ["a"], "bbox": [1, 12, 5, 20]},
            {"tokens": ["1", "<", "2"], "bbox": [30, 12, 45, 20]},
            {"tokens": []},
        ],
    },
}  # fmt: skip
PTN_HTML = (
    '<html><body><table><thead><tr><td><b>Name</b></td><td colspan="2">Values</td></tr>'
    "</thead><tbody><tr><td>a</td><td>1&lt;2</td><td></td></tr></tbody></table></body></html>"
)


def test_pubtabnet_jsonl(tmp_path):
    Image.new("RGB", (80, 25), "white").save(tmp_path / "t.png")
    (tmp_path / "images").mkdir()
    (tmp_path / "t.png").rename(tmp_path / "images" / "t.png")
    write(tmp_path / "gt" / "t.jsonl", json.dumps(PTN_ENTRY) + "\n")
    s = spec("pubtabnet", default_split="val")
    found = pubtabnet.discover(tmp_path, s)
    assert [(i.sample_id, i.split) for i in found.items] == [("t", "train")]
    sample = pubtabnet.load(found.items[0], s)
    (table,) = sample.tables
    assert table.html == PTN_HTML
    assert [(c.row, c.col, c.row_span, c.col_span, c.text, c.header) for c in table.cells] == [
        (0, 0, 1, 1, "Name", True),
        (0, 1, 1, 2, "Values", True),
        (1, 0, 1, 1, "a", False),
        (1, 1, 1, 1, "1<2", False),
        (1, 2, 1, 1, "", False),
    ]
    assert (table.n_rows, table.n_cols) == (2, 3)
    assert table.cells[3].bbox == BBox(x0=30, y0=12, x1=45, y1=20)
    assert sample.text == "Name Values\na 1<2"
    assert [ln.text for ln in sample.scorable_lines] == ["Name", "Values", "a", "1<2"]


def test_pubtabnet_html_only_and_repository_jsonl(tmp_path):
    html = (
        "<html><body><table><thead><tr><td>A</td><td>B</td></tr></thead><tbody>"
        '<tr><td rowspan="2">c & d</td><td>d</td></tr><tr><td>e</td></tr>'
        "</tbody></table></body></html>"
    )
    Image.new("RGB", (40, 20), "white").save(tmp_path / "h.png")
    (tmp_path / "images").mkdir()
    (tmp_path / "h.png").rename(tmp_path / "images" / "h.png")
    write(tmp_path / "gt" / "h.json", json.dumps({"h.png": {"html": html, "width": 40}}))
    s = spec("pubtabnet", default_split="val")
    sample = pubtabnet.load(pubtabnet.discover(tmp_path, s).items[0], s)
    assert sample.split == "val"
    assert sample.tables[0].html == html
    cells = [(c.row, c.col, c.row_span, c.text) for c in sample.tables[0].cells]
    assert cells == [
        (0, 0, 1, "A"),
        (0, 1, 1, "B"),
        (1, 0, 2, "c & d"),
        (1, 1, 1, "d"),
        (2, 1, 1, "e"),
    ]
    assert sample.scorable_lines == ()
    # PubTabNet repository layout: examples/PubTabNet_Examples.jsonl beside the images
    repo = tmp_path / "repo" / "examples"
    repo.mkdir(parents=True)
    Image.new("RGB", (80, 25), "white").save(repo / "t.png")
    other = dict(PTN_ENTRY, filename="missing.png")
    write(
        repo / "PubTabNet_Examples.jsonl", json.dumps(PTN_ENTRY) + "\n" + json.dumps(other) + "\n"
    )
    found = pubtabnet.discover(tmp_path / "repo", s)
    assert [i.sample_id for i in found.items] == ["t"]
    assert found.skipped == [("missing", "annotation without its image")]
    assert pubtabnet.load(found.items[0], s).tables[0].html == PTN_HTML


def test_cells_to_html_fills_holes_and_round_trips():
    cells = [
        TableCell(row=0, col=1, text="x"),
        TableCell(row=1, col=0, text="y"),
        TableCell(row=1, col=1, text="a<b"),
        TableCell(row=2, col=0, col_span=2, text="sum"),
    ]
    html = cells_to_html(cells)
    assert html == (
        "<html><body><table><tbody><tr><td></td><td>x</td></tr><tr><td>y</td><td>a&lt;b</td>"
        '</tr><tr><td colspan="2">sum</td></tr></tbody></table></body></html>'
    )
    back = [c for c in html_to_cells(html) if c.text]
    assert back == cells
    assert cells_to_html([]) == ""


def make_pdf(path: Path, pages: int = 2) -> Path:
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(612, 792)
    document.save(str(path))
    document.close()
    return path


REG = """<?xml version="1.0" encoding="UTF-8"?>
<document filename="t-reg.xml"><table id="1"><region id="1" page="1">
  <bounding-box x1="72" y1="600" x2="288" y2="720"/></region></table></document>"""
STR = """<?xml version="1.0" encoding="UTF-8"?>
<document filename="t-str.xml">
 <table id="1"><region col-increment="0" id="1" page="1" row-increment="0">
  <cell id="1" start-col="1" start-row="0"><bounding-box x1="180" x2="288" y1="690" y2="720"/>
    <content>Total</content></cell>
  <cell id="2" start-col="0" start-row="1"><bounding-box x1="72" x2="170" y1="650" y2="680"/>
    <content>Sweden</content></cell>
  <cell id="3" start-col="1" start-row="1"><bounding-box x1="180" x2="200" y1="650" y2="680"/>
    <content>12</content></cell>
  <cell id="4" start-col="0" end-col="1" start-row="2">
    <bounding-box x1="7ß" x2="288" y1="600" y2="640"/>
    <content>Sum
all</content></cell>
 </region></table>
 <table id="2"><region col-increment="0" id="1" page="2" row-increment="-1">
  <cell id="1" start-col="3" start-row="5"><bounding-box x1="72" x2="100" y1="700" y2="710"/>
    <content>cont.</content></cell>
 </region></table>
</document>"""


def test_icdar2013_points_to_pixels_spans_and_typos(tmp_path):
    (tmp_path / "images").mkdir()
    make_pdf(tmp_path / "images" / "t.pdf")
    write(tmp_path / "gt" / "t-reg.xml", REG)
    write(tmp_path / "gt" / "t-str.xml", STR)
    s = spec("icdar2013", render_dpi=144)  # 2 pixels per point
    found = icdar2013.discover(tmp_path, s)
    sample = icdar2013.load(found.items[0], s)
    assert sample.dpi == 144.0
    assert [(p.width, p.height) for p in sample.truth.pages] == [(1224, 1584), (1224, 1584)]
    first, second = sample.tables
    # region 72..288 x 600..720 pt, origin bottom-left: y from 792-720=72 to 792-600=192 pt
    assert first.bbox == BBox(x0=144, y0=144, x1=576, y1=384)
    assert [(c.row, c.col, c.col_span, c.text) for c in first.cells] == [
        (0, 1, 1, "Total"),
        (1, 0, 1, "Sweden"),
        (1, 1, 1, "12"),
        (2, 0, 2, "Sum all"),
    ]
    assert first.cells[0].bbox == BBox(x0=360, y0=144, x1=576, y1=204)
    assert first.cells[3].bbox == BBox(x0=140, y0=304, x1=576, y1=384)  # "7ß" read as 70
    assert first.html == (
        "<html><body><table><tbody><tr><td></td><td>Total</td></tr><tr><td>Sweden</td>"
        '<td>12</td></tr><tr><td colspan="2">Sum all</td></tr></tbody></table></body></html>'
    )
    # the continuation on page 2 is renumbered from 0; its box is that of its cells
    assert (second.page_index, second.table_id) == (1, "2")
    assert [(c.row, c.col) for c in second.cells] == [(0, 0)]
    assert second.bbox == BBox(x0=144, y0=164, x1=200, y1=184)
    assert sample.text == ""
    assert [ref.index for ref in sample.pages] == [0, 1]


SLICES = """<?xml version="1.0" encoding="UTF-8"?>
<document filename="w-str.xml"><table id="1">
 <region col-increment="0" id="1" page="1" row-increment="0">
  <cell id="1" start-col="1" start-row="1"><bounding-box x1="72" x2="100" y1="700" y2="710"/>
    <content>Age</content></cell>
  <cell id="2" start-col="1" start-row="2"><bounding-box x1="72" x2="100" y1="680" y2="690"/>
    <content>1 year</content></cell></region>
 <region col-increment="1" id="2" page="1" row-increment="0">
  <cell id="1" start-col="1" start-row="1"><bounding-box x1="200" x2="230" y1="700" y2="710"/>
    <content>Age</content></cell>
  <cell id="2" start-col="1" start-row="2"><bounding-box x1="200" x2="230" y1="680" y2="690"/>
    <content>40 years</content></cell></region>
</table></document>"""


def test_icdar2013_regions_of_one_table_on_one_page_are_joined(tmp_path):
    """us-035a sets a wide table in column slices: one table, not three copies of its box."""
    (tmp_path / "images").mkdir()
    make_pdf(tmp_path / "images" / "w.pdf", pages=1)
    write(tmp_path / "gt" / "w-str.xml", SLICES)
    s = spec("icdar2013", render_dpi=72)
    (table,) = icdar2013.load(icdar2013.discover(tmp_path, s).items[0], s).tables
    assert [(c.row, c.col, c.text) for c in table.cells] == [
        (0, 0, "Age"), (1, 0, "1 year"), (0, 1, "Age"), (1, 1, "40 years"),
    ]  # fmt: skip
    assert table.bbox == BBox(x0=72, y0=82, x1=230, y1=112)


def test_icdar2013_partial_ground_truth(tmp_path):
    (tmp_path / "images").mkdir()
    make_pdf(tmp_path / "images" / "r.pdf", pages=1)
    make_pdf(tmp_path / "images" / "none.pdf", pages=1)
    write(tmp_path / "gt" / "r-reg.xml", REG)
    write(tmp_path / "gt" / "orphan-str.xml", STR)
    s = spec("icdar2013", render_dpi=72)
    found = icdar2013.discover(tmp_path, s)
    assert [i.sample_id for i in found.items] == ["r"]
    assert found.skipped == [
        ("none", "PDF without ground truth"),
        ("orphan", "ground truth without its PDF"),
    ]
    (table,) = icdar2013.load(found.items[0], s).tables
    assert table.bbox == BBox(x0=72, y0=72, x1=288, y1=192)
    assert not table.has_structure and table.html == ""


def test_structure_tokens_of_pubtabnet_and_of_slanet_give_the_same_cells():
    from ocrxtract.export.tables import place_cells, specs_from_tokens

    pubtabnet = ["<thead>", "<tr>", "<td", ' colspan="2"', ">", "</td>", "</tr>", "</thead>",
                 "<tbody>", "<tr>", "<td>", "</td>", "<td", ' rowspan="2"', ">", "</td>", "</tr>",
                 "<tr>", "<td>", "</td>", "</tr>", "</tbody>"]  # fmt: skip
    slanet = ["<thead>", "<tr>", "<td", ' colspan="2"', ">", "</tr>", "</thead>", "<tbody>",
              "<tr>", "<td></td>", "<td", ' rowspan="2"', ">", "</tr>", "<tr>", "<td></td>",
              "</tr>", "</tbody>"]  # fmt: skip
    expected = [(0, 0, 1, 2, True), (1, 0, 1, 1, False), (1, 1, 2, 1, False), (2, 0, 1, 1, False)]
    for tokens in (pubtabnet, slanet):
        cells = place_cells(specs_from_tokens(tokens))
        assert [(c.row, c.col, c.row_span, c.col_span, c.header) for c in cells] == expected
