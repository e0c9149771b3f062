"""ALTO v4: real ALTO (checked by XPath), other producers' ALTO reads, typed errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from ocrxtract.document import BBox, Block, Document, Line, Page, Provenance, Word
from ocrxtract.errors import ExportParseError
from ocrxtract.export.alto import from_alto, to_alto

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
NS = {"a": ALTO_NS}


def sample() -> Document:
    words = [
        Word(text="Montant", bbox=BBox(x0=10, y0=20, x1=110, y1=50), confidence=0.9876),
        Word(
            text="1 234,56 €",
            bbox=BBox(x0=120, y0=18, x1=260, y1=52),
            polygon=[(120, 20), (260, 18), (260, 50), (120, 52)],
        ),
        Word(text='"A&B"<c>', bbox=BBox(x0=250, y0=20, x1=330, y1=50), confidence=1.0),
    ]
    text_line = Line(
        words=words,
        bbox=BBox(x0=10, y0=18, x1=330, y1=52),
        confidence=0.5,
        polygon=[(10, 20), (330, 18), (330, 52)],
    )
    return Document(
        source="scans/été.png",
        metadata={"client": "Dupont & Fils"},
        pages=[
            Page(
                index=4,
                width=600,
                height=800,
                dpi=300,
                blocks=[
                    Block(lines=[text_line], bbox=BBox(x0=5, y0=5, x1=400, y1=60), role="table")
                ],
                provenance=Provenance(
                    engine="tesseract", engine_version="5.3.0", options={"psm": 6}, seconds=0.25
                ),
            ),
            Page(index=5, width=300, height=400),
        ],
    )


@pytest.fixture(scope="module")
def tree() -> etree._Element:
    return etree.fromstring(to_alto(sample()).encode("utf-8"))


def xpath(tree: etree._Element, path: str) -> list:
    return tree.xpath(path, namespaces=NS)


def test_namespace_unit_and_source(tree: etree._Element) -> None:
    assert tree.tag == f"{{{ALTO_NS}}}alto"
    assert xpath(tree, "string(/a:alto/a:Description/a:MeasurementUnit)") == "pixel"
    assert (
        xpath(tree, "string(/a:alto/a:Description/a:sourceImageInformation/a:fileName)")
        == "scans/été.png"
    )
    assert "alto-4-2.xsd" in tree.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")


def test_pages_and_print_space(tree: etree._Element) -> None:
    pages = xpath(tree, "/a:alto/a:Layout/a:Page")
    assert [(p.get("PHYSICAL_IMG_NR"), p.get("WIDTH"), p.get("HEIGHT")) for p in pages] == [
        ("4", "600", "800"),
        ("5", "300", "400"),
    ]
    space = xpath(tree, "/a:alto/a:Layout/a:Page[1]/a:PrintSpace")[0]
    assert dict(space.attrib) == {"HPOS": "0", "VPOS": "0", "WIDTH": "600", "HEIGHT": "800"}


def test_strings_have_content_box_and_wc(tree: etree._Element) -> None:
    strings = xpath(tree, "//a:Page/a:PrintSpace/a:TextBlock/a:TextLine/a:String")
    assert [s.get("CONTENT") for s in strings] == ["Montant", "1 234,56 €", '"A&B"<c>']
    first = strings[0]
    assert (first.get("HPOS"), first.get("VPOS"), first.get("WIDTH"), first.get("HEIGHT")) == (
        "10",
        "20",
        "100",
        "30",
    )
    assert [s.get("WC") for s in strings] == ["0.9876", None, "1"]
    assert xpath(strings[1], "string(a:Shape/a:Polygon/@POINTS)") == "120 20 260 18 260 50 120 52"


def test_sp_between_words_only(tree: etree._Element) -> None:
    (text_line,) = xpath(tree, "//a:TextLine")
    children = [etree.QName(child).localname for child in text_line]
    assert children == ["Shape", "String", "SP", "String", "SP", "String"]
    first_sp, second_sp = xpath(text_line, "a:SP")
    assert dict(first_sp.attrib) == {"HPOS": "110", "VPOS": "18", "WIDTH": "10"}
    assert dict(second_sp.attrib) == {}  # overlapping words: no negative width


def test_block_kind_and_metadata_tags(tree: etree._Element) -> None:
    (block,) = xpath(tree, "//a:TextBlock")
    assert (block.get("HPOS"), block.get("WIDTH")) == ("5", "395")
    (tag,) = xpath(tree, f"//a:Tags/a:OtherTag[@ID='{block.get('TAGREFS')}']")
    assert tag.get("LABEL") == "table"
    (meta,) = xpath(tree, "//a:Tags/a:OtherTag[@TYPE='ocrxtract metadata']")
    assert (meta.get("LABEL"), meta.get("DESCRIPTION")) == ("client", "Dupont & Fils")


def test_provenance_goes_to_a_processing_step_referenced_by_the_page(tree: etree._Element) -> None:
    page, bare_page = xpath(tree, "//a:Page")
    assert bare_page.get("PROCESSING") is None  # no dpi, provenance or line confidence
    (step,) = xpath(tree, f"//a:Description/a:Processing[@ID='{page.get('PROCESSING')}']")
    assert xpath(step, "string(a:processingSoftware/a:softwareName)") == "tesseract"
    assert xpath(step, "string(a:processingSoftware/a:softwareVersion)") == "5.3.0"
    settings = json.loads(xpath(step, "string(a:processingStepSettings)"))
    assert settings["dpi"] == 300
    assert settings["provenance"] == {
        "options": {"psm": 6},
        "seconds": 0.25,
        "notes": [],
        "steps": [],
    }
    assert settings["line_confidences"] == {xpath(tree, "string(//a:TextLine/@ID)"): 0.5}


TESSERACT_LIKE = """<?xml version="1.0" encoding="ISO-8859-1"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">
  <Description>
    <MeasurementUnit>pixel</MeasurementUnit>
    <sourceImageInformation><fileName>facture.png</fileName></sourceImageInformation>
    <OCRProcessing ID="OCR_0">
      <ocrProcessingStep>
        <processingSoftware><softwareName>tesseract 5.3.0</softwareName></processingSoftware>
      </ocrProcessingStep>
    </OCRProcessing>
  </Description>
  <Layout>
    <Page WIDTH="1240" HEIGHT="1754" PHYSICAL_IMG_NR="0" ID="page_0" PROCESSING="OCR_0">
      <PrintSpace HPOS="0" VPOS="0" WIDTH="1240" HEIGHT="1754">
        <ComposedBlock ID="cblock_0" HPOS="0" VPOS="0" WIDTH="900" HEIGHT="300">
          <TextBlock ID="block_0" HPOS="100.5" VPOS="90" WIDTH="600" HEIGHT="70">
            <TextLine ID="line_0" HPOS="100.5" VPOS="90.2" WIDTH="600" HEIGHT="40.1">
              <String ID="string_0" HPOS="100.5" VPOS="90.2" WIDTH="199.4" HEIGHT="39.9"
                      WC="0.96" CONTENT="Reçu"/>
              <SP WIDTH="20" VPOS="92" HPOS="300"/>
              <String ID="string_1" HPOS="320" VPOS="92" WIDTH="380" HEIGHT="38"
                      WC="0.91" CONTENT=" 12 £ "/>
              <SP/>
              <String ID="string_2" HPOS="710" VPOS="92" WIDTH="10" HEIGHT="38" CONTENT="  "/>
              <HYP CONTENT="-"/>
            </TextLine>
            <TextLine ID="line_1" HPOS="0" VPOS="0" WIDTH="1" HEIGHT="1"/>
          </TextBlock>
        </ComposedBlock>
      </PrintSpace>
    </Page>
  </Layout>
