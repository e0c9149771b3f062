"""Measure the tables extractor on ICDAR 2013 (born-digital PDFs), the PubTabNet samples and
generated scanned pages.

    PYTHONPATH=src python benchmarks/tables.py icdar2013 [--workers N]
    PYTHONPATH=src python benchmarks/tables.py pubtabnet [--whole-page] [--method slanet]
    PYTHONPATH=src python benchmarks/tables.py synthetic [--types ...] [--seeds 9000:9030]

ICDAR 2013 pages are read from their text layer (no OCR) at the dataset's 300 dpi; PubTabNet
images by rapidocr (English), generated pages by rapidocr (French), the readings kept in
``--cache`` so a second run only re-scores. Generated pages are drawn at the ``scan``
difficulty. Seeds 7000-7019 and 8000-8029 are the development seeds (the tables rules were
adjusted looking at their errors); the default, 9000-9029, was measured once afterwards and
is the figure to report (the embedded default set and the tests use seeds below 1000).
Prints TEDS and structure-only TEDS over reference tables (a missed table scores 0), table
detection P/R/F1 at IoU >= 0.5 and, for ICDAR 2013, the cell adjacency F1.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ocrxtract.datasets import load_sample
from ocrxtract.datasets.registry import discover
from ocrxtract.document import Document, Page
from ocrxtract.engines.base import OcrEngine
from ocrxtract.extract import create_extractor
from ocrxtract.io import PageImage
from ocrxtract.io.atomic import write_text_atomically
from ocrxtract.metrics.tables import TablesScore, score_tables


class CachedReader:
    """rapidocr's reading of a page, kept as JSON in ``cache`` under ``key``: a second run
    only re-scores (the engine is started on the first page not in the cache)."""

    def __init__(self, cache: Path, language: str) -> None:
        cache.mkdir(parents=True, exist_ok=True)
        self.cache, self.language = cache, language
        self.engine: OcrEngine | None = None

    def read(self, key: str, image: PageImage) -> Page:
        from ocrxtract.pipeline import engine_for, read_page

        stored = self.cache / f"{key}.rapidocr.json"
        if stored.exists():
            return Page.model_validate_json(stored.read_text())
        if self.engine is None:
            self.engine = engine_for("rapidocr", {"languages": (self.language,)})
        page = read_page(self.engine, image, force_ocr=True)
        write_text_atomically(stored, page.model_dump_json())
        return page


def _f1(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return f"F1 {f:.3f} (P {p:.3f}, R {r:.3f})"


def _report(name: str, total: TablesScore, seconds: float) -> None:
    t = total.teds
    d, a = total.detection, total.adjacency
    print(
        f"{name}: {t.tables} reference tables, {total.predicted_tables} predicted, {seconds:.0f} s"
    )
    print(
        f"  TEDS {t.teds_total / t.tables:.3f}  structure {t.teds_structure_total / t.tables:.3f}"
    )
    print(f"  detection {_f1(d.true_positives, d.false_positives, d.false_negatives)}")
    if a.true_positives + a.false_positives + a.false_negatives:
        print(f"  adjacency {_f1(a.true_positives, a.false_positives, a.false_negatives)}")


def _icdar_pdf(sample_id: str, options: dict[str, object]) -> tuple[TablesScore, int, int]:
    """The PDF's score, its tables flagged as continued, its reference continuations."""
    extractor = create_extractor("tables", options)
    sample = load_sample("icdar2013-tables", sample_id)
    pages = [extractor.extract_page(image.text_layer or Page(index=image.index,
             width=image.width, height=image.height), image)
             for image in sample.iter_pages()]  # fmt: skip
    found = extractor.extract(Document(source=sample_id, pages=pages))
    predicted = [t for page in found.pages for t in page.tables]
    sizes = {p.index: (p.width, p.height) for p in found.pages}
    reference = list(sample.tables)
    first = {t.table_id: min(r.page_index for r in reference if r.table_id == t.table_id)
             for t in reference}  # fmt: skip
    continuations = sum(1 for t in reference if t.page_index > first[t.table_id])
    flagged = sum(1 for t in predicted if t.continued)
    return score_tables(reference, predicted, sizes), flagged, continuations


def icdar2013(options: dict[str, object], workers: int) -> None:
    ids = [item.sample_id for item in discover("icdar2013-tables").items]
    total, start = TablesScore(), time.perf_counter()
    flagged = continuations = 0
    with ProcessPoolExecutor(workers) as pool:
        for score, n_flagged, n_continuations in pool.map(_icdar_pdf, ids, [options] * len(ids)):
            total = total + score
            flagged += n_flagged
            continuations += n_continuations
    _report(f"icdar2013-tables (competition, {len(ids)} PDFs)", total, time.perf_counter() - start)
    print(f"  tables over pages: {continuations} in the reference, {flagged} flagged continued")


def pubtabnet(options: dict[str, object], cache: Path) -> None:
    extractor = create_extractor("tables", options)
    reader = CachedReader(cache, "eng")
    total, start = TablesScore(), time.perf_counter()
    for item in discover("pubtabnet-samples").items:
        sample = load_sample("pubtabnet-samples", item.sample_id)
        image = next(sample.iter_pages())
        page = reader.read(item.sample_id, image)
        found = extractor.extract(Document(source=item.sample_id, pages=[page]), images=[image])
        sizes = {0: (page.width, page.height)}
        total = total + score_tables(list(sample.tables), found.pages[0].tables, sizes)
    _report(f"pubtabnet-samples {options}", total, time.perf_counter() - start)


SYNTHETIC_TYPES = ("tableau-statistique", "bulletin-de-salaire", "ticket-de-caisse", "facture")


def synthetic(
    options: dict[str, object], cache: Path, types: list[str], seeds: range, difficulty: str
) -> None:
    from ocrxtract.datasets.synthetic.generator import render_page

    extractor = create_extractor("tables", options)
    reader = CachedReader(cache, "fra")
    for doc_type in types:
        total, start = TablesScore(), time.perf_counter()
        for seed in seeds:
            rendered = render_page(doc_type, seed, difficulty)
            image = PageImage(index=0, image=rendered.image, dpi=rendered.truth.dpi)
            page = reader.read(f"{doc_type}-{seed}-{difficulty}", image)
            found = extractor.extract(Document(source=f"{doc_type}-{seed}", pages=[page]),
                                      images=[image])  # fmt: skip
            sizes = {0: (page.width, page.height)}
            total = total + score_tables(list(rendered.truth.tables), found.pages[0].tables, sizes)
        name = f"{doc_type} ({difficulty}, seeds {seeds.start}-{seeds.stop - 1}) {options}"
        _report(name, total, time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=["icdar2013", "pubtabnet", "synthetic"])
    parser.add_argument("--method", default="auto", choices=["auto", "geometry", "slanet"])
    parser.add_argument("--whole-page", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/ocrxtract/tables-bench")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="ICDAR 2013")
    parser.add_argument("--types", nargs="+", default=list(SYNTHETIC_TYPES))
    parser.add_argument("--seeds", default="9000:9030", help="START:STOP (generated pages)")
    parser.add_argument("--difficulty", default="scan")
    args = parser.parse_args()
    options: dict[str, object] = {"method": args.method, "whole_page": args.whole_page}
    if args.dataset == "icdar2013":
        icdar2013(options, args.workers)
    elif args.dataset == "pubtabnet":
        pubtabnet(options, args.cache)
    else:
        start, stop = (int(v) for v in args.seeds.split(":"))
        synthetic(options, args.cache, args.types, range(start, stop), args.difficulty)


if __name__ == "__main__":
    main()
