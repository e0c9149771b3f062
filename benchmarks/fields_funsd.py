"""FUNSD entity labelling (header / question / answer / other) from ground-truth entities.

The FUNSD task: each entity of a form (its words and box given) is labelled header, question,
answer or other; the score is the micro F1 over the header, question and answer entities (an
entity labelled "other" is no entity, as in the B-/I-/O tagging of the published systems).
LayoutLMv3 (base) reports 90.29 F1 with ground-truth words after pre-training on 11 million
pages and fine-tuning on FUNSD's 149 training forms.

Here: a LightGBM classifier over layout features of each entity (its text's shape, size and
place on the page, the entities beside and below it) -- the same kind of model as the fields
classifier, no language model. The shared folder holds only FUNSD's *test* forms, so the score
is a k-fold cross-validation over them, split by form (``--folds``, a form's entities are all in
one fold): each fold is scored by a model trained on the other folds. FUNSD's licence is
non-commercial, research and education: no model trained on it ships with ocrxtract.

    python benchmarks/fields_funsd.py --root ../shared/datasets/funsd-test [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

LABELS = ("other", "header", "question", "answer")
SCORED = ("header", "question", "answer")


@dataclass
class Entity:
    form: str
    text: str
    box: tuple[float, float, float, float]
    lines: int
    label: str


def read_forms(root: Path) -> dict[str, list[Entity]]:
    """Every annotated form of the folder (``gt/*.json`` or ``annotations/*.json``)."""
    folder = root / "gt" if (root / "gt").is_dir() else root / "annotations"
    forms: dict[str, list[Entity]] = {}
    for path in sorted(folder.glob("*.json")):
        entities = []
        for item in json.loads(path.read_text(encoding="utf-8"))["form"]:
            words = [w for w in item.get("words", []) if w.get("text", "").strip()]
            if not words:
                continue
            tops = sorted({round(w["box"][1] / 8) for w in words})
            x0, y0, x1, y1 = (float(v) for v in item["box"])
            entities.append(Entity(path.stem, item["text"].strip(), (x0, y0, x1, y1), len(tops),
                                   item["label"]))  # fmt: skip
        forms[path.stem] = entities
    return forms


def _neighbour(entity: Entity, others: list[Entity], where: str) -> Entity | None:
    x0, y0, x1, y1 = entity.box
    best, distance = None, float("inf")
    for other in others:
        if other is entity:
            continue
        a0, b0, a1, b1 = other.box
        same_row = min(y1, b1) - max(y0, b0) > 0.3 * min(y1 - y0, b1 - b0)
        if where == "right" and same_row and a0 >= x1 - 2:
            d = a0 - x1
        elif where == "left" and same_row and a1 <= x0 + 2:
            d = x0 - a1
        elif where == "below" and b0 >= y1 - 2 and min(x1, a1) - max(x0, a0) > 0:
            d = b0 - y1
        elif where == "above" and b1 <= y0 + 2 and min(x1, a1) - max(x0, a0) > 0:
            d = y0 - b1
        else:
            continue
        if d < distance:
            best, distance = other, d
    return best


def _shape(text: str) -> list[float]:
    n = max(len(text), 1)
    letters = [c for c in text if c.isalpha()]
    return [
        float(len(text)),
        float(len(text.split())),
        sum(c.isdigit() for c in text) / n,
        sum(c.isupper() for c in letters) / max(len(letters), 1),
        float(text.rstrip().endswith(":")),
        float(":" in text),
        float(text.rstrip().endswith("?")),
        float(text.istitle()),
    ]


def features(entity: Entity, page: list[Entity]) -> list[float]:
    """Layout features of one entity among its form's entities."""
    width = max(e.box[2] for e in page) or 1.0
    height = max(e.box[3] for e in page) or 1.0
    heights = [(e.box[3] - e.box[1]) / e.lines for e in page]
    line_height = statistics.median(heights) or 1.0
    x0, y0, x1, y1 = entity.box
    row = [
        x0 / width, y0 / height, x1 / width, y1 / height, (x1 - x0) / width,
        float(entity.lines), (y1 - y0) / entity.lines / line_height,
    ]  # fmt: skip
    row += _shape(entity.text)
    for where in ("right", "left", "below", "above"):
        other = _neighbour(entity, page, where)
        if other is None:
            row += [0.0, -1.0, 0.0, 0.0, 0.0]
            continue
        gap = (other.box[0] - x1) if where == "right" else (x0 - other.box[2])
        if where in ("below", "above"):
            gap = (other.box[1] - y1) if where == "below" else (y0 - other.box[3])
        o_shape = _shape(other.text)
        row += [1.0, gap / line_height, o_shape[4], o_shape[2], o_shape[0]]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    import lightgbm as lgb
    import numpy as np

    forms = read_forms(args.root)
    fold_of = {name: zlib.crc32(name.encode()) % args.folds for name in forms}
    rows = {name: [features(e, ents) for e in ents] for name, ents in forms.items()}
    counts = {label: [0, 0, 0] for label in SCORED}  # tp, fp, fn
    start = time.perf_counter()
    for fold in range(args.folds):
        train = [n for n in forms if fold_of[n] != fold]
        test = [n for n in forms if fold_of[n] == fold]
        if not test:
            continue
        x = [r for n in train for r in rows[n]]
        y = [LABELS.index(e.label) for n in train for e in forms[n]]
        params = {"objective": "multiclass", "num_class": len(LABELS), "learning_rate": 0.05,
                  "num_leaves": 15, "min_data_in_leaf": 5, "verbose": -1,
                  "deterministic": True, "num_threads": 1, "seed": 0}  # fmt: skip
        model = lgb.train(params, lgb.Dataset(np.array(x), np.array(y)), num_boost_round=300)
        for name in test:
            predicted = model.predict(np.array(rows[name])).argmax(axis=1)
            for entity, index in zip(forms[name], predicted, strict=True):
                guess, truth = LABELS[index], entity.label
                if guess == truth and truth in counts:
                    counts[truth][0] += 1
                    continue
                if guess in counts:
                    counts[guess][1] += 1
                if truth in counts:
                    counts[truth][2] += 1
    seconds = time.perf_counter() - start
    tp = sum(c[0] for c in counts.values())
    fp = sum(c[1] for c in counts.values())
    fn = sum(c[2] for c in counts.values())
    n_entities = sum(len(e) for e in forms.values())
    print(f"{len(forms)} forms, {n_entities} entities, {args.folds}-fold cross-validation by form "
          f"({seconds:.1f} s)")  # fmt: skip
    for label, (t, f, n) in counts.items():
        f1 = 2 * t / max(2 * t + f + n, 1)
        print(f"  {label:9} F1 {f1:.3f}  (tp {t}, fp {f}, fn {n})")
    micro = 2 * tp / max(2 * tp + fp + fn, 1)
    print(f"entity labelling micro F1 {micro:.3f} (LayoutLMv3 base, published: 0.903)")


if __name__ == "__main__":
    main()
