"""What the ocrxtract adapter costs over calling the engine library directly.

For each engine, the same rendered sample pages (A4, 300 dpi) go through:

* ``raw``: the library called as its own documentation shows, with the settings the adapter
  uses and returning the same information (words, boxes, confidences):

  - tesseract: one ``tesserocr.PyTessBaseAPI`` (same tessdata, language, psm, oem, Otsu),
    ``SetImage`` + ``SetSourceResolution`` + ``Recognize``, then the result iterator read at
    word level (text, box, confidence);
  - rapidocr: one ``RapidOCR`` object with the adapter's parameters, called on the page as a
    BGR ``numpy`` array (as ``cv2.imread`` gives it);

* ``adapter``: ``engine.recognize(page_image)``, which returns a validated
  :class:`~ocrxtract.document.Page` with provenance.

Both are warmed up first. Then, for every repeat and page, the two calls run back to back in
an order that alternates, so that load from other processes hits both alike; the overhead is
the median, over these pairs, of ``adapter / raw - 1``. The budget is 5 %.

Usage::

    .venv/bin/python benchmarks/engine_overhead.py [--engines tesseract,rapidocr]
        [--pages 3] [--repeats 5] [--check]

``--check`` exits with status 1 when an engine is over budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from ocrxtract.engines import OcrEngine, create_engine
from ocrxtract.io import PageImage
from ocrxtract.sample import render_sample_page

BUDGET = 0.05


class RawTesseract:
    """A direct tesserocr call set up like the adapter's default (Otsu, psm 3, LSTM)."""

    def __init__(self, engine: OcrEngine) -> None:
        import tesserocr

        from ocrxtract.engines.tesseract_engine import TesseractOptions, tessdata_dir

        options = engine.options
        assert isinstance(options, TesseractOptions)
        self.dpi_fallback = options.dpi_fallback
        self.api = tesserocr.PyTessBaseAPI(
            path=f"{tessdata_dir(options.tessdata_dir)}{os.sep}",
            lang="+".join(options.languages),
            psm=options.psm,
            oem=options.oem,
        )
        self.api.SetVariable("thresholding_method", "0")

    def prepare(self, page: PageImage) -> None:
        """Nothing to prepare: tesserocr takes the PIL image."""

    def __call__(self, page: PageImage) -> Any:
        import tesserocr
        from tesserocr import RIL

        api = self.api
        api.SetImage(page.image)
        api.SetSourceResolution(round(page.dpi or self.dpi_fallback))
        api.Recognize()
        words = []
        for word in tesserocr.iterate_level(api.GetIterator(), RIL.WORD):
            try:
                text = word.GetUTF8Text(RIL.WORD)
            except RuntimeError:  # no text at this position
                continue
            words.append((text, word.BoundingBox(RIL.WORD), word.Confidence(RIL.WORD)))
        return words

    def close(self) -> None:
        self.api.End()


class RawRapidOcr:
    """A direct RapidOCR object with the adapter's parameters, fed BGR arrays."""

    def __init__(self, engine: OcrEngine) -> None:
        from rapidocr import RapidOCR

        from ocrxtract.engines.rapidocr_engine import RapidOcrEngine

        assert isinstance(engine, RapidOcrEngine)
        self.ocr = RapidOCR(params=engine.rapidocr_params())
        self.arrays: dict[int, Any] = {}

    def prepare(self, page: PageImage) -> None:
        """The BGR array, made outside the timing (a caller of rapidocr already has one)."""
        import numpy as np

        self.arrays[id(page)] = np.ascontiguousarray(np.asarray(page.image)[:, :, ::-1])

    def __call__(self, page: PageImage) -> Any:
        return self.ocr(self.arrays[id(page)])

    def close(self) -> None:
        """Nothing to release."""


RAW: dict[str, Callable[[OcrEngine], RawTesseract | RawRapidOcr]] = {
    "tesseract": RawTesseract,
    "rapidocr": RawRapidOcr,
}


def timed(call: Callable[[PageImage], Any], page: PageImage) -> float:
    start = time.perf_counter()
    call(page)
    return time.perf_counter() - start


def measure(name: str, pages: list[PageImage], repeats: int) -> dict[str, float]:
    """Median raw and adapter seconds per page and the median pairwise overhead."""
    engine = create_engine(name)
    raw = RAW[name](engine)
    for page in pages:
        raw.prepare(page)
    raw(pages[0])  # warm-up: models loaded, caches filled
    engine.recognize(pages[0])
    raw_times: list[float] = []
    adapter_times: list[float] = []
    ratios: list[float] = []
    for repeat in range(repeats):
        for number, page in enumerate(pages):
            if (repeat + number) % 2:
                adapter = timed(engine.recognize, page)
                direct = timed(raw, page)
            else:
                direct = timed(raw, page)
                adapter = timed(engine.recognize, page)
            raw_times.append(direct)
            adapter_times.append(adapter)
            ratios.append(adapter / direct)
    raw.close()
    engine.close()
    return {
        "raw": statistics.median(raw_times),
        "adapter": statistics.median(adapter_times),
        "overhead": statistics.median(ratios) - 1.0,
        "pairs": len(ratios),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="tesseract,rapidocr")
    parser.add_argument("--pages", type=int, default=3, help="sample pages (seeds 0..n-1)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when over the budget")
    args = parser.parse_args(argv)
    pages = [render_sample_page(seed=seed, dpi=300).page for seed in range(args.pages)]
    print(f"{args.pages} sample pages (A4, 300 dpi), {args.repeats} repeats, interleaved pairs")
    header = ("engine", "raw s", "adapter s", "overhead", "pairs", f"<= {BUDGET:.0%}")
    print(f"{header[0]:12}" + "".join(f"{h:>11}" for h in header[1:]))
    over = False
    for name in [n.strip() for n in args.engines.split(",") if n.strip()]:
        result = measure(name, pages, args.repeats)
        ok = result["overhead"] <= BUDGET
        over |= not ok
        print(
            f"{name:12}{result['raw']:11.3f}{result['adapter']:11.3f}"
            f"{result['overhead']:+11.1%}{result['pairs']:11d}{'yes' if ok else 'NO':>11}"
        )
    return 1 if over and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
