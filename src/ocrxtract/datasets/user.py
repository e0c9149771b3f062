"""Your own documents as datasets: folders registered once, kept outside the repository.

``ocrxtract datasets add NAME FOLDER`` writes an entry in the *user registry*, a YAML file in
your configuration folder (``$OCRXTRACT_USER_DATASETS``, else
``$XDG_CONFIG_HOME/ocrxtract/datasets.yml``, default ``~/.config/ocrxtract/datasets.yml``). Its
entries are read with ``datasets.yml``'s (:func:`ocrxtract.datasets.registry.load_registry`),
so a registered folder works wherever a dataset name does: ``ocrxtract bench --datasets NAME``,
campaigns, the app. The folder format is :mod:`ocrxtract.datasets.folder` (documents with
``.txt``/``.xml``/``.fields.json``/``.tables.html`` ground truth beside them). Nothing is
copied: the entry holds the folder's path.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ocrxtract.datasets.registry import (
    DatasetSpec,
    load_registry,
    read_user_registry,
    user_registry_path,
)
from ocrxtract.errors import InputNotFoundError, UsageError
from ocrxtract.io.atomic import write_text_atomically

log = logging.getLogger(__name__)

#: Metrics measured on a folder of your own (those without their ground truth are skipped).
FOLDER_METRICS = ("cer", "oi_cer", "wer", "bow_f1", "field_f1", "teds")
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def folder_spec(
    name: str, folder: Path, *, language: str = "fra", kind: str = "administrative"
) -> DatasetSpec:
    """The declaration of a folder of documents as dataset ``name``.

    Raises:
        UsageError: a name that is not lower-case letters, digits, ``.``, ``_`` or ``-``.
        InputNotFoundError: the folder does not exist.
    """
    if not _NAME.match(name):
        raise UsageError(
            f"dataset name {name!r}: use lower-case letters, digits, '.', '_' or '-' "
            "(e.g. mes-bulletins)"
        )
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise InputNotFoundError(folder, "no such folder", "give the folder of your documents")
    try:
        return DatasetSpec(
            name=name,
            title=f"Your documents in {folder.name}",
            kind=kind,  # type: ignore[arg-type]
            language=language,
            format="folder",
            tasks=("ocr", "fields", "tables"),
            license="private (your documents)",
            headline={"metric": "cer", "normalisation": "exact"},  # type: ignore[arg-type]
            metrics=FOLDER_METRICS,
            root=folder,
            notes="registered with ocrxtract datasets add",
        )
    except ValidationError as exc:
        raise UsageError(f"cannot declare {name!r}: {exc}") from exc


def folder_dataset_name(folder: Path) -> str:
    """The dataset name a folder gets when it is benchmarked without being registered
    (``ocrxtract bench --folder``, the app's leaderboard): ``folder-`` and its name."""
    return "folder-" + (
        re.sub(r"[^a-z0-9._-]+", "-", Path(folder).resolve().name.lower()) or "docs"
    )


def _write(specs: dict[str, DatasetSpec], path: Path) -> None:
    entries: list[dict[str, Any]] = [
        spec.model_dump(mode="json", exclude_defaults=True) | {"name": spec.name}
        for spec in specs.values()
    ]
    header = "# Your own datasets (ocrxtract datasets add NAME FOLDER). Paths are never copied.\n"
    write_text_atomically(path, header + yaml.safe_dump({"datasets": entries}, allow_unicode=True))


def add_user_dataset(spec: DatasetSpec, *, replace: bool = False) -> Path:
    """Record ``spec`` in the user registry; returns the registry file.

    Raises:
        UsageError: the name is taken by ``datasets.yml``, or by a user dataset (unless
            ``replace``).
    """
    path = user_registry_path()
    mine = read_user_registry(path)
    taken = set(load_registry(include_user=False))
    if spec.name in taken or (spec.name in mine and not replace):
        raise UsageError(
            f"dataset name {spec.name!r} is already taken; choose another name"
            + ("" if spec.name in taken else " (or --replace)")
        )
    mine[spec.name] = spec
    _write(mine, path)
    return path


def remove_user_dataset(name: str) -> Path:
    """Forget a user dataset (its folder is left as it is).

    Raises:
        UsageError: no user dataset has that name.
    """
    path = user_registry_path()
    mine = read_user_registry(path)
    if name not in mine:
        known = ", ".join(mine) or "none"
        raise UsageError(f"no dataset {name!r} of yours; yours: {known}")
    del mine[name]
    _write(mine, path)
    return path
