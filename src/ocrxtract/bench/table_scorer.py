"""The ``tables`` benchmark task: TEDS, structure-only TEDS, table detection and cell adjacency.

Per sample, the predicted tables of the extractor (``Page.tables``) are paired with the
reference tables at IoU >= 0.5 (a reference table without a box, a table image, stands for its
whole page) and scored by :func:`ocrxtract.metrics.tables.score_tables`. Over a corpus, TEDS is
the mean over *reference* tables (a missed table scores 0), detection and adjacency F1 come
from the summed counts, and the time per table is the extractor's seconds over the tables it
found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ocrxtract.bench.scorers import Metric, Prediction, Scorer, column_sum, f1

if TYPE_CHECKING:
    from ocrxtract.datasets import Sample


class TablesScorer(Scorer):
    """Table recognition (see the module doc)."""

    name = "tables"
    metrics = (
        Metric("teds", "TEDS", "teds", False),
        Metric("teds_struct", "TEDS struct.", "teds_struct", False),
        Metric("table_detection_f1", "table det. F1", "table_det_f1", False),
        Metric("cell_adjacency_f1", "adjacency F1", "adjacency_f1", False),
    )
    needs: ClassVar[frozenset[str]] = frozenset({"document", "tables"})
    columns = (
        ("tables_ref", "int"),
        ("tables_pred", "int"),
        ("tdet_tp", "int"),
        ("tdet_fp", "int"),
        ("tdet_fn", "int"),
        ("teds_sum", "float"),
        ("teds_struct_sum", "float"),
        ("adj_tp", "int"),
        ("adj_fp", "int"),
        ("adj_fn", "int"),
        ("sample_teds", "float"),
        ("table_methods", "str"),
    )
    title = "Tables"

    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        from ocrxtract.metrics.tables import score_tables

        predicted = [t for page in prediction.document.pages for t in page.tables]
        sizes = {p.index: (p.width, p.height) for p in prediction.document.pages}
        result = score_tables(list(sample.tables), predicted, sizes)
        tables = result.teds.tables
        return {
            "tables_ref": result.reference_tables,
            "tables_pred": result.predicted_tables,
            "tdet_tp": result.detection.true_positives,
            "tdet_fp": result.detection.false_positives,
            "tdet_fn": result.detection.false_negatives,
            "teds_sum": result.teds.teds_total,
            "teds_struct_sum": result.teds.teds_structure_total,
            "adj_tp": result.adjacency.true_positives,
            "adj_fp": result.adjacency.false_positives,
            "adj_fn": result.adjacency.false_negatives,
            "sample_teds": result.teds.teds_total / tables if tables else None,
            "table_methods": ",".join(sorted({t.method for t in predicted if t.method})),
        }

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        tables = column_sum(rows, "tables_ref")
        teds = column_sum(rows, "teds_sum")
        struct = column_sum(rows, "teds_struct_sum")
        predicted = column_sum(rows, "tables_pred")
        seconds = column_sum(rows, "extract_seconds")
        return {
            "teds": teds / tables if tables and teds is not None else None,
            "teds_struct": struct / tables if tables and struct is not None else None,
            "table_det_f1": f1(
                column_sum(rows, "tdet_tp"),
                column_sum(rows, "tdet_fp"),
                column_sum(rows, "tdet_fn"),
            ),
            "adjacency_f1": f1(
                column_sum(rows, "adj_tp"), column_sum(rows, "adj_fp"), column_sum(rows, "adj_fn")
            ),
            "seconds_per_table": seconds / predicted if predicted and seconds else None,
        }
