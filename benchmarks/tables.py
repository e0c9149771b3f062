"""Measure the tables extractor on ICDAR 2013 (born-digital PDFs) and the PubTabNet samples.

    PYTHONPATH=src python benchmarks/tables.py icdar2013
    PYTHONPATH=src python benchmarks/tables.py pubtabnet [--whole-page] [--method slanet]

ICDAR 2013 pages are read from their text layer (no OCR) at the dataset's 300 dpi; PubTabNet
images by rapidocr (English), its readings kept in ``--cache`` so a second run only re-scores.
Prints TEDS and structure-only TEDS over reference tables (a missed table scores 0), table
detection P/R/F1 at IoU >= 0.5 and, for ICDAR 2013, the cell adjacency F1.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ocrxtract.datasets import load_sample
from ocrxtract.datasets.registry import discover
from ocrxtract.document import Document, Page
from ocrxtract.extract import create_extractor
from ocrxtract.metrics.tables import TablesScore, score_tables


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


def icdar2013(options: dict[str, object]) -> None:
    extractor = create_extractor("tables", options)
    total, start = TablesScore(), time.perf_counter()
    for item in discover("icdar2013-tables").items:
        sample = load_sample("icdar2013-tables", item.sample_id)
        pages = [extractor.extract_page(image.text_layer or Page(index=image.index,
                 width=image.width, height=image.height), image)
                 for image in sample.iter_pages()]  # fmt: skip
        found = extractor.extract(Document(source=item.sample_id, pages=pages))
        predicted = [t for page in found.pages for t in page.tables]
        sizes = {p.index: (p.width, p.height) for p in found.pages}
        total = total + score_tables(list(sample.tables), predicted, sizes)
    _report("icdar2013-tables (competition, 37 PDFs)", total, time.perf_counter() - start)


def pubtabnet(options: dict[str, object], cache: Path) -> None:
    from ocrxtract.pipeline import engine_for, read_page

    cache.mkdir(parents=True, exist_ok=True)
    extractor = create_extractor("tables", options)
    engine = None
    total, start = TablesScore(), time.perf_counter()
    for item in discover("pubtabnet-samples").items:
        sample = load_sample("pubtabnet-samples", item.sample_id)
        image = next(sample.iter_pages())
        stored = cache / f"{item.sample_id}.rapidocr.json"
        if stored.exists():
            page = Page.model_validate_json(stored.read_text())
        else:
            engine = engine or engine_for("rapidocr", {"languages": ("eng",)})
            page = read_page(engine, image, force_ocr=True)
            stored.write_text(page.model_dump_json())
        found = extractor.extract(Document(source=item.sample_id, pages=[page]), images=[image])
        sizes = {0: (page.width, page.height)}
        total = total + score_tables(list(sample.tables), found.pages[0].tables, sizes)
    _report(f"pubtabnet-samples {options}", total, time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=["icdar2013", "pubtabnet"])
    parser.add_argument("--method", default="auto", choices=["auto", "geometry", "slanet"])
    parser.add_argument("--whole-page", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/ocrxtract/tables-bench")
    args = parser.parse_args()
    options: dict[str, object] = {"method": args.method, "whole_page": args.whole_page}
    if args.dataset == "icdar2013":
        icdar2013(options)
    else:
        pubtabnet(options, args.cache)


if __name__ == "__main__":
    main()
