"""The ``rapidocr`` engine: options, pinned model files, output mapping (pure), colour order,
and real runs on French text (skipped when rapidocr or its models are absent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox
from ocrxtract.engines import create_engine
from ocrxtract.engines import rapidocr_engine as re_
from ocrxtract.engines.rapidocr_engine import (
    RapidLine,
    RapidOcrEngine,
    lines_to_page,
    rapid_lines,
    split_line,
)
from ocrxtract.errors import InvalidOptionsError, ModelNotFoundError
from ocrxtract.io import PageImage
from ocrxtract.sample import find_font, render_sample_page


def _require() -> None:
    availability = RapidOcrEngine.availability()
    if not availability.available:
        pytest.skip(f"rapidocr unavailable: {availability.reason} ({availability.install})")


# --- options and models ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"threads": -2}, "threads"),
        ({"max_side_len": 100}, "max_side_len"),
        ({"text_score": 1.5}, "text_score"),
        ({"use_angle_cls": True}, "use_angle_cls"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidOptionsError, match=message):
        create_engine("rapidocr", options)


def test_models_are_pinned_to_the_wheel_files() -> None:
    _require()
    folder = re_.models_dir()
    assert folder is not None
    engine = create_engine(
        "rapidocr", {"use_cls": True, "threads": 1, "max_side_len": 2500, "latin_recognizer": False}
    )
    assert isinstance(engine, RapidOcrEngine)
    params = engine.rapidocr_params()
    assert params["Det.model_path"] == str(folder / "PP-OCRv6_det_small.onnx")
    assert params["Rec.model_path"] == str(folder / "PP-OCRv6_rec_small.onnx")
    assert params["Cls.model_path"] == str(folder / "ch_ppocr_mobile_v2.0_cls_mobile.onnx")
    assert params["EngineConfig.onnxruntime.intra_op_num_threads"] == 1
    assert params["Global.max_side_len"] == 2500
    assert params["Global.log_level"] == "warning"
    assert params["Global.return_word_box"] is True
    default = create_engine("rapidocr")
    assert isinstance(default, RapidOcrEngine)
    assert "Cls.model_path" not in default.rapidocr_params()
    assert default.rapidocr_params()["Global.use_cls"] is False
    # the memory arena: off as rapidocr has it, on when asked; it changes speed, not output
    assert default.rapidocr_params()["EngineConfig.onnxruntime.enable_cpu_mem_arena"] is False
    arena = create_engine("rapidocr", {"memory_arena": True})
    assert isinstance(arena, RapidOcrEngine)
    assert arena.rapidocr_params()["EngineConfig.onnxruntime.enable_cpu_mem_arena"] is True
    assert "memory_arena" in RapidOcrEngine.execution_options  # kept out of cache keys
    downloads = create_engine("rapidocr", {"allow_download": True})
    assert isinstance(downloads, RapidOcrEngine)
    assert "Det.model_path" not in downloads.rapidocr_params()  # rapidocr may fetch what it lacks


def test_missing_models_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(re_, "models_dir", lambda: tmp_path)
    monkeypatch.setattr(re_, "find_spec", lambda name: object())  # packages "installed"
    availability = RapidOcrEngine.availability()
    assert not availability.available
    assert "PP-OCRv6_det_small.onnx, PP-OCRv6_rec_small.onnx" in (availability.reason or "")
    engine = create_engine("rapidocr")
    page = PageImage(image=Image.new("L", (20, 20), 255))
    with pytest.raises(ModelNotFoundError, match="downloads are off"):
        engine.recognize(page)


def test_a_language_the_model_cannot_read_is_refused() -> None:
    engine = create_engine("rapidocr", {"languages": ["fra", "ara"]})
    with pytest.raises(ModelNotFoundError, match="does not read ara"):
        engine.recognize(PageImage(image=Image.new("L", (20, 20), 255)))
    assert {"fra", "eng", "deu"} <= set(RapidOcrEngine.languages())


# --- output mapping -------------------------------------------------------------------------


def test_a_line_is_cut_in_proportion_to_characters() -> None:
    # "ab cd" is 5 characters over 100 px (20 px each): "ab" is [0, 40), "cd" is [60, 100).
    box = BBox(x0=0, y0=10, x1=100, y1=30)
    assert split_line("ab cd", box) == [
        ("ab", BBox(x0=0, y0=10, x1=40, y1=30)),
        ("cd", BBox(x0=60, y0=10, x1=100, y1=30)),
    ]
    # Repeated words and a double space: "de  de" is 6 characters of 10 px from x = 50.
    assert split_line("de  de", BBox(x0=50, y0=0, x1=110, y1=5)) == [
        ("de", BBox(x0=50, y0=0, x1=70, y1=5)),
        ("de", BBox(x0=90, y0=0, x1=110, y1=5)),
    ]


@dataclass
class FakeOutput:
    """The attributes of rapidocr's RapidOCROutput that the adapter reads."""

    boxes: Any = None
    txts: tuple[str, ...] | None = None
    scores: tuple[float, ...] | None = None
    word_results: tuple[Any, ...] = field(default_factory=tuple)


