"""The first look: generated French pages at the difficulties where engines differ, read by every
available engine, with what differs.

``ocrxtract demo`` generates one rent receipt (exact ground truth, no download) degraded three
ways, ``scan``, ``fax`` and ``photo`` (on a clean page every engine reads almost everything, which
tells nothing), reads them with each engine that can run here through the pipeline, and reports
per engine: CER per difficulty (page and order-free), seconds per page, and its hardest line,
the ground-truth line it read worst with what it read instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ocrxtract.datasets.synthetic import render_page
from ocrxtract.engines.registry import engine_names, get_engine_class
from ocrxtract.errors import OcrxtractError
from ocrxtract.io import PageImage
from ocrxtract.metrics.text import score_text
from ocrxtract.metrics.unordered import LinePair, match_lines, score_unordered
from ocrxtract.pipeline import EngineStep, PagesInput, Steps, run

log = logging.getLogger(__name__)

#: What the demo reads: a document type and the difficulties where engines differ.
DEMO_DOCUMENT = "quittance-de-loyer"
DEMO_DIFFICULTIES: tuple[str, ...] = ("scan", "fax", "photo")


@dataclass(frozen=True)
class DemoPage:
    """A generated page: its difficulty, image and exact text."""

    difficulty: str
    page: PageImage
    text: str


@dataclass(frozen=True)
class Hardest:
    """An engine's worst-read ground-truth line."""

    difficulty: str
    reference: str
    read: str | None
    edits: int


@dataclass(frozen=True)
class DemoReading:
    """One engine's reading of the demo pages, or why it could not read them.

    Attributes:
        engine: Engine name.
        version: What it runs.
        cer: Page CER per difficulty (exact).
        oi_cer: Order-free CER per difficulty (exact): recognition without reading order.
        seconds_per_page: Engine seconds per page (the first includes model loading).
        hardest: Its worst-read line.
        texts: What it read, per difficulty.
        problem: Why it did not run (not installed, failed).
    """

    engine: str
    version: str | None = None
    cer: dict[str, float] = field(default_factory=dict)
    oi_cer: dict[str, float] = field(default_factory=dict)
    seconds_per_page: float | None = None
    hardest: Hardest | None = None
    texts: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def demo_pages(seed: int = 0, dpi: int = 200) -> list[DemoPage]:
    """The generated pages the demo reads (same seed, same pages)."""
    pages = []
    for number, difficulty in enumerate(DEMO_DIFFICULTIES):
        rendered = render_page(DEMO_DOCUMENT, seed, difficulty, dpi=dpi)
        image = PageImage(
            image=rendered.image,
            index=number,
            source=f"{DEMO_DOCUMENT}-{seed}-{difficulty}",
            dpi=rendered.truth.dpi,
        )
        pages.append(DemoPage(difficulty, image, rendered.text))
    return pages


def _demo_engines() -> list[str]:
    """Registered engines that read images and are offered to users."""
    names = []
    for name in engine_names():
        try:
            cls = get_engine_class(name)
        except OcrxtractError:
            names.append(name)  # listed, so that its problem is shown
            continue
        if cls.reads_images and cls.user_facing:
            names.append(name)
    return names


def _hardest(pages: list[DemoPage], texts: dict[str, str]) -> Hardest | None:
    worst: tuple[LinePair, str] | None = None
    for page in pages:
        for pair in match_lines(page.text, texts.get(page.difficulty, "")):
            if worst is None or pair.edits > worst[0].edits:
                worst = (pair, page.difficulty)
    if worst is None or worst[0].edits == 0:
        return None
    pair, difficulty = worst
    return Hardest(difficulty, pair.reference, pair.hypothesis, pair.edits)


def _read(name: str, pages: list[DemoPage], languages: tuple[str, ...]) -> DemoReading:
    try:
        availability = get_engine_class(name).availability()
    except OcrxtractError as exc:
        return DemoReading(name, problem=str(exc))
    if not availability.available:
        hint = f" — install: {availability.install}" if availability.install else ""
        return DemoReading(name, problem=f"{availability.reason}{hint}")
    steps = Steps((EngineStep(name, {"languages": languages}),))
    item = PagesInput("demo", tuple(page.page for page in pages))
    (result,) = run([item], steps)
    outcome = result.outcomes[name]
    if outcome.error is not None or outcome.document is None:
        return DemoReading(name, problem=str(outcome.error or result.error))
    read = outcome.document.pages
    texts = {page.difficulty: got.text() for page, got in zip(pages, read, strict=True)}
    provenances = [p.provenance for p in read if p.provenance is not None]
    return DemoReading(
        engine=name,
        version=provenances[0].engine_version if provenances else None,
        cer={p.difficulty: score_text(p.text, texts[p.difficulty]).cer for p in pages},
        oi_cer={p.difficulty: score_unordered(p.text, texts[p.difficulty]).cer for p in pages},
        seconds_per_page=sum(p.seconds for p in provenances) / len(read) if read else None,
        hardest=_hardest(pages, texts),
        texts=texts,
    )


def run_demo(
    engines: Iterable[str] | None = None,
    seed: int = 0,
    dpi: int = 200,
    languages: tuple[str, ...] = ("fra",),
    on_engine: Callable[[str], None] | None = None,
) -> tuple[list[DemoPage], list[DemoReading]]:
    """Read the demo pages with each engine and score them.

    Args:
        engines: Engine names; default: every registered engine offered to users that reads
            images.
        seed: Seed of the generated document.
        dpi: Resolution of the generated pages.
        languages: Languages passed to every engine.
        on_engine: Called with each engine name before it runs (progress display).

    Returns:
        The pages and one reading per engine; unavailable or failing engines come back with
        ``problem`` set instead of raising.
    """
    pages = demo_pages(seed, dpi)
    readings = []
    for name in list(engines) if engines else _demo_engines():
        if on_engine is not None:
            on_engine(name)
        readings.append(_read(name, pages, languages))
    return pages, readings
