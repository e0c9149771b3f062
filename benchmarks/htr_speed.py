"""Speed of the ``htr`` engine's recogniser: lines per second on ground-truth line crops.

Reads the line crops of the ``htr-test`` pages of a dataset (pages the shipped model never
trained on) with the recogniser alone (``recognize_lines``), greedy and with the language model,
in one process with ``--threads`` ONNX Runtime threads; the first pass is a warm-up (model
loading) and is not counted. Prints lines/s, ms/line and the peak memory of the process.

Usage::

    .venv/bin/python benchmarks/htr_speed.py [--dataset fr-handwritten-testaments-poilus]
        [--lines 200] [--threads 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from typing import Any

from ocrxtract.datasets import load_dataset
from ocrxtract.engines import create_engine


def line_jobs(dataset: str, count: int) -> list[tuple[Any, list[Any]]]:
    """(page image, line boxes) of the first ``count`` lines of the dataset's htr-test pages."""
    jobs, used = [], 0
    for sample in load_dataset(dataset, split="htr-test"):
        for page_index, page in enumerate(sample.iter_pages()):
            boxes = [ln.bbox for ln in sample.scorable_lines if ln.page_index == page_index]
            boxes = boxes[: count - used]
            if boxes:
                jobs.append((page, boxes))
                used += len(boxes)
            if used >= count:
                return jobs
    return jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dataset", default="fr-handwritten-testaments-poilus")
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    jobs = line_jobs(args.dataset, args.lines)
    lines = sum(len(boxes) for _, boxes in jobs)
    if not lines:
        print(f"no htr-test line in {args.dataset}", file=sys.stderr)
        return 1
    print(f"{lines} lines of {args.dataset} (htr-test pages), {args.threads} thread(s)")
    for language_model in (False, True):
        engine = create_engine("htr", {"threads": args.threads, "language_model": language_model})
        for page, boxes in jobs[:1]:
            engine.recognize_lines(page, boxes)  # warm-up: models loaded
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            for page, boxes in jobs:
                engine.recognize_lines(page, boxes)
            times.append(time.perf_counter() - began)
        seconds = statistics.median(times)
        label = "with language model" if language_model else "greedy"
        print(
            f"{label:20s} {lines / seconds:7.1f} lines/s  {1000 * seconds / lines:6.1f} ms/line"
            f"  (median of {args.repeat})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
