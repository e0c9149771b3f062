"""The reading order alone: each dataset's ground-truth lines, read without a single error,
put in ocrxtract's reading order and scored against the dataset's reference text.

Engines are left out: the page CER printed is what the order costs when recognition is perfect,
a floor for any engine's page CER under this order (the campaign ``reading-order.yml`` gives the
engines' figures with and without it). A dataset whose stored reference order no geometric order
reproduces (margins, zones, cells) shows it here.

    python benchmarks/reading_order.py [--datasets NAME ...]
"""

from __future__ import annotations

import argparse
import time

from ocrxtract.datasets import load_dataset
from ocrxtract.errors import OcrxtractError
from ocrxtract.layout import FURNITURE_STEP, READING_ORDER_STEP, mark_furniture, order_page
from ocrxtract.metrics.text import DocumentScore, score_documents

#: The shared datasets whose ground truth has text lines in page coordinates.
DEFAULT = (
    "synthetic-fr",
    "fr-typed-tapuscorpus",
    "funsd-test",
    "sroie",
    "pubtabnet-samples",
    "fr-handwritten-testaments-poilus",
    "fr-mixed-timeus-prudhommes",
    "lectaurep-repertoires",
    "fr-handwritten-tables-lectaurep-mariages",
    "celestine-doniau-danest",
)


def ordered_text(sample) -> str:  # type: ignore[no-untyped-def]
    """The ground truth's lines as the pipeline orders an engine's: each page in reading order,
    then the document's furniture (running headers, footers, page numbers) in blocks of its own."""
    pages = mark_furniture([order_page(page) for page in sample.truth.pages])
    return "\f".join(page.text() for page in pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DEFAULT))
    args = parser.parse_args()
    print(
        f"reading order {READING_ORDER_STEP} then {FURNITURE_STEP}; "
        "ground-truth lines, no recognition error"
    )
    print(f"{'dataset':42} {'documents':>9} {'page CER':>9} {'ms/page':>8}")
    for name in args.datasets:
        try:
            samples = [s for s in load_dataset(name) if s.text.strip() and s.truth.pages]
        except OcrxtractError as exc:
            print(f"{name:42} skipped: {exc}")
            continue
        total, pages, spent = DocumentScore(), 0, 0.0
        for sample in samples:
            start = time.perf_counter()
            text = ordered_text(sample)
            spent += time.perf_counter() - start
            pages += len(sample.truth.pages)
            total = total + score_documents(sample.text, text)
        print(f"{name:42} {len(samples):9} {total.cer:9.2%} {1000 * spent / max(pages, 1):8.1f}")


if __name__ == "__main__":
    main()
