"""The ``kraken`` engine: record mapping, model lookup, and (in ``.venv-kraken``) kraken itself.

kraken lives in an environment of its own (``make install-kraken``; ``make test-kraken`` runs
this file there). The tests that need it import it with ``importorskip``: in the main
environment they skip, in ``.venv-kraken`` (and in CI, which runs ``make test-kraken``) they
run kraken's real segmenter on a rendered page and a real (tiny, untrained) recognition model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox
from ocrxtract.engines import create_engine
from ocrxtract.engines.kraken_engine import (
    MODEL_ENV,
    KrakenEngine,
    find_model,
    words_of_record,
)
from ocrxtract.errors import ModelNotFoundError
from ocrxtract.io import PageImage

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LINES = ("Le quinze mars mil neuf cent", "devant nous notaire soussigné", "a comparu Jean Dupont")


def _page(tmp_path: Path) -> PageImage:
    """Three printed lines on a white page (kraken's segmenter finds their baselines)."""
    image = Image.new("RGB", (1200, 520), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 44)
    for number, text in enumerate(LINES):
        draw.text((80, 80 + number * 130), text, fill="black", font=font)
    path = tmp_path / "page.png"
    image.save(path)
    return PageImage(image=image, source=path, index=0, dpi=150)


# --- without kraken ----------------------------------------------------------------------------


def test_words_are_boxed_by_their_characters_outline() -> None:
    calls = []

    def section(start: int, end: int) -> tuple[list[tuple[int, int]], float]:
        calls.append((start, end))
        return [(10 * start, 5), (10 * end, 5), (10 * end, 30), (10 * start, 30)], 0.25 * end

    words = words_of_record("ab  cd", section, BBox(x0=0, y0=0, x1=99, y1=40), (100, 50))
    assert calls == [(0, 2), (4, 6)]
    assert [w.text for w in words] == ["ab", "cd"]
    assert words[0].bbox == BBox(x0=0, y0=5, x1=20, y1=30)
    assert words[0].confidence == pytest.approx(0.5)
    assert words[1].bbox == BBox(x0=40, y0=5, x1=60, y1=30)
    assert words[1].confidence == 1.0  # clamped


def test_a_word_without_a_usable_outline_takes_the_line_box() -> None:
    line = BBox(x0=0, y0=0, x1=80, y1=20)
    words = words_of_record("x", lambda a, b: ([(5, 5), (5, 5)], None), line, (100, 50))
    assert words[0].bbox == line
    assert words[0].confidence is None


def test_no_model_given_names_the_explicit_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    with pytest.raises(ModelNotFoundError, match="ocrxtract fetch kraken"):
        find_model(None)


def test_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"nope\.safetensors"):
        find_model(tmp_path / "nope.safetensors")


def test_the_environment_variable_names_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "m.safetensors"
    model.write_bytes(b"x")
    monkeypatch.setenv(MODEL_ENV, str(model))
    assert find_model(None) == model


def test_check_reports_the_missing_model_without_loading_anything(tmp_path: Path) -> None:
    engine = KrakenEngine({"model": str(tmp_path / "absent.mlmodel")})
    availability = engine.check()
    assert not availability.available
    assert "absent.mlmodel" in (availability.reason or "") or "kraken" in (
        availability.reason or ""
    )


# --- with kraken (.venv-kraken) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real kraken recognition model file: small, untrained (its text is noise)."""
    pytest.importorskip("kraken", reason="kraken runs in .venv-kraken: make test-kraken")
    from ocrxtract.engines.kraken_engine import prepare_torchvision

    prepare_torchvision()
    from kraken.lib.codec import PytorchCodec
    from kraken.lib.vgsl import TorchVGSLModel
    from kraken.models import write_models

    symbols = "abcdefghijklmnopqrstuvwxyz é"
    classes = PytorchCodec(symbols).max_label + 1
    model = TorchVGSLModel(
        vgsl=f"[1,48,0,1 Cr3,3,16 Mp2,2 S1(1x0)1,3 Lbx32 O1c{classes}]",
        codec=symbols,
        model_type=["recognition"],
        one_channel_mode="L",
        seg_type="bbox",
    )
    written = write_models([model], tmp_path_factory.mktemp("kraken") / "tiny.mlmodel")
    return Path(written)


