"""Read a generated dataset folder back into :class:`~ocrxtract.datasets.Sample` objects.

This is the registry's loader for format ``synthetic``: :func:`discover` lists the pages of the
manifest (generating the default set first when the registry found no folder), :func:`load`
reads one page's ground truth. Samples are split by difficulty (``clean``, ``scan``, ``fax``,
``lowdpi``, ``photo``), so ``load_dataset("synthetic-fr", split="photo")`` gives the phone photos.

The reference text is the clean page's lines in visual rows (:func:`.truth.reference_text`), the
row order of the SROIE and FUNSD references. Key fields keep their boxes in the JSON
(:func:`read_truth`); :attr:`Sample.fields` holds their values.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample, ScorableLine
from ocrxtract.datasets.synthetic.truth import PageTruth
from ocrxtract.datasets.synthetic.writer import (
    DEFAULT_COUNT,
    DEFAULT_FOLDER,
    DEFAULT_SEED,
    ensure_default_set,
    read_manifest,
)
from ocrxtract.errors import CorruptInputError, InputNotFoundError

if TYPE_CHECKING:
    from ocrxtract.datasets.registry import DatasetSpec

log = logging.getLogger(__name__)


def read_truth(path: Path) -> PageTruth:
    """One page's ground truth (boxes of words, lines, fields and table cells).

    Raises:
        InputNotFoundError: no such file.
        CorruptInputError: not a valid ground-truth JSON.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputNotFoundError(
            path, "ground-truth file not found", "generate the set again"
        ) from exc
    try:
        return PageTruth.from_json(data)
    except ValidationError as exc:
        raise CorruptInputError(
            path,
            f"not a synthetic page ground truth ({exc.error_count()} errors)",
            "generate the set again",
        ) from exc


def discover_folder(root: Path, split: str | None = None) -> Discovery:
    """The pages listed in ``root``'s manifest (files checked to exist)."""
    manifest = read_manifest(root)
    found = Discovery(root=root, layout=f"ocrxtract-synthetic v{manifest['version']}")
    for entry in manifest["samples"]:
        image, truth = root / entry["image"], root / entry["truth"]
        if not image.is_file() or not truth.is_file():
            found.skipped.append((entry["sample_id"], "image or ground truth missing"))
            continue
        found.items.append(
            Item(
                entry["sample_id"],
                entry.get("difficulty") or split,
                {"image": image, "gt": truth},
                {"doc_type": entry["doc_type"], "template": entry.get("template", "")},
            )
        )
    return found


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """List the pages of the dataset folder; without one, generate the default set first.

    The default set goes to ``$OCRXTRACT_DATA_DIR/<folder>`` with ``source.count`` pages at
    ``render_dpi`` from ``source.seed``, cycling through ``source.types`` and
    ``source.difficulties`` (see :func:`~.writer.ensure_default_set`): generated once, reused
    after.
    """
    if root is None:
        from ocrxtract.datasets.registry import data_dir

        root = ensure_default_set(
            data_dir() / (spec.folder or DEFAULT_FOLDER),
            n=spec.source.count or DEFAULT_COUNT,
            dpi=spec.render_dpi,
            seed=spec.source.seed if spec.source.seed is not None else DEFAULT_SEED,
            types=spec.source.types,
            difficulties=spec.source.difficulties,
        )
    return discover_folder(root, spec.default_split)


def sample_from_truth(truth: PageTruth, image: Path, dataset: str, split: str | None) -> Sample:
    """A :class:`Sample` from a page's ground truth and its image file."""
    page = truth.document.pages[0]
    notes = [
        f"generated {truth.doc_type} ({truth.template}), difficulty {truth.difficulty}: "
        "exact ground truth"
    ]
    if truth.degradation.params:
        notes.append(
            "degradation: "
            + ", ".join(f"{k}={v}" for k, v in truth.degradation.params.items())
            + f" ({truth.degradation.backend})"
        )
    return Sample(
        dataset=dataset,
        sample_id=truth.sample_id,
        pages=(PageRef(path=image),),
        truth=truth.document,
        text=truth.text,
        split=split,
        dpi=truth.dpi,
        scorable_lines=tuple(
            ScorableLine(page_index=0, bbox=line.bbox, text=line.text) for line in page.lines()
        ),
        fields={name: field.value for name, field in truth.fields.items()},
        tables=tuple(truth.tables),
        notes=tuple(notes),
        tags={"doc_type": truth.doc_type, "difficulty": truth.difficulty},
    )


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Read one generated page."""
    truth = read_truth(item.files["gt"])
    return sample_from_truth(truth, item.files["image"], spec.name, item.split)


def iter_folder(root: Path, dataset: str = "synthetic-fr") -> Iterator[Sample]:
    """Every sample of a generated folder (``ocrxtract datasets generate --out DIR``)."""
    for item in discover_folder(Path(root)).items:
        yield sample_from_truth(
            read_truth(item.files["gt"]), item.files["image"], dataset, item.split
        )
