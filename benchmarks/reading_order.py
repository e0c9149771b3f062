"""The reading order alone: each dataset's ground-truth lines, read without a single error,
put in ocrxtract's reading order and scored against the dataset's reference text.

Engines are left out: the page CER printed is what the order costs when recognition is perfect,
a floor for any engine's page CER under this order (the campaign ``reading-order.yml`` gives the
engines' figures with and without it). A dataset whose stored reference order no geometric order
reproduces (margins, zones, cells) shows it here.

``--jitter F`` also measures how steady the order is: each line's four box edges are moved by a
random whole number of pixels, up to ``F`` times the line's height (words and polygons follow
the line's centre), ``--trials`` times per document with fixed seeds, as an engine's boxes move
when the same page is scanned again. It prints the mean page CER over those trials and the share
of trials whose text differs from the unmoved lines' (the order changed).

    python benchmarks/reading_order.py [--datasets NAME ...] [--jitter 0.1 --trials 5]
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from ocrxtract.datasets import load_dataset
from ocrxtract.document import Page
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


def ordered_text(pages: list[Page]) -> str:
    """Ground-truth pages' lines as the pipeline orders an engine's: each page in reading order,
    then the document's furniture (running headers, footers, page numbers) in blocks of its own."""
    return "\f".join(page.text() for page in mark_furniture([order_page(p) for p in pages]))


def _moved(points: list[Any] | None, dx: int, dy: int) -> list[tuple[int, int]] | None:
    return None if not points else [(x + dx, y + dy) for x, y in points]


def jittered(page: Page, fraction: float, rng: random.Random) -> Page:
    """``page`` with each line's box edges moved by up to ``fraction`` of its height (at least
    one pixel); its words, polygon and baseline follow the box's centre."""
    data = page.model_dump()
    for block in data["blocks"]:
        for line in block["lines"]:
            box = line["bbox"]
            most = max(1, round(fraction * (box["y1"] - box["y0"])))
            e = [rng.randint(-most, most) for _ in range(4)]
            x0, y0 = box["x0"] + e[0], box["y0"] + e[1]
            line["bbox"] = {
                "x0": x0,
                "y0": y0,
                "x1": max(box["x1"] + e[2], x0 + 1),
                "y1": max(box["y1"] + e[3], y0 + 1),
            }
            dx, dy = (e[0] + e[2]) // 2, (e[1] + e[3]) // 2
            line["polygon"] = _moved(line.get("polygon"), dx, dy)
            line["baseline"] = _moved(line.get("baseline"), dx, dy)
            for word in line["words"]:
                w = word["bbox"]
                word["bbox"] = {
                    "x0": w["x0"] + dx,
                    "y0": w["y0"] + dy,
                    "x1": w["x1"] + dx,
                    "y1": w["y1"] + dy,
                }
                word["polygon"] = _moved(word.get("polygon"), dx, dy)
    return Page.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DEFAULT))
    parser.add_argument(
        "--jitter", type=float, default=0.0, help="move box edges by up to this share of a line"
    )
    parser.add_argument("--trials", type=int, default=5, help="jittered readings per document")
    args = parser.parse_args()
    print(
        f"reading order {READING_ORDER_STEP} then {FURNITURE_STEP}; "
        "ground-truth lines, no recognition error"
    )
    header = f"{'dataset':42} {'documents':>9} {'page CER':>9} {'ms/page':>8}"
    if args.jitter:
        header += f" {'jittered CER':>12} {'order changed':>13}"
        print(f"jitter: box edges moved by up to {args.jitter:g} line height, {args.trials} trials")
    print(header)
    for name in args.datasets:
        try:
            samples = [s for s in load_dataset(name) if s.text.strip() and s.truth.pages]
        except OcrxtractError as exc:
            print(f"{name:42} skipped: {exc}")
            continue
        total, moved, pages, spent, changed = DocumentScore(), DocumentScore(), 0, 0.0, 0
        for sample in samples:
            start = time.perf_counter()
            text = ordered_text(list(sample.truth.pages))
            spent += time.perf_counter() - start
            pages += len(sample.truth.pages)
            total = total + score_documents(sample.text, text)
            for trial in range(args.trials if args.jitter else 0):
                rng = random.Random(f"{sample.sample_id}/{trial}")
                other = ordered_text([jittered(p, args.jitter, rng) for p in sample.truth.pages])
                moved = moved + score_documents(sample.text, other)
                changed += other != text
        line = f"{name:42} {len(samples):9} {total.cer:9.2%} {1000 * spent / max(pages, 1):8.1f}"
        if args.jitter:
            line += f" {moved.cer:12.2%} {changed / max(1, len(samples) * args.trials):13.1%}"
        print(line)


if __name__ == "__main__":
    main()
