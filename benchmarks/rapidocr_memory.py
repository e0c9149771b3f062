"""Peak memory of one RapidOCR process reading generated pages, with and without line reading.

The ``speed`` campaign's peak memory per worker counts everything a worker did: the pages, and
the benchmark's line reader (``recognize_lines`` on the ground-truth line boxes, for the line
CER), which has a RapidOCR object of its own. This reads the first ``--pages`` generated pages
in one single-threaded process with the options given (JSON, on top of the engine's defaults),
the pages alone or with their lines as the benchmark reads them, and prints the process's peak
resident memory (``ru_maxrss``). Run two configurations side by side to compare them (the same
pages, the same machine).

Usage::

    .venv/bin/python benchmarks/rapidocr_memory.py '{"rec_short_width": 320}' [--lines]
        [--pages 21]
"""

from __future__ import annotations

import argparse
import json
import resource

from ocrxtract.datasets.registry import load_dataset
from ocrxtract.engines import create_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("options", help="JSON options on top of the engine's defaults")
    parser.add_argument("--lines", action="store_true", help="also read the ground-truth lines")
    parser.add_argument("--pages", type=int, default=21, help="the first N generated pages")
    args = parser.parse_args()
    engine = create_engine("rapidocr", {"threads": 1, **json.loads(args.options)})
    for sample in list(load_dataset("synthetic-fr"))[: args.pages]:
        for index, page in enumerate(sample.iter_pages()):
            engine.recognize(page)
            if args.lines:
                truth = [line.bbox for line in sample.scorable_lines if line.page_index == index]
                engine.recognize_lines(page, truth)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    what = "pages and lines" if args.lines else "pages"
    print(f"{args.options} ({what}, {args.pages} pages): peak RSS {peak:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
