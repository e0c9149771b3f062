"""Entity labels of a form (``header``, ``question``, ``answer``, ``other``: FUNSD's label set).

Two labellers behind :func:`label_entities`:

* ``rules`` (no training data): a phrase ending with a colon or a question mark is a question;
  the phrase to its right on the same row, else the ones just below it (a column under its
  header), is an answer; a short
  capitalised phrase standing alone on its row above the first question, or taller than the
  page's text, is a header; the rest is other.
* ``model``: a LightGBM classifier over the layout of each entity (its text's shape, size and
  place on the page, the entities beside and below it), no language model; trained on labelled
  forms (FUNSD's JSON) by ``ocrxtract train fields --schema funsd --dataset FOLDER`` and saved as
  LightGBM's text model next to a JSON card (:mod:`ocrxtract.extract.boosters`). FUNSD's
  licence (non-commercial, research and education) forbids shipping a model trained on it: none
  ships.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocrxtract.errors import UsageError
from ocrxtract.extract.boosters import BoosterModel, lightgbm_module, load_booster
from ocrxtract.extract.forms.entities import Entity

LABELS = ("other", "header", "question", "answer")
#: The labels that are scored (an entity labelled ``other`` is no entity, as in the B-/I-/O
#: tagging of the published systems).
SCORED = ("header", "question", "answer")
SIDES = ("right", "left", "below", "above")
SHAPE_NAMES = (
    "chars",
    "words",
    "digits",
    "upper",
    "ends_colon",
    "has_colon",
    "ends_qmark",
    "title",
)
FEATURE_NAMES = (
    "x0",
    "y0",
    "x1",
    "y1",
    "width",
    "lines",
    "height",
    *SHAPE_NAMES,
    *(f"{side}_{name}" for side in SIDES for name in ("found", "gap", "colon", "digits", "chars")),
)
PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": len(LABELS),
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 5,
    "verbose": -1,
    "deterministic": True,
    "num_threads": 1,
    "seed": 0,
}
ROUNDS = 300


def same_row(a: Entity, b: Entity) -> bool:
    """Whether two entities share a row (their heights overlap by 30 % of the smaller)."""
    overlap = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
    return overlap > 0.3 * min(a.box[3] - a.box[1], b.box[3] - b.box[1])


def neighbour(entity: Entity, page: list[Entity], side: str) -> tuple[Entity | None, float]:
    """The nearest entity of ``page`` on ``side`` of ``entity`` and the gap to it (pixels)."""
    x0, y0, x1, y1 = entity.box
    best, distance = None, float("inf")
    for other in page:
        if other is entity:
            continue
        a0, b0, a1, b1 = other.box
        if side == "right" and same_row(entity, other) and a0 >= x1 - 2:
            d = a0 - x1
        elif side == "left" and same_row(entity, other) and a1 <= x0 + 2:
            d = x0 - a1
        elif side == "below" and b0 >= y1 - 2 and min(x1, a1) - max(x0, a0) > 0:
            d = b0 - y1
        elif side == "above" and b1 <= y0 + 2 and min(x1, a1) - max(x0, a0) > 0:
            d = y0 - b1
        else:
            continue
        if d < distance:
            best, distance = other, d
    return best, distance


def shape(text: str) -> list[float]:
    """What a phrase's characters look like (:data:`SHAPE_NAMES`)."""
    n = max(len(text), 1)
    letters = [c for c in text if c.isalpha()]
    stripped = text.rstrip()
    return [
        float(len(text)),
        float(len(text.split())),
        sum(c.isdigit() for c in text) / n,
        sum(c.isupper() for c in letters) / max(len(letters), 1),
        float(stripped.endswith(":")),
        float(":" in text),
        float(stripped.endswith("?")),
        float(text.istitle()),
    ]


def line_height(page: list[Entity]) -> float:
    """The median height of one text line on the page."""
    return statistics.median((e.box[3] - e.box[1]) / e.lines for e in page) or 1.0


def page_features(page: list[Entity]) -> list[list[float]]:
    """Layout features (:data:`FEATURE_NAMES`) of each entity of one page, among the others."""
    width = max((e.box[2] for e in page), default=0.0) or 1.0
    height = max((e.box[3] for e in page), default=0.0) or 1.0
    unit = line_height(page) if page else 1.0
    rows = []
    for entity in page:
        x0, y0, x1, y1 = entity.box
        row = [
            x0 / width,
            y0 / height,
            x1 / width,
            y1 / height,
            (x1 - x0) / width,
            float(entity.lines),
            (y1 - y0) / entity.lines / unit,
        ]
        row += shape(entity.text)
        for side in SIDES:
            other, gap = neighbour(entity, page, side)
            if other is None:
                row += [0.0, -1.0, 0.0, 0.0, 0.0]
                continue
            o_shape = shape(other.text)
            row += [1.0, gap / unit, o_shape[4], o_shape[2], o_shape[0]]
        rows.append(row)
    return rows


