"""The generated French sample pages (:func:`ocrxtract.sample.render_sample_page`) as a dataset.

Seeds ``0 .. count-1`` are the samples (``count`` from ``source.count`` in ``datasets.yml``);
pages are rendered at the dataset's ``render_dpi`` with exact word boxes, so no file is needed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample, ScorableLine
from ocrxtract.datasets.registry import DatasetSpec

log = logging.getLogger(__name__)

DEFAULT_COUNT = 5


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """One item per seed; nothing is read from disk."""
    count = spec.source.count or DEFAULT_COUNT
    items = [
        Item(f"seed-{seed:04d}", spec.default_split, extra={"seed": seed}) for seed in range(count)
    ]
    return Discovery(root=None, items=items, layout="generated")


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Render one sample page (its image is kept: the page loader returns it)."""
    from ocrxtract.sample import render_sample_page

    seed = int(str(item.extra["seed"]))
    rendered = render_sample_page(seed=seed, dpi=spec.render_dpi)
    page = rendered.truth.pages[0]
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=(PageRef(path=None, loader=lambda: rendered.page),),
        truth=rendered.truth,
        text=rendered.text,
        split=item.split,
        dpi=float(spec.render_dpi),
        scorable_lines=tuple(
            ScorableLine(page_index=0, bbox=line.bbox, text=line.text) for line in page.lines()
        ),
        notes=("generated page: exact ground truth",),
    )
