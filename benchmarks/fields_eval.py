"""Field extraction figures end to end (image -> engine -> fields) on generated French documents.

Usage (from the repository root, OCR cached as Document JSON per page):

    python benchmarks/fields_eval.py --pages DIR --ocr DIR [--method model|rules]
        [--ocr-dropout DIR] [--loto --train DIR]

``--pages``: a generated set (``truth/*.json``), e.g. the ``synthetic-fr-fields`` dataset
(seed 20261); ``--ocr``: ``<sample_id>.json`` Documents of one engine on its images. Prints micro
P/R/F1 per (type, difficulty), per-field F1 below 0.95, type-detection accuracy and the
extraction time per page on top of OCR. ``--loto`` retrains each type's model without one of
its templates (on generated training pages: ``--train DIR``, or by default rendered as the
shipped models' were) and scores that template only.
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

from ocrxtract.datasets.synthetic import read_truth
from ocrxtract.document import Document
from ocrxtract.extract.fields import extract_fields, load_schema
from ocrxtract.extract.fields.model import FieldModel
from ocrxtract.extract.fields.schema import dropout_for, schema_for_doc_type
from ocrxtract.extract.fields.scoring import score_extraction
from ocrxtract.metrics.fields import FieldScores

#: The shipped models' training pages (models/fields/README.md).
TRAIN_PAGES, TRAIN_SEED = 150, 900000


def pages(pages_dir: Path, ocr_dir: Path, dropout_dir: Path | None = None):  # type: ignore[no-untyped-def]
    """(truth, document) of each page OCR'd in ``ocr_dir``; with ``dropout_dir`` (the same
    engine, engine option ``dropout``), a page whose detected type's schema asks for a dropout
    is taken from there, as ``ocrxtract extract`` reads it a second time."""
    for path in sorted(ocr_dir.glob("*.json")):
        truth_path = pages_dir / "truth" / path.name
        if truth_path.is_file():
            document = Document.from_json(path.read_text(encoding="utf-8"))
            if dropout_dir is not None:
                detected = extract_fields(document, "auto", method="rules").doc_type
                if dropout_for(detected) != "none":
                    other = dropout_dir / path.name
                    document = Document.from_json(other.read_text(encoding="utf-8"))
            yield read_truth(truth_path), document


def evaluate(pages_dir: Path, ocr_dir: Path, method: str, dropout_dir: Path | None = None) -> None:
    totals: dict[tuple[str, str], FieldScores] = collections.defaultdict(FieldScores)
    detected = collections.Counter()
    spent, n = 0.0, 0
    for truth, document in pages(pages_dir, ocr_dir, dropout_dir):
        schema = schema_for_doc_type(truth.doc_type)
        if schema is None:
            continue
        start = time.perf_counter()
        result = extract_fields(document, schema.name, method=method)
        spent += time.perf_counter() - start
        n += 1
        detected[extract_fields(document, "auto", method="rules").doc_type == schema.name] += 1
        reference = {k: v.value for k, v in truth.fields.items()}
        totals[(schema.name, truth.difficulty)] += score_extraction(
            schema, reference, result.values()
        )
    for key in sorted(totals):
        m = totals[key].micro
        weak = " ".join(
            f"{name}:{c.f1:.2f}" for name, c in totals[key].per_field.items() if c.f1 < 0.95
        )
        print(f"{key[0]:13} {key[1]:6} P={m.precision:.3f} R={m.recall:.3f} F1={m.f1:.3f}  {weak}")
    print(f"type detection: {detected[True]}/{sum(detected.values())} right")
    print(f"extraction time: {1000 * spent / max(n, 1):.1f} ms/page on top of OCR ({n} pages)")


def leave_one_template_out(
    pages_dir: Path, ocr_dir: Path, train_dir: Path | None, dropout_dir: Path | None = None
) -> None:
    from ocrxtract.train.fields import generated_documents, iter_synthetic, train_fields

    items = list(pages(pages_dir, ocr_dir, dropout_dir))
    by_type: dict[str, FieldScores] = collections.defaultdict(FieldScores)
    for schema_name in ("payslip", "rent_receipt", "id_card", "receipt", "invoice"):
        schema = load_schema(schema_name)
        train = (
            list(iter_synthetic(train_dir, schema.doc_types))
            if train_dir is not None
            else generated_documents(schema.doc_types, TRAIN_PAGES, TRAIN_SEED)
        )
        for template in sorted({d.template for d in train}):
            model: FieldModel = train_fields(
                schema, [d for d in train if d.template != template], about={}
            )
            scores = FieldScores()
            for truth, document in items:
                if truth.doc_type in schema.doc_types and truth.template == template:
                    result = extract_fields(document, schema, method="model", model=model)
                    reference = {k: v.value for k, v in truth.fields.items()}
                    scores += score_extraction(schema, reference, result.values())
            m = scores.micro
            print(
                f"{schema_name:13} without {template:16} F1={m.f1:.3f} "
                f"(P={m.precision:.3f} R={m.recall:.3f})",
                flush=True,
            )
            by_type[schema_name] += scores
    for name, scores in by_type.items():
        print(f"{name:13} leave-one-template-out micro F1={scores.micro.f1:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--ocr", type=Path, required=True)
    parser.add_argument("--method", default="model")
    parser.add_argument(
        "--ocr-dropout",
        type=Path,
        default=None,
        help="the same engine's pages read with red ink removed (-O dropout=red): used for "
        "the pages whose detected type asks for it, as `ocrxtract extract` does",
    )
    parser.add_argument("--loto", action="store_true")
    parser.add_argument(
        "--train",
        type=Path,
        default=None,
        help="generated training pages (truth/*.json); default: rendered like the shipped "
        f"models' data ({TRAIN_PAGES} clean pages per type from seed {TRAIN_SEED})",
    )
    args = parser.parse_args()
    if args.loto:
        leave_one_template_out(args.pages, args.ocr, args.train, args.ocr_dropout)
    else:
        evaluate(args.pages, args.ocr, args.method, args.ocr_dropout)


if __name__ == "__main__":
    main()
