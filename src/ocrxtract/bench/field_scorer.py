"""The ``fields`` benchmark task: key-field precision, recall and F1, end to end.

Per sample, the fields the extractor put in ``Document.fields`` (their normalised values) are
compared with the sample's reference fields by :func:`ocrxtract.metrics.fields.score_fields`:
exact match after the normaliser of each field's type, a wrong value counting as one false
positive and one false negative.

Which fields are scored, and under which types, comes from the sample's *schema*:

* the schema named by the sample (``tags["schema"]``: a folder's ``.fields.json``, SROIE,
  Factur-X), or the schema covering its document type (``tags["doc_type"]``: the generated
  French documents): every field of the schema is scored, so a field the document does not have
  but the extractor reports is a false positive; unless the sample says its reference is partial
  (``tags["fields"] == "partial"``: an e-invoice's XML may leave printed fields out), where only
  the reference's fields are scored. Reference names are mapped by the schema's aliases;
* no schema, or a form schema that names no fields (``funsd``; CORD, FUNSD, Factur-X's XML
  names): the reference's own field names are the label
  set, compared as text, and a predicted field outside it is not counted (nothing says the
  document lacks it).

A sample without reference fields is not scored. Over a corpus the counts are summed
(micro-averaged F1, the figure of CORD and Donut), never a mean of per-sample F1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ocrxtract.bench.scorers import Metric, Prediction, Scorer, column_sum, f1
from ocrxtract.metrics.fields import FieldScores, score_fields

if TYPE_CHECKING:
    from ocrxtract.datasets import Sample
    from ocrxtract.extract.fields.schema import Schema


def sample_schema(tags: Mapping[str, str]) -> Schema | None:
    """The schema a sample's reference fields follow (see the module doc), ``None`` if none."""
    from ocrxtract.extract.fields.schema import load_schema, schema_for_doc_type

    if tags.get("schema"):
        named = load_schema(tags["schema"])
        # A form schema (funsd) names no fields: the reference's own names are the label set.
        return named if named.kind == "fields" else None
    if tags.get("doc_type"):
        return schema_for_doc_type(tags["doc_type"])
    return None


def score_sample_fields(
    reference: Mapping[str, str],
    predicted: Mapping[str, str | None],
    schema: Schema | None,
    *,
    complete: bool = True,
) -> FieldScores:
    """Field counts of one sample (see the module doc for the label set)."""
    if schema is not None:
        from ocrxtract.extract.fields.scoring import score_extraction

        return score_extraction(schema, reference, predicted, complete=complete)
    wanted = {name: value for name, value in predicted.items() if name in reference}
    return score_fields(reference, wanted, default_type="text")


class FieldsScorer(Scorer):
    """Key-field extraction (see the module doc)."""

    name = "fields"
    metrics = (
        Metric("field_f1", "field F1", "field_f1", False),
        Metric("field_precision", "field precision", "field_precision", False),
        Metric("field_recall", "field recall", "field_recall", False),
    )
    needs: ClassVar[frozenset[str]] = frozenset({"document", "fields"})
    columns = (
        ("field_tp", "int"),
        ("field_fp", "int"),
        ("field_fn", "int"),
        ("sample_field_f1", "float"),
        ("field_schema", "str"),
        ("fields_wrong", "str"),
    )
    title = "Key fields"

    def applies(self, spec: Any, wanted: set[str]) -> bool:
        # Precision and recall come with F1: one declaration (field_f1) runs the task.
        return "field_f1" in wanted

    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        if not any(str(value).strip() for value in sample.fields.values()):
            return {}
        schema = sample_schema(sample.tags)
        predicted = {f.name: f.value for f in prediction.document.fields}
        complete = sample.tags.get("fields") != "partial"
        scores = score_sample_fields(sample.fields, predicted, schema, complete=complete)
        micro = scores.micro
        wrong = sorted(name for name, counts in scores.per_field.items() if counts.false_negatives)
        return {
            "field_tp": micro.true_positives,
            "field_fp": micro.false_positives,
            "field_fn": micro.false_negatives,
            "sample_field_f1": micro.f1,
            "field_schema": schema.name if schema is not None else None,
            "fields_wrong": ",".join(wrong),
        }

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        tp = column_sum(rows, "field_tp")
        fp = column_sum(rows, "field_fp")
        fn = column_sum(rows, "field_fn")
        return {
            "field_f1": f1(tp, fp, fn),
            "field_precision": tp / (tp + fp)
            if tp is not None and fp is not None and tp + fp
            else None,
            "field_recall": tp / (tp + fn)
            if tp is not None and fn is not None and tp + fn
            else None,
        }
