"""Lossless round trips: read_document(export_document(doc, fmt), fmt) == doc for json/hocr/alto."""

from __future__ import annotations

import pytest

from ocrxtract.document import (
    ROLES,
    BBox,
    Block,
    Document,
    KeyField,
    Line,
    Page,
    Provenance,
    Region,
    Table,
    TableCell,
    Word,
    block_from_lines,
    line_from_words,
)
from ocrxtract.errors import OcrxtractError
from ocrxtract.export import export_document, read_document

LOSSLESS = ("json", "hocr", "alto")


def word(text: str, x0: int, y0: int, x1: int, y1: int, **kwargs: object) -> Word:
    return Word(text=text, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1), **kwargs)  # type: ignore[arg-type]


def rich_document() -> Document:
    """Three pages of French text with every field of the model set at least once."""
    invoice = block_from_lines(
        [
            line_from_words(
                [
                    word("Facture", 100, 100, 300, 140, confidence=0.9876),
                    word("n°", 310, 100, 350, 140, confidence=0.5),
                    word("2024-001", 360, 100, 560, 140),
                ],
                confidence=0.9,
            ),
            line_from_words(
                [
                    word("Total", 100, 200, 220, 240, confidence=0.0001),
                    word("TTC", 230, 200, 310, 240, confidence=1.0),
                    word(":", 315, 200, 320, 240, confidence=0.0),
                    word(
                        "1 234,56 €",
                        900,
                        198,
                        1100,
                        244,
                        confidence=0.8765,
                        polygon=[(900, 200), (1100, 198), (1100, 242), (900, 244)],
                    ),
                    word("1\u202f234,56\u00a0€", 1200, 200, 1400, 240, confidence=0.12),
                ]
            ),
        ]
    )
    party = Block(
        role="table",
        bbox=BBox(x0=90, y0=290, x1=1500, y1=360),
        lines=[
            Line(
                bbox=BBox(x0=100, y0=300, x1=1400, y1=350),
                polygon=[(100, 302), (1400, 300), (1400, 348), (100, 350)],
                baseline=[(100, 340), (700, 338), (1400, 341)],
                words=[
                    word("Société", 100, 300, 300, 350, confidence=0.4321),
                    word('"Dupont', 310, 300, 500, 350),
                    word("&", 510, 300, 530, 350, confidence=0.99),
                    word("Fils\"'", 540, 300, 700, 350),
                    word("<SARL>", 710, 300, 900, 350, confidence=0.25),
                ],
            )
        ],
    )
    page_one = Page(
        index=0,
        width=2480,
        height=3508,
        dpi=300.0,
        blocks=[invoice, party],
        provenance=Provenance(
            engine="tesseract",
            engine_version="5.3.0",
            options={"languages": ["fra"], "psm": 3, "nested": {"a": [1, 2.5, None, True]}},
            seconds=1.2345678901,
            notes=["redressement de 0,5°", "page «recto»"],
            steps=["reading-order:xycut-1"],
        ),
        tables=[
            Table(
                page_index=0,
                table_id="t1",
                bbox=BBox(x0=90, y0=290, x1=1500, y1=360),
                cells=[
                    TableCell(row=0, col=0, col_span=2, text="Société «Dupont»", header=True),
                    TableCell(
                        row=1,
                        col=0,
                        row_span=2,
                        text="1 234,56 €",
                        bbox=BBox(x0=900, y0=198, x1=1100, y1=244),
                        words=[word("1 234,56 €", 900, 198, 1100, 244, confidence=0.8765)],
                    ),
                    TableCell(row=1, col=1, text=""),
                ],
                html="<html><body><table><tr><td>x</td></tr></table></body></html>",
                continued=True,
                repeated_header_rows=1,
            ),
            Table(page_index=0),  # only the region is known
        ],
        regions=[
            Region(role="figure", bbox=BBox(x0=0, y0=0, x1=50, y1=60), confidence=0.75),
            Region(
                role="page_number",
                bbox=BBox(x0=1200, y0=3400, x1=1260, y1=3450),
                polygon=[(1200, 3400), (1260, 3400), (1260, 3450)],
            ),
        ],
    )
    page_two = Page(
        index=2,
        width=1240,
        height=1754,
        dpi=None,
        blocks=[
            block_from_lines(
                [
                    line_from_words(
                        [
                            word("Ça", 10, 10, 50, 30, confidence=0.0),
                            word("coûte", 60, 10, 140, 30, confidence=1.0),
                            word("l'été", 150, 10, 220, 30),
                            word("Œuvre", 230, 10, 330, 30, confidence=0.3333),
                        ]
                    ),
                    line_from_words([word("àéèêëîïôùûüÿç", 10, 40, 400, 60, confidence=0.7)]),
                ],
                role="header",
            )
        ],
        regions=[Region(role="margin_note", bbox=BBox(x0=1, y0=2, x1=3, y1=4))],
    )
    page_three = Page(
        index=3,
        width=100,
        height=50,
        dpi=72.5,
        provenance=Provenance(engine="null", engine_version=""),
    )
    return Document(
        source='scans/facture d\'été & co; "n°1".pdf',
        pages=[page_one, page_two, page_three],
        metadata={"client": "Dupont & Fils <SARL>", "titre": "Facture « été »", "vide": ""},
        fields=[
            KeyField(
                name="total_ttc",
                value="1234.56",
                text="1 234,56 €",
                page=0,
                boxes=[BBox(x0=900, y0=198, x1=1100, y1=244)],
                confidence=0.9123,
                valid=False,
                checks={"ht_plus_tva": False, "format": True},
            ),
            KeyField(name="vendeur", text="Dupont & Fils <SARL>"),
        ],
    )


