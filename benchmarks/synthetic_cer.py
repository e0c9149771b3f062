"""CER of OCR engines on the synthetic French documents, per document type and difficulty.

Generates (or reuses) a synthetic set with ``--per-cell`` pages for every (document type,
difficulty) pair, runs each engine on every page and prints, per engine, a Markdown table of the
corpus-level character error rate (total edits / total reference characters, ``exact``
normalisation) with one row per document type and one column per difficulty, plus the totals.

    .venv/bin/python benchmarks/synthetic_cer.py                      # 3 pages per cell, 300 dpi
    .venv/bin/python benchmarks/synthetic_cer.py --per-cell 1 --engines tesseract

The reference text is ``Sample.text`` (the clean page's lines in visual rows, rows top to
bottom: a table reads row by row) and the hypothesis the engine page's ``text()`` (ocrxtract's
reading order on the engine's lines). The bag-of-words F1 (order-free) is printed too, so that
reading-order disagreements can be told from recognition errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ocrxtract.datasets.synthetic import DOCUMENT_TYPES, LEVELS, generate_dataset, iter_folder
from ocrxtract.engines import create_engine
from ocrxtract.metrics import MatchCounts, TextScore, bag_of_words, score_text
from ocrxtract.pipeline import read_page

T = TypeVar("T", TextScore, MatchCounts)
ENGINE_OPTIONS = {"tesseract": {"languages": ["fra"]}, "rapidocr": {}}


def ensure_set(folder: Path, per_cell: int, seed: int, dpi: int) -> Path:
    """Generate the set into ``folder`` unless a set with the same parameters is there."""
    n = per_cell * len(DOCUMENT_TYPES) * len(LEVELS)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if (data["count"], data["seed"], data["dpi"]) == (n, seed, dpi):
            return folder
    started = time.perf_counter()
    generate_dataset(folder, n=n, seed=seed, dpi=dpi, force=manifest.is_file(), jobs=2)
    print(f"generated {n} pages in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


Cell = tuple[str, str]  # (document type, difficulty)


def run(
    folder: Path, engines: list[str]
) -> dict[str, tuple[dict[Cell, TextScore], dict[Cell, MatchCounts]]]:
    """Corpus-level CER counts and bag-of-words counts per engine and (type, difficulty)."""
    samples = list(iter_folder(folder))
    results = {}
    for name in engines:
        engine = create_engine(name, ENGINE_OPTIONS.get(name, {}))
        scores: dict[Cell, TextScore] = defaultdict(TextScore)
        words: dict[Cell, MatchCounts] = defaultdict(MatchCounts)
        started = time.perf_counter()
        for sample in samples:
            page = sample.load_pages()[0]
            key = (sample.truth.metadata["doc_type"], str(sample.split))
            text = read_page(engine, page).text()
            scores[key] += score_text(sample.text, text, "exact")
            words[key] += bag_of_words(sample.text, text, "exact")
        elapsed = time.perf_counter() - started
        print(f"{name}: {len(samples)} pages in {elapsed:.0f} s", file=sys.stderr)
        results[name] = (dict(scores), dict(words))
    return results


def table(scores: dict[Cell, T], zero: T, show: Callable[[T], str]) -> str:
    """A Markdown table: rows are document types, columns difficulties, then the totals
    (corpus-level: the counts are summed, never the rates averaged)."""
    levels = list(LEVELS)
    lines = [
        "| document type | " + " | ".join(levels) + " | all |",
        "|---|" + "---:|" * (len(levels) + 1),
    ]
    columns: dict[str, T] = {level: zero for level in levels}
    for doc_type in DOCUMENT_TYPES:
        row = zero
        cells = []
        for level in levels:
            score = scores.get((doc_type, level), zero)
            columns[level] = columns[level] + score
            row = row + score
            cells.append(show(score))
        lines.append(f"| {doc_type} | " + " | ".join(cells) + f" | {show(row)} |")
    total = zero
    for level in levels:
        total = total + columns[level]
    shown = " | ".join(show(columns[level]) for level in levels)
    lines.append(f"| **all** | {shown} | {show(total)} |")
    return "\n".join(lines)


def show_cer(score: TextScore) -> str:
    """CER in percent, one decimal."""
    return f"{100 * score.cer:.1f}" if score.char_reference else "-"


def show_f1(counts: MatchCounts) -> str:
    """Bag-of-words F1 in percent, one decimal."""
    return f"{100 * counts.f1:.1f}"


def main() -> None:
    """Parse arguments, generate, run, print one table per engine."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-cell", type=int, default=3, help="pages per (type, difficulty)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--engines", default="tesseract,rapidocr")
    parser.add_argument(
        "--folder", type=Path, default=Path("/tmp/ocrxtract-synthetic-cer"), help="the set"
    )
    args = parser.parse_args()
    folder = ensure_set(args.folder, args.per_cell, args.seed, args.dpi)
    results = run(folder, args.engines.split(","))
    setting = f"{args.per_cell} page(s) per cell, {args.dpi} dpi, seed {args.seed}"
    for name, (scores, words) in results.items():
        print(f"\n### {name}: CER % (exact), {setting}\n")
        print(table(scores, TextScore(), show_cer))
        print(f"\n### {name}: bag-of-words F1 % (exact, order-free), {setting}\n")
        print(table(words, MatchCounts(), show_f1))


if __name__ == "__main__":
    main()
