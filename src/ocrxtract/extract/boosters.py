"""Trained LightGBM models stored safely, never pickled: LightGBM's own text model
(``<name>.lgb.txt``) next to a JSON card (``<name>.json``: what it was trained on, how, its
scores). Shared by the fields classifier (:mod:`ocrxtract.extract.fields.model`) and the form
labeller (:mod:`ocrxtract.extract.forms.labelling`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocrxtract.errors import InputError, MissingDependencyError


def lightgbm_module(purpose: str) -> Any:
    """The ``lightgbm`` module.

    Raises:
        MissingDependencyError: not installed (``purpose`` says what needed it).
    """
    try:
        import lightgbm
    except ImportError as exc:
        raise MissingDependencyError(
            "lightgbm", purpose, "pip install 'ocrxtract[fields]'"
        ) from exc
    return lightgbm


@dataclass
class BoosterModel:
    """A trained LightGBM booster and its card."""

    booster: Any
    card: dict[str, Any]

    def save(self, folder: Path, name: str) -> tuple[Path, Path]:
        """Write ``<name>.lgb.txt`` and ``<name>.json`` atomically in ``folder``."""
        from ocrxtract.io.atomic import write_text_atomically

        folder.mkdir(parents=True, exist_ok=True)
        model = write_text_atomically(folder / f"{name}.lgb.txt", self.booster.model_to_string())
        card = write_text_atomically(
            folder / f"{name}.json", json.dumps(self.card, indent=2, ensure_ascii=False) + "\n"
        )
        return model, card


def load_booster(
    path: str | Path, what: str, train_command: str, expected: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """Read ``<name>.lgb.txt`` + ``<name>.json`` (``path`` is either file or the stem): the
    booster and its card, whose ``expected`` entries (feature names, labels) must match.

    Raises:
        InputError: missing or unreadable files, or a card for other ``expected`` entries; the
            message names the ``what`` and the ``train_command`` that makes one.
    """
    path = Path(path)
    stem = path.name.removesuffix(".json").removesuffix(".lgb.txt")
    model_file, card_file = path.parent / f"{stem}.lgb.txt", path.parent / f"{stem}.json"
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
        text = model_file.read_text(encoding="utf-8")
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(
            model_file,
            f"cannot read the {what} or its card: {exc}",
            f"train one with `{train_command}`",
        ) from exc
    if any(card.get(key) != value for key, value in expected.items()):
        raise InputError(
            card_file,
            f"the {what} was trained on other {' or '.join(expected)}",
            f"retrain it with `{train_command}`",
        )
    return lightgbm_module(f"run the {what}").Booster(model_str=text), card
