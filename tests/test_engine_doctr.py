"""The ``doctr`` engine: raw-output mapping, options, weights lookup, and the pipeline run offline
with untrained models of the real architectures.

Tests that need docTR skip unless ``pip install 'torch==2.14.1' 'torchvision==0.29.1'
'ocrxtract[doctr]'`` was run. No test downloads weights.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox
from ocrxtract.engines import create_engine
from ocrxtract.engines.doctr_engine import (
    INSTALL_COMMAND,
    DoctrEngine,
    doctr_page_to_page,
    relative_geometry_to_quad,
    url_file_name,
)
from ocrxtract.errors import InvalidOptionsError, ModelNotFoundError
from ocrxtract.io import PageImage

#: Small real architectures: the untrained pipeline runs in about a second.
LIGHT = {"det_arch": "db_mobilenet_v3_large", "reco_arch": "crnn_mobilenet_v3_small"}


def _needs_doctr() -> None:
    for package in ("doctr", "torch", "torchvision"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} not installed (install: {INSTALL_COMMAND})")


@pytest.fixture
def empty_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """docTR's cache and our folder variable point at empty folders."""
    monkeypatch.setenv("DOCTR_CACHE_DIR", str(tmp_path / "doctr-cache"))
    monkeypatch.delenv("OCRXTRACT_DOCTR_MODEL_DIR", raising=False)
    return tmp_path


def _page_image() -> Image.Image:
    image = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=24)
    draw.text((20, 20), "Total due 1250 EUR", font=font, fill="black")
    draw.text((20, 70), "Paris, 12 mars 2024", font=font, fill="black")
    return image


# --- pure mapping -------------------------------------------------------------------------------


def _flat(points: list[tuple[float, float]]) -> list[float]:
    return [coordinate for point in points for coordinate in point]


def test_relative_geometry_becomes_pixel_corners() -> None:
    straight = relative_geometry_to_quad(((0.1, 0.2), (0.3, 0.4)), 200, 100)
    assert _flat(straight) == pytest.approx([20, 20, 60, 20, 60, 40, 20, 40])
    rotated = np.array([[0.1, 0.1], [0.5, 0.2], [0.5, 0.4], [0.1, 0.3]])
    assert _flat(relative_geometry_to_quad(rotated, 200, 100)) == pytest.approx(
        [20, 10, 100, 20, 100, 40, 20, 30]
    )
    with pytest.raises(ValueError, match="3 points"):
        relative_geometry_to_quad([(0, 0), (1, 1), (1, 0)], 10, 10)


def _word(value: str, confidence: float, geometry: Any) -> SimpleNamespace:
    return SimpleNamespace(value=value, confidence=confidence, geometry=geometry)


def test_duck_typed_page_maps_with_drops_and_clipping() -> None:
    line = SimpleNamespace(
        words=[
            _word("Total", 0.9, ((0.1, 0.2), (0.3, 0.4))),
            _word("", 0.2, ((0.3, 0.2), (0.35, 0.4))),  # nothing recognised: dropped
            _word("due", 0.5, ((0.35, 0.2), (1.02, 0.4))),  # runs off the page: clipped
        ],
        geometry=((0.1, 0.2), (1.02, 0.4)),
    )
    empty_line = SimpleNamespace(
        words=[_word(" ", 0.1, ((0, 0), (0.1, 0.1)))], geometry=((0, 0), (0.1, 0.1))
    )
    doctr_page = SimpleNamespace(
        blocks=[SimpleNamespace(lines=[line]), SimpleNamespace(lines=[empty_line])]
    )
    page = doctr_page_to_page(doctr_page, index=1, width=200, height=100)
    assert len(page.blocks) == 1  # the block with only an empty line is dropped
    (mapped,) = list(page.lines())
    assert [w.text for w in mapped.words] == ["Total", "due"]
    assert mapped.words[0].bbox == BBox(x0=20, y0=20, x1=60, y1=40)
    assert mapped.words[1].bbox == BBox(x0=70, y0=20, x1=200, y1=40)
    assert mapped.bbox == BBox(x0=20, y0=20, x1=200, y1=40)
    assert mapped.confidence == pytest.approx(0.7)  # mean of 0.9 and 0.5
    assert mapped.polygon is None


