"""The export package's entry points: formats, extensions, plain text, typed errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ocrxtract.document import BBox, Document, Page, Word, block_from_lines, line_from_words
from ocrxtract.errors import ExportParseError, UnknownFormatError, UsageError
from ocrxtract.export import (
    FORMATS,
    READABLE_FORMATS,
    export_document,
    file_extension,
    read_document,
)
from ocrxtract.layout import order_page


def one_line_page(index: int, *texts: str, y: int = 10) -> Page:
    words = [
        Word(text=t, bbox=BBox(x0=10 + 100 * i, y0=y, x1=90 + 100 * i, y1=y + 30))
        for i, t in enumerate(texts)
    ]
    return Page(
        index=index, width=1000, height=1000, blocks=[block_from_lines([line_from_words(words)])]
    )


def test_formats_and_extensions() -> None:
    assert FORMATS == ("json", "txt", "hocr", "alto")
    assert READABLE_FORMATS == ("json", "hocr", "alto")
    assert [file_extension(f) for f in FORMATS] == [".json", ".txt", ".hocr", ".xml"]
    assert file_extension("ALTO") == ".xml"  # case-insensitive


@pytest.mark.parametrize("call", ["export", "read", "extension"])
def test_unknown_format_lists_the_known_ones(call: str) -> None:
    with pytest.raises(UnknownFormatError) as info:
        if call == "export":
            export_document(Document(), "pdf")
        elif call == "read":
            read_document("{}", "pdf")
        else:
            file_extension("pdf")
    message = str(info.value)
    assert "'pdf'" in message
    assert "json, txt, hocr, alto" in message
    assert isinstance(info.value, UsageError) and info.value.exit_code == 2


def test_plain_text_cannot_be_read_back() -> None:
    with pytest.raises(UnknownFormatError, match="readable formats: json, hocr, alto"):
        read_document("hello", "txt")


def test_txt_is_the_stored_text_with_form_feeds_between_pages() -> None:
    first = one_line_page(0, "Facture", "n°", "42")
    # Two lines stored bottom first: the export keeps the stored order; the pipeline's
    # reading order (order_page) puts the top one first, and ALTO/hOCR then agree with it.
    bottom = line_from_words([Word(text="bas", bbox=BBox(x0=10, y0=500, x1=90, y1=530))])
    top = line_from_words([Word(text="haut", bbox=BBox(x0=10, y0=100, x1=90, y1=130))])
    second = Page(index=1, width=1000, height=1000, blocks=[block_from_lines([bottom, top])])
    doc = Document(pages=[first, second, Page(index=2, width=10, height=10)])
    assert export_document(doc, "txt") == "Facture n° 42\fbas\nhaut\f"
    ordered = doc.model_copy(update={"pages": [order_page(page) for page in doc.pages]})
    assert export_document(ordered, "txt") == "Facture n° 42\fhaut\nbas\f"
    for fmt in ("hocr", "alto"):
        back = read_document(export_document(ordered, fmt), fmt)
        assert export_document(back, "txt") == export_document(ordered, "txt")
    assert export_document(Document(), "txt") == ""


def test_exports_are_pure() -> None:
    doc = Document(source="a.png", pages=[one_line_page(0, "été", "1 234,56 €")])
    before = doc.model_copy(deep=True)
    for fmt in FORMATS:
        assert export_document(doc, fmt) == export_document(doc, fmt)
    assert doc == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not an ocrxtract JSON document"),
        ("{", "not an ocrxtract JSON document"),
        ("[]", "not an ocrxtract JSON document"),
        ('{"pages": [{"index": -1, "width": 1, "height": 1}]}', r"pages\.0\.index"),
        ('{"pages": [], "colour": "red"}', "colour"),
    ],
)
def test_malformed_json_raises_export_parse_error(text: str, message: str) -> None:
    with pytest.raises(ExportParseError, match=message):
        read_document(text, "json", name="result.json")
    with pytest.raises(ExportParseError, match=r"^result\.json: "):
        read_document(text, "json", name="result.json")


@pytest.mark.parametrize("fmt", ["hocr", "alto"])
@pytest.mark.parametrize("text", ["", "not xml at all", "<a><b></a>", '{"pages": []}'])
def test_malformed_xml_raises_export_parse_error_not_an_lxml_error(fmt: str, text: str) -> None:
    with pytest.raises(ExportParseError):
        read_document(text, fmt)


def test_importing_the_package_does_not_load_lxml() -> None:
    code = "import sys, ocrxtract.export; print('lxml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
