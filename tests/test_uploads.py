"""ocrxtract.workbench.uploads: limits from the environment, uploads read page by page from memory
(no temporary file), errors named after the upload, dataset samples."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from appdata import DPI, png_bytes, two_page_pdf
from minipdf import PageSpec, Text, build_pdf
from ocrxtract.engines import create_engine
from ocrxtract.errors import (
    CorruptInputError,
    EmptyInputError,
    InputTooLargeError,
    UnsupportedFormatError,
    UsageError,
)
from ocrxtract.workbench.uploads import (
    DEFAULT_MAX_MB,
    DEFAULT_MAX_PAGES,
    SampleDocument,
    UploadedDocument,
    UploadLimits,
    load_uploads,
)


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Temporary folders go here, so the test can see that none is left behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root


# --- limits --------------------------------------------------------------------------------------


def test_limits_default_and_from_the_environment() -> None:
    assert UploadLimits.from_env({}) == UploadLimits(DEFAULT_MAX_MB, DEFAULT_MAX_PAGES)
    limits = UploadLimits.from_env({"OCRXTRACT_APP_MAX_MB": " 3 ", "OCRXTRACT_APP_MAX_PAGES": "7"})
    assert (limits.max_mb, limits.max_pages) == (3, 7)
    assert limits.max_bytes == 3 * 1024 * 1024
    inputs = limits.input_limits()
    assert (inputs.max_pages, inputs.max_file_bytes) == (7, 3 * 1024 * 1024)
    assert UploadLimits.from_env({"OCRXTRACT_APP_MAX_MB": ""}).max_mb == DEFAULT_MAX_MB


@pytest.mark.parametrize("value", ["0", "-2", "ten", "1.5"])
def test_a_bad_limit_names_the_variable(value: str) -> None:
    with pytest.raises(UsageError, match=f"OCRXTRACT_APP_MAX_PAGES='{value}' is not a positive"):
        UploadLimits.from_env({"OCRXTRACT_APP_MAX_PAGES": value})
    with pytest.raises(UsageError, match="max_mb"):
        UploadLimits(max_mb=0)


def test_size_checks() -> None:
    limits = UploadLimits(max_mb=1)
    limits.check_size("ok.png", 1024 * 1024)  # exactly the limit passes
    with pytest.raises(InputTooLargeError) as caught:
        limits.check_size("big.pdf", 1024 * 1024 + 1)
    assert caught.value.path == "big.pdf"
    assert "more than the limit of 1 MiB" in caught.value.problem
    assert "OCRXTRACT_APP_MAX_MB" in (caught.value.fix or "")
    with pytest.raises(EmptyInputError, match=r"empty\.png: the file is empty"):
        limits.check_size("empty.png", 0)


# --- uploaded documents --------------------------------------------------------------------------


def test_an_image_upload(temp_root: Path) -> None:
    document = UploadedDocument("quittance.png", png_bytes(0), dpi=DPI)
    assert document.page_count() == 1
    page = document.page_image(0)
    assert page.image.size == (1240, 720)
    assert page.dpi == DPI  # the PNG states 150 dpi
    assert page.source == "quittance.png"  # never the temporary path
    assert document.key.startswith(f"upload:{document.digest}@")
    assert list(temp_root.iterdir()) == []  # nothing left behind


def test_the_key_changes_with_content_and_dpi() -> None:
    data = png_bytes(0)
    a = UploadedDocument("a.png", data, dpi=200)
    assert UploadedDocument("renamed.png", data, dpi=200).key == a.key  # the name does not count
    assert UploadedDocument("a.png", data, dpi=300).key != a.key
    assert UploadedDocument("a.png", png_bytes(1), dpi=200).key != a.key


def test_a_pdf_upload_is_rendered_at_its_dpi(temp_root: Path) -> None:
    document = UploadedDocument("deux-pages.pdf", two_page_pdf(), dpi=144)
    assert document.page_count() == 2
    # Pillow wrote 1240 x 720 px at 150 dpi: pages of 595.2 x 345.6 pt; at 144 dpi (2 px per
    # point) PDFium renders ceil(1190.4) x ceil(691.2) pixels.
    page = document.page_image(1)
    assert (page.index, page.image.size, page.dpi) == (1, (1191, 692), 144.0)
    assert list(temp_root.iterdir()) == []


def test_uploads_are_read_from_memory(temp_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was made")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    document = UploadedDocument("deux-pages.pdf", two_page_pdf(), dpi=72)
    assert document.page_count() == 2
    assert document.page_image(1).index == 1
    assert list(temp_root.iterdir()) == []


def test_errors_name_the_upload_not_the_temporary_file(temp_root: Path) -> None:
    document = UploadedDocument("abîmé.pdf", two_page_pdf()[:400])
    with pytest.raises(CorruptInputError) as caught:
        document.page_count()
    assert caught.value.path == "abîmé.pdf"
    assert str(caught.value).startswith("abîmé.pdf: not a readable PDF")
    assert str(temp_root) not in str(caught.value)
    assert list(temp_root.iterdir()) == []


def test_a_document_with_too_many_pages_is_refused() -> None:
    document = UploadedDocument("deux-pages.pdf", two_page_pdf(), limits=UploadLimits(max_pages=1))
    with pytest.raises(InputTooLargeError) as caught:
        document.page_count()
    assert "the document has 2 pages, more than the limit of 1" in str(caught.value)
    assert "OCRXTRACT_APP_MAX_PAGES" in str(caught.value)


def test_a_pdf_upload_carries_its_text_layer() -> None:
    pdf = build_pdf([PageSpec(items=[Text(72, 700, "Quittance de loyer")])])
    document = UploadedDocument("texte.pdf", pdf, dpi=72)
    page = create_engine("pdf-text").recognize(document.page_image(0))
    assert [w.text for w in page.words()] == ["Quittance", "de", "loyer"]
    assert page.provenance is not None and page.provenance.engine == "pdf-text"


def test_load_uploads_keeps_the_good_files_and_explains_the_bad() -> None:
    accepted, refused = load_uploads(
        [
            ("un.png", png_bytes(0)),
            ("texte.txt", b"not an image"),
            ("vide.pdf", b""),
            ("deux.pdf", two_page_pdf()),
        ],
        dpi=100,
    )
    assert [d.name for d in accepted] == ["un.png", "deux.pdf"]
    assert [type(e) for e in refused] == [UnsupportedFormatError, EmptyInputError]
    assert str(refused[0]).startswith("texte.txt: not a supported file type (the content is text)")


# --- dataset samples ----------------------------------------------------------------------------


def test_a_dataset_sample_brings_its_reference() -> None:
    from ocrxtract.datasets import load_sample
    from ocrxtract.sample import render_sample_page

    document = SampleDocument(load_sample("sample-fr", "seed-0001"))
    assert document.name == "sample-fr/seed-0001"
    assert document.key == "dataset:sample-fr/seed-0001"
    assert document.reference == render_sample_page(1).text
    assert document.page_count() == 1
    page = document.page_image(0)
    assert page.dpi == 300.0
    assert page.image.size == (2481, 3507)  # A4 at 300 dpi: round(8.27 * 300), round(11.69 * 300)
    with pytest.raises(UsageError, match="no page index 1"):
        document.page_image(1)
