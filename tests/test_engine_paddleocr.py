"""The ``paddleocr`` engine: raw-result mapping, languages, model folders and the offline errors.

PaddleOCR's models only come from model hubs, so no test runs a real model. The result dicts
below copy the structure of PaddleOCR 3.x's ``OCRResult`` (paddlex ``pipelines/ocr/pipeline.py``:
``rec_texts``, ``rec_scores``, ``rec_polys`` as int16 ``(4, 2)`` arrays, ``rec_boxes`` as an int16
``(N, 4)`` array). Tests that import paddleocr skip unless ``pip install 'ocrxtract[paddleocr]'``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocrxtract.document import BBox
from ocrxtract.engines import create_engine
from ocrxtract.engines.paddleocr_engine import (
    INSTALL_COMMAND,
    PaddleOcrEngine,
    inference_model_name,
    paddle_lang,
    paddle_result_to_page,
)
from ocrxtract.errors import InvalidOptionsError, ModelNotFoundError, RecognitionError
from ocrxtract.io import PageImage

DET = "PP-OCRv6_medium_det"
REC = "PP-OCRv6_medium_rec"


def _fake_model(folder: Path, name: str) -> Path:
    """A folder shaped like a Paddle inference model (the weights are not real)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "inference.yml").write_text(f"Global:\n  model_name: {name}\n", encoding="utf-8")
    (folder / "inference.json").write_text("{}", encoding="utf-8")
    (folder / "inference.pdiparams").write_bytes(b"\0")
    return folder


@pytest.fixture
def empty_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PaddleX's cache and our folder variable point at empty folders."""
    monkeypatch.setenv("PADDLE_PDX_CACHE_HOME", str(tmp_path / "paddlex"))
    monkeypatch.delenv("OCRXTRACT_PADDLEOCR_MODEL_DIR", raising=False)
    return tmp_path


# --- pure mapping -------------------------------------------------------------------------------


def test_ocr_result_maps_to_lines_of_approximate_words() -> None:
    result = {
        "rec_texts": ["Hello world", "Paid", "  "],
        "rec_scores": [np.float32(0.98), 1.2, 0.4],
        "rec_polys": [
            np.array([[0, 10], [110, 10], [110, 30], [0, 30]], dtype=np.int16),
            np.array([[200, 50], [240, 60], [236, 76], [196, 66]], dtype=np.int16),
            np.array([[0, 90], [10, 90], [10, 99], [0, 99]], dtype=np.int16),
        ],
        "rec_boxes": np.array(
            [[0, 10, 110, 30], [196, 50, 240, 76], [0, 90, 10, 99]], dtype=np.int16
        ),
    }
    page = paddle_result_to_page(result, index=0, width=300, height=100, dpi=200.0)
    lines = list(page.lines())
    assert [line.text for line in lines] == ["Hello world", "Paid"]  # blank text dropped
    hello, world = lines[0].words
    # 11 characters over 110 px: "Hello" is [0, 50), "world" is [60, 110)
    assert (hello.bbox, world.bbox) == (
        BBox(x0=0, y0=10, x1=50, y1=30),
        BBox(x0=60, y0=10, x1=110, y1=30),
    )
    assert lines[0].confidence == pytest.approx(0.98, abs=1e-4)
    assert lines[0].polygon is None
    assert lines[1].confidence == 1.0  # clipped
    assert lines[1].polygon == [(200, 50), (240, 60), (236, 76), (196, 66)]
    assert lines[1].bbox == BBox(x0=196, y0=50, x1=240, y1=76)
    assert page.blocks[0].bbox == BBox(x0=0, y0=10, x1=240, y1=76)


def test_boxes_are_used_when_polygons_are_absent() -> None:
    result = {
        "rec_texts": ["EUR"],
        "rec_scores": [0.5],
        "rec_polys": [],
        "rec_boxes": np.array([[5, 6, 35, 20]], dtype=np.int16),
    }
    (line,) = paddle_result_to_page(result, index=0, width=50, height=50).lines()
    assert line.bbox == BBox(x0=5, y0=6, x1=35, y1=20)


def test_curved_text_polygon_keeps_its_points() -> None:
    points = [[10, 10], [30, 5], [50, 10], [50, 30], [30, 25], [10, 30]]
    result = {"rec_texts": ["seal text"], "rec_scores": [0.9], "rec_polys": [np.array(points)]}
    (line,) = paddle_result_to_page(result, index=0, width=60, height=40).lines()
    # the line is cut along its bounding box; "seal" is 4 of 9 characters of [10, 50)
    assert line.words[0].bbox == BBox(x0=10, y0=5, x1=28, y1=30)
    assert line.bbox == BBox(x0=10, y0=5, x1=50, y1=30)


def test_misaligned_result_is_a_recognition_error() -> None:
    with pytest.raises(RecognitionError, match="2 texts but 1 scores"):
        paddle_result_to_page({"rec_texts": ["a", "b"], "rec_scores": [1.0]}, 0, 10, 10)
    with pytest.raises(RecognitionError, match="0 polygons and 0 boxes"):
        paddle_result_to_page({"rec_texts": ["a"], "rec_scores": [1.0]}, 0, 10, 10)


def test_empty_result_gives_an_empty_page() -> None:
    empty = {"rec_texts": [], "rec_scores": [], "rec_polys": [], "rec_boxes": np.array([])}
    assert paddle_result_to_page(empty, 0, 10, 10).blocks == []


# --- languages and options ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["fra"], "fr"),
        (["eng"], "en"),
        (["eng", "fra"], "fr"),
        (["rus", "eng"], "ru"),
        (["jpn"], "japan"),
    ],
)
def test_languages_map_to_one_paddle_lang(languages: list[str], expected: str) -> None:
    assert paddle_lang(languages) == expected


