"""The app's extraction view (``ocrxtract.workbench.fields_view``): each engine's fields side by
side, invalid values marked, boxes per page, downloads."""

from __future__ import annotations

import csv
import io
import json

import pytest
from PIL import Image

from ocrxtract.document import BBox, Document, KeyField, Page
from ocrxtract.errors import UsageError
from ocrxtract.extract.fields.api import Extraction
from ocrxtract.workbench.fields_view import (
    EngineFields,
    extract_each,
    field_boxes,
    fields_csv,
    fields_grid,
    fields_json,
)
from ocrxtract.workbench.viz import INVALID_FIELD_COLOUR, draw_field_boxes

BOX = BBox(x0=10, y0=10, x1=60, y1=30)


def results() -> dict[str, EngineFields]:
    good = Extraction("invoice", "rules", [
        KeyField(name="total_ttc", value="671.15", text="671,15", page=0, boxes=[BOX]),
        KeyField(name="siret_vendeur", value="99999999800010", text="999 999 998 00010",
                 page=0, boxes=[BOX], valid=False, checks={"siret": False}),
    ])  # fmt: skip
    other = Extraction("invoice", "rules", [KeyField(name="total_ttc", value="671.16")])
    return {
        "rapidocr": EngineFields("rapidocr", good),
        "tesseract": EngineFields("tesseract", other),
        "broken": EngineFields("broken", error="the model exploded"),
    }


def test_the_grid_has_one_row_per_schema_field_and_one_column_per_engine() -> None:
    rows = fields_grid(results())
    assert rows[0] == {"field": "type", "rapidocr": "invoice", "tesseract": "invoice"}
    by_field = {row["field"]: row for row in rows}
    assert list(by_field)[1:4] == ["vendeur", "siret_vendeur", "tva_vendeur"]  # schema order
    assert by_field["total_ttc"] == {
        "field": "total_ttc", "rapidocr": "671.15", "tesseract": "671.16",
    }  # fmt: skip
    assert by_field["siret_vendeur"]["rapidocr"] == "⚠ 99999999800010"  # kept, marked
    assert by_field["siret_vendeur"]["tesseract"] == "—"


def test_boxes_of_a_page_and_their_drawing() -> None:
    extraction = results()["rapidocr"].extraction
    assert extraction is not None
    boxes = field_boxes(extraction, 0)
    assert [(name, valid) for name, _, valid in boxes] == [
        ("total_ttc", None), ("siret_vendeur", False),
    ]  # fmt: skip
    assert field_boxes(extraction, 1) == []
    page = Page(index=0, width=100, height=50)
    drawn = draw_field_boxes(Image.new("RGB", (200, 100), "white"), page, boxes[1:])
    assert drawn.size == (200, 100)
    assert drawn.getpixel((20, 40)) == INVALID_FIELD_COLOUR  # box scaled x2: left edge at 20
    small = draw_field_boxes(Image.new("RGB", (200, 100), "white"), page, boxes, max_side=50)
    assert small.size == (50, 25)
    with pytest.raises(UsageError, match="max_side"):
        draw_field_boxes(Image.new("RGB", (200, 100)), page, boxes, max_side=0)


def test_downloads_hold_every_engine_that_gave_fields() -> None:
    records = json.loads(fields_json("facture.pdf", results()))
    assert [r["engine"] for r in records] == ["rapidocr", "tesseract"]
    table = list(csv.DictReader(io.StringIO(fields_csv("facture.pdf", results()))))
    assert [(r["engine"], r["total_ttc"]) for r in table] == [
        ("rapidocr", "671.15"), ("tesseract", "671.16"),
    ]  # fmt: skip


def test_an_unknown_schema_is_reported_per_engine_and_the_rest_goes_on() -> None:
    document = Document(source="x", pages=[Page(index=0, width=10, height=10)])
    found = extract_each({"a": document}, "passeport")
    assert found["a"].extraction is None and "unknown schema" in (found["a"].error or "")
    found = extract_each({"a": document})  # nothing read: an unknown type, no field
    assert found["a"].extraction is not None and found["a"].extraction.fields == []
