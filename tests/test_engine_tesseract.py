"""The ``tesseract`` engine: options, traineddata lookup, output mapping, thresholding choice,
resolution handling, and real runs of both backends (skipped when Tesseract is absent)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from ocrxtract.document import BBox
from ocrxtract.engines import create_engine, get_engine_class
from ocrxtract.engines import tesseract_engine as te
from ocrxtract.engines.tesseract_engine import (
    TesseractEngine,
    TessWord,
    debian_package,
    installed_languages,
    otsu_or_sauvola,
    parse_tsv,
    single_omp_thread,
    tessdata_dir,
    words_to_page,
)
from ocrxtract.errors import InvalidOptionsError, ModelNotFoundError
from ocrxtract.io import PageImage
from ocrxtract.sample import render_sample_page


def _tessdata(folder: Path, *languages: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for language in languages:
        (folder / f"{language}.traineddata").write_bytes(b"not a real model")
    return folder


def _require(backend: str) -> None:
    availability = get_engine_class("tesseract").availability()
    if not availability.available:
        pytest.skip(f"tesseract unavailable: {availability.reason} ({availability.install})")
    if te._resolve_backend(backend) != backend:
        pytest.skip(f"tesseract backend {backend} is not installed ({te.INSTALL_PACKAGE})")


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"psm": 2}, "recognises no text"),
        ({"psm": 14}, "psm"),
        ({"thresholding": "niblack"}, "thresholding"),
        ({"backend": "tesseract.js"}, "backend"),
        ({"config": {"thresholding_method": "2"}}, "with the option thresholding"),
        ({"config": {"user_defined_dpi": "300"}}, "dpi_fallback"),
        ({"config": {"Bad Name": "1"}}, "not a Tesseract variable name"),
        ({"config": {"tessedit_char_whitelist": "a b"}}, "no spaces"),
        ({"config": {"preserve_interword_spaces": ""}}, "non-empty"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidOptionsError, match=message):
        create_engine("tesseract", options)


def test_defaults() -> None:
    options = create_engine("tesseract").options
    assert isinstance(options, te.TesseractOptions)
    assert (options.psm, options.oem, options.dpi_fallback) == (3, 1, 300)
    assert (options.thresholding, options.backend, options.languages) == ("auto", "auto", ("fra",))


# --- traineddata ----------------------------------------------------------------------------


def test_tessdata_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _tessdata(tmp_path / "ours", "fra")
    prefix = _tessdata(tmp_path / "prefix" / "tessdata", "eng")  # Tesseract 3 style parent
    monkeypatch.setenv("OCRXTRACT_TESSDATA", str(ours))
    monkeypatch.setenv("TESSDATA_PREFIX", str(prefix.parent))
    assert tessdata_dir() == ours
    monkeypatch.delenv("OCRXTRACT_TESSDATA")
    assert tessdata_dir() == prefix  # the parent given, its tessdata/ found
    explicit = _tessdata(tmp_path / "explicit", "deu")
    assert tessdata_dir(explicit) == explicit
    # An explicit folder without traineddata does not fall back to the others.
    assert tessdata_dir(tmp_path / "empty") is None


def test_installed_languages_leave_out_osd(tmp_path: Path) -> None:
    folder = _tessdata(tmp_path, "osd", "fra", "eng", "chi_sim")
    assert installed_languages(folder) == ["chi_sim", "eng", "fra"]
    assert installed_languages(None) == []
    assert debian_package("chi_sim") == "tesseract-ocr-chi-sim"
    assert debian_package("fra") == "tesseract-ocr-fra"


def test_a_missing_language_names_its_debian_package(tmp_path: Path) -> None:
    _require("tesserocr")
    folder = _tessdata(tmp_path, "fra", "osd")
    engine = create_engine("tesseract", {"languages": ["fra", "deu"], "tessdata_dir": str(folder)})
    page = PageImage(image=Image.new("L", (50, 20), 255), dpi=300.0)
    with pytest.raises(ModelNotFoundError, match="no traineddata for deu") as caught:
        engine.recognize(page)
    assert caught.value.install == "sudo apt-get install tesseract-ocr-deu"
    assert "installed: fra" in str(caught.value)


def test_availability_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(te, "_tesserocr_importable", lambda: False)
    monkeypatch.setattr(te, "_program_available", lambda: False)
    availability = TesseractEngine.availability()
    assert not availability.available
    assert availability.install is not None
    assert "pip install 'ocrxtract[tesseract]'" in availability.install
    assert "tesseract-ocr-fra" in availability.install

    monkeypatch.setattr(te, "_program_available", lambda: True)
    monkeypatch.setattr(te, "tessdata_dir", lambda explicit=None: None)
    availability = TesseractEngine.availability()
    assert not availability.available
    assert "traineddata" in (availability.reason or "")


# --- output mapping -------------------------------------------------------------------------

# Tesseract's TSV, columns separated by "|" here for legibility; "<space>" is a space. Row 6
# is an empty word; then come another paragraph (another line) and another block.
_TSV = """level|page_num|block_num|par_num|line_num|word_num|left|top|width|height|conf|text
1|1|0|0|0|0|0|0|200|100|-1|
4|1|1|1|1|0|10|10|90|20|-1|
5|1|1|1|1|1|10|10|40|20|96.5|Loyer
5|1|1|1|1|2|55|12|45|18|91.25|réglé
5|1|1|1|1|3|90|12|5|18|95|<space>
5|1|1|2|1|1|10|40|30|20|80.0|Total
5|1|2|1|1|1|120|70|60|20|50|€"""
TSV = _TSV.replace("|", "\t").replace("<space>", " ")


def test_tsv_rows_become_words_of_lines_and_blocks() -> None:
    words = parse_tsv(TSV)
    assert [(w.block, w.line, w.text) for w in words] == [
        (1, 0, "Loyer"),
        (1, 0, "réglé"),
        (1, 1, "Total"),
        (2, 2, "€"),
    ]
    assert words[1].box == (55, 12, 100, 30)
    assert words[1].confidence == 91.25  # not truncated to an integer
    assert parse_tsv("") == []


def test_words_become_a_page_with_clipped_boxes_and_mean_line_confidence() -> None:
    page_image = PageImage(image=Image.new("L", (100, 50), 255), index=2, dpi=150.0)
    words = [
        TessWord(0, 0, "Quittance", (5, 5, 60, 20), 90.0),
        TessWord(0, 0, "de", (65, 5, 130, 20), 70.0),  # runs past the right edge
        TessWord(1, 1, "loyer", (5, 30, 40, 45), 101.0),  # confidence beyond 100: clamped
    ]
    page = words_to_page(words, page_image)
    assert (page.index, page.width, page.height, page.dpi) == (2, 100, 50, 150.0)
    assert [[line.text for line in block.lines] for block in page.blocks] == [
        ["Quittance de"],
        ["loyer"],
    ]
    first = page.blocks[0].lines[0]
    assert first.words[1].bbox == BBox(x0=65, y0=5, x1=100, y1=20)
    assert first.bbox == BBox(x0=5, y0=5, x1=100, y1=20)
    assert first.confidence == pytest.approx(0.8)  # (0.9 + 0.7) / 2
    assert page.blocks[1].lines[0].words[0].confidence == 1.0
    assert words_to_page([], page_image).blocks == []


# --- thresholding ---------------------------------------------------------------------------


class FakeReader:
    """Returns canned words per thresholding method and records each call."""

    def __init__(self, by_method: dict[int, list[TessWord]]) -> None:
        self.by_method = by_method
        self.calls: list[tuple[int, int]] = []

    def read(self, image: Any, dpi: int, method: int) -> list[TessWord]:
        self.calls.append((dpi, method))
        return self.by_method[method]

    def close(self) -> None:
        pass


def _words(text: str, confidence: float) -> list[TessWord]:
    return [TessWord(0, 0, word, (0, 0, 1, 1), confidence) for word in text.split()]


PAGE = PageImage(image=Image.new("L", (10, 10), 255), dpi=300.0)
GOOD = _words("Quittance de loyer du mois de mars", 90.0)  # 28 characters at 0.9


def test_auto_keeps_a_good_otsu_result_without_running_sauvola() -> None:
    reader = FakeReader({0: GOOD, 2: []})
    words, note = otsu_or_sauvola(reader, PAGE, 300, always_both=False)
    assert words == GOOD
    assert note == "otsu"
    assert reader.calls == [(300, 0)]


def test_auto_retries_sauvola_when_otsu_reads_little_and_keeps_the_better() -> None:
    # Otsu: 5 characters at 0.9 (score 4.5); Sauvola: 28 characters at 0.5 (score 14).
    reader = FakeReader(
        {0: _words("Total", 90.0), 2: _words("Quittance de loyer du mois de mars", 50)}
    )
    words, note = otsu_or_sauvola(reader, PAGE, 300, always_both=False)
    assert [w.text for w in words][:2] == ["Quittance", "de"]
    assert note.startswith("sauvola (otsu 5 chars at 0.90, sauvola 28 at 0.50)")
    assert reader.calls == [(300, 0), (300, 2)]


def test_auto_keeps_otsu_when_sauvola_is_worse() -> None:
    # Otsu 28 characters at 0.55 (low: retried, score 15.4) beats Sauvola 5 at 0.95 (4.75).
    reader = FakeReader(
        {0: _words("Quittance de loyer du mois de mars", 55.0), 2: _words("Total", 95)}
    )
    words, note = otsu_or_sauvola(reader, PAGE, 300, always_both=False)
    assert len(words) == 7
    assert note.startswith("otsu (")


def test_best_always_runs_both() -> None:
    reader = FakeReader({0: GOOD, 2: _words("Quittance", 99.0)})
    words, _ = otsu_or_sauvola(reader, PAGE, 300, always_both=True)
    assert words == GOOD
    assert [method for _, method in reader.calls] == [0, 2]


# --- resolution -----------------------------------------------------------------------------


def test_the_page_dpi_is_passed_and_an_unknown_one_is_noted() -> None:
    engine = create_engine("tesseract", {"thresholding": "sauvola", "dpi_fallback": 200})
    assert isinstance(engine, TesseractEngine)
    reader = FakeReader({2: GOOD})
    engine._reader = reader
    known = engine.recognize(PageImage(image=Image.new("L", (10, 10), 255), dpi=299.6))
    unknown = engine.recognize(PageImage(image=Image.new("L", (10, 10), 255), dpi=None))
    assert reader.calls == [(300, 2), (200, 2)]
    assert known.provenance is not None and unknown.provenance is not None
    assert known.provenance.notes == ["thresholding: sauvola"]
    assert unknown.provenance.notes[0] == "page resolution unknown: 200 dpi assumed (dpi_fallback)"
    assert unknown.dpi is None


def test_tesserocr_receives_the_resolution() -> None:
    _require("tesserocr")
    folder = tessdata_dir()
    assert folder is not None
    reader = te._Tesserocr(te.TesseractOptions(), folder, "fra")
    try:
        reader.read(Image.new("L", (200, 60), 255), 150, 0)
        assert "scan_res 150 150" in reader._api.GetHOCRText(0)
    finally:
        reader.close()


def test_the_program_gets_dpi_and_a_single_openmp_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    seen: dict[str, Any] = {}

    def image_to_data(image: Image.Image, lang: str, config: str) -> str:
        seen.update(lang=lang, config=config, omp=os.environ.get("OMP_THREAD_LIMIT"))
        seen["format"] = image.format
        return TSV

    monkeypatch.setattr(pytesseract, "image_to_data", image_to_data)
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    options = te.TesseractOptions(psm=6, config={"preserve_interword_spaces": "1"})
    reader = te._Program(options, Path("/data/my tessdata"), "fra+eng")
    words = reader.read(Image.new("RGB", (10, 10), "white"), 240, 2)
    assert [w.text for w in words] == ["Loyer", "réglé", "Total", "€"]
    assert seen["lang"] == "fra+eng" and seen["omp"] == "1" and seen["format"] == "PPM"
    assert seen["config"] == (
        "--tessdata-dir '/data/my tessdata' --psm 6 --oem 1 -c preserve_interword_spaces=1 "
        "--dpi 240 -c thresholding_method=2"
    )
    assert "OMP_THREAD_LIMIT" not in os.environ  # removed again afterwards


def test_a_thread_limit_set_by_the_user_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_THREAD_LIMIT", "2")
    with single_omp_thread():
        assert os.environ["OMP_THREAD_LIMIT"] == "2"
    assert os.environ["OMP_THREAD_LIMIT"] == "2"
    monkeypatch.delenv("OMP_THREAD_LIMIT")
    with single_omp_thread(), single_omp_thread():  # nested (two threads at once)
        assert os.environ["OMP_THREAD_LIMIT"] == "1"
    assert "OMP_THREAD_LIMIT" not in os.environ


# --- real runs ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def top_of_sample() -> tuple[PageImage, str]:
    """The first four lines of the sample page (a quarter of the pixels: fast)."""
    sample = render_sample_page(seed=4, dpi=300)
    lines = list(sample.truth.pages[0].lines())
    bottom = (lines[3].bbox.y1 + lines[4].bbox.y0) // 2  # between the 4th and 5th lines
    image = sample.page.image.crop((0, 0, sample.page.width, bottom))
    return PageImage(image=image, source="top.png", dpi=300.0), "\n".join(
        line.text for line in lines[:4]
    )


@pytest.mark.parametrize("backend", ["tesserocr", "pytesseract"])
def test_both_backends_read_the_sample(backend: str, top_of_sample: tuple[PageImage, str]) -> None:
    _require(backend)
    page_image, text = top_of_sample
    engine = create_engine("tesseract", {"backend": backend})
    page = engine.recognize(page_image)
    engine.close()
    assert "\n".join(line.text for line in page.lines()) == text
    assert page.provenance is not None
    assert page.provenance.engine_version.startswith("tesseract 5.")
    assert page.provenance.notes == ["thresholding: auto -> otsu"]
    assert all(w.confidence is not None and w.confidence > 0.5 for w in page.words())


def test_an_unknown_variable_is_refused_by_tesserocr(top_of_sample: tuple[PageImage, str]) -> None:
    _require("tesserocr")
    engine = create_engine("tesseract", {"backend": "tesserocr", "config": {"no_such_var": "1"}})
    with pytest.raises(InvalidOptionsError, match="no_such_var"):
        engine.recognize(top_of_sample[0])


def test_a_blank_page_gives_an_empty_page() -> None:
    _require("tesserocr")
    page = create_engine("tesseract").recognize(
        PageImage(image=Image.new("RGB", (600, 400), "white"), dpi=300.0)
    )
    assert page.blocks == []
    assert page.provenance is not None
    assert page.provenance.notes[0].startswith("thresholding: auto -> otsu (otsu 0 chars")


def test_languages_and_cached_version() -> None:
    _require("tesserocr")
    assert {"fra", "eng"} <= set(TesseractEngine.languages())
    assert "osd" not in TesseractEngine.languages()
    assert TesseractEngine.version() is TesseractEngine.version()  # cached, not recomputed
