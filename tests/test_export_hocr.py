"""hOCR: real hOCR 1.2 (checked by XPath), other producers' hOCR reads, typed errors."""

from __future__ import annotations

import re

import pytest
from lxml import etree, html

from ocrxtract.document import BBox, Document, Page, Provenance, Word, block_from_lines
from ocrxtract.document import line_from_words as line
from ocrxtract.errors import ExportParseError
from ocrxtract.export.hocr import from_hocr, parse_title, to_hocr

NS = {"h": "http://www.w3.org/1999/xhtml"}


def sample() -> Document:
    words = [
        Word(text="Montant", bbox=BBox(x0=10, y0=20, x1=110, y1=50), confidence=0.9876),
        Word(
            text="1 234,56 €",
            bbox=BBox(x0=120, y0=18, x1=260, y1=52),
            polygon=[(120, 20), (260, 18), (260, 50), (120, 52)],
        ),
        Word(text='"A&B"<c>', bbox=BBox(x0=270, y0=20, x1=330, y1=50), confidence=0.0),
    ]
    return Document(
        source="scans/été.png",
        metadata={"client": "Dupont"},
        pages=[
            Page(
                index=4,
                width=600,
                height=800,
                dpi=300,
                blocks=[block_from_lines([line(words, confidence=0.5)], role="table")],
                provenance=Provenance(engine="tesseract", engine_version="5.3.0", seconds=0.25),
            ),
            Page(index=5, width=600, height=800),
        ],
    )


@pytest.fixture(scope="module")
def tree() -> etree._Element:
    return etree.fromstring(to_hocr(sample()).encode("utf-8"))


def xpath(tree: etree._Element, path: str) -> list:
    return tree.xpath(path, namespaces=NS)


def test_head_declares_system_capabilities_and_page_count(tree: etree._Element) -> None:
    assert tree.tag == "{http://www.w3.org/1999/xhtml}html"
    metas = {m.get("name"): m.get("content") for m in xpath(tree, "//h:head/h:meta[@name]")}
    assert metas["ocr-system"].startswith("ocrxtract ")
    assert set(metas["ocr-capabilities"].split()) >= {
        "ocr_page", "ocr_carea", "ocr_line", "ocrx_word", "ocrp_wconf", "ocrp_poly",
    }  # fmt: skip
    assert metas["ocr-number-of-pages"] == "2"


def test_page_title_has_image_bbox_ppageno_and_scan_res(tree: etree._Element) -> None:
    first, second = xpath(tree, "//h:div[@class='ocr_page']")
    assert (
        first.get("title") == 'image "scans/été.png"; bbox 0 0 600 800; ppageno 4; scan_res 300 300'
    )
    assert second.get("title") == 'image "scans/été.png"; bbox 0 0 600 800; ppageno 5'  # dpi None
    assert first.get("id") == "page_1"


def test_hierarchy_and_word_properties(tree: etree._Element) -> None:
    words = xpath(
        tree,
        "//h:div[@class='ocr_page']/h:div[@class='ocr_carea']"
        "/h:span[@class='ocr_line']/h:span[@class='ocrx_word']",
    )
    assert [w.text for w in words] == ["Montant", "1 234,56 €", '"A&B"<c>']
    assert words[0].get("title") == "bbox 10 20 110 50; x_wconf 98.76"
    assert words[1].get("title") == "bbox 120 18 260 52; poly 120 20 260 18 260 50 120 52"
    assert words[2].get("title") == "bbox 270 20 330 50; x_wconf 0"
    (line_el,) = xpath(tree, "//h:span[@class='ocr_line']")
    assert line_el.get("title") == "bbox 10 18 330 52; x_wconf 50"
    (area,) = xpath(tree, "//h:div[@class='ocr_carea']")
    assert area.get("data-ocrxtract-role") == "table"


def test_text_is_escaped_as_xml_and_accents_stay_characters() -> None:
    text = to_hocr(sample())
    assert '>"A&amp;B"&lt;c&gt;</span>' in text
    assert "1 234,56 €" in text and "été" in text  # UTF-8 characters, not &#...; references
    assert "&#" not in text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>')


def test_html_parsers_read_it_too() -> None:
    """No <div/> or <title/>: an HTML parser (a browser) would never close them."""
    text = to_hocr(sample())
    assert not re.search(r"<(div|span|title|body)\b[^>]*/>", text)
    root = html.fromstring(text.split("\n", 1)[1].encode("utf-8"))
    spans = root.xpath("//span[@class='ocrx_word']")
    assert [s.text_content() for s in spans] == ["Montant", "1 234,56 €", '"A&B"<c>']
    assert len(root.xpath("//div[@class='ocr_page']")) == 2


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("bbox 1 2 3 4", {"bbox": ["1", "2", "3", "4"]}),
        ("bbox 1 2 3 4;x_wconf 95", {"bbox": ["1", "2", "3", "4"], "x_wconf": ["95"]}),
        ('image "a;b c.png"; ppageno 0', {"image": ["a;b c.png"], "ppageno": ["0"]}),
        (r'image "say \"hi\" \\ \x"', {"image": ['say "hi" \\ \\x']}),
        ("  ;; bbox 0 0 1 1 ; ", {"bbox": ["0", "0", "1", "1"]}),
        ("x_wconf 1; x_wconf 2", {"x_wconf": ["1"]}),
        ("", {}),
    ],
)
def test_parse_title(title: str, expected: dict[str, list[str]]) -> None:
    assert parse_title(title) == expected


