"""Synthetic French administrative documents with exact ground truth (the embedded dataset).

Real payslips, rent receipts and identity cards cannot be published, so ocrxtract draws its own:
seven document types (:data:`DOCUMENT_TYPES`) laid out like the real ones, with French values
from Faker's ``fr_FR`` locale and valid check digits (SIREN/SIRET, IBAN, NIR, MRZ), rendered with
Debian fonts, then degraded to named difficulty levels (:data:`LEVELS`). Every word box is the
exact bounds of its ink, and geometric degradations move the boxes with the image.

>>> from ocrxtract.datasets.synthetic import render_page
>>> page = render_page("quittance-de-loyer", seed=3, difficulty="scan", dpi=150)  # doctest: +SKIP
>>> page.truth.fields["total"].value, page.text[:40]  # doctest: +SKIP

On the command line: ``ocrxtract datasets generate synthetic-fr --n 200 --seed 0 --out DIR`` and
``ocrxtract datasets contact-sheet --out sheet.png``. The registry's ``synthetic-fr`` dataset is
generated on first use (:func:`ensure_default_set`).
"""

from __future__ import annotations

from ocrxtract.datasets.synthetic.degrade import LEVELS, degrade
from ocrxtract.datasets.synthetic.generator import (
    DOCUMENT_TYPES,
    render_clean,
    render_page,
    templates,
)
from ocrxtract.datasets.synthetic.loader import iter_folder, read_truth
from ocrxtract.datasets.synthetic.truth import FieldTruth, PageTruth, RenderedPage
from ocrxtract.datasets.synthetic.writer import (
    default_root,
    ensure_default_set,
    generate_dataset,
    read_manifest,
)

__all__ = [
    "DOCUMENT_TYPES",
    "LEVELS",
    "FieldTruth",
    "PageTruth",
    "RenderedPage",
    "default_root",
    "degrade",
    "ensure_default_set",
    "generate_dataset",
    "iter_folder",
    "read_manifest",
    "read_truth",
    "render_clean",
    "render_page",
    "templates",
]
