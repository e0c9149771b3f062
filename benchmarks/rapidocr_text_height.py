"""How far RapidOCR's detection shrinks with ``det_text_height``, page by page (issue 18).

For each page of the sets given, the page is resized as rapidocr resizes it (longer side at most
``max_side_len``), its text height is estimated (:func:`text_height`) and the detection scale
chosen (:func:`shrink_for_text`) is compared with rapidocr's own (:func:`detection_scale`).
Prints, per set, how many pages are detected smaller and the lowest, median and highest share of
rapidocr's scale, and the time the estimate takes. Reads no model: seconds on a laptop.

Usage::

    .venv/bin/python benchmarks/rapidocr_text_height.py [--target 10]
        [--sets sroie,funsd-test,fr-typed-tapuscorpus,synthetic-fr] [--pages]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from rapidocr.utils.process_img import resize_image_within_bounds

from ocrxtract.datasets.registry import load_dataset
from ocrxtract.engines.rapidocr_engine import RapidOcrOptions
from ocrxtract.engines.rapidocr_reading import detection_scale, shrink_for_text, text_height

SETS = "sroie,funsd-test,fr-typed-tapuscorpus,synthetic-fr"


def _shares(name: str, target: float, show_pages: bool) -> None:
    options = RapidOcrOptions()
    shares: list[float] = []
    seconds: list[float] = []
    for sample in load_dataset(name):
        for number, page in enumerate(sample.iter_pages()):
            # rapidocr's own resizing before everything (its Global.min_side_len is 30).
            grey, _, _ = resize_image_within_bounds(
                np.asarray(page.image.convert("L")), 30, options.max_side_len
            )
            height, width = grey.shape
            scale = detection_scale(width, height, options.max_side_len, options.limit_side_len)
            start = time.perf_counter()
            glyphs = text_height(grey)
            seconds.append(time.perf_counter() - start)
            chosen = shrink_for_text(
                scale, min(width, height), glyphs, target=target, floor=options.limit_side_len
            )
            shares.append(chosen / scale)
            if show_pages:
                print(f"  {sample.sample_id} p{number}: text height {glyphs}, {chosen / scale:.2f}")
    smaller = sum(share < 1.0 for share in shares)
    print(
        f"{name}: {smaller} of {len(shares)} pages detected smaller; share of rapidocr's scale "
        f"min {min(shares):.2f}, median {statistics.median(shares):.2f}, max {max(shares):.2f}; "
        f"estimate {1000 * statistics.median(seconds):.0f} ms per page (median), "
        f"{1000 * max(seconds):.0f} ms at most"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=RapidOcrOptions().det_text_height)
    parser.add_argument("--sets", default=SETS)
    parser.add_argument("--pages", action="store_true", help="print every page's figures")
    args = parser.parse_args()
    print(f"det_text_height {args.target}")
    for name in args.sets.split(","):
        _shares(name, args.target, args.pages)


if __name__ == "__main__":
    main()