TESSERACT_LIKE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title></title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name='ocr-system' content='tesseract 5.3.0' />
  <meta name='ocr-capabilities' content='ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf'/>
 </head>
 <body>
  <div class='ocr_page' id='page_1'
       title='image "/tmp/facture.png"; bbox 0 0 1240 1754; ppageno 0; scan_res 150 150'>
   <div class='ocr_carea' id='block_1_1' title="bbox 100 90 700 160">
    <p class='ocr_par' id='par_1_1' lang='fra' title="bbox 100 90 700 160">
     <span class='ocr_line' id='line_1_1'
           title="bbox 100 90 700 130; baseline 0 -8; x_size 40; x_descenders 8; x_ascenders 10">
      <span class='ocrx_word' id='word_1_1' title='bbox 100 90 300 130; x_wconf 96'>Facture</span>
      <span class='ocrx_word' id='word_1_2'
            title='bbox 320 92 700 130; x_wconf 91'><strong>N°</strong>42</span>
      <span class='ocrx_word' id='word_1_3' title='bbox 710 92 720 130; x_wconf 0'> </span>
     </span>
     <span class='ocr_header' id='line_1_2' title="bbox 100 140 400 160; baseline 0 -2; x_size 20">
      <span class='ocrx_word' id='word_1_4'
            title='bbox 100 140 400 160; x_wconf 88'>Date&#160;:</span>
     </span>
    </p>
   </div>
   <div class='ocr_carea' id='block_1_2' title="bbox 0 0 10 10"></div>
  </div>
 </body>
</html>
"""


def test_reads_tesseract_style_hocr() -> None:
    doc = from_hocr(TESSERACT_LIKE)
    assert doc.source == "/tmp/facture.png"  # from the page's image property
    assert doc.metadata == {}
    (page,) = doc.pages
    assert (page.index, page.width, page.height, page.dpi) == (0, 1240, 1754, 150.0)
    assert page.provenance is None
    (block,) = page.blocks  # the empty carea is dropped
    assert block.role == "text"
    assert block.bbox.as_tuple() == (100, 90, 700, 160)
    first, second = block.lines
    assert [w.text for w in first.words] == ["Facture", "N°42"]  # blank word dropped
    assert [w.confidence for w in first.words] == [0.96, 0.91]
    assert first.confidence is None
    assert first.bbox.as_tuple() == (100, 90, 700, 130)
    assert second.words[0].text == "Date\u00a0:"
    assert second.words[0].bbox.as_tuple() == (100, 140, 400, 160)


def test_lines_outside_any_carea_form_one_block() -> None:
    text = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        '<div class="ocr_page" title="bbox 0 0 100 100">'
        '<span class="ocr_line"><span class="ocrx_word" title="bbox 1 2 3 4">a</span></span>'
        '<span class="ocr_line"><span class="ocrx_word" title="bbox 5 6 7 8">b</span></span>'
        "</div></body></html>"
    )
    (page,) = from_hocr(text).pages
    (block,) = page.blocks
    assert block.bbox.as_tuple() == (1, 2, 7, 8)  # union of the lines, not the page box
    assert [ln.bbox.as_tuple() for ln in block.lines] == [(1, 2, 3, 4), (5, 6, 7, 8)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("<html><body><div class='ocr_page'", "not well-formed"),
        ("\x00\x01garbage", "not well-formed"),
        ("<alto/>", "expected <html>"),
        ("<html><body><p>hello</p></body></html>", "not hOCR"),
        ("<html><body><div class='ocr_page' id='page_9'/></body></html>", "page 'page_9'.*bbox"),
        (
            "<html><body><div class='ocr_page' title='bbox 0 0 9 9'><span class='ocr_line'>"
            "<span class='ocrx_word' id='word_7'>a</span></span></div></body></html>",
            "word 'word_7'.*bbox",
        ),
        (
            "<html><body><div class='ocr_page' title='bbox 0 0 9 9'><span class='ocr_line'>"
            "<span class='ocrx_word' id='w' title='bbox 1 2 3 4; x_wconf 150'>a</span></span>"
            "</div></body></html>",
            "word 'w'.*confidence",
        ),
        (
            "<html><body><div class='ocr_page' title='bbox 0 0 9 9'><span class='ocr_line'>"
            "<span class='ocrx_word' id='w' title='bbox 1 2 a 4'>a</span></span>"
            "</div></body></html>",
            "word 'w'",
        ),
        (
            "<html><body><div class='ocr_page' title='bbox 0 0 9 9' "
            "data-ocrxtract-provenance='{\"engine\": 1'/></body></html>",
            "page",
        ),
    ],
)
def test_malformed_input_raises_export_parse_error(text: str, message: str) -> None:
    with pytest.raises(ExportParseError, match=message):
        from_hocr(text, name="scan.hocr")
    with pytest.raises(ExportParseError, match=r"^scan\.hocr: "):
        from_hocr(text, name="scan.hocr")


def test_truncated_export_raises_export_parse_error() -> None:
    text = to_hocr(sample())
    with pytest.raises(ExportParseError, match="not well-formed"):
        from_hocr(text[: len(text) // 2])


def test_external_entities_are_not_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    text = (
        f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        '<div class="ocr_page" title="bbox 0 0 9 9"><span class="ocr_line">'
        '<span class="ocrx_word" title="bbox 1 1 2 2">a&xxe;</span></span></div></body></html>'
    )
    doc = from_hocr(text)
    assert "TOP-SECRET" not in doc.to_json()
