"""Line recognition, an engine capability with a default: the crop read as a page, unless the
engine has a line recogniser (tesseract with psm 7, rapidocr's recognition model alone)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PIL import Image

from conftest import require_engine
from ocrxtract.document import BBox
from ocrxtract.engines import create_engine
from ocrxtract.engines.base import crop_line
from ocrxtract.io import PageImage
from ocrxtract.metrics import cer
from test_bench_kit import ScriptedEngine


class LineCapable(ScriptedEngine):
    """An engine with a line recogniser of its own."""

    name = "line-capable"
    line_recognizer = "size-reader"

    def recognize_lines(self, page: PageImage, boxes: Sequence[BBox]) -> list[str]:
        return [f"{box.width}x{box.height}" for box in boxes]


def test_an_engine_recogniser_overrides_the_default() -> None:
    page = PageImage(Image.new("L", (100, 50), 255))
    assert LineCapable().recognize_lines(page, [BBox(x0=0, y0=0, x1=12, y1=5)]) == ["12x5"]
    assert LineCapable.line_recognizer == "size-reader"


def test_by_default_each_crop_is_read_as_a_page() -> None:
    page = PageImage(Image.new("L", (300, 90), 255), source="scan.png", dpi=300.0)
    boxes = [BBox(x0=0, y0=0, x1=100, y1=30), BBox(x0=400, y0=0, x1=500, y1=30)]
    # The scripted engine reads "HELLO WORLD" on a 100x30 page; the second box is off the page.
    assert ScriptedEngine().recognize_lines(page, boxes) == ["HELLO WORLD", ""]
    assert ScriptedEngine.line_recognizer == "page-on-crop"


def test_a_crop_keeps_the_resolution_and_names_the_line() -> None:
    page = PageImage(Image.new("L", (300, 90), 255), index=2, source="scan.png", dpi=300.0)
    crop = crop_line(page, BBox(x0=-5, y0=10, x1=50, y1=100), 4)
    assert crop is not None
    assert (crop.width, crop.height, crop.dpi) == (50, 80, 300.0)  # clipped to the page
    assert crop.source == "scan.png page 3 line 4"
    assert crop_line(page, BBox(x0=300, y0=0, x1=310, y1=5), 1) is None


@pytest.fixture(scope="module")
def line_page():
    """The generated sample page and the box and text of its first line."""
    from ocrxtract.sample import render_sample_page

    rendered = render_sample_page(seed=0, dpi=300)
    line = next(rendered.truth.pages[0].lines())
    return rendered.page, line.bbox, line.text


@pytest.mark.engine("tesseract")
def test_tesseract_reads_a_line_with_psm_7(line_page):
    require_engine("tesseract")
    engine = create_engine("tesseract", {"languages": ["fra"]})
    assert engine.line_recognizer == "tesseract-psm7"
    page, box, text = line_page
    (read,) = engine.recognize_lines(page, [box])
    assert cer(text, read) < 0.05


@pytest.mark.engine("rapidocr")
def test_rapidocr_reads_a_line_with_its_recogniser_alone(line_page):
    require_engine("rapidocr")
    engine = create_engine("rapidocr", {"languages": ["fra"], "threads": 1})
    assert engine.line_recognizer == "rapidocr-rec"
    page, box, text = line_page
    (read,) = engine.recognize_lines(page, [box])
    assert cer(text, read) < 0.05
    assert engine.model_fingerprint() and engine.model_fingerprint() == engine.model_fingerprint()


@pytest.mark.engine("rapidocr")
def test_rapidocr_still_detects_pages_after_reading_lines(line_page):
    # rapidocr keeps the flags of its last call: line crops must not switch detection off.
    engine = create_engine("rapidocr", {"languages": ["fra"], "threads": 1})
    page, box, text = line_page
    engine.recognize_lines(page, [box])
    assert text.split()[0] in [w.text for w in engine.recognize(page).words()]
