"""SROIE, CORD (both layouts) and FUNSD loaders on tiny files written by the tests."""

from __future__ import annotations

import json
import sys
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from ocrxtract.datasets import MissingDependencyError, cord, funsd, sroie
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import BBox
from ocrxtract.errors import CorruptInputError


def spec(fmt: str, **extra) -> DatasetSpec:
    data = {
        "name": "tiny", "folder": "tiny", "kind": "receipts", "language": "eng", "format": fmt,
        "tasks": ["ocr", "fields"], "license": "test", "headline": {"metric": "cer"},
    }  # fmt: skip
    data.update(extra)
    return DatasetSpec.model_validate(data)


def png(path: Path, size: tuple[int, int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, "white").save(path)
    return path


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# Stored as SROIE does: the second row first; the address holds commas; CRLF line ends and a
# UTF-8 BOM; a blank line.
SROIE_BOX = (
    "\ufeff10,50,60,50,60,60,10,60,TOTAL:\r\n"
    "100,50,150,50,150,60,100,60,9.00\r\n"
    "\r\n"
    "10,10,90,10,90,20,10,20,NO.53 55,57 & 59, JALAN\r\n"
)


def test_sroie_commas_reading_order_and_fields(tmp_path):
    png(tmp_path / "images" / "001.jpg", (200, 100))
    write(tmp_path / "gt" / "001.box.csv", SROIE_BOX.encode("utf-8"))
    write(tmp_path / "gt" / "001.key.json",
          json.dumps({"company": "BOOK TA .K", "date": "25/12/2018", "total": "9.00"}))  # fmt: skip
    s = spec("sroie", default_split="train", splits={"train": "x"})
    found = sroie.discover(tmp_path, s)
    sample = sroie.load(found.items[0], s)
    assert sample.text == "NO.53 55,57 & 59, JALAN\nTOTAL: 9.00"
    lines = list(sample.truth.pages[0].lines())
    assert [(line.text, line.bbox.as_tuple()) for line in lines] == [
        ("NO.53 55,57 & 59, JALAN", (10, 10, 90, 20)),
        ("TOTAL:", (10, 50, 60, 60)),
        ("9.00", (100, 50, 150, 60)),
    ]
    assert len(sample.scorable_lines) == 3
    assert sample.fields == {"company": "BOOK TA .K", "date": "25/12/2018", "total": "9.00"}
    assert any("absent from the ground truth: address" in note for note in sample.notes)
    assert sample.split == sroie.split_of(sample.sample_id)  # split by file: a hash of the stem


def test_sroie_bad_line_and_repository_layout(tmp_path):
    bad = write(tmp_path / "bad.csv", "1,2,3,TEXT\n")
    with pytest.raises(CorruptInputError, match="line 1 has 3 commas"):
        sroie.parse_box_csv(bad, 100, 100)
    # github.com/zzzDavid/ICDAR-2019-SROIE: data/img, data/box, data/key
    root = tmp_path / "repo"
    png(root / "data" / "img" / "000.jpg", (200, 100))
    write(root / "data" / "box" / "000.csv", SROIE_BOX)
    write(root / "data" / "key" / "000.json", json.dumps({"total": "9.00"}))
    write(root / "data" / "box" / "001.csv", SROIE_BOX)  # no image
    found = sroie.discover(root, spec("sroie"))
    assert [i.sample_id for i in found.items] == ["000"]
    assert found.skipped == [("001", "box file without its image")]
    assert sroie.load(found.items[0], spec("sroie")).fields == {"total": "9.00"}


def quad(x0: int, y0: int, x1: int, y1: int) -> dict[str, int]:
    return {"x1": x0, "y1": y0, "x2": x1, "y2": y0, "x3": x1, "y3": y1, "x4": x0, "y4": y1}


CORD_GT = {
    "valid_line": [
        {"words": [{"quad": quad(10, 10, 50, 20), "is_key": 0, "row_id": 1, "text": "Nasi"},
                   {"quad": quad(55, 10, 80, 20), "is_key": 0, "row_id": 1, "text": "Goreng"}],
         "category": "menu.nm", "group_id": 1},
        {"words": [{"quad": quad(90, 10, 110, 20), "is_key": 0, "row_id": 1, "text": "25,000"}],
         "category": "menu.price", "group_id": 1},
        # corners listed bottom first (as in CORD test receipt 87)
        {"words": [{"quad": quad(10, 40, 50, 30), "is_key": 0, "row_id": 2, "text": "Es"}],
         "category": "menu.nm", "group_id": 2},
        {"words": [{"quad": quad(-5, 45, 30, 55), "is_key": 1, "row_id": 3, "text": "TOTAL"},
                   {"quad": quad(35, 45, 40, 55), "is_key": 0, "row_id": 3, "text": ""}],
         "category": "total.total_etc", "group_id": 3},
        {"words": [{"quad": quad(90, 45, 130, 55), "is_key": 0, "row_id": 3, "text": "25,000"}],
         "category": "total.total_price", "group_id": 3},
    ],
    "meta": {"version": "v2", "split": "test", "image_id": 0,
             "image_size": {"width": 120, "height": 60}},
    "roi": {},
}  # fmt: skip
CORD_TEXT = "Nasi Goreng 25,000\nEs\nTOTAL 25,000"
CORD_FIELDS = {
    "menu.nm[0]": "Nasi Goreng",
    "menu.nm[1]": "Es",
    "menu.price": "25,000",
    "total.total_etc": "TOTAL",
    "total.total_price": "25,000",
}
CORD_LINES = [
    ("Nasi Goreng 25,000", (10, 10, 110, 20)),
    ("Es", (10, 30, 50, 40)),
    ("TOTAL 25,000", (0, 45, 120, 55)),  # clipped to the 120 px wide image
]


def check_cord(sample):
    assert sample.text == CORD_TEXT
    assert sample.fields == CORD_FIELDS
    assert [(ln.text, ln.bbox.as_tuple()) for ln in sample.truth.pages[0].lines()] == CORD_LINES
    assert any("1 word(s) without text or box" in note for note in sample.notes)


def test_cord_original_layout(tmp_path):
    for split in ("test", "dev"):
        png(tmp_path / "CORD" / split / "image" / "receipt_00000.png", (120, 60))
        write(tmp_path / "CORD" / split / "json" / "receipt_00000.json", json.dumps(CORD_GT))
    found = cord.discover(tmp_path, spec("cord"))
    assert [(i.sample_id, i.split) for i in found.items] == [
        ("validation/receipt_00000", "validation"),  # dev is called validation
        ("test/receipt_00000", "test"),
    ]
    check_cord(cord.load(found.items[1], spec("cord")))


def test_cord_parquet_layout(tmp_path):
    pa = pytest.importorskip("pyarrow", reason="pyarrow reads CORD's Parquet files")
    import pyarrow.parquet as pq

    buffer = BytesIO()
    Image.new("RGB", (120, 60), "white").save(buffer, format="PNG")
    truth = dict(CORD_GT, gt_parse={"menu": [{"nm": "Nasi Goreng"}]})
    table = pa.table({
        "image": [{"bytes": buffer.getvalue(), "path": "receipt_00000.png"}],
        "ground_truth": [json.dumps(truth)],
    })  # fmt: skip
    path = tmp_path / "data" / "test-00000-of-00001-abc.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)
    found = cord.discover(tmp_path, spec("cord"))
    assert [(i.sample_id, i.split) for i in found.items] == [
        ("test/test-00000-of-00001-abc#0", "test")
    ]
    sample = cord.load(found.items[0], spec("cord"))
    check_cord(sample)
    pages = sample.load_pages()  # image bytes read from the Parquet row
    assert [(p.width, p.height) for p in pages] == [(120, 60)]


def test_cord_not_an_annotation(tmp_path):
    with pytest.raises(CorruptInputError, match="valid_line"):
        cord.parse_cord({"meta": {}}, 10, 10, tmp_path / "x.json")


FUNSD_GT = {
    "form": [
        {"id": 0, "label": "question", "text": "DATE:", "box": [10, 10, 40, 20],
         "words": [{"text": "DATE:", "box": [10, 10, 40, 20]}], "linking": [[0, 1]]},
        {"id": 1, "label": "answer", "text": "2- Dec- 97", "box": [50, 10, 95, 20],
         "words": [{"text": "2-", "box": [50, 10, 58, 20]},
                   {"text": "Dec-", "box": [60, 10, 80, 20]},
                   {"text": "97", "box": [82, 10, 95, 20]}], "linking": [[0, 1]]},
        {"id": 2, "label": "header", "text": "REPORT", "box": [30, 0, 70, 8],
         "words": [{"text": "REPORT", "box": [30, 0, 70, 8]}], "linking": []},
        {"id": 3, "label": "other", "text": "", "box": [0, 25, 5, 29],
         "words": [{"text": "", "box": [0, 25, 5, 29]}], "linking": []},
    ]
}  # fmt: skip


def test_funsd_split_tokens_order_and_links(tmp_path):
    png(tmp_path / "images" / "f.png", (100, 30))
    write(tmp_path / "gt" / "f.json", json.dumps(FUNSD_GT))
    s = spec("funsd", dpi=100, default_split="test", splits={"test": "x"})
    sample = funsd.load(funsd.discover(tmp_path, s).items[0], s)
    assert sample.text == "REPORT\nDATE: 2-Dec-97"  # rows, not entity order
    assert sample.fields == {"DATE:": "2-Dec-97"}
    page = sample.truth.pages[0]
    assert page.dpi == 100.0 and sample.dpi == 100.0
    assert [b.role for b in page.blocks] == ["text", "text", "title"]  # question, answer, header
    answer = page.blocks[1].lines[0].words
    assert [(w.text, w.bbox.as_tuple()) for w in answer] == [("2-Dec-97", (50, 10, 95, 20))]
    assert any("2 token(s) split" in note for note in sample.notes)


def test_funsd_join_rules():
    b = lambda x0, x1, y0=10: BBox(x0=x0, y0=y0, x1=x1, y1=y0 + 10)  # noqa: E731
    # a bare dash is punctuation; a far word or a word on another line is not joined
    assert [
        t for t, _ in funsd.join_split_tokens([("A", b(0, 5)), ("-", b(7, 9)), ("B", b(11, 15))])
    ] == ["A", "-", "B"]
    assert [t for t, _ in funsd.join_split_tokens([("P/", b(0, 10)), ("V", b(40, 45))])] == [
        "P/",
        "V",
    ]
    assert [
        t for t, _ in funsd.join_split_tokens([("by/", b(0, 10)), ("to:", b(0, 10, y0=30))])
    ] == ["by/", "to:"]
    assert [t for t, _ in funsd.join_split_tokens([("by/", b(0, 10)), ("to:", b(10, 20))])] == [
        "by/to:"
    ]


def test_funsd_official_archive_layout(tmp_path):
    for folder in ("training_data", "testing_data"):
        png(tmp_path / "dataset" / folder / "images" / "f.png", (100, 30))
        write(tmp_path / "dataset" / folder / "annotations" / "f.json", json.dumps(FUNSD_GT))
    found = funsd.discover(tmp_path, spec("funsd"))
    assert sorted(i.split or "" for i in found.items) == ["test", "train"]
    with pytest.raises(CorruptInputError, match="form"):
        funsd.parse_funsd(write(tmp_path / "x.json", "{}"), 10, 10)


def test_cord_parquet_without_pyarrow_names_the_install(tmp_path, monkeypatch):
    (tmp_path / "test-00000-of-00001.parquet").write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingDependencyError, match="pip install pyarrow") as info:
        cord.discover(tmp_path, spec("cord"))
    assert info.value.exit_code == 5
