"""hOCR 1.2 export and import.

The file is polyglot XHTML5: well-formed XML in the XHTML namespace (so XML tools and our reader
parse it) that browsers also open as HTML. The ``<!DOCTYPE html>`` makes the ``data-*``
attributes below valid HTML. Text is written as UTF-8 characters (``é``, ``€``, no-break spaces)
and escaped by the serializer (``&amp;``, ``&lt;``, ``&quot;``); no HTML named entity is used,
since XML parsers without the XHTML DTD do not know them.

Mapping of the result model (``P`` is the page's position in the file from 1; ``B``, ``L``,
``W`` count blocks, lines and words from 1 within the page)::

    Document.source    <meta name="ocrxtract-source" content="...">  (exact value) and the
                       ``image "..."`` property of every ocr_page (``"`` and ``\\`` are
                       backslash-escaped inside the quotes)
    Document.metadata  <meta name="ocrxtract-metadata" content='{"key": "value"}'>  (JSON)
    Page               <div class="ocr_page" id="page_P" title="image "..."; bbox 0 0 WIDTH
                            HEIGHT; ppageno INDEX; scan_res DPI DPI">
    Page.provenance    data-ocrxtract-provenance='{"engine": ..., "engine_version": ...,
                       "options": {...}, "seconds": ..., "notes": [...]}'  (JSON, on ocr_page)
    Block              <div class="ocr_carea" id="block_P_B" title="bbox ..."
                            data-ocrxtract-role="ROLE">
    Line               <span class="ocr_line" id="line_P_L" title="bbox ...; baseline SLOPE
                             OFFSET; x_baseline_points x y x y ...; poly ...; x_wconf C">
    Word               <span class="ocrx_word" id="word_P_W" title="bbox ...; poly ...;
                             x_wconf C">TEXT</span>
    Page.regions       <div class="ocr_image" (figures) or "ocr_float" id="region_P_R"
                            title="bbox ...; poly ...; x_wconf C" data-ocrxtract-role="ROLE">
    Page.tables        <table class="ocr_table" id="table_P_T" title="bbox ..."
                              data-ocrxtract-table='{the table as JSON}'> with one <tr> per
                       row and a <td> (<th> for header cells) per cell, spans as
                       rowspan/colspan: readable in a browser, read back from the JSON
    Document.fields    <meta name="ocrxtract-fields" content='[{the fields as JSON}]'>

``scan_res`` is left out when the dpi is unknown, ``poly`` when there is no polygon, the two
baseline properties when the line has no baseline, and
``x_wconf`` when the confidence is ``None``. ``x_wconf`` is a percentage written with at most two
decimals (``round(confidence * 100, 2)``) and read back as ``round(value / 100, 4)``, which gives
back exactly the model's 4-decimal confidence. hOCR has no fields for the block role, the
provenance, the document metadata, a table's cells or key fields: they go into the
``data-ocrxtract-*`` attributes and ``ocrxtract-*`` metas above, which hOCR tools ignore.

The reader also takes hOCR from other producers (Tesseract...) when it is well-formed XML: lines
are ``ocr_line`` and the other line classes Tesseract writes (``ocr_header``, ``ocr_caption``,
``ocr_textfloat``...), words are ``ocrx_word`` (their text is the word's whole text content),
blocks are ``ocr_carea`` (a page without any becomes one block). Lines without words and words
without text are skipped; a missing block or line box is the union of its children's boxes.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from ocrxtract import __version__
from ocrxtract.document import (
    BBox,
    Block,
    Document,
    KeyField,
    Line,
    Page,
    Point,
    Provenance,
    Region,
    Table,
    Word,
    block_role,
)
from ocrxtract.export._xml import (
    Element,
    context,
    json_text,
    number_text,
    parse_points,
    points_text,
    read_xml_document,
    serialize,
    where,
    xml_text,
)

log = logging.getLogger(__name__)

XHTML_NS = "http://www.w3.org/1999/xhtml"
DOCTYPE = "<!DOCTYPE html>"
#: Everything this writer can produce (hOCR requires the list, even for absent features).
CAPABILITIES = (
    "ocr_page ocr_carea ocr_line ocrx_word ocr_float ocr_image ocr_table ocrp_wconf ocrp_poly"
)
#: Classes read as text lines (Tesseract writes the last four for some lines).
LINE_CLASSES = frozenset(
    {"ocr_line", "ocrx_line", "ocr_header", "ocr_footer", "ocr_caption", "ocr_textfloat"}
)
SOURCE_META = "ocrxtract-source"
METADATA_META = "ocrxtract-metadata"
FIELDS_META = "ocrxtract-fields"
PROVENANCE_ATTR = "data-ocrxtract-provenance"
ROLE_ATTR = "data-ocrxtract-role"
#: The line's whole baseline polyline (hOCR's own ``baseline`` keeps a straight line only).
BASELINE_POINTS = "x_baseline_points"
#: Written by earlier versions for the block's open "kind" (read as a role).
KIND_ATTR = "data-ocrxtract-kind"
TABLE_ATTR = "data-ocrxtract-table"
#: Classes of region elements (role in ROLE_ATTR).
REGION_CLASSES = frozenset({"ocr_image", "ocr_float"})
_FMT = "hOCR"

# A title is "name value value; name "quoted \" value"; ...".
_TITLE_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(;)|([^\s;"]+)')
_UNESCAPE = re.compile(r'\\(["\\])')


# --- writing ------------------------------------------------------------------------------


def _tag(name: str) -> str:
    return f"{{{XHTML_NS}}}{name}"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wconf_text(confidence: float) -> str:
    return number_text(round(confidence * 100, 2))


def _title(
    bbox: BBox,
    polygon: list[Point] | None,
    confidence: float | None,
    baseline: list[Point] | None = None,
) -> str:
    props = [f"bbox {bbox.x0} {bbox.y0} {bbox.x1} {bbox.y1}"]
    if baseline is not None:
        props.append(f"baseline {_baseline_text(bbox, baseline)}")
        props.append(f"{BASELINE_POINTS} {points_text(baseline)}")
    if polygon is not None:
        props.append(f"poly {points_text(polygon)}")
    if confidence is not None:
        props.append(f"x_wconf {_wconf_text(confidence)}")
    return "; ".join(props)


def _baseline_text(bbox: BBox, baseline: list[Point]) -> str:
    """hOCR's ``baseline`` (slope, then offset from the box's bottom left) through the first and
    last points of the polyline."""
    (x0, y0), (x1, y1) = baseline[0], baseline[-1]
    slope = (y1 - y0) / (x1 - x0) if x1 != x0 else 0.0
    offset = (y0 - bbox.y1) - slope * (x0 - bbox.x0)
    return f"{number_text(round(slope, 4))} {number_text(round(offset, 2))}"


def _meta(head: Element, name: str, content: str) -> None:
    etree.SubElement(head, _tag("meta"), {"name": name, "content": content})


def _write_page(body: Element, page: Page, number: int, source: str | None) -> None:
    props = []
    if source is not None:
        props.append(f"image {_quote(source)}")
    props.append(f"bbox 0 0 {page.width} {page.height}")
    props.append(f"ppageno {page.index}")
    if page.dpi is not None:
        dpi = number_text(page.dpi)
        props.append(f"scan_res {dpi} {dpi}")
    page_el = etree.SubElement(
        body, _tag("div"), {"class": "ocr_page", "id": f"page_{number}", "title": "; ".join(props)}
    )
    if page.provenance is not None:
        page_el.set(
            PROVENANCE_ATTR,
            json_text(
                page.provenance.model_dump(mode="json"), f"page {page.index} provenance", _FMT
            ),
        )
    line_no = word_no = 0
    for block_no, block in enumerate(page.blocks, start=1):
        block_el = etree.SubElement(
            page_el,
            _tag("div"),
            {
                "class": "ocr_carea",
                "id": f"block_{number}_{block_no}",
                "title": _title(block.bbox, None, None),
                ROLE_ATTR: block.role,
            },
        )
        for line in block.lines:
            line_no += 1
            line_el = etree.SubElement(
                block_el,
                _tag("span"),
                {
                    "class": "ocr_line",
                    "id": f"line_{number}_{line_no}",
                    "title": _title(line.bbox, line.polygon, line.confidence, line.baseline),
                },
            )
            for word in line.words:
                word_no += 1
                word_el = etree.SubElement(
                    line_el,
                    _tag("span"),
                    {
                        "class": "ocrx_word",
                        "id": f"word_{number}_{word_no}",
                        "title": _title(word.bbox, word.polygon, word.confidence),
                    },
                )
                word_el.text = xml_text(word.text, f"page {page.index} word {word.text!r}", _FMT)
    for region_no, region in enumerate(page.regions, start=1):
        etree.SubElement(
            page_el,
            _tag("div"),
            {
                "class": "ocr_image" if region.role == "figure" else "ocr_float",
                "id": f"region_{number}_{region_no}",
                "title": _title(region.bbox, region.polygon, region.confidence),
                ROLE_ATTR: region.role,
            },
        )
    for table_no, table in enumerate(page.tables, start=1):
        _write_table(page_el, page, table, f"table_{number}_{table_no}")


def _write_table(page_el: Element, page: Page, table: Table, table_id: str) -> None:
    attributes = {
        "class": "ocr_table",
        "id": table_id,
        TABLE_ATTR: json_text(table.model_dump(mode="json"), f"page {page.index} table", _FMT),
    }
    if table.bbox is not None:
        attributes["title"] = _title(table.bbox, None, None)
    table_el = etree.SubElement(page_el, _tag("table"), attributes)
    rows: dict[int, list[Any]] = {}
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(cell)
    for row in sorted(rows):
        row_el = etree.SubElement(table_el, _tag("tr"))
        for cell in rows[row]:
            cell_el = etree.SubElement(row_el, _tag("th" if cell.header else "td"))
            if cell.row_span > 1:
                cell_el.set("rowspan", str(cell.row_span))
            if cell.col_span > 1:
                cell_el.set("colspan", str(cell.col_span))
            cell_el.text = xml_text(cell.text, f"page {page.index} cell text", _FMT)


def to_hocr(doc: Document) -> str:
    """Write ``doc`` as hOCR 1.2; :func:`from_hocr` reads it back into an equal document.

    Args:
        doc: The document to export.

    Returns:
        The hOCR text, starting with an XML declaration: write it encoded as UTF-8.

    Raises:
        ExportError: some text holds a character XML cannot carry (a control character).
    """
    html = etree.Element(_tag("html"), nsmap={None: XHTML_NS})
    head = etree.SubElement(html, _tag("head"))
    title = etree.SubElement(head, _tag("title"))
    title.text = xml_text(doc.source or "", "the source", _FMT)
    etree.SubElement(
        head,
        _tag("meta"),
        {"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"},
    )
    _meta(head, "ocr-system", f"ocrxtract {__version__}")
    _meta(head, "ocr-capabilities", CAPABILITIES)
    _meta(head, "ocr-number-of-pages", str(len(doc.pages)))
    if doc.source is not None:
        _meta(head, SOURCE_META, doc.source)
    if doc.metadata:
        _meta(head, METADATA_META, json_text(doc.metadata, "the metadata", _FMT))
    if doc.fields:
        fields = [field.model_dump(mode="json") for field in doc.fields]
        _meta(head, FIELDS_META, json_text(fields, "the fields", _FMT))
    body = etree.SubElement(html, _tag("body"))
    for number, page in enumerate(doc.pages, start=1):
        _write_page(body, page, number, doc.source)
    # For an HTML parser an empty <div/> or <title/> opens an element that never closes.
    for element in html.iter():
        if element.text is None and len(element) == 0 and element.tag != _tag("meta"):
            element.text = ""
    return serialize(html, DOCTYPE)


# --- reading ------------------------------------------------------------------------------


def parse_title(title: str) -> dict[str, list[str]]:
    """Split an hOCR ``title`` into properties.

    ``'bbox 1 2 3 4; image "a;b.png"'`` gives ``{"bbox": ["1", "2", "3", "4"], "image":
    ["a;b.png"]}``. Quoted values may hold ``;`` and backslash-escaped ``"`` and ``\\``. When a
    property appears twice, the first one counts.
    """
    props: dict[str, list[str]] = {}
    if '"' not in title:  # fast path: most titles have no quoted value
        for part in title.split(";"):
            tokens = part.split()
            if tokens:
                props.setdefault(tokens[0], tokens[1:])
        return props
    current: list[str] = []
    for match in _TITLE_TOKEN.finditer(title):
        quoted, semicolon, bare = match.groups()
        if semicolon:
            if current:
                props.setdefault(current[0], current[1:])
            current = []
        elif quoted is not None:
            current.append(_UNESCAPE.sub(r"\1", quoted))
        else:
            current.append(bare)
    if current:
        props.setdefault(current[0], current[1:])
    return props


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _bbox(props: dict[str, list[str]]) -> BBox | None:
    values = props.get("bbox")
    if values is None:
        return None
    if len(values) != 4:
        raise ValueError(f"bbox needs 4 numbers, got {' '.join(values)!r}")
    x0, y0, x1, y1 = (round(float(v)) for v in values)
    return BBox(x0=x0, y0=y0, x1=x1, y1=y1)


def _confidence(props: dict[str, list[str]]) -> float | None:
    values = props.get("x_wconf")
    if not values:
        return None
    return round(float(values[0]) / 100, 4)


def _polygon(props: dict[str, list[str]]) -> list[Point] | None:
    values = props.get("poly")
    if values is None:
        return None
    return parse_points(" ".join(values))


def _baseline(props: dict[str, list[str]]) -> list[Point] | None:
    values = props.get(BASELINE_POINTS)
    if values is None:
        return None
    return parse_points(" ".join(values))


def _read_word(element: Element) -> Word | None:
    text = "".join(element.itertext()).strip()
    if not text:
        log.debug("skipping %s: no text", where(element, "word"))
        return None
    with context(where(element, "word")):
        props = parse_title(element.get("title") or "")
        bbox = _bbox(props)
        if bbox is None:
            raise ValueError("no bbox in its title")
        return Word(text=text, bbox=bbox, confidence=_confidence(props), polygon=_polygon(props))


def _read_line(element: Element) -> Line | None:
    with context(where(element, "line")):
        words = [
            word
            for word in (
                _read_word(el) for el in element.iter(etree.Element) if "ocrx_word" in _classes(el)
            )
            if word is not None
        ]
        if not words:
            log.debug("skipping %s: no words", where(element, "line"))
            return None
        props = parse_title(element.get("title") or "")
        bbox = _bbox(props) or BBox.union([word.bbox for word in words])
        return Line(
            words=words,
            bbox=bbox,
            confidence=_confidence(props),
            polygon=_polygon(props),
            baseline=_baseline(props),
        )


def _read_block(element: Element, is_area: bool) -> Block | None:
    with context(where(element, "block")):
        lines = [
            line
            for line in (
                _read_line(el) for el in element.iter(etree.Element) if _classes(el) & LINE_CLASSES
            )
            if line is not None
        ]
        if not lines:
            return None
        bbox = _bbox(parse_title(element.get("title") or "")) if is_area else None
        label = (element.get(ROLE_ATTR) or element.get(KIND_ATTR)) if is_area else None
        return Block(
            lines=lines,
            bbox=bbox or BBox.union([line.bbox for line in lines]),
            role=block_role(label),
        )


def _read_region(element: Element) -> Region:
    with context(where(element, "region")):
        props = parse_title(element.get("title") or "")
        bbox = _bbox(props)
        if bbox is None:
            raise ValueError("no bbox in its title")
        return Region(
            role=block_role(element.get(ROLE_ATTR)),
            bbox=bbox,
            polygon=_polygon(props),
            confidence=_confidence(props),
        )


def _read_table(element: Element) -> Table:
    with context(where(element, "table")):
        return Table.model_validate_json(element.get(TABLE_ATTR) or "{}")


def _read_page(element: Element, position: int) -> Page:
    with context(where(element, "page")):
        props = parse_title(element.get("title") or "")
        bbox = _bbox(props)
        if bbox is None:
            raise ValueError("no bbox in its title (the page size is unknown)")
        index = int(props["ppageno"][0]) if props.get("ppageno") else position
        dpi = float(props["scan_res"][0]) if props.get("scan_res") else None
        raw_provenance = element.get(PROVENANCE_ATTR)
        provenance = (
            None if raw_provenance is None else Provenance.model_validate_json(raw_provenance)
        )
        areas = [el for el in element.iter(etree.Element) if "ocr_carea" in _classes(el)]
        blocks = (
            [_read_block(area, is_area=True) for area in areas]
            if areas
            else [_read_block(element, is_area=False)]
        )
        elements = list(element.iter(etree.Element))
        return Page(
            index=index,
            width=bbox.width,
            height=bbox.height,
            dpi=dpi,
            blocks=[block for block in blocks if block is not None],
            tables=[_read_table(el) for el in elements if el.get(TABLE_ATTR) is not None],
            regions=[
                _read_region(el)
                for el in elements
                if _classes(el) & REGION_CLASSES and el.get(ROLE_ATTR) is not None
            ],
            provenance=provenance,
        )


def _read_document(root: Element) -> Document:
    metas: dict[str, str] = {}
    for el in root.iter(_tag("meta"), "meta"):
        name, content = el.get("name"), el.get("content")
        if name is not None and content is not None:
            metas.setdefault(name, content)
    page_elements = [el for el in root.iter(etree.Element) if "ocr_page" in _classes(el)]
    if not page_elements and "ocr-system" not in metas:
        raise ValueError("no ocr_page element and no ocr-system meta: this is not hOCR")
    pages = [_read_page(el, position) for position, el in enumerate(page_elements)]
    source = metas.get(SOURCE_META)
    if source is None and page_elements:
        image = parse_title(page_elements[0].get("title") or "").get("image")
        source = image[0] if image else None
    metadata = json.loads(metas[METADATA_META]) if METADATA_META in metas else {}
    fields = json.loads(metas[FIELDS_META]) if FIELDS_META in metas else []
    return Document(
        source=source,
        pages=pages,
        metadata=metadata,
        fields=[KeyField.model_validate(field) for field in fields],
    )


def from_hocr(data: str | bytes, *, name: str | None = None) -> Document:
    """Read hOCR (ours or another producer's, as long as it is well-formed XML).

    Args:
        data: The hOCR text, or its bytes (their XML declaration gives the encoding).
        name: Name of the input (usually its file name) for error messages.

    Raises:
        ExportParseError: the input is not well-formed XML, not hOCR, or holds a value that
            does not fit the result model (the message names the element).
    """
    return read_xml_document(
        data, name or "hOCR input", kind="hOCR", root_name="html", read=_read_document
    )