DOCUMENTS = {
    "empty document": Document(),
    "page without blocks": Document(pages=[Page(index=0, width=10, height=20)]),
    "rich French document": rich_document(),
}


@pytest.mark.parametrize("fmt", LOSSLESS)
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_round_trip_is_lossless(name: str, fmt: str) -> None:
    doc = DOCUMENTS[name]
    text = export_document(doc, fmt)
    assert read_document(text, fmt) == doc
    # The same from the bytes a file holds (the XML declaration says UTF-8).
    assert read_document(text.encode("utf-8"), fmt) == doc


def test_rich_document_really_has_what_the_round_trip_claims() -> None:
    """Guard: the fixture exercises None and set values of every optional field."""
    doc = rich_document()
    words = [w for page in doc.pages for w in page.words()]
    lines = [line for page in doc.pages for line in page.lines()]
    assert {w.confidence is None for w in words} == {True, False}
    assert {w.polygon is None for w in words} == {True, False}
    assert {line.confidence is None for line in lines} == {True, False}
    assert {line.polygon is None for line in lines} == {True, False}
    assert {line.baseline is None for line in lines} == {True, False}
    assert {page.dpi is None for page in doc.pages} == {True, False}
    assert {page.provenance is None for page in doc.pages} == {True, False}
    assert {block.role for page in doc.pages for block in page.blocks} == {
        "text",
        "table",
        "header",
    }
    assert {len(page.tables) for page in doc.pages} == {0, 2}
    assert {len(page.regions) for page in doc.pages} == {0, 1, 2}
    assert {f.valid for f in doc.fields} == {None, False}


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_every_role_survives(fmt: str) -> None:
    blocks = [
        block_from_lines([line_from_words([word(role, 10 * i, 0, 10 * i + 8, 9)])], role=role)
        for i, role in enumerate(ROLES)
    ]
    regions = [Region(role=role, bbox=BBox(x0=i, y0=i, x1=i + 5, y1=i + 5)) for i, role in
               enumerate(ROLES)]  # fmt: skip
    doc = Document(pages=[Page(index=0, width=500, height=50, blocks=blocks, regions=regions)])
    assert read_document(export_document(doc, fmt), fmt) == doc