</alto>
""".encode("iso-8859-1")


def test_reads_tesseract_style_alto_v3_in_latin1() -> None:
    doc = from_alto(TESSERACT_LIKE)
    assert doc.source == "facture.png"
    (page,) = doc.pages
    assert (page.index, page.width, page.height, page.dpi) == (0, 1240, 1754, None)
    assert page.provenance == Provenance(engine="tesseract 5.3.0", engine_version="")
    (block,) = page.blocks  # found inside the ComposedBlock; the empty line is dropped
    assert block.role == "text"
    (text_line,) = block.lines
    assert [w.text for w in text_line.words] == ["Reçu", "12 £"]  # stripped; blank dropped
    # Fractional coordinates are rounded outwards: 100.5 -> 100, 100.5 + 199.4 = 299.9 -> 300.
    assert text_line.words[0].bbox.as_tuple() == (100, 90, 300, 131)
    assert text_line.bbox.as_tuple() == (100, 90, 701, 131)
    assert [w.confidence for w in text_line.words] == [0.96, 0.91]


def test_real_alto_v4_file_from_the_tapuscorpus(shared_datasets: Path) -> None:
    """Sanity check of the element names on a real eScriptorium export (not a loader)."""
    gt = shared_datasets / "fr-typed-tapuscorpus" / "gt"
    path = gt / "AN-20130043_87__FRAN_0011_11082_L-medium.xml"
    if not path.is_file():
        pytest.skip(f"{path} not found in the shared datasets")
    data = path.read_bytes()
    doc = from_alto(data, name=path.name)
    tree = etree.fromstring(data)
    contents = xpath(tree, "//a:String/@CONTENT")
    assert doc.source == "FRAN_0011_11082_L-medium.jpg"
    (page,) = doc.pages
    assert (page.index, page.width, page.height) == (0, 2000, 1580)
    assert [w.text for w in page.words()] == [c.strip() for c in contents if c.strip()]
    assert len(list(page.lines())) == len(
        xpath(tree, "//a:TextLine[a:String[normalize-space(@CONTENT)]]")
    )
    assert page.blocks[0].role == "text"  # MainZone, the label of the TAGREFS tag
    first = next(page.lines())
    assert first.text == "MISSION NOUVELLE - ECOSSE 1962"
    assert first.bbox.as_tuple() == (685, 175, 1251, 223)
    assert first.polygon is not None and first.polygon[:2] == [(685, 211), (687, 176)]
    # What we read, we write back and read again unchanged.
    assert from_alto(to_alto(doc)) == doc


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        (f'<alto xmlns="{ALTO_NS}"><Layout><Page ID="p"', "not well-formed"),
        ("<html/>", "expected <alto>"),
        (
            f'<alto xmlns="{ALTO_NS}"><Description><MeasurementUnit>mm10</MeasurementUnit>'
            "</Description><Layout/></alto>",
            "only pixel",
        ),
        (
            f'<alto xmlns="{ALTO_NS}"><Layout><Page ID="p7" PHYSICAL_IMG_NR="0"/></Layout></alto>',
            "Page 'p7'.*WIDTH",
        ),
        (
            f'<alto xmlns="{ALTO_NS}"><Layout><Page ID="p" WIDTH="9" HEIGHT="9"><PrintSpace>'
            '<TextBlock ID="b"><TextLine ID="l"><String ID="s3" HPOS="1" VPOS="1" WIDTH="1" '
            'HEIGHT="1"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>',
            "String 's3'.*CONTENT",
        ),
        (
            f'<alto xmlns="{ALTO_NS}"><Layout><Page ID="p" WIDTH="9" HEIGHT="9"><PrintSpace>'
            '<TextBlock ID="b"><TextLine ID="l"><String ID="s4" CONTENT="a" HPOS="1" VPOS="1" '
            'WIDTH="1" HEIGHT="1" WC="high"/></TextLine></TextBlock></PrintSpace></Page></Layout>'
            "</alto>",
            "String 's4'",
        ),
        (
            f'<alto xmlns="{ALTO_NS}"><Layout><Page ID="p" WIDTH="9" HEIGHT="9"><PrintSpace>'
            '<TextBlock ID="b"><TextLine ID="l"><String ID="s5" CONTENT="a" HPOS="1" VPOS="1" '
            'WIDTH="-5" HEIGHT="1"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>',
            "String 's5'.*out of order",
        ),
        (
            f'<alto xmlns="{ALTO_NS}"><Layout><Page ID="p" WIDTH="9" HEIGHT="9"><PrintSpace>'
            '<TextBlock ID="b"><TextLine ID="l"><String ID="s6" CONTENT="a" HPOS="1" VPOS="1" '
            'WIDTH="1" HEIGHT="1"><Shape><Polygon POINTS="1 2 3"/></Shape></String></TextLine>'
            "</TextBlock></PrintSpace></Page></Layout></alto>",
            "String 's6'.*odd number",
        ),
    ],
)
def test_malformed_input_raises_export_parse_error(text: str, message: str) -> None:
    with pytest.raises(ExportParseError, match=message):
        from_alto(text, name="page.xml")
    with pytest.raises(ExportParseError, match=r"^page\.xml: "):
        from_alto(text, name="page.xml")


def test_truncated_export_raises_export_parse_error() -> None:
    text = to_alto(sample())
    with pytest.raises(ExportParseError, match="not well-formed"):
        from_alto(text[:-20])


def test_settings_written_by_another_tool_are_ignored() -> None:
    text = to_alto(sample()).replace('{"ocrxtract":1,', '{"tool":1,')
    page = from_alto(text).pages[0]
    assert page.dpi is None  # not our JSON: not interpreted
    assert page.provenance == Provenance(engine="tesseract", engine_version="5.3.0")
