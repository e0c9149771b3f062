"""Choose each fields model's probability threshold on a validation set of its own.

Usage (from the repository root; OCR cached as Document JSON per page, as for fields_eval.py):

    python benchmarks/fields_threshold.py --pages DIR --ocr DIR [--ocr-dropout DIR] [--write]

``--pages``: a generated set that neither trained the models nor serves as a test set (the
validation set is dataset seed 20264: ``ocrxtract datasets generate synthetic-fr --seed 20264
--n 150 --dpi 200`` with the five types and the ``scan`` and ``photo`` difficulties);
``--ocr``: one engine's reading of its images (``--ocr-dropout``: the same with red ink removed,
used for the types whose schema asks for it, as ``ocrxtract extract`` does). Prints the micro F1
of each schema at each threshold; ``--write`` stores the best one (ties: the higher threshold,
which returns fewer wrong values) in the model card ``models/fields/<schema>.json``, with the
F1 curve it was read from.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from fields_eval import pages

from ocrxtract.extract.fields import extract_fields
from ocrxtract.extract.fields.api import shipped_model
from ocrxtract.extract.fields.model import THRESHOLD, FieldModel
from ocrxtract.extract.fields.schema import schema_for_doc_type
from ocrxtract.extract.fields.scoring import score_extraction
from ocrxtract.metrics.fields import FieldScores

THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
MODELS = Path(__file__).resolve().parents[1] / "models" / "fields"


def curves(
    pages_dir: Path, ocr_dir: Path, dropout_dir: Path | None
) -> dict[str, dict[float, float]]:
    """Schema -> threshold -> micro F1 on the pages."""
    scores: dict[str, dict[float, FieldScores]] = collections.defaultdict(
        lambda: collections.defaultdict(FieldScores)
    )
    for truth, document in pages(pages_dir, ocr_dir, dropout_dir):
        schema = schema_for_doc_type(truth.doc_type)
        if schema is None:
            continue
        trained = shipped_model(schema.name)
        assert trained is not None, f"no shipped model for {schema.name}"
        reference = {k: v.value for k, v in truth.fields.items()}
        for threshold in THRESHOLDS:
            model = FieldModel(trained.booster, {**trained.card, "threshold": threshold})
            found = extract_fields(document, schema, method="model", model=model)
            scores[schema.name][threshold] += score_extraction(schema, reference, found.values())
    return {
        name: {t: round(s.micro.f1, 4) for t, s in by_threshold.items()}
        for name, by_threshold in scores.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--ocr", type=Path, required=True)
    parser.add_argument("--ocr-dropout", type=Path, default=None)
    parser.add_argument("--write", action="store_true", help="store the best in the cards")
    parser.add_argument(
        "--about", default="", help="what the validation pages are, for the card (with --write)"
    )
    args = parser.parse_args()
    found = curves(args.pages, args.ocr, args.ocr_dropout)
    print("schema        " + " ".join(f"{t:>6}" for t in THRESHOLDS) + "   best")
    for name in sorted(found):
        curve = found[name]
        best = max(THRESHOLDS, key=lambda t: (curve[t], -abs(t - THRESHOLD)))
        print(f"{name:13} " + " ".join(f"{curve[t]:6.3f}" for t in THRESHOLDS) + f"   {best}")
        if args.write:
            path = MODELS / f"{name}.json"
            card = json.loads(path.read_text(encoding="utf-8"))
            card["threshold"] = best
            card["threshold_validation"] = {
                "pages": args.about or str(args.pages),
                "micro_f1_by_threshold": {str(t): curve[t] for t in THRESHOLDS},
                "command": "python benchmarks/fields_threshold.py --pages DIR --ocr DIR "
                "--ocr-dropout DIR --write",
            }
            path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