def test_real_doctr_document_maps_to_expected_pixel_boxes() -> None:
    _needs_doctr()
    from doctr.io.elements import Block, Document, Line, Word
    from doctr.io.elements import Page as DoctrPage

    orientation = {"value": 0, "confidence": None}
    words = [
        Word("Invoice", 0.98, ((0.05, 0.1), (0.25, 0.2)), 0.9, orientation),
        Word("42", 0.6, ((0.3, 0.1), (0.4, 0.2)), 0.9, orientation),
    ]
    rotated = Word(
        "Paid", 0.75, np.array([[0.5, 0.5], [0.7, 0.55], [0.7, 0.65], [0.5, 0.6]]), 0.8, orientation
    )
    document = Document(
        pages=[
            DoctrPage(
                page=np.zeros((100, 200, 3), dtype=np.uint8),
                blocks=[Block(lines=[Line(words)]), Block(lines=[Line([rotated])])],
                page_idx=0,
                dimensions=(100, 200),
            )
        ]
    )
    page = doctr_page_to_page(document.pages[0], index=0, width=200, height=100, dpi=150.0)

    assert page.dpi == 150.0
    first, second = page.blocks
    (line,) = first.lines
    assert [w.bbox.as_tuple() for w in line.words] == [(10, 10, 50, 20), (60, 10, 80, 20)]
    assert [w.confidence for w in line.words] == [0.98, 0.6]
    assert line.bbox == BBox(x0=10, y0=10, x1=80, y1=20)  # docTR's enclosing box, in pixels
    assert line.confidence == pytest.approx(0.79)
    (paid,) = second.lines[0].words
    # corners (100, 50) (140, 55) (140, 65) (100, 60): a rotated word keeps its polygon
    assert paid.polygon == [(100, 50), (140, 55), (140, 65), (100, 60)]
    assert paid.bbox == BBox(x0=100, y0=50, x1=140, y1=65)


# --- options and weights ------------------------------------------------------------------------


def test_options_refuse_what_doctr_cannot_do() -> None:
    with pytest.raises(InvalidOptionsError, match="cannot read deu"):
        create_engine("doctr", {"languages": ["deu"]})
    with pytest.raises(InvalidOptionsError, match="unknown detection architecture"):
        create_engine("doctr", {"det_arch": "yolo"})
    with pytest.raises(InvalidOptionsError, match="unknown recognition architecture"):
        create_engine("doctr", {"reco_arch": "tesseract"})
    engine = create_engine("doctr", {"languages": ["fra", "eng"]})
    assert engine.options.languages == ("fra", "eng")


def test_url_file_name_follows_doctr_cache_rule() -> None:
    url = "https://doctr-static.mindee.com/models?id=v0.8.1/fast_base-688a8b34.pt&src=0"
    assert url_file_name(url) == "fast_base-688a8b34.pt"


def test_availability_reports_missing_weights(empty_caches: Path) -> None:
    _needs_doctr()
    availability = DoctrEngine.availability()
    assert not availability.available
    assert "fast_base" in (availability.reason or "")
    assert "allow_download" in (availability.reason or "")
    cache = empty_caches / "doctr-cache" / "models"
    cache.mkdir(parents=True)
    (cache / "fast_base-688a8b34.pt").write_bytes(b"x")
    (cache / "crnn_vgg16_bn.pt").write_bytes(b"x")
    assert DoctrEngine.availability().available


def test_check_follows_the_instance_options(empty_caches: Path) -> None:
    _needs_doctr()
    assert not DoctrEngine(LIGHT).check().available
    assert DoctrEngine({**LIGHT, "random_weights": True}).check().available
    assert DoctrEngine({**LIGHT, "allow_download": True}).check().available
    folder = empty_caches / "weights"
    folder.mkdir()
    (folder / "db_mobilenet_v3_large.pt").write_bytes(b"x")
    missing_reco = DoctrEngine({**LIGHT, "model_dir": str(folder)}).check()
    assert not missing_reco.available
    assert "crnn_mobilenet_v3_small" in (missing_reco.reason or "")
    (folder / "crnn_mobilenet_v3_small-3b919a02.pt").write_bytes(b"x")  # docTR's own name
    assert DoctrEngine({**LIGHT, "model_dir": str(folder)}).check().available


