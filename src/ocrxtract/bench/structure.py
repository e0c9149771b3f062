"""Scoring structure readings: one summable score per document, and the generated corpus.

:class:`StructureScore` gathers the structure metrics of :mod:`ocrxtract.metrics.structure`
for one document (headings with and without levels, the heading tree, text coverage,
furniture removal, seconds and pages) and adds up over a corpus (micro averages).
:func:`evaluate_generated` scores :func:`~ocrxtract.extract.structure.structure_of_pdf` on
PDFs drawn by :func:`~ocrxtract.datasets.synthetic.structured_pdf.make_structured_pdf`;
:func:`read_heading_truth` reads a hand-checked heading list (``tests/data/structure``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ocrxtract.datasets.synthetic.structured_pdf import PdfStyle, make_structured_pdf
from ocrxtract.extract.structure import StructureDocument, structure_of_pdf
from ocrxtract.metrics.counts import MatchCounts
from ocrxtract.metrics.structure import (
    CoverageCounts,
    furniture_removal,
    heading_counts,
    text_coverage,
    tree_counts,
)


@dataclass
class StructureScore:
    """Structure metrics of one document or, added up, of a corpus."""

    headings: MatchCounts = field(default_factory=MatchCounts)
    headings_text: MatchCounts = field(default_factory=MatchCounts)
    tree_distance: int = 0
    tree_size: int = 0
    coverage: CoverageCounts = field(default_factory=CoverageCounts)
    furniture: CoverageCounts = field(default_factory=CoverageCounts)
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0

    def __add__(self, other: StructureScore) -> StructureScore:
        return StructureScore(
            self.headings + other.headings,
            self.headings_text + other.headings_text,
            self.tree_distance + other.tree_distance,
            self.tree_size + other.tree_size,
            self.coverage + other.coverage,
            self.furniture + other.furniture,
            self.documents + other.documents,
            self.pages + other.pages,
            self.seconds + other.seconds,
        )

    @property
    def tree_similarity(self) -> float:
        """``1 - total distance / total size`` over the corpus."""
        return 1.0 - self.tree_distance / self.tree_size if self.tree_size else 1.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def row(self) -> dict[str, float]:
        """The headline figures, rounded."""
        return {
            "heading_precision": round(self.headings.precision, 4),
            "heading_recall": round(self.headings.recall, 4),
            "heading_recall_text_only": round(self.headings_text.recall, 4),
            "tree_similarity": round(self.tree_similarity, 4),
            "text_coverage": round(self.coverage.rate, 4),
            "furniture_removed": round(self.furniture.rate, 4),
            "pages_per_second": round(self.pages_per_second, 1),
        }


def score_document(
    document: StructureDocument,
    headings: Sequence[tuple[str, int]],
    *,
    text: str | None = None,
    furniture: Sequence[tuple[int, str]] | None = None,
    seconds: float = 0.0,
) -> StructureScore:
    """Score a structure against its truth (text and furniture scored when given)."""
    predicted = document.headings()
    distance, size = tree_counts(predicted, headings)
    return StructureScore(
        headings=heading_counts(predicted, headings),
        headings_text=heading_counts(predicted, headings, use_level=False),
        tree_distance=distance,
        tree_size=size,
        coverage=text_coverage(document.text(), text) if text is not None else CoverageCounts(),
        furniture=furniture_removal(
            [(f.location.page, f.text) for f in document.furniture], furniture
        )
        if furniture is not None
        else CoverageCounts(),
        documents=1,
        pages=len(document.pages),
        seconds=seconds,
    )


def evaluate_generated(styles: Iterable[PdfStyle], seeds: Iterable[int]) -> StructureScore:
    """Generate a PDF per style and seed, read its structure, and score it (timed)."""
    total = StructureScore()
    seeds = list(seeds)
    for style in styles:
        for seed in seeds:
            data, truth = make_structured_pdf(style, seed)
            start = time.perf_counter()
            document = structure_of_pdf(data, source=f"{style.name}-{seed}")
            seconds = time.perf_counter() - start
            total += score_document(
                document,
                truth.headings,
                text="\n".join(truth.text),
                furniture=[(page, text) for page, _, text in truth.furniture],
                seconds=seconds,
            )
    return total


def read_heading_truth(path: Path) -> list[tuple[str, int]]:
    """Headings from a TSV file: ``level<TAB>title[<TAB>page]`` per line, ``#`` comments."""
    headings = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        level, title, *_ = line.split("\t")
        headings.append((title.strip(), int(level)))
    return headings
