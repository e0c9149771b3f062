"""What the benchmark tests share: a tiny dataset built on disk and scripted fake engines.

The dataset ``tiny`` (SROIE format, so the real loader reads it) has two receipts:

* ``a``: a 200x100 page, one line ``HELLO WORLD`` in box (10, 10, 110, 40);
* ``b``: a 201x100 page, one line ``HELLO WONDERFUL WORLD`` in box (10, 10, 120, 40).

:class:`ScriptedEngine` reads a page by looking its pixel size up in :data:`SCRIPT`: page ``a``
is read right, page ``b`` as ``HELLO WONDERFUL WORD`` (one deletion) with its words far from
the ground-truth boxes; the line crops are 100x30 (``a``, read right) and 110x30 (``b``, read
``HELLO WONDERFUL W0RLD``: one substitution). Every call is counted, in memory and, when
``$OCRXTRACT_TEST_COUNTER`` names a file, in that file (one page source per line), so that
worker processes can be counted too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

from ocrxtract.document import BBox, Page, Word, block_from_lines, line_from_words
from ocrxtract.engines.base import Availability, OcrEngine
from ocrxtract.io import PageImage

COUNTER_ENV = "OCRXTRACT_TEST_COUNTER"
#: ``WIDTHxHEIGHT`` of pages on which the scripted engine kills its process.
CRASH_ENV = "OCRXTRACT_TEST_CRASH"

REGISTRY = """\
datasets:
  - name: tiny
    folder: tiny
    kind: receipts
    language: eng
    format: sroie
    tasks: [ocr]
    splits: {train: "every receipt"}
    default_split: train
    license: test data
    headline: {metric: cer, normalisation: exact}
    metrics: [cer, wer, bow_f1, line_cer, word_detection_f1, field_f1]
  - name: tiny-fr
    folder: tiny
    kind: receipts
    language: fra
    format: sroie
    tasks: [ocr]
    splits: {train: "every receipt"}
    default_split: train
    license: test data
    headline: {metric: bow_f1, normalisation: folded}
    metrics: [cer, bow_f1]
  - name: tiny-tables
    folder: tiny
    kind: tables
    language: eng
    format: sroie
    tasks: [tables]
    splits: {train: "every receipt"}
    license: test data
    headline: {metric: teds, normalisation: exact}
    metrics: [teds]