QUAD_1 = [[10.0, 10.0], [110.0, 10.0], [110.0, 30.0], [10.0, 30.0]]
QUAD_2 = [[10.0, 40.0], [90.0, 40.0], [90.0, 60.0], [10.0, 60.0]]
WORDS_1 = (
    ("Total", 0.99, [[10, 10], [60, 10], [60, 30], [10, 30]]),
    ("réglé", 0.98, [[70, 10], [110, 10], [110, 30], [70, 30]]),
)


def test_rapidocr_word_boxes_are_kept_when_they_give_back_the_line() -> None:
    wrong = (("Tota", 0.9, [[10, 40], [50, 40], [50, 60], [10, 60]]),)  # not "Payé 12"
    output = FakeOutput(
        np.array([QUAD_1, QUAD_2]), ("Total réglé", "Payé 12"), (0.97, 0.8), (WORDS_1, wrong)
    )
    first, second = rapid_lines(output)
    assert first.words is not None and [w for w, _ in first.words] == ["Total", "réglé"]
    assert second.words is None  # split by character counts later
    assert second.text == "Payé 12" and second.score == 0.8
    # One word list fewer than lines: rapidocr's lists are misaligned, none is trusted.
    assert all(line.words is None for line in rapid_lines(output_without_last_words(output)))
    assert rapid_lines(FakeOutput()) == []


def output_without_last_words(output: FakeOutput) -> FakeOutput:
    return FakeOutput(output.boxes, output.txts, output.scores, output.word_results[:1])


def test_lines_become_one_block_with_clipped_geometry_and_a_note() -> None:
    lines = [
        RapidLine([(10, 10), (110, 10), (110, 30), (10, 30)], "Total réglé", 0.97, None),
        RapidLine([(-5, 40), (90, 40), (90, 60), (-5, 60)], "12,50 €", 1.2, None),
    ]
    image = PageImage(image=Image.new("L", (100, 80), 255), index=1, dpi=200.0)
    page, notes = lines_to_page(lines, image)
    assert (page.index, page.width, page.height, page.dpi) == (1, 100, 80, 200.0)
    assert notes == ["word boxes of 2 line(s) cut in proportion to character counts"]
    assert len(page.blocks) == 1
    first, second = page.blocks[0].lines
    assert first.polygon == [(10, 10), (100, 10), (100, 30), (10, 30)]
    # "Total réglé": 11 characters over the clipped 90 px; "réglé" starts at 6.
    assert [w.bbox for w in first.words] == [
        BBox(x0=10, y0=10, x1=51, y1=30),
        BBox(x0=59, y0=10, x1=100, y1=30),
    ]
    assert first.confidence == 0.97 and first.words[0].confidence == 0.97
    assert second.bbox == BBox(x0=0, y0=40, x1=90, y1=60)
    assert second.confidence == 1.0  # clamped
    empty, notes = lines_to_page([], image)
    assert empty.blocks == [] and notes == []


def test_pages_reach_rapidocr_in_bgr_order() -> None:
    seen: list[np.ndarray] = []

    def fake_ocr(pixels: np.ndarray) -> FakeOutput:
        seen.append(pixels)
        return FakeOutput()

    # rapidocr's own call (the default's lone-mark and near-320 padding and its detection scaled
    # to the print read through rapidocr's steps one by one instead); the conversion to BGR comes
    # before either path.
    engine = create_engine(
        "rapidocr", {"rec_narrow_ratio": 0.0, "rec_short_width": 320, "det_text_height": 0.0}
    )
    assert isinstance(engine, RapidOcrEngine)
    engine._ocr = fake_ocr
    engine.recognize(PageImage(image=Image.new("RGB", (4, 3), (255, 0, 0))))
    engine.recognize(PageImage(image=Image.new("L", (4, 3), 7)))
    assert seen[0].shape == (3, 4, 3) and seen[0][0, 0].tolist() == [0, 0, 255]
    assert seen[1].shape == (3, 4) and seen[1][0, 0] == 7