def _is_question(text: str) -> bool:
    stripped = text.rstrip()
    return stripped.endswith((":", "?")) and any(c.isalpha() for c in stripped)


def _looks_like_header(
    entity: Entity, page: list[Entity], first_question_top: float, unit: float
) -> bool:
    letters = [c for c in entity.text if c.isalpha()]
    if len(letters) < 3 or entity.text.rstrip().endswith(":"):
        return False
    capitals = sum(c.isupper() for c in letters) / len(letters)
    tall = (entity.box[3] - entity.box[1]) / entity.lines >= 1.3 * unit
    alone = not any(same_row(entity, o) for o in page if o is not entity)
    return capitals >= 0.8 and (tall or (alone and entity.box[3] <= first_question_top))


def rule_labels(page: list[Entity]) -> list[tuple[str, float]]:
    """Label and confidence of each entity of one page by layout rules (no training)."""
    labels: list[tuple[str, float]] = [("other", 0.5)] * len(page)
    if not page:
        return labels
    unit = line_height(page)
    width = max(e.box[2] for e in page)
    index_of = {id(e): i for i, e in enumerate(page)}
    questions = [i for i, e in enumerate(page) if _is_question(e.text)]
    for i in questions:
        labels[i] = ("question", 0.9)
    for i in questions:
        right, gap = neighbour(page[i], page, "right")
        if right is not None and not _is_question(right.text) and gap < 0.5 * width:
            labels[index_of[id(right)]] = ("answer", 0.7)
            continue
        # A label over its value, or a column header over the column's values.
        below, gap = neighbour(page[i], page, "below")
        while below is not None and not _is_question(below.text) and gap < 2 * unit:
            index = index_of[id(below)]
            if labels[index][0] != "other":
                break
            labels[index] = ("answer", 0.6)
            below, gap = neighbour(below, page, "below")
    first_question_top = min((page[i].box[1] for i in questions), default=float("inf"))
    for i, entity in enumerate(page):
        if labels[i][0] == "other" and _looks_like_header(entity, page, first_question_top, unit):
            labels[i] = ("header", 0.6)
    return labels


@dataclass
class FormModel(BoosterModel):
    """A trained entity labeller and its card."""

    def predict(self, page: list[Entity]) -> list[tuple[str, float]]:
        """Label and probability of each entity of one page."""
        if not page:
            return []
        import numpy as np

        matrix = np.asarray(page_features(page), dtype=np.float64)
        probabilities = self.booster.predict(matrix, num_threads=1)
        return [(LABELS[int(p.argmax())], float(p.max())) for p in probabilities]


def train_form_model(pages: list[list[Entity]], card: dict[str, Any]) -> FormModel:
    """Train the labeller on labelled pages (each entity's ``label`` is the truth).

    Raises:
        UsageError: no labelled entity to learn from.
    """
    import numpy as np

    rows = [row for page in pages for row in page_features(page)]
    labels = [LABELS.index(e.label) for page in pages for e in page]
    if not rows:
        raise UsageError(
            "no labelled entities to train the form model on; give a folder of FUNSD-style "
            "annotations (gt/*.json or annotations/*.json)"
        )
    lightgbm = lightgbm_module("train the form model")
    data = lightgbm.Dataset(
        np.asarray(rows, dtype=np.float64),
        label=labels,
        feature_name=list(FEATURE_NAMES),
        free_raw_data=True,
    )
    booster = lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)
    card = {
        **card,
        "labels": list(LABELS),
        "features": list(FEATURE_NAMES),
        "params": PARAMS,
        "rounds": ROUNDS,
        "pages": len(pages),
        "entities": len(rows),
    }
    return FormModel(booster, card)


def load_form_model(path: str | Path) -> FormModel:
    """Load ``<name>.lgb.txt`` + ``<name>.json`` (``path`` is either file or the stem).

    Raises:
        InputError: missing or unreadable files, or a card for other features or labels.
    """
    booster, card = load_booster(
        path,
        "form model",
        "ocrxtract train fields --schema funsd",
        {"features": list(FEATURE_NAMES), "labels": list(LABELS)},
    )
    return FormModel(booster, card)


def label_entities(entities: list[Entity], model: FormModel | None = None) -> list[Entity]:
    """Set each entity's ``label`` and ``confidence``, page by page (``model``: the trained
    labeller, else the rules). Returns the same entities."""
    for page in sorted({e.page for e in entities}):
        on_page = [e for e in entities if e.page == page]
        found = model.predict(on_page) if model is not None else rule_labels(on_page)
        for entity, (label, confidence) in zip(on_page, found, strict=True):
            entity.label = label
            entity.confidence = confidence
    return entities
