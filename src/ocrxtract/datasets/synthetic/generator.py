"""One generated page: draw a document type from a seed, then degrade it, with its ground truth.

>>> page = render_page("facture", seed=7, difficulty="scan", dpi=150)  # doctest: +SKIP
>>> page.image.size, page.truth.fields["total_ttc"].value  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from types import ModuleType

from ocrxtract.datasets.synthetic.documents.common import Context, Draft
from ocrxtract.datasets.synthetic.truth import PageTruth, RenderedPage, reference_text
from ocrxtract.document import Document, Page, Provenance
from ocrxtract.errors import UsageError

log = logging.getLogger(__name__)

#: Document type -> module drawing it (``render(ctx) -> Draft``).
DOCUMENT_TYPES: dict[str, str] = {
    "bulletin-de-salaire": "ocrxtract.datasets.synthetic.documents.payslip",
    "quittance-de-loyer": "ocrxtract.datasets.synthetic.documents.rent_receipt",
    "carte-identite": "ocrxtract.datasets.synthetic.documents.id_card",
    "ticket-de-caisse": "ocrxtract.datasets.synthetic.documents.receipt",
    "facture": "ocrxtract.datasets.synthetic.documents.invoice",
    "tableau-statistique": "ocrxtract.datasets.synthetic.documents.stats_table",
    "courrier-administratif": "ocrxtract.datasets.synthetic.documents.letter",
}
GROUND_TRUTH_ENGINE = "ground-truth"
GENERATOR_VERSION = "ocrxtract-synthetic/1"
DEFAULT_DPI = 300


@lru_cache(maxsize=16)
def _module(doc_type: str) -> ModuleType:
    if doc_type not in DOCUMENT_TYPES:
        raise UsageError(
            f"unknown document type {doc_type!r}; known types: {', '.join(DOCUMENT_TYPES)}"
        )
    return importlib.import_module(DOCUMENT_TYPES[doc_type])


def templates(doc_type: str) -> tuple[str, ...]:
    """The template names of ``doc_type``."""
    return tuple(_module(doc_type).TEMPLATES)


def draft_to_truth(draft: Draft, doc_type: str, seed: int, sample_id: str) -> PageTruth:
    """The clean page's ground truth from a finished draft."""
    canvas = draft.canvas
    width, height = canvas.image.size
    page = Page(
        index=0,
        width=width,
        height=height,
        dpi=float(canvas.dpi),
        blocks=canvas.blocks,
        provenance=Provenance(
            engine=GROUND_TRUTH_ENGINE,
            engine_version=GENERATOR_VERSION,
            notes=["generated page: exact word boxes (ink bounds of each rendered word)"],
        ),
    )
    document = Document(
        source=sample_id,
        pages=[page],
        metadata={"doc_type": doc_type, "template": draft.template, "seed": str(seed)},
    )
    return PageTruth(
        sample_id=sample_id,
        doc_type=doc_type,
        template=draft.template,
        seed=seed,
        width=width,
        height=height,
        dpi=float(canvas.dpi),
        text=reference_text(page),
        document=document,
        fields=dict(canvas.fields),
        tables=list(draft.tables),
    )


def render_clean(
    doc_type: str, seed: int, dpi: int = DEFAULT_DPI, sample_id: str | None = None
) -> RenderedPage:
    """Draw document type ``doc_type`` from ``seed`` at ``dpi``, without degradation.

    Raises:
        UsageError: unknown document type.
        FontNotFoundError: a font the template needs is not installed (names the package).
        MissingDependencyError: Faker is not installed.
    """
    module = _module(doc_type)
    draft: Draft = module.render(Context(seed=seed, dpi=dpi))
    sample_id = sample_id or f"{doc_type}-{seed}"
    truth = draft_to_truth(draft, doc_type, seed, sample_id)
    return RenderedPage(image=draft.canvas.image, truth=truth)


def render_page(
    doc_type: str,
    seed: int,
    difficulty: str = "clean",
    dpi: int = DEFAULT_DPI,
    sample_id: str | None = None,
    *,
    backend: str = "native",
) -> RenderedPage:
    """Draw ``doc_type`` from ``seed`` and degrade it to ``difficulty``.

    The returned image holds the same pixels as the file :mod:`.writer` saves (lossy formats
    are encoded and decoded here).

    Raises:
        UsageError: unknown document type or difficulty.
    """
    from ocrxtract.datasets.synthetic.degrade import degrade

    clean = render_clean(doc_type, seed, dpi, sample_id)
    return degrade(clean, difficulty, seed=seed, backend=backend)
