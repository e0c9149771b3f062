"""Structure of born-digital PDFs: accuracy on generated styles and real reports, and speed.

Prints three tables (figures quoted in the wiki page ``wiki/structure.md`` and issue 13):

1. **Generated PDFs** (``ocrxtract.datasets.synthetic.structured_pdf``), per group of styles:
   development, tuned, and held-out (written after the tuning, never tuned on); ``--seeds``
   documents per style. Heading precision and recall on text + level, recall on text alone,
   tree similarity, text coverage against the source text, share of running headers, footers
   and page numbers set aside.
2. **DSA systemic-risk reports** of ``../shared/datasets/dsa-systemic-risk-reports`` that
   have hand-checked headings in ``tests/data/structure/dsa``: the same heading figures, and
   the coverage of the reference Markdown's words (Open Terms Archive's automatic extraction,
   not a human transcription: a floor, not an exact figure).
3. **Speed**: born-digital pages per second of ``structure_of_pdf`` in this process (one
   core: the code is single-threaded; pin it with ``taskset -c 0``), warm (word lists
   loaded), over every DSA report and over the generated documents.

Usage::

    taskset -c 0 .venv/bin/python benchmarks/structure.py [--seeds 5] [--dsa PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ocrxtract.bench.structure import (
    StructureScore,
    evaluate_generated,
    read_heading_truth,
    score_document,
)
from ocrxtract.datasets.synthetic.structured_pdf import (
    DEVELOPMENT_STYLES,
    HELD_OUT_STYLES,
    TUNED_STYLES,
    make_structured_pdf,
)
from ocrxtract.extract.structure import structure_of_pdf
from ocrxtract.metrics.structure import text_coverage

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "tests" / "data" / "structure" / "dsa"
DSA = ROOT.parent / "shared" / "datasets" / "dsa-systemic-risk-reports"
COLUMNS = (
    "heading_precision", "heading_recall", "heading_recall_text_only", "tree_similarity",
    "text_coverage", "furniture_removed",
)  # fmt: skip


def _table(title: str, rows: dict[str, StructureScore], columns: tuple[str, ...]) -> None:
    print(f"\n## {title}\n")
    print("| | documents | pages | " + " | ".join(columns) + " |")
    print("|---|---:|---:|" + "---:|" * len(columns))
    for name, score in rows.items():
        row = score.row()
        cells = " | ".join(f"{row[c]:.3f}" for c in columns)
        print(f"| {name} | {score.documents} | {score.pages} | {cells} |")


def generated(seeds: int) -> None:
    groups = {
        "development": DEVELOPMENT_STYLES,
        "tuned": TUNED_STYLES,
        "held-out": HELD_OUT_STYLES,
    }
    rows = {name: evaluate_generated(styles, range(seeds)) for name, styles in groups.items()}
    _table(f"Generated PDFs ({seeds} per style, 4 styles per group)", rows, COLUMNS)


def dsa(root: Path) -> None:
    rows: dict[str, StructureScore] = {}
    with_furniture: dict[str, float] = {}
    for truth in sorted(TRUTH.glob("*.headings.tsv")):
        stem = truth.name.removesuffix(".headings.tsv")
        pdf = root / "images" / f"{stem}.pdf"
        reference = root / "gt" / f"{stem}.md"
        if not pdf.is_file():
            print(f"(skipped {stem}: {pdf} absent)")
            continue
        document = structure_of_pdf(pdf)
        text = reference.read_text(encoding="utf-8") if reference.is_file() else None
        rows[stem] = score_document(document, read_heading_truth(truth), text=text)
        if text is not None:  # the reference keeps running headers and page numbers
            everything = document.text() + "\n" + "\n".join(f.text for f in document.furniture)
            with_furniture[stem] = text_coverage(everything, text).rate
    if rows:
        total = StructureScore()
        for score in rows.values():
            total += score
        rows["all (micro)"] = total
        _table("DSA reports (hand-checked headings)", rows, COLUMNS[:-1])
        print("\nCoverage of the reference counting the furniture set aside too: ", end="")
        print(", ".join(f"{stem} {rate:.3f}" for stem, rate in with_furniture.items()))


def speed(root: Path) -> None:
    pdfs = sorted((root / "images").glob("*.pdf")) if root.is_dir() else []
    generated_pdfs = [
        make_structured_pdf(style, seed)[0]
        for style in DEVELOPMENT_STYLES + HELD_OUT_STYLES
        for seed in range(2)
    ]
    structure_of_pdf(generated_pdfs[0])  # warm up: word lists, imports
    print("\n## Speed (one process, one thread)\n")
    print("| documents | pages | seconds | pages per second |")
    print("|---|---:|---:|---:|")
    for name, inputs in (("DSA reports", pdfs), ("generated PDFs", generated_pdfs)):
        if not inputs:
            continue
        pages, start = 0, time.perf_counter()
        for item in inputs:
            pages += len(structure_of_pdf(item).pages)
        seconds = time.perf_counter() - start
        print(f"| {name} | {pages} | {seconds:.2f} | {pages / seconds:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="documents per generated style")
    parser.add_argument("--dsa", type=Path, default=DSA, help="the DSA reports dataset folder")
    args = parser.parse_args()
    generated(args.seeds)
    if args.dsa.is_dir():
        dsa(args.dsa)
    speed(args.dsa)


if __name__ == "__main__":
    main()
