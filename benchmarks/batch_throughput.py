"""Pages per minute of ``ocrxtract batch`` against the raw engine loop, on the same pages.

The pages are generated (the sample receipt of :mod:`ocrxtract.sample`, a new seed per page, A4
at ``--dpi``) and written as PNG files. For each engine and each number of workers:

* ``raw``: the engine's own API and nothing else, in ``workers`` spawned processes with one
  thread each, the pages split evenly among them (tesserocr: one ``PyTessBaseAPI`` per process,
  ``SetImage`` + ``Recognize`` + the words read back; rapidocr: one ``RapidOCR`` object per
  process called on the file path);
* ``local``: ``run_batch`` (what ``ocrxtract batch`` runs) on its local process pool;
* ``dask``: ``run_batch`` on a Dask LocalCluster of ``workers`` processes.

Every mode is timed from start (processes spawned, models loaded) to the last page written:
the batch modes also hash every file, decode it through ocrxtract's checks, put the page in
reading order, write a JSON per page, the run manifest and the Parquet page dataset. Throughput
is pages per wall minute; ``vs raw`` divides it by the raw loop's with the same workers (goal:
>= 95 % with 2 workers); peak RSS is the largest worker's.

Usage::

    nice .venv/bin/python benchmarks/batch_throughput.py [--pages 100] [--dpi 100]
        [--engines tesseract,rapidocr] [--workers 1,2] [--modes raw,local,dask] [--repeat N]
        [--json FILE]

Throughput on a shared machine varies by 10 % or more from one run to the next: ``--repeat 3``
interleaves the modes and prints the median ratio of each with its spread.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ocrxtract.batch import BatchSettings, discover, run_batch
from ocrxtract.pipeline import SINGLE_THREAD_ENV
from ocrxtract.sample import render_sample_page
from ocrxtract.stamp import stamp


def make_pages(folder: Path, count: int, dpi: int) -> list[Path]:
    """``count`` generated pages (seeds 0..count-1) as PNG files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(count):
        page = render_sample_page(seed=seed, dpi=dpi).page
        path = folder / f"page-{seed:04d}.png"
        page.image.save(path, dpi=(dpi, dpi))
        paths.append(path)
    return paths


def _single_thread() -> None:
    os.environ.update(SINGLE_THREAD_ENV)


def _peak() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def raw_tesseract(paths: list[str]) -> tuple[int, int]:
    """tesserocr on each file, set up as the adapter's defaults; pages read, peak RSS."""
    import tesserocr
    from PIL import Image
    from tesserocr import RIL

    from ocrxtract.engines.tesseract_engine import TesseractOptions, tessdata_dir

    options = TesseractOptions(languages=("fra",))
    api = tesserocr.PyTessBaseAPI(
        path=f"{tessdata_dir(options.tessdata_dir)}{os.sep}",
        lang="fra",
        psm=options.psm,
        oem=options.oem,
    )
    api.SetVariable("thresholding_method", "0")
    for path in paths:
        with Image.open(path) as image:
            api.SetImage(image)
            api.SetSourceResolution(round(image.info.get("dpi", (300, 300))[0]))
            api.Recognize()
            words = []
            for word in tesserocr.iterate_level(api.GetIterator(), RIL.WORD):
                try:
                    text = word.GetUTF8Text(RIL.WORD)
                except RuntimeError:
                    continue
                words.append((text, word.BoundingBox(RIL.WORD), word.Confidence(RIL.WORD)))
    api.End()
    return len(paths), _peak()


def raw_rapidocr(paths: list[str]) -> tuple[int, int]:
    """One RapidOCR object (the adapter's parameters, one thread) on each file path."""
    from rapidocr import RapidOCR

    from ocrxtract.engines.rapidocr_engine import RapidOcrEngine

    ocr = RapidOCR(params=RapidOcrEngine({"threads": 1}).rapidocr_params())
    for path in paths:
        ocr(path)
    return len(paths), _peak()