"""

#: (stem, page size, line box, line text)
RECEIPTS = [
    ("a", (200, 100), (10, 10, 110, 40), "HELLO WORLD"),
    ("b", (201, 100), (10, 10, 120, 40), "HELLO WONDERFUL WORLD"),
]

Words = list[tuple[str, tuple[int, int, int, int]]]
SCRIPT: dict[tuple[int, int], Words] = {
    (200, 100): [("HELLO", (10, 10, 56, 40)), ("WORLD", (64, 10, 110, 40))],
    (201, 100): [
        ("HELLO", (10, 60, 40, 90)),
        ("WONDERFUL", (45, 60, 90, 90)),
        ("WORD", (95, 60, 120, 90)),
    ],
    (100, 30): [("HELLO", (0, 0, 45, 30)), ("WORLD", (55, 0, 100, 30))],
    (110, 30): [
        ("HELLO", (0, 0, 30, 30)),
        ("WONDERFUL", (32, 0, 80, 30)),
        ("W0RLD", (82, 0, 110, 30)),
    ],
}


def build_receipts(
    root: Path, receipts: list[tuple[str, tuple[int, int], tuple[int, ...], str]]
) -> None:
    """Write SROIE-layout receipts (``images/<stem>.png``, ``gt/<stem>.box.csv``) under root."""
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "gt").mkdir(parents=True, exist_ok=True)
    for stem, size, box, text in receipts:
        Image.new("RGB", size, "white").save(root / "images" / f"{stem}.png", dpi=(300, 300))
        x0, y0, x1, y1 = box
        (root / "gt" / f"{stem}.box.csv").write_text(
            f"{x0},{y0},{x1},{y0},{x1},{y1},{x0},{y1},{text}\n", encoding="utf-8"
        )


def use_tiny_datasets(base: Path, env: pytest.MonkeyPatch | None = None) -> dict[str, str]:
    """Build the tiny datasets under ``base`` and point the registry at them.

    Returns the environment variables to set (also set through ``env`` when given).
    """
    build_receipts(base / "data" / "tiny", RECEIPTS)
    registry = base / "datasets.yml"
    registry.write_text(REGISTRY, encoding="utf-8")
    (base / "no-shared").mkdir(exist_ok=True)
    variables = {
        "OCRXTRACT_DATASETS_FILE": str(registry),
        "OCRXTRACT_DATA_DIR": str(base / "data"),
        "OCRXTRACT_SHARED_DATASETS": str(base / "no-shared"),
    }
    if env is not None:
        for name, value in variables.items():
            env.setenv(name, value)
    return variables


@pytest.fixture(name="tiny")
def tiny_fixture(tmp_path, monkeypatch):
    """The tiny datasets, with the registry pointed at them; yields the base folder."""
    use_tiny_datasets(tmp_path, monkeypatch)
    ScriptedEngine.calls.clear()
    return tmp_path


def page_of(words: Words, page: PageImage) -> Page:
    """A one-line page holding ``words``."""
    blocks = []
    if words:
        line = line_from_words(
            [
                Word(text=t, bbox=BBox(x0=b[0], y0=b[1], x1=b[2], y1=b[3]), confidence=0.9)
                for t, b in words
            ]
        )
        blocks = [block_from_lines([line])]
    return Page(index=page.index, width=page.width, height=page.height, dpi=page.dpi, blocks=blocks)


class ScriptedEngine(OcrEngine):
    """Reads what :data:`SCRIPT` says for the page's size; counts its calls."""

    name = "scripted"
    description = "test engine"
    calls: ClassVar[list[str]] = []
    #: Page sizes on which the engine fails.
    failing: ClassVar[set[tuple[int, int]]] = set()
    #: Page sizes on which the engine stops the run, as Ctrl-C would.
    interrupting: ClassVar[set[tuple[int, int]]] = set()

    @classmethod
    def availability(cls) -> Availability:
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        return "1.0"

    @classmethod
    def languages(cls) -> list[str]:
        return ["eng"]

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        type(self).calls.append(page.source)
        counter = os.environ.get(COUNTER_ENV)
        if counter:
            with open(counter, "a", encoding="utf-8") as handle:
                handle.write(page.source + "\n")
        if os.environ.get(CRASH_ENV) == f"{page.width}x{page.height}":
            os._exit(3)  # a crash in native code, as far as the parent can tell
        if (page.width, page.height) in self.interrupting:
            raise KeyboardInterrupt
        if (page.width, page.height) in self.failing:
            raise ValueError(f"scripted failure on a {page.width}x{page.height} page")
        return page_of(SCRIPT.get((page.width, page.height), []), page), []


class UnavailableEngine(ScriptedEngine):
    """An engine that cannot run here."""

    name = "unavailable-test"

    @classmethod
    def availability(cls) -> Availability:
        return Availability(
            available=False,
            reason="its model is missing",
            install="pip install 'ocrxtract[nothing]'",
        )


# --- the kit's own checks ---------------------------------------------------------------------


def test_tiny_dataset_loads_as_described(tiny):
    from ocrxtract.datasets import load_dataset

    samples = list(load_dataset("tiny"))
    assert [(s.sample_id, s.text) for s in samples] == [
        ("a", "HELLO WORLD"),
        ("b", "HELLO WONDERFUL WORLD"),
    ]
    assert [s.scorable_lines[0].bbox.as_tuple() for s in samples] == [
        (10, 10, 110, 40),
        (10, 10, 120, 40),
    ]
    assert [w.bbox.as_tuple() for w in samples[0].truth.pages[0].words()] == [
        (10, 10, 56, 40),
        (64, 10, 110, 40),
    ]


def test_scripted_engine_reads_by_size(tiny):
    page = PageImage(Image.new("RGB", (201, 100), "white"), source="b.png")
    assert ScriptedEngine().recognize(page).text() == "HELLO WONDERFUL WORD"
    assert ScriptedEngine.calls == ["b.png"]
