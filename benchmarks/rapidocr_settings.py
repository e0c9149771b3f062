"""RapidOCR settings side by side: corpus page CER on the speed campaign's pages (issue 18).

Reads the pages of the ``speed`` campaign (the first 24 SROIE receipts, 15 FUNSD test forms, 20
Tapuscorpus pages and 20 generated pages: clean, scanned and faxed; since 8 December 2026 the
campaign reads all 35, ``--samples 0:35 --sets synthetic-fr`` here) with rapidocr and the
options given (JSON), one
single-threaded process per worker, keeps each reading under ``--readings LABEL/``, and prints
the corpus page CER per set, scored with the benchmark's functions (``finish_page``, furniture
marked, ``score_documents``; SROIE folded, the others exact). Its count is not the campaign's to
the hundredth (``accurate``'s 20 Tapuscorpus pages: 11.08 % here, 10.47 % in the ``speed``
campaign; the other sets agree): compare its rows with each other. A second run with the same
label reads nothing again. ``s/page`` is the mean time per page inside each process, model
loading included: compare speeds with the ``speed`` campaign, not with this.

The options go on top of the engine's defaults (since December 2026 the Latin recogniser and
lines padded to 96 pixels); rapidocr's own settings are the ``accurate`` preset's options:
``'{"latin_recognizer": false, "rec_min_width": 320, "rec_narrow_ratio": 0}'``.

Usage::

    .venv/bin/python benchmarks/rapidocr_settings.py LABEL '{"rec_batch_size": 1}'
        [--sets sroie,funsd-test,fr-typed-tapuscorpus,synthetic-fr] [--readings /tmp/readings]
        [--samples START:END]

``--samples 20:57 --sets fr-typed-tapuscorpus`` reads the Tapuscorpus pages the campaigns
never score (use another label: readings are kept by label, set and sample).
"""

import argparse
import dataclasses
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import ImageOps

from ocrxtract.datasets.registry import load_dataset
from ocrxtract.document import Document, Page
from ocrxtract.engines.registry import recognize_page
from ocrxtract.io import PageImage
from ocrxtract.layout import mark_furniture
from ocrxtract.metrics.text import score_documents
from ocrxtract.pipeline import finish_page

SETS = {"sroie": 24, "funsd-test": 15, "fr-typed-tapuscorpus": 20, "synthetic-fr": 20}


def _read(job):
    options, page = job
    t = time.perf_counter()
    raw = recognize_page("rapidocr", options, page).model_dump_json()
    return raw, time.perf_counter() - t


def _shifted(page: PageImage, pixels: int) -> PageImage:
    if not pixels:
        return page
    border = (pixels, pixels, 0, 0)
    return dataclasses.replace(page, image=ImageOps.expand(page.image, border=border, fill="white"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("label")
    ap.add_argument("options")
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--readings", type=Path, default=Path("/tmp/rapidocr-settings"))
    ap.add_argument(
        "--samples", help="START:END, the samples of each set read instead of the campaign's"
    )
    ap.add_argument(
        "--shift",
        type=int,
        default=0,
        help="add this many white pixels left of and above each page (the same page scanned "
        "a little off: how much the figures move for nothing)",
    )
    a = ap.parse_args()
    options = {"threads": 1, **json.loads(a.options)}
    docs, jobs, slots = [], [], []
    for name in a.sets.split(","):
        first, _, end = (a.samples or f"0:{SETS[name]}").partition(":")
        for sample in list(load_dataset(name))[int(first) : int(end)]:
            pages = []
            for k, image in enumerate(sample.iter_pages()):
                path = a.readings / a.label / name / f"{sample.sample_id}.p{k}.json"
                if path.is_file():
                    pages.append(Page.model_validate_json(path.read_text()))
                else:
                    slots.append((pages, len(pages), path))
                    jobs.append((options, _shifted(image, a.shift)))
                    pages.append(None)
            docs.append((name, sample, pages))
    seconds = 0.0
    if jobs:
        with ProcessPoolExecutor(2) as pool:
            for (pages, i, path), (raw, s) in zip(slots, pool.map(_read, jobs), strict=True):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(raw)
                pages[i] = Page.model_validate_json(raw)
                seconds += s
        (a.readings / a.label / f"seconds-{int(time.time())}.txt").write_text(
            f"{seconds} {len(jobs)}"
        )
    tally = {}
    for name, sample, pages in docs:
        document = Document(pages=mark_furniture([finish_page(p) for p in pages]))
        for norm in ("exact", "folded"):
            s = score_documents(sample.text, document, norm).text
            e, r = tally.get((name, norm), (0, 0))
            tally[(name, norm)] = (e + s.char_edits, r + s.char_reference)
    out = [a.label]
    for name in a.sets.split(","):
        e, r = tally[(name, "folded" if name == "sroie" else "exact")]
        out.append(f"{name}={100 * e / r:.2f}")
    if jobs:
        out.append(f"s/page={seconds / len(jobs):.2f}")
    print("  ".join(out), flush=True)


if __name__ == "__main__":
    main()
