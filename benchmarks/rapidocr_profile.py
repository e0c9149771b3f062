"""Where the time of a RapidOCR (PP-OCRv6) page goes, stage by stage.

Each page is read through ocrxtract's adapter (``read_page``: the engine, then reading order),
with timers around RapidOCR's own stages and around every ONNX Runtime session call:

* ``input``: RapidOCR's check of the array it is given;
* ``preprocess``: RapidOCR's resize/pad of the page before detection;
* ``detection``: the detection model (``Det`` sessions) and its post-processing (boxes), then
  ``crop``: cutting and straightening each text line out of the page;
* ``classification``: the 180° line classifier (only with ``use_cls``);
* ``recognition``: the recognition model over the line crops, in batches (``Rec`` sessions),
  CTC decoding included;
* ``output``: RapidOCR's result object, boxes mapped back to the page, and in it ``word boxes``:
  RapidOCR's per-word boxes (``return_word_box``);
* ``adapter``: ocrxtract's side, what is left of ``read_page``: the page as a BGR array, lines,
  words and boxes into the result model, reading order.

``onnx det`` and ``onnx rec`` are the time inside ``InferenceSession.run`` alone (the models'
arithmetic), the rest of a stage being Python and NumPy around it. The first page is a warm-up
(models loaded) and is not counted.

Usage::

    .venv/bin/python benchmarks/rapidocr_profile.py [--pages 5] [--dpi 300] [--threads 1]
        [-O KEY=VALUE ...] [FILE ...]

FILE: images or PDFs of your own (every page); default: generated rent receipts (seeds 0..N).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ocrxtract.io import PageImage, iter_pages
from ocrxtract.pipeline import engine_for, read_page
from ocrxtract.sample import render_sample_page

#: RapidOCR methods timed, and the stage each one is (those of :data:`NESTED` run inside
#: another stage: shown, but not added up).
STAGES = {
    "load_img": "input",
    "preprocess_img": "preprocess",
    "detect_and_crop": "detection",
    "crop_text_regions": "crop",
    "cls_and_rotate": "classification",
    "recognize_txt": "recognition",
    "build_final_output": "output",
    "calc_word_boxes": "word boxes",
}
#: Stage -> the stage it runs inside.
NESTED = {"crop": "detection", "word boxes": "output", "onnx det": "detection",
          "onnx rec": "recognition"}  # fmt: skip
#: ocrxtract's own steps when detection and recognition are decoupled (the default since
#: December 2026, :mod:`ocrxtract.engines.rapidocr_reading`): there the crop is its own stage.
DECOUPLED = {"text_height": "text height", "detect": "detection", "detect_inked": "detection",
             "read_decoupled": "decoupled"}  # fmt: skip
#: The order stages are printed in.
ORDER = ("input", "preprocess", "text height", "detection", "crop", "classification",
         "recognition", "output")  # fmt: skip


class Timers:
    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[stage] += time.perf_counter() - began
                self.calls[stage] += 1

        setattr(owner, name, timed)

    @contextmanager
    def stage(self, stage: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.spent[stage] += time.perf_counter() - began


def instrument(engine: Any, timers: Timers) -> None:
    """Timers on the RapidOCR object of ``engine`` and on its ONNX sessions."""
    ocr = engine._engine()  # the adapter's RapidOCR object (models loaded)
    for method, stage in STAGES.items():
        if hasattr(ocr, method):
            timers.wrap(ocr, method, stage)
    for attribute, stage in (("text_det", "onnx det"), ("text_rec", "onnx rec")):
        part = getattr(ocr, attribute, None)
        session = getattr(part, "session", None)
        inner = getattr(session, "session", None)  # rapidocr's wrapper around ort's session
        if inner is not None and hasattr(inner, "run"):
            timers.wrap(inner, "run", stage)
    from ocrxtract.engines import rapidocr_reading

    for function, stage in DECOUPLED.items():
        timers.wrap(rapidocr_reading, function, stage)


def pages(files: list[Path], count: int, dpi: int) -> Iterator[PageImage]:
    if files:
        for path in files:
            yield from iter_pages(path, dpi=dpi)
        return
    for seed in range(count + 1):  # +1: the warm-up page
        yield render_sample_page(seed=seed, dpi=dpi).page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--pages", type=int, default=5, help="generated pages (without FILE)")
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime intra-op threads")
    parser.add_argument(
        "--option", "-O", action="append", default=[], metavar="KEY=VALUE",
        help="an option of the rapidocr engine (JSON value), e.g. -O max_side_len=1280",
    )  # fmt: skip
    args = parser.parse_args(argv)
    options: dict[str, Any] = {"languages": ["fra"], "threads": args.threads}
    for pair in args.option:
        key, _, raw = pair.partition("=")
        try:
            options[key] = json.loads(raw)
        except json.JSONDecodeError:
            options[key] = raw
    engine = engine_for("rapidocr", options)
    timers = Timers()
    totals: list[float] = []
    per_page: list[dict[str, float]] = []
    for number, page in enumerate(pages(args.files, args.pages, args.dpi)):
        if number == 0:
            read_page(engine, page)  # warm-up: models loaded
            instrument(engine, timers)
            continue
        before = dict(timers.spent)
        began = time.perf_counter()
        with timers.stage("read_page"):
            result = read_page(engine, page)
        totals.append(time.perf_counter() - began)
        spent = {k: v - before.get(k, 0.0) for k, v in timers.spent.items()}
        per_page.append(spent)
        lines = sum(1 for _ in result.lines())
        print(f"page {number}: {page.width}x{page.height} px, {lines} lines, {totals[-1]:.2f} s")
    if not totals:
        print("no page to profile (the first one is the warm-up)", file=sys.stderr)
        return 1
    mean_total = statistics.mean(totals)

    def mean(stage: str) -> float:
        return statistics.mean(p.get(stage, 0.0) for p in per_page)

    nested = dict(NESTED)
    if timers.calls["decoupled"]:  # ocrxtract's steps: the crop comes after detection
        del nested["crop"]
    stages = [s for s in ORDER if any(s in p for p in per_page)]
    rapid = sum(mean(s) for s in stages if s not in nested)
    print(f"\n{len(totals)} page(s), {args.threads} thread(s); mean per page {mean_total:.3f} s")
    print(f"{'stage':20}{'ms/page':>10}{'share':>8}")
    for stage in stages:
        if stage in nested:
            continue
        print(f"{stage:20}{1000 * mean(stage):>10.1f}{mean(stage) / mean_total:>8.1%}")
        for inner, outer in nested.items():
            if outer == stage and any(inner in p for p in per_page):
                calls = timers.calls[inner] / len(totals)
                print(f"  of which {inner:10}{1000 * mean(inner):>10.1f}"
                      f"{mean(inner) / mean_total:>8.1%}  ({calls:.1f} calls/page)")  # fmt: skip
    adapter = mean_total - rapid
    print(f"{'adapter':20}{1000 * adapter:>10.1f}{adapter / mean_total:>8.1%}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
