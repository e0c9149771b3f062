"""The ``pdf-text`` engine: text layers of born-digital PDFs through the engine interface."""

from __future__ import annotations

from pathlib import Path

import pypdfium2.version
import pytest
from PIL import Image

from minipdf import PageSpec, Rect, Text, build_pdf
from ocrxtract.engines.pdftext_engine import PdfTextEngine, PdfTextOptions
from ocrxtract.engines.registry import create_engine, get_engine_class
from ocrxtract.errors import InvalidOptionsError
from ocrxtract.io import PageImage, load_pages, read_text_layer


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    pages = [
        PageSpec(items=[Text(72, 700, "Facture n° 2024-17"), Text(72, 670, "Total 99,90 €")]),
        PageSpec(items=[Rect(100, 100, 200, 200)]),
        PageSpec(rotate=90, items=[Text(300, 100, "Paysage", angle=90)]),
    ]
    path = tmp_path / "facture.pdf"
    path.write_bytes(build_pdf(pages))
    return path


def test_registered_and_always_available() -> None:
    assert get_engine_class("pdf-text") is PdfTextEngine
    assert isinstance(create_engine("pdf-text"), PdfTextEngine)
    assert PdfTextEngine.availability().available is True
    assert PdfTextEngine.languages() == []


def test_version_names_pypdfium2_and_pdfium() -> None:
    version = PdfTextEngine.version()
    assert version.startswith(f"pypdfium2 {pypdfium2.version.PYPDFIUM_INFO.version} ")
    assert f"pdfium {pypdfium2.version.PDFIUM_INFO.build}" in version


def test_options_refuse_unknown_fields() -> None:
    assert isinstance(PdfTextEngine().options, PdfTextOptions)
    with pytest.raises(InvalidOptionsError, match="pdf-text"):
        PdfTextEngine({"psm": 6})


def test_reads_the_text_layer_of_each_page(pdf: Path) -> None:
    engine = PdfTextEngine()
    pages = load_pages(pdf, dpi=100)
    first = engine.recognize(pages[0])
    assert [line.text for line in first.lines()] == ["Facture n° 2024-17", "Total 99,90 €"]
    assert (first.index, first.width, first.height, first.dpi) == (0, 850, 1100, 100.0)
    assert first.blocks == read_text_layer(pdf, 0, dpi=100).blocks
    assert first.provenance is not None
    assert first.provenance.engine == "pdf-text"
    assert first.provenance.engine_version == PdfTextEngine.version()
    assert first.provenance.notes == []
    rotated = engine.recognize(pages[2])
    assert (rotated.width, rotated.height) == (1100, 850)
    assert [w.text for w in rotated.words()] == ["Paysage"]
    word = next(rotated.words())
    assert word.bbox.x1 <= rotated.width and word.bbox.width > word.bbox.height


def test_page_without_text_layer_is_empty_with_a_note(pdf: Path) -> None:
    page = load_pages(pdf, dpi=72, pages=[1])[0]
    assert page.has_text_layer is False
    result = PdfTextEngine().recognize(page)
    assert result.blocks == []
    assert (result.index, result.width, result.height) == (1, 612, 792)
    assert result.provenance is not None
    assert result.provenance.notes == [f"no text layer on page 2 of {pdf}"]


def test_image_source_gives_an_empty_page_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("RGB", (40, 30), "white").save(path)
    page = load_pages(path)[0]
    result = PdfTextEngine().recognize(page)
    assert result.blocks == []
    assert (result.width, result.height) == (40, 30)
    assert result.provenance is not None
    assert result.provenance.notes == [f"no text layer: {path} is not a PDF page"]


def test_in_memory_page_gives_an_empty_page_with_a_note() -> None:
    page = PageImage(image=Image.new("L", (10, 10)))
    result = PdfTextEngine().recognize(page)
    assert result.blocks == []
    assert result.provenance is not None
    assert "no text layer: <memory> is not a PDF page" in result.provenance.notes


def test_the_engine_never_opens_the_file(pdf: Path) -> None:
    # The words travel with the page: the file may be gone when the engine reads the page.
    page = load_pages(pdf, dpi=144, pages=[0])[0]
    expected = read_text_layer(pdf, 0, dpi=144).blocks
    pdf.unlink()
    result = PdfTextEngine().recognize(page)
    assert result.dpi == 144.0
    assert result.blocks == expected
    assert list(result.words())


def test_in_memory_pdf_pages_carry_their_text_layer(pdf: Path) -> None:
    page = load_pages(pdf.read_bytes(), dpi=100, pages=[0], name="facture.pdf")[0]
    assert page.source == "facture.pdf"
    result = PdfTextEngine().recognize(page)
    assert result.blocks == read_text_layer(pdf, 0, dpi=100).blocks
