"""The contract every registered engine keeps, checked on the generated French sample page.

For each engine available here: the page comes back valid (its index, size and dpi are the
input's, every box lies inside the page, confidences are in [0, 1], the provenance names the
engine, its version, options and time), the same input gives the same page (apart from the
seconds) from a second engine instance built by the registry's ``recognize_page``, and the page
exports to JSON and back unchanged. ``tesseract`` and ``rapidocr`` must read the sample with a
CER under 2 %. ``null`` returns an empty page; ``pdf-text`` returns an empty page with a note on
an image. Engines that cannot run here are skipped with their reason and install command.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from ocrxtract.document import BBox, Page
from ocrxtract.engines import OcrEngine, create_engine, engine_names, get_engine_class
from ocrxtract.engines.registry import recognize_page
from ocrxtract.errors import EngineUnavailableError
from ocrxtract.io import PageImage
from ocrxtract.metrics import cer
from ocrxtract.sample import SamplePage, render_sample_page

#: Engines whose recognition of the sample page is held to a CER bound. EasyOCR runs with the
#: English weights that a package ships offline: it reads the text but drops French accents.
MAX_CER = {"tesseract": 0.02, "rapidocr": 0.02, "ensemble": 0.02, "easyocr": 0.15}
#: Options per engine for the contract (default: the engine's defaults, French).
CONTRACT_OPTIONS: dict[str, dict[str, Any]] = {"easyocr": {"languages": ["eng"], "threads": 2}}
#: Resolution of the sample page per engine: EasyOCR reads a 300-dpi A4 page in ~40 s on 2 cores.
SAMPLE_DPI = {"easyocr": 150}
#: Engines that return no text on an image page, and whether they must say why.
EMPTY = {"null": False, "pdf-text": True}


@pytest.fixture(scope="module")
def samples() -> dict[int, SamplePage]:
    """Sample pages by dpi, rendered once for the module."""
    return {dpi: render_sample_page(seed=0, dpi=dpi) for dpi in {300, *SAMPLE_DPI.values()}}


@pytest.fixture(scope="module")
def engines() -> Iterator[dict[str, OcrEngine]]:
    """Engines built once for the module (models load once), closed at the end."""
    built: dict[str, OcrEngine] = {}
    yield built
    for engine in built.values():
        engine.close()


def _available(name: str) -> None:
    availability = get_engine_class(name).availability()
    if not availability.available:
        pytest.skip(f"{name}: {availability.reason} (install: {availability.install})")


def _inside(box: BBox, page: Page) -> bool:
    return 0 <= box.x0 <= box.x1 <= page.width and 0 <= box.y0 <= box.y1 <= page.height


def assert_valid_page(page: Page, image: PageImage, engine: OcrEngine) -> None:
    """The structural contract of an engine's page."""
    assert (page.index, page.width, page.height) == (image.index, image.width, image.height)
    assert page.dpi == image.dpi
    for block in page.blocks:
        assert _inside(block.bbox, page), block.bbox
        for line in block.lines:
            assert _inside(line.bbox, page), line.bbox
            assert line.confidence is None or 0.0 <= line.confidence <= 1.0
            for x, y in line.polygon or []:
                assert 0 <= x <= page.width and 0 <= y <= page.height, line.polygon
            for word in line.words:
                assert _inside(word.bbox, page), word.bbox
                assert word.confidence is None or 0.0 <= word.confidence <= 1.0
                assert word.text.strip() == word.text != ""
    provenance = page.provenance
    assert provenance is not None
    assert provenance.engine == engine.name
    assert provenance.engine_version and provenance.engine_version != "unavailable"
    assert provenance.options == engine.options.model_dump(mode="json")
    assert provenance.seconds > 0.0
    assert Page.model_validate_json(page.model_dump_json()) == page


def _without_seconds(page: Page) -> dict[str, Any]:
    return page.model_dump(mode="json", exclude={"provenance": {"seconds"}})


@pytest.mark.parametrize("name", engine_names())
def test_engine_contract(
    name: str, samples: dict[int, SamplePage], engines: dict[str, OcrEngine]
) -> None:
    _available(name)
    sample = samples[SAMPLE_DPI.get(name, 300)]
    options = CONTRACT_OPTIONS.get(name, {})
    engine = engines.get(name) or engines.setdefault(name, create_engine(name, options))
    checked = engine.check()
    if not checked.available:
        pytest.skip(f"{name}: {checked.reason} (install: {checked.install})")
    try:
        page = engine.recognize(sample.page)
    except EngineUnavailableError as exc:  # e.g. weights for this language missing
        pytest.skip(str(exc))

    assert_valid_page(page, sample.page, engine)
    again = recognize_page(name, options, sample.page)  # a second instance, from the registry
    assert _without_seconds(again) == _without_seconds(page)

    if name in EMPTY:
        assert page.blocks == []
        assert page.provenance is not None
        assert bool(page.provenance.notes) == EMPTY[name], page.provenance.notes
    elif name in MAX_CER:
        error = cer(sample.text, page.text())
        assert error < MAX_CER[name], (
            f"{name}: CER {error:.2%} on the sample page\n{page.text()}\n---\n{sample.text}"
        )


def test_an_engine_works_across_processes() -> None:
    """Pages sent to a pool of 2 processes come back as the same pages as in-process."""
    _available("tesseract")
    pages = [render_sample_page(seed=seed, dpi=300) for seed in (1, 2)]
    local = create_engine("tesseract")
    expected = [_without_seconds(local.recognize(s.page)) for s in pages]
    local.close()
    context = multiprocessing.get_context("spawn")  # no fork of a process with native threads
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        results = list(
            pool.map(recognize_page, ["tesseract"] * 2, [{}] * 2, [s.page for s in pages])
        )
    assert [_without_seconds(page) for page in results] == expected
    for sample_page, page in zip(pages, results, strict=True):
        error = cer(sample_page.text, page.text())
        assert error < MAX_CER["tesseract"], f"CER {error:.2%} in a worker process"
