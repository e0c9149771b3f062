"""SROIE key fields (company, date, address, total): train on the train split, score the test split.

The split is by file (:func:`ocrxtract.datasets.sroie.split_of`: 49 train, 25 test receipts of
the shared folder). The ``sroie`` classifier trains on the train receipts' ground-truth lines;
it is scored on the test receipts' ground-truth lines (``gt``) and end to end on an engine's
reading cached as ``<stem>.json`` Documents in ``--ocr``. Mean F1 over the four fields.

    python benchmarks/fields_sroie.py --root ../shared/datasets/sroie --ocr OCR_DIR
    python benchmarks/fields_sroie.py --root ../shared/datasets/sroie --ceiling

``--ceiling`` prints, per field and split, how many key-file values appear verbatim (spaces
collapsed) in the receipt's transcribed lines, and ignoring spaces and punctuation: what an
extractor that copies the printed text can reach at best under exact matching, whatever its
OCR.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ocrxtract.datasets.base import Sample
from ocrxtract.datasets.registry import get_spec
from ocrxtract.datasets.sroie import discover, load
from ocrxtract.document import Document
from ocrxtract.extract.fields import extract_fields, load_schema
from ocrxtract.extract.fields.scoring import score_extraction
from ocrxtract.fr.text import collapse_whitespace
from ocrxtract.metrics.fields import FieldScores
from ocrxtract.train.fields import Labelled, train_fields


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).upper()


def print_ceiling(samples: list[Sample]) -> None:
    """How many key values the transcribed lines print verbatim, per field and split."""
    printed = {
        s.sample_id: collapse_whitespace(
            " ".join(line.text for p in s.truth.pages for line in p.lines())
        )
        for s in samples
    }
    for split in ("train", "test"):
        chosen = [s for s in samples if s.split == split]
        for name in ("company", "date", "address", "total"):
            values = [(printed[s.sample_id], s.fields[name]) for s in chosen if s.fields.get(name)]
            verbatim = sum(collapse_whitespace(value) in text for text, value in values)
            bare = sum(_bare(value) in _bare(text) for text, value in values)
            print(
                f"{split:5} {name:8} {len(values):3} values: {verbatim:3} printed verbatim, "
                f"{bare:3} ignoring spaces and punctuation"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--ocr", type=Path)
    parser.add_argument("--ceiling", action="store_true", help="print the exact-match ceiling")
    args = parser.parse_args()
    spec = get_spec("sroie")
    samples = [load(item, spec) for item in discover(args.root, spec).items]
    if args.ceiling:
        print_ceiling(samples)
        return
    if args.ocr is None:
        parser.error("--ocr is needed (or --ceiling)")
    train = [s for s in samples if s.split == "train"]
    test = [s for s in samples if s.split == "test"]
    print(f"train {len(train)} receipts, test {len(test)}")
    schema = load_schema("sroie")
    model = train_fields(
        schema, [Labelled(s.truth, dict(s.fields)) for s in train], about={"data": "SROIE train"}
    )
    for method in ("model", "rules"):
        for source in ("gt", "engine"):
            total, n = FieldScores(), 0
            for s in test:
                if source == "gt":
                    document = s.truth
                else:
                    path = args.ocr / f"{s.sample_id}.json"
                    if not path.is_file():
                        continue
                    document = Document.from_json(path.read_text(encoding="utf-8"))
                used = model if method == "model" else None
                result = extract_fields(document, schema, method=method, model=used)
                total += score_extraction(schema, dict(s.fields), result.values())
                n += 1
            per_field = {name: round(c.f1, 3) for name, c in total.per_field.items()}
            mean = sum(per_field.values()) / max(len(per_field), 1)
            print(f"{method:5} {source:6} ({n} receipts) mean F1 {mean:.3f} {per_field}")


if __name__ == "__main__":
    main()