RAW = {"tesseract": raw_tesseract, "rapidocr": raw_rapidocr}


def run_raw(engine: str, paths: list[Path], workers: int) -> dict[str, Any]:
    chunks = [[str(p) for p in paths[i::workers]] for i in range(workers)]
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_single_thread) as pool:
        results = pool.map(RAW[engine], chunks)
    seconds = time.perf_counter() - start
    return {
        "pages": sum(r[0] for r in results),
        "seconds": seconds,
        "peak_rss": max(r[1] for r in results),
    }


def run_batch_mode(
    engine: str, folder: Path, out: Path, workers: int, dask: bool
) -> dict[str, Any]:
    settings = BatchSettings(
        engine=engine, engine_options={"languages": ["fra"]}, workers=workers, dask=dask
    )
    start = time.perf_counter()
    summary = run_batch(discover([folder]), out, settings)
    seconds = time.perf_counter() - start
    assert summary.outcome == "all done", summary.as_dict()
    return {
        "pages": summary.pages,
        "seconds": seconds,
        "peak_rss": max(summary.peak_rss.values(), default=0),
    }


def print_medians(rows: list[dict[str, Any]]) -> None:
    """Median pages/min and median ratio to the raw loop of each (engine, mode, workers)."""
    print("\nmedians over the repeats")
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["engine"], row["mode"], row["workers"]), []).append(row)
    for (engine, mode, workers), own in groups.items():
        rate = statistics.median(r["pages_per_minute"] for r in own)
        ratios = [r["vs_raw"] for r in own if r["vs_raw"] is not None]
        ratio = f"{statistics.median(ratios):.0%}" if ratios else "—"
        spread = f"{min(ratios):.0%}-{max(ratios):.0%}" if ratios else ""
        print(f"{engine:10}{mode:7}{workers:>8}{rate:>10.1f}{ratio:>9}  ({spread})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--engines", default="tesseract,rapidocr")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--modes", default="raw,local,dask")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every mode this many times, in turn (raw, local, dask, raw, ...); the ratio "
        "of each repeat is to the raw loop of the same repeat, and the medians are printed",
    )
    parser.add_argument("--json", type=Path, help="write the figures (stamped) to this file")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    worker_counts = [int(w) for w in args.workers.split(",")]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="batch-throughput-") as tmp:
        folder = Path(tmp) / "pages"
        paths = make_pages(folder, args.pages, args.dpi)
        print(f"{args.pages} generated pages (A4, {args.dpi} dpi); wall time from start to end")
        print(
            f"{'engine':10}{'mode':7}{'workers':>8}{'repeat':>7}{'pages/min':>10}{'vs raw':>9}"
            f"{'peak RSS':>10}"
        )
        for engine in engines:
            for workers in worker_counts:
                for repeat in range(1, args.repeat + 1):
                    raw_rate = None
                    for mode in modes:
                        if mode == "raw":
                            result = run_raw(engine, paths, workers)
                        else:
                            out = Path(tmp) / f"out-{engine}-{mode}-{workers}-{repeat}"
                            result = run_batch_mode(engine, folder, out, workers, mode == "dask")
                        rate = result["pages"] / result["seconds"] * 60
                        if mode == "raw":
                            raw_rate = rate
                        ratio = rate / raw_rate if raw_rate else None
                        row = {"engine": engine, "mode": mode, "workers": workers,
                               "repeat": repeat, **result}  # fmt: skip
                        row.update(pages_per_minute=rate, vs_raw=ratio)
                        rows.append(row)
                        shown = f"{ratio:.0%}" if ratio is not None else "—"
                        print(
                            f"{engine:10}{mode:7}{workers:>8}{repeat:>7}{rate:>10.1f}{shown:>9}"
                            f"{result['peak_rss'] / 2**20:>6.0f} MiB",
                            flush=True,
                        )
        if args.repeat > 1:
            print_medians(rows)
    if args.json is not None:
        data = {"stamp": stamp(), "pages": args.pages, "dpi": args.dpi, "rows": rows}
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