def test_unknown_or_mixed_scripts_are_refused() -> None:
    with pytest.raises(InvalidOptionsError, match="cannot read xyz"):
        create_engine("paddleocr", {"languages": ["xyz"]})
    with pytest.raises(InvalidOptionsError, match="together"):
        create_engine("paddleocr", {"languages": ["rus", "fra"]})
    with pytest.raises(InvalidOptionsError, match="det_limit_type"):
        create_engine("paddleocr", {"det_limit_type": "median"})


# --- model folders ------------------------------------------------------------------------------


def test_inference_folder_needs_config_and_weights(tmp_path: Path) -> None:
    model = _fake_model(tmp_path / DET, DET)
    assert inference_model_name(model) == DET
    (model / "inference.json").unlink()
    (model / "inference.pdiparams").unlink()
    assert inference_model_name(model) is None  # a config alone is not a model
    assert inference_model_name(tmp_path / "absent") is None


def test_models_not_on_disk_and_no_download_is_a_clear_error(empty_caches: Path) -> None:
    engine = PaddleOcrEngine({"det_model_name": DET, "rec_model_name": REC})
    with pytest.raises(ModelNotFoundError) as caught:
        engine.model_sources()
    message = str(caught.value)
    assert DET in message
    assert str(empty_caches / "paddlex" / "official_models") in message
    assert "allow_download=True" in message


def test_models_are_found_by_name_in_the_paddlex_cache(empty_caches: Path) -> None:
    cache = empty_caches / "paddlex" / "official_models"
    _fake_model(cache / DET, DET)
    _fake_model(cache / REC, REC)
    engine = PaddleOcrEngine({"det_model_name": DET, "rec_model_name": REC})
    assert engine.model_sources() == {"det": cache / DET, "rec": cache / REC}


def test_download_allowed_passes_names_only(empty_caches: Path) -> None:
    engine = PaddleOcrEngine({"det_model_name": DET, "rec_model_name": REC, "allow_download": True})
    assert engine.model_sources() == {"det": DET, "rec": REC}


def test_explicit_folders_become_pipeline_arguments(empty_caches: Path) -> None:
    det = _fake_model(empty_caches / "d", DET)
    rec = _fake_model(empty_caches / "r", "latin_PP-OCRv5_mobile_rec")
    engine = PaddleOcrEngine(
        {"det_model_dir": str(det), "rec_model_dir": str(rec), "det_limit_side_len": 1280}
    )
    arguments = engine.pipeline_arguments()
    assert arguments["text_detection_model_dir"] == str(det)
    assert arguments["text_detection_model_name"] == DET
    assert arguments["text_recognition_model_name"] == "latin_PP-OCRv5_mobile_rec"
    assert arguments["text_det_limit_side_len"] == 1280
    assert arguments["device"] == "cpu"
    # document unwarping and rotation would move coordinates away from the page image
    assert arguments["use_doc_unwarping"] is False
    assert arguments["use_doc_orientation_classify"] is False


def test_explicit_folder_that_is_not_a_model_is_refused(empty_caches: Path) -> None:
    (empty_caches / "empty").mkdir()
    engine = PaddleOcrEngine({"det_model_dir": str(empty_caches / "empty"), "rec_model_name": REC})
    with pytest.raises(ModelNotFoundError, match="not a Paddle inference model folder"):
        engine.model_sources()


def test_check_follows_the_instance_options(
    empty_caches: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ocrxtract.engines.paddleocr_engine as module

    monkeypatch.setattr(module, "REQUIRED_MODULES", ())  # as if installed
    options = {"det_model_name": DET, "rec_model_name": REC}
    missing = PaddleOcrEngine(options).check()
    assert not missing.available
    assert DET in (missing.reason or "")
    assert PaddleOcrEngine({**options, "allow_download": True}).check().available
    cache = empty_caches / "paddlex" / "official_models"
    _fake_model(cache / DET, DET)
    _fake_model(cache / REC, REC)
    assert PaddleOcrEngine(options).check().available
    assert PaddleOcrEngine.availability().available  # the cheap class-level look finds them too


def test_availability_without_packages_gives_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "paddle" else real_find_spec(name, *a),
    )
    availability = PaddleOcrEngine.availability()
    assert not availability.available
    assert "paddle" in (availability.reason or "")
    assert availability.install == INSTALL_COMMAND == "pip install 'ocrxtract[paddleocr]'"


# --- with the library installed -----------------------------------------------------------------


@pytest.mark.engine("paddleocr")
def test_installed_paddleocr_without_models_raises_model_not_found(empty_caches: Path) -> None:
    for package in ("paddleocr", "paddle"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} not installed (install: {INSTALL_COMMAND})")
    engine = PaddleOcrEngine({"languages": ["fra"]})  # default models for French, looked up by name
    with pytest.raises(ModelNotFoundError) as caught:
        engine.recognize(PageImage(Image.new("RGB", (64, 32), "white")))
    assert "_det" in str(caught.value) and "allow_download=True" in str(caught.value)
    assert not PaddleOcrEngine.availability().available


@pytest.mark.engine("paddleocr")
def test_installed_paddleocr_refuses_broken_model_folders(empty_caches: Path) -> None:
    for package in ("paddleocr", "paddle"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} not installed (install: {INSTALL_COMMAND})")
    from ocrxtract.errors import EngineUnavailableError

    det = _fake_model(empty_caches / "d", DET)
    rec = _fake_model(empty_caches / "r", REC)
    engine = PaddleOcrEngine({"det_model_dir": str(det), "rec_model_dir": str(rec)})
    with pytest.raises(EngineUnavailableError, match="could not build its pipeline"):
        engine.recognize(PageImage(Image.new("RGB", (64, 32), "white")))