def test_kraken_reads_one_text_per_ground_truth_box(tiny_model: Path, tmp_path: Path) -> None:
    page = _page(tmp_path)
    engine = create_engine("kraken", {"model": str(tiny_model), "threads": 1})
    boxes = [BBox(x0=70, y0=70 + n * 130, x1=900, y1=140 + n * 130) for n in range(3)]
    boxes.append(BBox(x0=5000, y0=5000, x1=5100, y1=5100))  # off the page: read as ""
    texts = engine.recognize_lines(page, boxes)
    assert len(texts) == 4
    assert all(isinstance(text, str) for text in texts)
    assert texts[3] == ""
    assert set("".join(texts)) <= set("abcdefghijklmnopqrstuvwxyz é")


def test_kraken_segments_lines_with_polygons_and_baselines(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real segmenter (blla, from kraken's wheel); records stand in for the untrained model."""
    from kraken.containers import BaselineOCRRecord

    def predict(image: Any, segmentation: Any) -> list[Any]:
        records = []
        for line in segmentation.lines:
            xs = [x for x, _ in line.baseline]
            length = max(xs) - min(xs)
            cuts = [(round(length * i / 5), round(length * (i + 1) / 5)) for i in range(5)]
            records.append(BaselineOCRRecord("ab cd", cuts, [0.5] * 5, line, display_order=True))
        return records

    engine = KrakenEngine({"model": str(tiny_model), "threads": 1})
    monkeypatch.setattr(engine, "_predict", predict)
    page = engine.recognize(_page(tmp_path))
    lines = list(page.lines())
    rows = [(80 + number * 130, 80 + number * 130 + 60) for number in range(len(LINES))]
    covered = set()
    for line in lines:  # blla may cut a printed line at wide gaps: each piece sits in a row
        assert line.baseline is not None and len(line.baseline) >= 2
        assert line.polygon is not None and len(line.polygon) >= 3
        row = [n for n, (top, bottom) in enumerate(rows) if top - 25 <= line.bbox.y0 < bottom]
        assert len(row) == 1, line.bbox
        assert line.bbox.y1 <= rows[row[0]][1] + 30
        covered.add(row[0])
        baseline_y = sum(y for _, y in line.baseline) / len(line.baseline)
        assert line.bbox.y0 < baseline_y <= line.bbox.y1
        assert [w.text for w in line.words] == ["ab", "cd"]
        assert line.words[0].bbox.x1 <= line.words[1].bbox.x1
    assert covered == set(range(len(LINES)))
    assert page.provenance is not None and page.provenance.engine == "kraken"


def test_htr_with_kraken_s_segmenter_needs_kraken() -> None:
    from importlib.util import find_spec

    availability = create_engine("htr", {"segmenter": "kraken"}).check()
    if find_spec("kraken") is None:  # the main environment
        assert not availability.available
        assert "make install-kraken" in (availability.install or "")
    else:  # .venv-kraken
        assert availability.available


def test_htr_reads_kraken_s_lines_and_keeps_their_baselines(tmp_path: Path) -> None:
    pytest.importorskip("kraken", reason="kraken runs in .venv-kraken: make test-kraken")
    page = create_engine("htr", {"segmenter": "kraken", "threads": 1}).recognize(_page(tmp_path))
    lines = list(page.lines())
    assert lines
    assert all(line.baseline is not None and line.polygon is not None for line in lines)
    assert page.provenance is not None
    assert any("kraken" in note for note in page.provenance.notes)


def test_fetch_without_network_or_without_kraken_is_a_typed_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib.util import find_spec

    from ocrxtract.engines.kraken_engine import fetch_model
    from ocrxtract.errors import MissingDependencyError, ModelDownloadError

    if find_spec("htrmopo") is None:  # the main environment
        with pytest.raises(MissingDependencyError, match="make install-kraken"):
            fetch_model("10.5281/zenodo.0")
        return
    import htrmopo

    def offline(*args: Any, **kwargs: Any) -> None:
        raise OSError("no network")

    monkeypatch.setattr(htrmopo, "get_model", offline)
    with pytest.raises(ModelDownloadError, match=r"no network.*without internet"):
        fetch_model("10.5281/zenodo.0")
