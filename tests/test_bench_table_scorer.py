"""The ``tables`` benchmark task: per-sample counts and corpus figures, computed by hand."""

from __future__ import annotations

import pytest

from ocrxtract.bench.scorers import Prediction, get_scorer
from ocrxtract.datasets import Sample
from ocrxtract.document import BBox, Document, Page, Table
from ocrxtract.export.tables import html_to_cells

pytest.importorskip("apted", reason="TEDS needs apted")

HTML = "<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>"


def _table(html: str, box: BBox | None = None, method: str = "") -> Table:
    return Table(bbox=box, cells=html_to_cells(html), html=html, method=method)


def _sample(tables: list[Table]) -> Sample:
    page = Page(index=0, width=100, height=100)
    return Sample(
        dataset="d", sample_id="s", pages=(), truth=Document(source="s", pages=[page]), text="",
        tables=tuple(tables),
    )  # fmt: skip


def _prediction(tables: list[Table]) -> Prediction:
    page = Page(index=0, width=100, height=100, tables=tables)
    return Prediction(document=Document(source="s", pages=[page]), extractor="tables")


def test_perfect_and_missed() -> None:
    scorer = get_scorer("tables")
    box = BBox(x0=10, y0=10, x1=90, y1=50)
    other = BBox(x0=10, y0=60, x1=90, y1=90)
    sample = _sample([_table(HTML, box), _table(HTML, other)])
    # one found exactly, the other missed, one extra far away
    extra = BBox(x0=0, y0=0, x1=5, y1=5)
    row = scorer.score(
        sample, _prediction([_table(HTML, box, "geometry"), _table(HTML, extra, "geometry")])
    )
    assert (row["tables_ref"], row["tables_pred"]) == (2, 2)
    assert (row["tdet_tp"], row["tdet_fp"], row["tdet_fn"]) == (1, 1, 1)
    assert row["teds_sum"] == pytest.approx(1.0)  # 1 + 0 (missed)
    assert row["sample_teds"] == pytest.approx(0.5)
    assert row["table_methods"] == "geometry"
    row["extract_seconds"] = 2.0
    figures = scorer.aggregate([row])
    assert figures["teds"] == pytest.approx(0.5)
    assert figures["table_det_f1"] == pytest.approx(0.5)  # 2*1 / (2*1 + 1 + 1)
    assert figures["seconds_per_table"] == pytest.approx(1.0)


def test_table_image_without_box_is_its_page() -> None:
    scorer = get_scorer("tables")
    row = scorer.score(_sample([_table(HTML)]), _prediction([_table(HTML)]))
    assert row["tdet_tp"] == 1
    assert row["sample_teds"] == pytest.approx(1.0)
    assert row["adj_fp"] == 0 and row["adj_fn"] == 0
