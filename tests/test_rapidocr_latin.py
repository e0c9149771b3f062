"""The recogniser cut to Latin symbols: derived once from the wheel's model, cached by content,
read by rapidocr like the shipped one, same text as the masked full model."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.engines import create_engine
from ocrxtract.engines.rapidocr_engine import REC_MODEL, RapidOcrEngine, models_dir
from ocrxtract.engines.rapidocr_latin import latin_symbol
from ocrxtract.io import PageImage
from ocrxtract.sample import find_font


@pytest.fixture(scope="module")
def shipped() -> Path:
    availability = RapidOcrEngine.availability()
    if not availability.available:
        pytest.skip(f"rapidocr unavailable: {availability.reason} ({availability.install})")
    pytest.importorskip("onnx")
    folder = models_dir()
    assert folder is not None
    return folder / REC_MODEL


@pytest.fixture(scope="module")
def cut(shipped: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ocrxtract.engines.rapidocr_latin import latin_model

    return latin_model(shipped, tmp_path_factory.mktemp("models"))


def test_the_cut_model_keeps_the_latin_symbols_in_order(shipped: Path, cut: Path) -> None:
    import onnxruntime as ort

    def dictionary(path: Path) -> list[str]:
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return str(session.get_modelmeta().custom_metadata_map["character"]).splitlines()

    full, kept = dictionary(shipped), dictionary(cut)
    assert kept == [c for c in full if latin_symbol(c)]
    assert {"é", "œ", "€", "«", "’", "0"} <= set(kept) and "一" not in kept
    session = ort.InferenceSession(str(cut), providers=["CPUExecutionProvider"])
    scores = session.run(None, {session.get_inputs()[0].name: np.zeros((1, 3, 48, 96), "float32")})
    assert scores[0].shape[-1] == len(kept) + 2  # the CTC blank and the space
    assert cut.stat().st_size < shipped.stat().st_size
    onnx = pytest.importorskip("onnx")
    graph = onnx.load(str(cut)).graph  # no tensor still declared with the full width
    declared = [*graph.value_info, *graph.output]
    widths = [
        d.type.tensor_type.shape.dim[-1].dim_value for d in declared if d.type.tensor_type.shape.dim
    ]
    assert len(full) + 2 not in widths and len(kept) + 2 in widths


def test_the_cut_model_is_derived_once_and_named_by_content(shipped: Path, cut: Path) -> None:
    from ocrxtract.engines.rapidocr_latin import latin_model

    stamp = cut.stat().st_mtime_ns
    assert latin_model(shipped, cut.parent) == cut and cut.stat().st_mtime_ns == stamp
    assert cut.name.startswith("PP-OCRv6_rec_small.latin-")
    assert not list(cut.parent.glob("*.part"))  # nothing half-written left behind


def test_a_model_without_a_dictionary_is_refused(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    from ocrxtract.engines.rapidocr_latin import latin_model

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    source = tmp_path / "plain.onnx"
    onnx.save(helper.make_model(graph), str(source))
    with pytest.raises(ValueError, match="no 'character' dictionary"):
        latin_model(source, tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*"))


def _line_page() -> PageImage:
    font = ImageFont.truetype(str(find_font()), 44)
    image = Image.new("RGB", (1500, 120), "white")
    ImageDraw.Draw(image).text((20, 30), "Reçu 1 234,50 € « œuvre » l’été", font=font, fill="black")
    return PageImage(image=image, dpi=300.0)


def test_the_engine_reads_the_same_text_with_the_cut_model(
    shipped: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OCRXTRACT_CACHE_DIR", str(tmp_path))
    page = _line_page()
    fast = create_engine("rapidocr", {"threads": 1})  # the default: the cut model
    full = create_engine("rapidocr", {"threads": 1, "latin_recognizer": False})  # masked
    assert isinstance(fast, RapidOcrEngine) and isinstance(full, RapidOcrEngine)
    assert Path(fast.rapidocr_params()["Rec.model_path"]).parent == tmp_path / "models"
    assert Path(full.rapidocr_params()["Rec.model_path"]) == shipped
    assert fast.recognize(page).text() == full.recognize(page).text()
    decoder = fast._engine()._load_rec_model().postprocess_op  # the pool is scored, never read
    pooled = [i for i, c in enumerate(decoder.character) if i and not latin_symbol(str(c))]
    assert len(pooled) == 1000 and not decoder.keep[pooled].any()
    chinese = create_engine(
        "rapidocr", {"threads": 1, "latin_recognizer": True, "languages": ["fra", "chi_sim"]}
    )
    assert isinstance(chinese, RapidOcrEngine)
    assert Path(chinese.rapidocr_params()["Rec.model_path"]) == shipped


def test_an_unwritable_cache_falls_back_to_the_masked_model(
    shipped: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from ocrxtract.engines import rapidocr_latin

    def refuse(source: Path, cache: Path | None = None, pool: object = ()) -> Path:
        raise PermissionError(13, "Permission denied", "/read-only/models")

    monkeypatch.setattr(rapidocr_latin, "latin_model", refuse)
    engine = create_engine("rapidocr", {"threads": 1, "latin_recognizer": True})
    assert isinstance(engine, RapidOcrEngine)
    with caplog.at_level(logging.WARNING):
        path = engine.rapidocr_params()["Rec.model_path"]
    assert Path(path) == shipped
    assert "could not be derived" in caplog.text and "Permission denied" in caplog.text


def test_the_reject_pool_keeps_its_columns_and_names_the_copy(
    shipped: Path, cut: Path, tmp_path: Path
) -> None:
    import onnxruntime as ort

    from ocrxtract.engines.rapidocr_latin import latin_model, reject_pool

    pool = reject_pool()
    assert len(pool) == 1000 and len(set(pool)) == len(pool)
    assert not any(latin_symbol(symbol) for symbol in pool)
    pooled = latin_model(shipped, tmp_path, pool=pool[:50])
    assert pooled.name.startswith("PP-OCRv6_rec_small.latin-") and "-pool-" in pooled.name
    assert latin_model(shipped, tmp_path, pool=pool[:60]) != pooled  # a new pool, a new copy
    session = ort.InferenceSession(str(pooled), providers=["CPUExecutionProvider"])
    kept = str(session.get_modelmeta().custom_metadata_map["character"]).splitlines()
    assert (
        set(pool[:50]) <= set(kept) and len(kept) == len([c for c in kept if latin_symbol(c)]) + 50
    )
    scores = session.run(None, {session.get_inputs()[0].name: np.zeros((1, 3, 48, 96), "float32")})
    assert scores[0].shape[-1] == len(kept) + 2
