"""The embedded-default job: OCR a generated French page with every available engine.

``ocrxtract demo`` renders :func:`ocrxtract.sample.render_sample_page`, runs each engine that can
run here, and scores each reading against the exact ground truth. It needs no download and no
dataset, so it is what the README's first command runs on a fresh machine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ocrxtract.engines.registry import engine_names, get_engine_class
from ocrxtract.errors import OcrxtractError
from ocrxtract.metrics.text import TextScore, score_text
from ocrxtract.pipeline import EngineStep, PagesInput, Steps, run
from ocrxtract.sample import SamplePage, render_sample_page

log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class DemoReading:
    """One engine's reading of the sample page, or why it could not read it."""

    engine: str
    version: str | None = None
    text: str | None = None
    score: TextScore | None = None
    seconds: float | None = None
    problem: str | None = None


def run_demo(
    engines: Iterable[str] | None = None,
    seed: int = 0,
    dpi: int = 300,
    languages: tuple[str, ...] = ("fra",),
    on_engine: Callable[[str], None] | None = None,
) -> tuple[SamplePage, list[DemoReading]]:
    """Read the sample page with each engine and score it (``exact`` normalisation).

    Args:
        engines: Engine names; default: every registered engine that reads images.
        seed: Sample page seed.
        dpi: Resolution of the rendered page.
        languages: Languages passed to every engine.
        on_engine: Called with each engine name before it runs (progress display).

    Returns:
        The sample page and one reading per engine; unavailable or failing engines come back
        with ``problem`` set instead of raising.
    """
    sample = render_sample_page(seed=seed, dpi=dpi)
    names = list(engines) if engines else _demo_engines()
    readings = []
    for name in names:
        if on_engine is not None:
            on_engine(name)
        try:
            availability = get_engine_class(name).availability()
        except OcrxtractError as exc:
            readings.append(DemoReading(name, problem=str(exc)))
            continue
        if not availability.available:
            hint = f" — install: {availability.install}" if availability.install else ""
            readings.append(DemoReading(name, problem=f"{availability.reason}{hint}"))
            continue
        steps = Steps((EngineStep(name, {"languages": languages}),))
        (result,) = run([PagesInput(sample.page.source, (sample.page,))], steps)
        outcome = result.outcomes[name]
        if outcome.error is not None or outcome.document is None:
            readings.append(DemoReading(name, problem=str(outcome.error)))
            continue
        page = outcome.document.pages[0]
        text = page.text()
        provenance = page.provenance
        readings.append(
            DemoReading(
                engine=name,
                version=provenance.engine_version if provenance else None,
                text=text,
                score=score_text(sample.text, text),
                seconds=provenance.seconds if provenance else None,
            )
        )
    return sample, readings
