"""Choose the reject pool of RapidOCR's Latin recogniser (issue 18).

The Latin recogniser (``latin_recognizer``, :mod:`ocrxtract.engines.rapidocr_latin`) cuts
PP-OCRv6's classifier to the symbols a Latin page may hold. Its softmax then shares the
probability among those symbols only, and a stray mark that the whole model half-read as a
Chinese character scores higher and passes ``text_score`` more often. The reject pool gives
back the columns of the non-Latin symbols that take the most probability on real pages:
decoding still masks them, but they keep their share of the softmax.

This script reads pages with the whole model (rapidocr's default settings, one
single-threaded process per worker), sums each column's probability over every time step of
every line crop, and writes the ``--size`` non-Latin symbols with the most probability, most
first, one per line. It also prints how much of the non-Latin probability each pool size
covers.

``--check`` instead reads the same pages' line crops with the whole model and with the shipped
cut model (Latin symbols + pool), both padding lines to 96 pixels as ``fast`` does, and counts
the lines whose score lands on the other side of ``text_score`` (kept by one, dropped by the
other).

The pages are those the ``speed`` and ``speed-ablation`` campaigns never score: Tapuscorpus
pages 21-57, SROIE receipts 25-74 (first 25 of them) and FUNSD test forms 16-29 (split by page,
written in ``POOL_PAGES``).

Usage::

    .venv/bin/python benchmarks/rapidocr_reject_pool.py [--size 1000] [--workers 2]
        [--write src/ocrxtract/engines/rapidocr_reject_pool.txt]
    .venv/bin/python benchmarks/rapidocr_reject_pool.py --check
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from ocrxtract.datasets.registry import load_dataset
from ocrxtract.engines.rapidocr_engine import RapidOcrEngine
from ocrxtract.engines.rapidocr_latin import REJECT_POOL, latin_symbol

#: Dataset -> (first, last + 1) sample indexes read; the campaigns score samples before ``first``.
POOL_PAGES = {"fr-typed-tapuscorpus": (20, 57), "sroie": (24, 49), "funsd-test": (15, 29)}


def _column_mass(job: tuple[str, int]) -> tuple[Any, int]:
    """Every column's probability summed over the time steps of one sample's line crops."""
    name, index = job
    sample = list(load_dataset(name))[index]
    engine = RapidOcrEngine({"threads": 1})
    recognizer = engine._engine()._load_rec_model()
    session = recognizer.session
    tally: dict[str, Any] = {"mass": None, "steps": 0}

    class Counting:
        def __getattr__(self, attribute: str) -> Any:
            return getattr(session, attribute)

        def __call__(self, batch: Any) -> Any:
            scores = session(batch)
            steps = scores.reshape(-1, scores.shape[-1])
            mass = steps.sum(axis=0, dtype=np.float64)
            tally["mass"] = mass if tally["mass"] is None else tally["mass"] + mass
            tally["steps"] += steps.shape[0]
            return scores

    recognizer.session = Counting()
    for page in sample.iter_pages():
        engine.recognize(page)
    return tally["mass"], tally["steps"]


def _line_scores(job: tuple[str, int]) -> list[tuple[float, float]]:
    """(whole model's score, cut model's score) for every line crop of one sample."""
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    name, index = job
    sample = list(load_dataset(name))[index]
    options = {"threads": 1, "rec_min_width": 96}
    whole = RapidOcrEngine(options)
    cut = RapidOcrEngine({**options, "latin_recognizer": True})
    ocr = whole._engine()
    crops: list[Any] = []
    read = ocr.recognize_txt

    def keeping(images: list[Any]) -> Any:
        crops.extend(images)
        return read(images)

    ocr.recognize_txt = keeping
    for page in sample.iter_pages():
        whole.recognize(page)
    if not crops:
        return []
    scores = [
        engine._engine()._load_rec_model()(TextRecInput(img=crops)).scores
        for engine in (whole, cut)
    ]
    return list(zip(*scores, strict=True))


def check(jobs: list[tuple[str, int]], workers: int) -> None:
    threshold = RapidOcrEngine({"threads": 1})._options().text_score
    with ProcessPoolExecutor(workers) as pool:
        pairs = [pair for sample in pool.map(_line_scores, jobs) for pair in sample]
    if not pairs:
        sys.exit("no line read on the pool pages")
    whole, cut = (np.array(side) for side in zip(*pairs, strict=True))
    crossed = int(((whole >= threshold) != (cut >= threshold)).sum())
    print(
        f"{len(pairs)} line crops of {len(jobs)} samples: {crossed} on the other side of "
        f"text_score {threshold} with the cut model; mean |score difference| "
        f"{np.abs(whole - cut).mean():.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", help=f"write the pool there (shipped: {REJECT_POOL})")
    parser.add_argument("--check", action="store_true", help="score the shipped pool instead")
    args = parser.parse_args()

    jobs = [(name, i) for name, (first, end) in POOL_PAGES.items() for i in range(first, end)]
    if args.check:
        check(jobs, args.workers)
        return
    total, steps = None, 0
    with ProcessPoolExecutor(args.workers) as pool:
        for done, (mass, count) in enumerate(pool.map(_column_mass, jobs), 1):
            if mass is not None:
                total = mass if total is None else total + mass
                steps += count
            if done % 10 == 0:
                print(f"  {done}/{len(jobs)} samples", file=sys.stderr)
    if total is None:
        sys.exit("no line read on the pool pages")
    decoder = RapidOcrEngine({"threads": 1})._engine()._load_rec_model().postprocess_op
    characters = [str(c) for c in decoder.character]
    other = [
        i for i, c in enumerate(characters) if i > 0 and c.strip() == c and not latin_symbol(c)
    ]
    ranked = sorted(other, key=lambda i: -total[i])
    other_mass = float(sum(total[i] for i in other))
    print(
        f"{len(jobs)} samples, {steps} time steps; non-Latin share of the probability: "
        f"{other_mass / steps:.5f}"
    )
    covered = np.cumsum([total[i] for i in ranked]) / other_mass
    for size in (100, 300, 1000, 3000, 10000):
        if size <= len(ranked):
            print(f"pool of {size:5d} symbols: {100 * covered[size - 1]:.1f} % of it")
    if args.write:
        with open(args.write, "w", encoding="utf-8") as handle:
            handle.write("\n".join(characters[i] for i in ranked[: args.size]) + "\n")
        print(f"wrote {args.size} symbols to {args.write}")


if __name__ == "__main__":
    main()
