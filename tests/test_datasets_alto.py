"""ALTO v2-v4 and PAGE XML loaders on tiny files written by the tests (hand-checked boxes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ocrxtract.datasets import alto, page_xml
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.errors import CorruptInputError


def spec(fmt: str = "alto", **extra) -> DatasetSpec:
    data = {
        "name": "tiny", "folder": "tiny", "kind": "typed", "language": "fra", "format": fmt,
        "tasks": ["ocr"], "license": "test", "headline": {"metric": "line_cer"},
        "default_split": "dev", "splits": {"dev": "all"},
    }  # fmt: skip
    data.update(extra)
    return DatasetSpec.model_validate(data)


def png(path: Path, size: tuple[int, int], dpi: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"dpi": (dpi, dpi)} if dpi else {}
    Image.new("L", size, 255).save(path, **options)
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ALTO v2 with one String per word, a HYP, SegmOnto-like tags; Page 200x100 pixels.
ALTO_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">
  <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
  <Tags><OtherTag ID="BT1" LABEL="MainZone"/></Tags>
  <Layout><Page WIDTH="200" HEIGHT="100" PHYSICAL_IMG_NR="1" ID="p1">
    <PrintSpace><TextBlock ID="b1" TAGREFS="BT1">
      <TextLine ID="l1" HPOS="10" VPOS="20" WIDTH="100" HEIGHT="15">
        <String CONTENT="Paris," HPOS="10" VPOS="20" WIDTH="40" HEIGHT="15"/><SP/>
        <String CONTENT="le" HPOS="55" VPOS="20" WIDTH="15" HEIGHT="15"/><SP/>
        <String CONTENT="lende" HPOS="75" VPOS="20" WIDTH="35" HEIGHT="15"/><HYP CONTENT="-"/>
      </TextLine>
      <TextLine ID="l2" HPOS="10" VPOS="40" WIDTH="60" HEIGHT="15">
        <String CONTENT="main" HPOS="10" VPOS="40" WIDTH="60" HEIGHT="15"/>
      </TextLine>
    </TextBlock></PrintSpace>
  </Page></Layout>
</alto>
"""


def test_alto_v2_word_boxes_and_hyphen(tmp_path):
    image = png(tmp_path / "images" / "p.png", (200, 100), dpi=300)
    write(tmp_path / "gt" / "p.xml", ALTO_V2)
    found = alto.discover(tmp_path, spec())
    assert [i.sample_id for i in found.items] == ["p"]
    sample = alto.load(found.items[0], spec())
    page = sample.truth.pages[0]
    assert (page.width, page.height, page.dpi) == (200, 100, 300.0)
    words = [(w.text, w.bbox.as_tuple()) for w in page.words()]
    assert words == [
        ("Paris,", (10, 20, 50, 35)),
        ("le", (55, 20, 70, 35)),
        ("lende-", (75, 20, 110, 35)),  # HYP appended to the last word
        ("main", (10, 40, 70, 55)),
    ]
    assert page.blocks[0].role == "text"  # the MainZone label
    assert sample.text == "Paris, le lende-\nmain"
    assert [line.text for line in sample.scorable_lines] == ["Paris, le lende-", "main"]
    assert page.provenance is not None and page.provenance.notes == []  # real word boxes
    assert sample.pages[0].path == image
    assert sample.split == "dev"


def test_alto_scaled_to_an_image_of_another_size(tmp_path):
    png(tmp_path / "images" / "p.png", (400, 200))
    write(tmp_path / "gt" / "p.xml", ALTO_V2)
    sample = alto.load(alto.discover(tmp_path, spec()).items[0], spec())
    first = next(sample.truth.pages[0].words())
    assert first.bbox.as_tuple() == (20, 40, 100, 70)  # every coordinate doubled
    assert any("differs from the image 400x200" in note for note in sample.notes)
    assert sample.dpi is None


# ALTO v3 in tenths of millimetres (or 1/1200 inch): the page is 10 x 5 inches.
ALTO_UNITS = """<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">
  <Description><MeasurementUnit>{unit}</MeasurementUnit></Description>
  <Layout><Page {size}><PrintSpace><TextBlock ID="b">
    <TextLine HPOS="{one}" VPOS="{one}" WIDTH="{two}" HEIGHT="{half}">
      <String CONTENT="Bonjour" HPOS="{one}" VPOS="{one}" WIDTH="{two}" HEIGHT="{half}"/>
    </TextLine>
  </TextBlock></PrintSpace></Page></Layout>
</alto>"""
ALTO_MM10 = ALTO_UNITS.format(unit="mm10", size="{size}", one=254, two=508, half=127)


