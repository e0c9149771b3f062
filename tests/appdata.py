"""Inputs made in the test for the app tests: small generated pages, a two-page PDF, a benchmark
results folder with hand-computed figures, and three tiny engines (fixed text, failing,
unavailable) that tests register.

Pages are the top of the generated sample page (:func:`ocrxtract.sample.render_sample_page`) at
150 dpi: its ten lines of French text, 1240 x 720 pixels, so RapidOCR reads one in a few seconds
on a busy 2-core machine.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from PIL import Image

from ocrxtract.document import BBox, Page, Word, block_from_lines, line_from_words
from ocrxtract.engines import Availability, OcrEngine
from ocrxtract.io import PageImage
from ocrxtract.sample import render_sample_page

DPI = 150
#: The part of the A4 sample page that holds its text, at 150 dpi.
CROP = (0, 0, 1240, 720)


def sample_page(seed: int) -> tuple[Image.Image, str]:
    """The text part of generated page ``seed`` and its exact text (one line per line)."""
    sample = render_sample_page(seed, dpi=DPI)
    return sample.page.image.crop(CROP), sample.text


def png_bytes(seed: int = 0) -> bytes:
    image, _ = sample_page(seed)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def two_page_pdf() -> bytes:
    """A two-page PDF of sample pages 0 and 1 (Pillow: one image per page)."""
    first, _ = sample_page(0)
    second, _ = sample_page(1)
    buffer = io.BytesIO()
    first.save(buffer, "PDF", resolution=DPI, save_all=True, append_images=[second])
    return buffer.getvalue()


#: The table of :func:`table_pdf`: a header row, then figures written the French way.
TABLE_ROWS = [
    ["Région", "2022", "2023"],
    ["Bretagne", "1 234,5", "1 300,0"],
    ["Normandie", "12,3", "n.d."],
    ["Total", "2 345", "2 400"],
]


def table_pdf(tables: int = 1) -> bytes:
    """A born-digital one-page PDF (text layer, no image): a caption, then :data:`TABLE_ROWS`
    ruled (thin filled rectangles), ``tables`` times one below the other (``0``: the caption
    alone)."""
    from minipdf import PageSpec, Rect, Text, build_pdf

    items: list[Text | Rect] = [Text(72, 740, "Population par région, en milliers", size=12)]
    left, width, height = 72, 150, 24
    for k in range(tables):
        top = 700 - k * 200
        for r, row in enumerate(TABLE_ROWS):
            for c, text in enumerate(row):
                items.append(Text(left + c * width + 6, top - (r + 1) * height + 7, text, 11))
        for r in range(len(TABLE_ROWS) + 1):
            items.append(Rect(left, top - r * height, 3 * width, 1))
        for c in range(4):
            items.append(Rect(left + c * width, top - len(TABLE_ROWS) * height, 1,
                              len(TABLE_ROWS) * height))  # fmt: skip
    return build_pdf([PageSpec(items=items)])


#: (engine, dataset) -> (exact char edits, folded char edits, exact word edits, seconds/page)
#: over 200 reference characters and 40 reference words, 2 pages.
FIGURES: dict[tuple[str, str], tuple[int, int, int, float]] = {
    ("tesseract", "sample-fr"): (4, 2, 2, 0.5),  # CER exact 2 %, folded 1 %, WER 5 %
    ("rapidocr", "sample-fr"): (10, 6, 4, 3.0),  # CER exact 5 %, folded 3 %, WER 10 %
    ("tesseract", "sroie"): (30, 20, 8, 0.4),  # CER exact 15 %
    ("rapidocr", "sroie"): (16, 12, 6, 2.5),  # CER exact 8 %
}
DATASETS: dict[str, dict[str, Any]] = {
    "sample-fr": {
        "title": "Generated French sample pages",
        "kind": "administrative",
        "headline": {"metric": "cer", "normalisation": "exact"},
        "samples": 2,
    },
    "sroie": {
        "title": "SROIE receipts",
        "kind": "receipts",
        "headline": {"metric": "cer", "normalisation": "exact"},
        "samples": 2,
    },
}


def write_results(folder: Path, name: str = "demo") -> Path:
    """A results folder ``folder/name`` with a ``summary.json`` made by the bench's own
    aggregation from rows with the hand-chosen :data:`FIGURES`; returns the run folder."""
    from ocrxtract.bench.report import engine_totals, leaderboard
    from ocrxtract.bench.results import new_row

    rows = []
    for (engine, dataset), (edits, folded, words, seconds) in FIGURES.items():
        for sample in ("a", "b"):  # two samples of one page, half the counts each
            rows.append(
                new_row(
                    engine=engine,
                    engine_name=engine,
                    engine_version=f"{engine} 1.0",
                    dataset=dataset,
                    sample_id=sample,
                    task=f"{engine}-{dataset}-{sample}",
                    status="ok",
                    pages=1,
                    exact_char_edits=edits // 2,
                    exact_char_ref=100,
                    folded_char_edits=folded // 2,
                    folded_char_ref=100,
                    exact_word_edits=words // 2,
                    exact_word_ref=20,
                    seconds=seconds,
                    cold_pages=0,
                    cold_seconds=0.0,
                )
            )
    engines = ["tesseract", "rapidocr"]
    summary = {
        "format": 1,
        "campaign": {"name": name, "description": "Hand-made results for the app tests."},
        "stamp": {
            "time": "2026-01-01T00:00:00+00:00",
            "git": {"commit": "0123456789abcdef"},
            "machine": {"cpu": "test CPU", "cores": 2},
        },
        "run": {"wall_seconds": 12.0},
        "engines": {t["engine"]: t for t in engine_totals(rows, engines)},
        "datasets": DATASETS,
        "skipped": [{"engine": None, "dataset": "cord-v2", "reason": "not on this machine"}],
        "leaderboard": leaderboard(rows, DATASETS, engines),
        "errors": [],
    }
    run = folder / name
    run.mkdir(parents=True)
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return run


# --- engines for tests -----------------------------------------------------------------------

#: What test-echo reads on each page (page 1 misses a "t" of the reference "Quittance").
ECHO_TEXT = ("Quitance de loyer", "page deux")


class EchoEngine(OcrEngine):
    """Reads :data:`ECHO_TEXT` on every page, one word box per word, confidence 0.9."""

    name = "test-echo"
    description = "Fixed text (tests)"

    @classmethod
    def availability(cls) -> Availability:
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        return "echo 1.0"

    @classmethod
    def languages(cls) -> list[str]:
        return []

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        words = [
            Word(
                text=token, bbox=BBox(x0=10 + 60 * i, y0=10, x1=60 + 60 * i, y1=30), confidence=0.9
            )
            for i, token in enumerate(ECHO_TEXT[min(page.index, 1)].split())
        ]
        lines = [line_from_words(words)]
        result = Page(index=page.index, width=page.width, height=page.height, dpi=page.dpi,
                      blocks=[block_from_lines(lines)])  # fmt: skip
        return result, []


class FailingEngine(EchoEngine):
    name = "test-failing"

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        raise ValueError("the model exploded")


class MissingEngine(EchoEngine):
    name = "test-missing"

    @classmethod
    def availability(cls) -> Availability:
        return Availability(
            available=False,
            reason="its weights are not in $OCRXTRACT_TEST_DIR",
            install="pip install test-missing-weights",
        )