def test_older_results_with_a_block_kind_are_read_with_a_role() -> None:
    old = Document(pages=[Page(index=0, width=10, height=10, blocks=[block_from_lines(
        [line_from_words([word("x", 0, 0, 5, 5)])])])]).model_dump(mode="json")  # fmt: skip
    block = old["pages"][0]["blocks"][0]
    block.pop("role")
    block["kind"] = "MarginTextZone"
    assert Document.model_validate(old).pages[0].blocks[0].role == "margin_note"


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_every_four_decimal_confidence_survives(fmt: str) -> None:
    # 0.0000, 0.0001, ..., 1.0000: hOCR writes round(c * 100, 2), reads round(v / 100, 4).
    confidences = [i / 10_000 for i in range(10_001)]
    words = [
        word(f"w{i}", 10 * i, 0, 10 * i + 8, 10, confidence=c) for i, c in enumerate(confidences)
    ]
    doc = Document(
        pages=[Page(index=0, width=200_000, height=20, blocks=[block_from_lines([Line(
            words=words, bbox=BBox.union([w.bbox for w in words]), confidence=0.1235
        )])])]
    )  # fmt: skip
    back = read_document(export_document(doc, fmt), fmt)
    assert [w.confidence for w in back.pages[0].words()] == confidences
    assert back == doc


@pytest.mark.parametrize("fmt", LOSSLESS)
@pytest.mark.parametrize(
    "text",
    [
        "a\tb",  # inner tab
        "a\nb",  # inner line feed
        "a\r\nb",  # carriage return: XML parsers normalise a literal one away
        "x;y\"z'\\w",  # hOCR title separators and escapes
        "&amp;",  # already looks escaped
        "]]>",  # ends a CDATA section
        "é\u00a0\u202f€\U0001f600",  # inner no-break spaces, non-BMP emoji
    ],
)
def test_awkward_text_survives(fmt: str, text: str) -> None:
    doc = Document(
        source=text,
        metadata={text: text},
        fields=[KeyField(name=text, value=text, text=text)],
        pages=[
            Page(
                index=0,
                width=50,
                height=50,
                blocks=[block_from_lines([line_from_words([word(text, 1, 1, 9, 9)])])],
                provenance=Provenance(engine=text, engine_version=text, notes=[text]),
            )
        ],
    )
    assert read_document(export_document(doc, fmt), fmt) == doc


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_empty_strings_and_repeated_page_indexes_survive(fmt: str) -> None:
    doc = Document(
        source="",
        metadata={"": ""},
        pages=[
            Page(index=1, width=5, height=5, dpi=1e-3),
            Page(
                index=1,
                width=5,
                height=5,
                dpi=123.456789,
                blocks=[block_from_lines([line_from_words([word("x", 0, 0, 5, 5)])])],
            ),
        ],
    )
    assert read_document(export_document(doc, fmt), fmt) == doc


@pytest.mark.parametrize("fmt", ["hocr", "alto"])
def test_text_that_xml_cannot_hold_is_refused_with_the_fix(fmt: str) -> None:
    doc = Document(
        pages=[
            Page(
                index=0,
                width=10,
                height=10,
                blocks=[block_from_lines([line_from_words([word("a\x01b", 0, 0, 5, 5)])])],
            )
        ]
    )
    with pytest.raises(OcrxtractError, match=r"U\+0001.*json"):
        export_document(doc, fmt)
    assert read_document(export_document(doc, "json"), "json") == doc


def test_hocr_baseline_is_also_written_as_hocr_s_slope_and_offset() -> None:
    line = Line(
        words=[word("abc", 100, 300, 300, 350)],
        bbox=BBox(x0=100, y0=300, x1=300, y1=350),
        baseline=[(100, 340), (200, 345), (300, 350)],
    )
    doc = Document(pages=[Page(index=0, width=400, height=400, blocks=[block_from_lines([line])])])
    text = export_document(doc, "hocr")
    assert "baseline 0.05 -10;" in text  # through (100, 340) and (300, 350): y1 is 350
    assert "x_baseline_points 100 340 200 345 300 350" in text


def test_alto_before_4_2_baseline_number_is_not_a_polyline() -> None:
    alto = export_document(DOCUMENTS["rich French document"], "alto")
    old = alto.replace('BASELINE="100 340 700 338 1400 341"', 'BASELINE="340"')
    assert old != alto
    lines = [ln for page in read_document(old, "alto").pages for ln in page.lines()]
    assert all(line.baseline is None for line in lines)


def test_a_baseline_needs_two_points() -> None:
    with pytest.raises(ValueError, match="2 points"):
        Line(words=[word("a", 0, 0, 5, 5)], bbox=BBox(x0=0, y0=0, x1=5, y1=5), baseline=[(0, 4)])