@pytest.mark.parametrize(
    ("unit", "per_inch", "with_size"),
    [
        ("mm10", 254, True),
        ("mm10", 254, False),
        ("inch1200", 1200, True),
        ("inch1200", 1200, False),
    ],
)
def test_alto_units_converted_to_pixels(tmp_path, unit, per_inch, with_size):
    # 1000 px over 10 inches = 100 dpi: 1 inch = 100 px, 2 inches = 200 px, half = 50 px.
    png(tmp_path / "images" / "p.png", (1000, 500), dpi=100)
    size = f'WIDTH="{10 * per_inch}" HEIGHT="{5 * per_inch}"' if with_size else ""
    xml = ALTO_UNITS.format(
        unit=unit, size=size, one=per_inch, two=2 * per_inch, half=per_inch // 2
    )
    write(tmp_path / "gt" / "p.xml", xml)
    sample = alto.load(alto.discover(tmp_path, spec()).items[0], spec())
    word = next(sample.truth.pages[0].words())
    assert word.bbox.as_tuple() == (100, 100, 300, 150)
    assert any(unit in note for note in sample.notes)


def test_alto_strings_without_boxes_get_approximate_words(tmp_path):
    xml = ALTO_V2.replace(
        '<String CONTENT="main" HPOS="10" VPOS="40" WIDTH="60" HEIGHT="15"/>',
        '<String CONTENT="sans"/><SP/><String CONTENT="boite"/>',
    )
    png(tmp_path / "images" / "p.png", (200, 100))
    write(tmp_path / "gt" / "p.xml", xml)
    sample = alto.load(alto.discover(tmp_path, spec()).items[0], spec())
    second = list(sample.truth.pages[0].lines())[1]
    # the line box (10, 40, 70, 55) shared by "sans boite": 10 characters of 6 px each
    assert [(w.text, w.bbox.as_tuple()) for w in second.words] == [
        ("sans", (10, 40, 34, 55)),
        ("boite", (40, 40, 70, 55)),
    ]
    assert sample.truth.pages[0].provenance.notes  # approximate words are flagged


def test_alto_mm10_without_size_nor_dpi_is_an_error(tmp_path):
    image = png(tmp_path / "p.png", (1000, 500))
    gt = write(tmp_path / "p.xml", ALTO_MM10.format(size=""))
    from ocrxtract.datasets.geometry import image_info

    with pytest.raises(CorruptInputError, match="mm10"):
        alto.parse_alto(gt, image_info(image))


# eScriptorium ALTO v4: one String per line, placeholders and markup.
ALTO_V4 = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
  <Layout><Page WIDTH="300" HEIGHT="100"><PrintSpace>
    <TextBlock ID="b">
      <TextLine ID="a" HPOS="0" VPOS="0" WIDTH="130" HEIGHT="10">
        <String CONTENT="_Plan _de ~~~" HPOS="0" VPOS="0" WIDTH="130" HEIGHT="10"/></TextLine>
      <TextLine ID="b" HPOS="0" VPOS="20" WIDTH="70" HEIGHT="10">
        <String CONTENT="~~~ ~~~" HPOS="0" VPOS="20" WIDTH="70" HEIGHT="10"/></TextLine>
      <TextLine ID="c" HPOS="0" VPOS="40" WIDTH="80" HEIGHT="10">
        <String CONTENT="17^e jour" HPOS="0" VPOS="40" WIDTH="80" HEIGHT="10"/></TextLine>
      <TextLine ID="d" HPOS="0" VPOS="60" WIDTH="80" HEIGHT="10">
        <Shape><Polygon POINTS="0 60 80 60 80 70 0 70"/></Shape>
        <String CONTENT=""/></TextLine>
    </TextBlock>
  </PrintSpace></Page></Layout>
