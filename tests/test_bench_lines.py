"""Line recognisers: the engine's own capability first, then the ones written for tesseract and
rapidocr (real engines, skipped when absent), then the crop read as a page."""

from __future__ import annotations

import pytest
from PIL import Image

from conftest import require_engine
from ocrxtract.bench.lines import line_reader
from ocrxtract.engines import register, unregister
from ocrxtract.io import PageImage
from ocrxtract.metrics import cer
from test_bench_kit import ScriptedEngine


class LineCapable(ScriptedEngine):
    """An engine offering the optional ``recognize_line`` capability."""

    name = "line-capable"

    def recognize_line(self, crop: PageImage) -> str:
        return f"{crop.width}x{crop.height}"


@pytest.fixture
def engines():
    register(ScriptedEngine)
    register(LineCapable)
    yield
    unregister(ScriptedEngine.name)
    unregister(LineCapable.name)


def test_an_engine_capability_comes_first(engines):
    reader = line_reader("line-capable", {})
    assert reader.name == "line-capable-recognize-line"
    assert reader.read(PageImage(Image.new("L", (12, 5), 255))) == "12x5"


def test_without_it_the_crop_is_read_as_a_page(engines):
    reader = line_reader("scripted", {})
    assert reader.name == "page-on-crop"
    assert reader.read(PageImage(Image.new("L", (100, 30), 255))) == "HELLO WORLD"


@pytest.fixture(scope="module")
def line_crop():
    """The first line of the generated sample page, cropped to its box, and its text."""
    from ocrxtract.sample import render_sample_page

    rendered = render_sample_page(seed=0, dpi=300)
    line = next(rendered.truth.pages[0].lines())
    crop = rendered.page.image.crop(line.bbox.as_tuple())
    return PageImage(crop, source="line", dpi=300.0), line.text


@pytest.mark.engine("tesseract")
def test_tesseract_reads_a_line_with_psm_7(line_crop):
    require_engine("tesseract")
    reader = line_reader("tesseract", {"languages": ["fra"]})
    assert reader.name == "tesseract-psm7"
    crop, text = line_crop
    assert cer(text, reader.read(crop)) < 0.05


@pytest.mark.engine("rapidocr")
def test_rapidocr_reads_a_line_with_its_recogniser_alone(line_crop):
    require_engine("rapidocr")
    reader = line_reader("rapidocr", {"languages": ["fra"], "threads": 1})
    assert reader.name == "rapidocr-rec"
    crop, text = line_crop
    assert cer(text, reader.read(crop)) < 0.05