# --- real runs ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    _require()
    built = create_engine("rapidocr")
    assert isinstance(built, RapidOcrEngine)
    return built


FRENCH = ["Élève à Noël : ça coûte 12,50 € l'été", "Où est l’œuvre « française » ? Déjà vu"]


def test_french_accents_quotes_and_euro_are_read(engine: RapidOcrEngine) -> None:
    font = ImageFont.truetype(str(find_font()), 48)
    image = Image.new("RGB", (1400, 200), "white")
    draw = ImageDraw.Draw(image)
    for number, text in enumerate(FRENCH):
        draw.text((30, 20 + 90 * number), text, font=font, fill="black")
    page = engine.recognize(PageImage(image=image, dpi=300.0))
    assert [line.text for line in page.lines()] == FRENCH


def test_word_boxes_fall_on_the_true_words(engine: RapidOcrEngine) -> None:
    sample = render_sample_page(seed=5, dpi=300)
    lines = list(sample.truth.pages[0].lines())
    truth = lines[:5]
    bottom = (lines[4].bbox.y1 + lines[5].bbox.y0) // 2  # between the 5th and 6th lines
    image = sample.page.image.crop((0, 0, sample.page.width, bottom))
    page = engine.recognize(PageImage(image=image, dpi=300.0))
    assert page.provenance is not None and page.provenance.notes == []  # rapidocr's own split
    found = list(page.words())
    expected = [word for line in truth for word in line.words]
    assert [w.text for w in found] == [w.text for w in expected]
    for got, true in zip(found, expected, strict=True):
        x, y = true.bbox.center
        assert got.bbox.x0 <= x <= got.bbox.x1 and got.bbox.y0 <= y <= got.bbox.y1, (got, true)


def test_a_blank_page_is_empty_and_the_version_names_the_models(engine: RapidOcrEngine) -> None:
    page = engine.recognize(PageImage(image=Image.new("RGB", (640, 480), "white"), dpi=300.0))
    assert page.blocks == []
    assert page.provenance is not None
    assert page.provenance.engine_version.startswith("rapidocr 3.")
    assert "PP-OCRv6_det_small, PP-OCRv6_rec_small" in page.provenance.engine_version
    assert RapidOcrEngine.version() is RapidOcrEngine.version()  # cached


def test_latin_pages_decode_latin_symbols_only() -> None:
    import numpy as np

    from ocrxtract.engines.rapidocr_engine import _MaskedDecoder
    from ocrxtract.engines.rapidocr_latin import latin_symbol

    assert all(latin_symbol(c) for c in "aZéœŒ€«»’“”–—…°№≤0123456789%$£")
    assert not any(latin_symbol(c) for c in "一，μжΩ가あ")

    class Decoder:
        character = ("blank", "1", "一", " ")

        def __call__(self, preds, *args, **kwargs):  # type: ignore[no-untyped-def]
            return ["".join(self.character[i] for i in preds.argmax(axis=-1)[0] if i)]

    # One time step where the model prefers "一" (0.6) to "1" (0.3).
    preds = np.array([[[0.05, 0.3, 0.6, 0.05]]], dtype=np.float32)
    assert Decoder()(preds) == ["一"]
    assert _MaskedDecoder(Decoder())(preds) == ["1"]


@pytest.mark.engine("rapidocr")
def test_the_mask_applies_to_latin_languages_only() -> None:
    from ocrxtract.engines.rapidocr_engine import _MaskedDecoder

    def decoder(options):  # type: ignore[no-untyped-def]
        return create_engine("rapidocr", {"threads": 1, **options})._engine()._load_rec_model()

    assert isinstance(decoder({"languages": ["fra", "eng"]}).postprocess_op, _MaskedDecoder)
    assert not isinstance(decoder({"languages": ["fra", "chi_sim"]}).postprocess_op, _MaskedDecoder)
    assert not isinstance(decoder({"latin_only": False}).postprocess_op, _MaskedDecoder)