</alto>"""


def test_alto_v4_placeholders_markup_and_approximate_words(tmp_path):
    png(tmp_path / "images" / "p.jpg", (300, 100))
    write(tmp_path / "gt" / "p.xml", ALTO_V4)
    sample = alto.load(alto.discover(tmp_path, spec()).items[0], spec())
    page = sample.truth.pages[0]
    # line a keeps its words without the placeholder, line b (placeholders only) and the
    # empty line d are left out; line a is not scorable, line c is.
    assert [line.text for line in page.lines()] == ["Plan de", "17e jour"]
    assert sample.text == "Plan de\n17e jour"
    assert [(s.text, s.bbox.as_tuple()) for s in sample.scorable_lines] == [
        ("17e jour", (0, 40, 80, 50))
    ]
    # "17e jour": 8 characters over 80 px -> 10 px each; "jour" starts at character 4.
    assert [w.bbox.as_tuple() for w in list(page.lines())[1].words] == [
        (0, 40, 30, 50),
        (40, 40, 80, 50),
    ]
    assert page.provenance is not None and "approximate" in page.provenance.notes[0]
    notes = " | ".join(sample.notes)
    assert "2 line(s) hold placeholders" in notes
    assert "2 line(s) without text" in notes
    assert "markup removed: ^ _" in notes
    # Line b (placeholders only) is a zone the ground truth leaves untranscribed; line a, which
    # mixes typed words and a placeholder, and the empty line d are not.
    assert [(z.page_index, z.bbox.as_tuple()) for z in sample.untranscribed] == [
        (0, (0, 20, 70, 30))
    ]


def test_alto_without_namespace_and_not_alto(tmp_path):
    gt = write(
        tmp_path / "p.xml", ALTO_V2.replace(' xmlns="http://www.loc.gov/standards/alto/ns-v2#"', "")
    )
    blocks, width, height, _ = alto.parse_alto(gt, None)
    assert (width, height) == (200, 100)
    assert [line.text for block in blocks for line in block.lines] == ["Paris, le lende-", "main"]
    other = write(tmp_path / "q.xml", "<html/>")
    with pytest.raises(CorruptInputError, match="not <alto>"):
        alto.parse_alto(other, None)
    broken = write(tmp_path / "r.xml", "<alto><Layout>")
    with pytest.raises(CorruptInputError, match="well-formed"):
        alto.parse_alto(broken, None)


def test_alto_recursive_layout_brackets_and_orphans(tmp_path):
    # HTR-United repository layout; a name with [...] (real Tapuscorpus names have it); TIME US
    # keeps the image beside an alto/ folder; an XML without image and a non-ALTO XML.
    png(tmp_path / "data" / "set" / "a_[...]_1.jpeg", (200, 100))
    write(tmp_path / "data" / "set" / "a_[...]_1.xml", ALTO_V2)
    png(tmp_path / "data" / "tu" / "PH-1.jpg", (200, 100))
    write(tmp_path / "data" / "tu" / "alto" / "PH-1.xml", ALTO_V2)
    write(tmp_path / "data" / "set" / "lost.xml", ALTO_V2)
    write(tmp_path / "data" / "set" / "page.xml", "<PcGts/>")
    found = alto.discover(tmp_path, spec())
    assert [i.sample_id for i in found.items] == ["data/set/a_[...]_1", "data/tu/alto/PH-1"]
    assert found.skipped == [("data/set/lost", "ground truth without its image")]


def test_alto_shared_layout_reports_orphans(tmp_path):
    png(tmp_path / "images" / "x.png", (10, 10))
    png(tmp_path / "images" / "y.png", (10, 10))
    write(tmp_path / "gt" / "y.xml", ALTO_V2)
    write(tmp_path / "gt" / "z.xml", ALTO_V2)
    found = alto.discover(tmp_path, spec())
    assert [i.sample_id for i in found.items] == ["y"]
    assert found.skipped == [
        ("x", "no ground truth gt/x.xml"),
        ("z", "ground truth without its image"),
    ]


PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
  <Page imageFilename="p.jpg" imageWidth="100" imageHeight="50">
    <ReadingOrder><OrderedGroup id="g">
      <RegionRefIndexed index="0" regionRef="r2"/><RegionRefIndexed index="1" regionRef="r1"/>
    </OrderedGroup></ReadingOrder>
    <TextRegion id="r1" type="paragraph">
      <TextLine id="l1"><Coords points="10,30 40,30 40,40 10,40"/>
        <TextEquiv><Unicode>n^o 3 ¥</Unicode></TextEquiv></TextLine>
    </TextRegion>
    <TextRegion id="r2">
      <TextLine id="l2"><Coords points="5,5 60,5 60,15 5,15"/>
        <Word id="w1"><Coords points="5,5 25,5 25,15 5,15"/>
          <TextEquiv><Unicode>Bon</Unicode></TextEquiv></Word>
        <Word id="w2"><Coords points="30,6 60,6 60,14 30,14"/>
          <TextEquiv><Unicode>jour</Unicode></TextEquiv></Word>
        <TextEquiv><Unicode>Bon jour</Unicode></TextEquiv></TextLine>
    </TextRegion>
  </Page>
</PcGts>"""


def test_page_xml_reading_order_words_and_conventions(tmp_path):
    png(tmp_path / "images" / "p.jpg", (100, 50), dpi=300)
    write(tmp_path / "gt" / "p.xml", PAGE)
    s = spec("page-xml")
    sample = page_xml.load(page_xml.discover(tmp_path, s).items[0], s)
    page = sample.truth.pages[0]
    assert sample.text == "Bon jour\nno 3"  # r2 first (ReadingOrder), ^ and ¥ removed
    assert [(w.text, w.bbox.as_tuple()) for w in page.words()][:2] == [
        ("Bon", (5, 5, 25, 15)),
        ("jour", (30, 6, 60, 14)),
    ]
    assert [b.role for b in page.blocks] == ["text", "text"]  # no type, "paragraph"
    # the ¥ line (a signature placeholder) is not scorable
    assert [line.text for line in sample.scorable_lines] == ["Bon jour"]
    assert sample.dpi == 300.0


def test_page_xml_scaled_and_not_page(tmp_path):
    png(tmp_path / "images" / "p.jpg", (200, 100))
    write(tmp_path / "gt" / "p.xml", PAGE)
    s = spec("page-xml")
    sample = page_xml.load(page_xml.discover(tmp_path, s).items[0], s)
    assert next(sample.truth.pages[0].words()).bbox.as_tuple() == (10, 10, 50, 30)
    assert any("differs from the image 200x100" in note for note in sample.notes)
    with pytest.raises(CorruptInputError, match="PcGts"):
        page_xml.parse_page_xml(write(tmp_path / "x.xml", "<alto/>"), None)