def test_no_weights_and_no_download_is_a_clear_error(empty_caches: Path) -> None:
    _needs_doctr()
    engine = DoctrEngine(LIGHT)
    with pytest.raises(ModelNotFoundError) as caught:
        engine.recognize(PageImage(_page_image()))
    message = str(caught.value)
    assert "db_mobilenet_v3_large" in message
    assert "allow_download=True" in message
    assert str(empty_caches / "doctr-cache" / "models") in message


def test_missing_explicit_weights_file_is_named(empty_caches: Path) -> None:
    _needs_doctr()
    missing = empty_caches / "nope.pt"
    engine = DoctrEngine({**LIGHT, "det_weights": str(missing)})
    with pytest.raises(ModelNotFoundError, match=r"nope\.pt"):
        engine.recognize(PageImage(_page_image()))


def test_weights_of_the_wrong_kind_are_refused(empty_caches: Path) -> None:
    _needs_doctr()
    folder = empty_caches / "weights"
    folder.mkdir()
    (folder / "db_mobilenet_v3_large.pt").write_bytes(b"not a state dict")
    engine = DoctrEngine({**LIGHT, "model_dir": str(folder)})
    with pytest.raises(ModelNotFoundError, match="does not load into db_mobilenet_v3_large"):
        engine.recognize(PageImage(_page_image()))


# --- the pipeline, offline ----------------------------------------------------------------------


def _check_page_geometry(page: Any, width: int, height: int) -> None:
    assert (page.width, page.height) == (width, height)
    for line in page.lines():
        assert line.confidence is None or 0.0 <= line.confidence <= 1.0
        for word in line.words:
            assert 0 <= word.bbox.x0 <= word.bbox.x1 <= width
            assert 0 <= word.bbox.y0 <= word.bbox.y1 <= height
            assert word.confidence is not None and 0.0 <= word.confidence <= 1.0


@pytest.mark.engine("doctr")
def test_untrained_pipeline_runs_end_to_end() -> None:
    _needs_doctr()
    import torch

    torch.manual_seed(0)
    engine = DoctrEngine({**LIGHT, "random_weights": True})
    image = _page_image()
    page = engine.recognize(PageImage(image, index=3, source="generated.png"))
    _check_page_geometry(page, *image.size)
    assert page.index == 3
    # An untrained DBNet marks the whole page as text: at least one (garbage) word comes back.
    assert len(list(page.words())) >= 1
    assert page.provenance is not None
    assert any("random weights" in note for note in page.provenance.notes)


@pytest.mark.engine("doctr")
def test_local_state_dicts_are_loaded_from_model_dir(empty_caches: Path) -> None:
    _needs_doctr()
    import torch
    from doctr.models import detection, recognition

    torch.manual_seed(0)
    folder = empty_caches / "weights"
    folder.mkdir()
    det = detection.db_mobilenet_v3_large(pretrained=False, pretrained_backbone=False)
    reco = recognition.crnn_mobilenet_v3_small(pretrained=False, pretrained_backbone=False)
    torch.save(det.state_dict(), folder / "db_mobilenet_v3_large.pt")
    torch.save(reco.state_dict(), folder / "crnn_mobilenet_v3_small.pt")

    engine = DoctrEngine({**LIGHT, "model_dir": str(folder)})
    image = _page_image()
    page = engine.recognize(PageImage(image))
    _check_page_geometry(page, *image.size)
    assert page.provenance is not None
    assert page.provenance.notes == [
        f"db_mobilenet_v3_large: weights {folder / 'db_mobilenet_v3_large.pt'}",
        f"crnn_mobilenet_v3_small: weights {folder / 'crnn_mobilenet_v3_small.pt'}",
    ]
