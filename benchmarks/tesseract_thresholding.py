"""Tesseract binarisation on real pages: Otsu, Sauvola, Leptonica's Otsu, ``auto`` and ``best``.

Runs the ``tesseract`` engine once per thresholding method on real typed French pages
(``fr-typed-tapuscorpus``, ALTO ground truth) and scanned receipts (``sroie``, English), and
prints, per dataset and method:

* ``CER``: corpus character error rate (total edits / total reference characters) of the
  page text in reading order against the transcription. The typed pages mix margins, stamps
  and numbering zones, so reading order weighs on it;
* ``BoW F1`` and ``recall``: order-free bag-of-words scores (corpus totals), which show what
  was read whatever the order;
* ``failed``: pages where fewer than half of the reference words were found;
* ``s/page``: mean engine seconds per page; ``sauvola``: pages where auto/best kept Sauvola.

Typed pages are scored with the ``exact`` normalisation (accents count), receipts with
``folded`` (their ground truth is upper case whatever the receipt prints).

Usage (2 cores: about 3 min with the defaults; 8 to 12 min for all 54 typed pages that
have text and 20 receipts, ``--typed 0 --receipts 20``)::

    .venv/bin/python benchmarks/tesseract_thresholding.py [--typed 24] [--receipts 10]
        [--methods otsu,sauvola,leptonica-otsu,auto,best] [--backend auto] [--pages]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest

from ocrxtract.datasets import Sample, load_dataset
from ocrxtract.engines import create_engine
from ocrxtract.engines.tesseract_engine import TesseractOptions
from ocrxtract.metrics import DocumentScore, bag_of_words, score_text
from ocrxtract.pipeline import read_page

DATASETS = {  # name -> (tesseract language, normalisation)
    "fr-typed-tapuscorpus": ("fra", "exact"),
    "sroie": ("eng", "folded"),
}
FAILED_RECALL = 0.5


@dataclass
class Tally:
    """Scores of one method on one dataset, summed over pages."""

    score: DocumentScore = field(default_factory=DocumentScore)
    seconds: float = 0.0
    pages: int = 0
    failed: int = 0
    sauvola: int = 0
    recalls: dict[str, float] = field(default_factory=dict)


def round_robin(samples: Iterable[Sample]) -> Iterator[Sample]:
    """Samples interleaved across sub-corpora (file-name prefix before ``__``)."""
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.sample_id.split("__")[0]].append(sample)
    for row in zip_longest(*groups.values()):
        yield from (sample for sample in row if sample is not None)


def run(dataset: str, limit: int, methods: list[str], backend: str, show_pages: bool) -> None:
    language, normalization = DATASETS[dataset]
    samples = [s for s in round_robin(load_dataset(dataset)) if s.text.strip()]
    samples = samples[:limit] if limit else samples
    engines = {
        m: create_engine(
            "tesseract", {"thresholding": m, "languages": [language], "backend": backend}
        )
        for m in methods
    }
    tallies = {m: Tally() for m in methods}
    for sample in samples:
        page_image = sample.load_pages()[0]
        for method, engine in engines.items():  # methods interleaved page by page
            page = read_page(engine, page_image)
            assert page.provenance is not None
            hypothesis = page.text()
            words = bag_of_words(sample.text, hypothesis, normalization)
            tally = tallies[method]
            tally.score += DocumentScore(score_text(sample.text, hypothesis, normalization), words)
            tally.seconds += page.provenance.seconds
            tally.pages += 1
            tally.failed += words.recall < FAILED_RECALL
            tally.sauvola += any("-> sauvola" in note for note in page.provenance.notes)
            tally.recalls[sample.sample_id] = words.recall
    print(f"\n{dataset}: {len(samples)} pages, language {language}, {normalization} normalisation")
    header = ("method", "CER", "BoW F1", "recall", "failed", "s/page", "sauvola")
    print(f"{header[0]:16}" + "".join(f"{h:>9}" for h in header[1:]))
    for method, t in tallies.items():
        found = t.score.words
        print(
            f"{method:16}{t.score.cer:9.3f}{found.f1:9.3f}{found.recall:9.3f}"
            f"{t.failed:9d}{t.seconds / max(1, t.pages):9.2f}{t.sauvola:9d}"
        )
    default = TesseractOptions().thresholding
    if default in tallies:
        t = tallies[default]
        print(
            f"default thresholding={default!r}: CER {t.score.cer:.3f}, BoW F1 "
            f"{t.score.words.f1:.3f}, {t.failed} failed page(s), Sauvola kept on {t.sauvola}"
        )
    if show_pages:
        print("\npage recall per method (pages where the methods differ by more than 0.15):")
        for sample in samples:
            recalls = {m: tallies[m].recalls[sample.sample_id] for m in methods}
            if max(recalls.values()) - min(recalls.values()) > 0.15:
                cells = "  ".join(f"{m} {r:.2f}" for m, r in recalls.items())
                print(f"  {sample.sample_id[:48]:48}  {cells}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--typed", type=int, default=24, help="typed pages (0: all, -1: none)")
    parser.add_argument("--receipts", type=int, default=10, help="receipts (0: all, -1: none)")
    parser.add_argument("--methods", default="otsu,sauvola,leptonica-otsu,auto,best")
    parser.add_argument("--backend", default="auto", choices=["auto", "tesserocr", "pytesseract"])
    parser.add_argument("--pages", action="store_true", help="list pages where methods differ")
    args = parser.parse_args(argv)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    start = time.perf_counter()
    for dataset, limit in (("fr-typed-tapuscorpus", args.typed), ("sroie", args.receipts)):
        if limit >= 0:
            run(dataset, limit, methods, args.backend, args.pages)
    print(f"\n{time.perf_counter() - start:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
