"""ALTO v4 export and import.

The file follows ALTO 4.2 (namespace ``http://www.loc.gov/standards/alto/ns-v4#``,
``MeasurementUnit`` ``pixel``, boxes as ``HPOS``/``VPOS``/``WIDTH``/``HEIGHT`` with
``HPOS = x0``, ``WIDTH = x1 - x0``). Mapping of the result model (``P`` is the page's position
in the file from 1; ``B``, ``L``, ``W`` count blocks, lines and words from 1 within the page)::

    Document.source    Description/sourceImageInformation/fileName
    Document.metadata  Tags/OtherTag TYPE="ocrxtract metadata" LABEL="KEY" DESCRIPTION="VALUE"
    Page               Layout/Page ID="page_P" PHYSICAL_IMG_NR="INDEX" WIDTH HEIGHT
                       (0-based like Tesseract and eScriptorium), with one PrintSpace covering
                       the page
    Block              TextBlock ID="block_P_B" + box, TAGREFS to
                       Tags/OtherTag TYPE="block type" LABEL="ROLE"
    Page.regions       Illustration (role figure) or GraphicalElement ID="region_P_R" + box,
                       Shape/Polygon, TAGREFS to the role's tag
    Page.tables        ComposedBlock ID="table_P_T" TYPE="table" + box (the page's box when
                       the table has none); its cells in the page's settings (below)
    Document.fields    Tags/OtherTag TYPE="ocrxtract field" ID="field_N" LABEL="NAME"
                       DESCRIPTION="{the field as JSON}"
    Line               TextLine ID="line_P_L" + box, BASELINE="x y x y ..." (when known),
                       Shape/Polygon POINTS="x y x y ..."
    Word               String ID="string_P_W" CONTENT="TEXT" WC="CONFIDENCE" + box,
                       Shape/Polygon; an SP element between two words
    Page.provenance    Description/Processing ID="processing_P" (referenced by the Page's
                       PROCESSING attribute) with processingSoftware/softwareName = engine and
                       softwareVersion = engine version

ALTO has no field for the page resolution, the line and region confidences (``WC`` exists on
``String`` only), the rest of the provenance nor a table's cells. They go, as JSON, into the
page's ``Processing/processingStepSettings`` (a free-text field meant for "any setting of the
processing application")::

    {"ocrxtract": 1, "dpi": 300.0,
     "provenance": {"options": {...}, "seconds": 1.25, "notes": [...], "steps": [...]} or null,
     "line_confidences": {"line_1_3": 0.9},
     "region_confidences": {"region_1_2": 0.8},
     "tables": {"table_1_1": {"cells": [...], ...}}}

The ``Processing`` element is written only when the page has one of these. ALTO 4 deprecates
``OCRProcessing`` in favour of ``Processing``, so the writer uses ``Processing``; the reader takes
both (``OCRProcessing/ocrProcessingStep``, as Tesseract writes it). ``WC`` is the model's
confidence as is (4 decimals). One deviation from the schema: a document without pages gives an
empty ``Layout`` (the schema wants at least one ``Page``).

The reader also takes ALTO from other producers (v2, v3 or v4 namespace): every ``TextBlock`` of
a ``Page`` (also inside ``ComposedBlock`` or margins), the block role comes from the ``LABEL``
of the first tag its ``TAGREFS`` name (SegmOnto zones and other labels mapped by
:func:`~ocrxtract.document.block_role`), ``Illustration`` elements are figure regions,
fractional coordinates are rounded outwards, ``String`` contents are stripped and empty ones
skipped, lines and blocks without words are skipped. Only pixel units are read.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

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

ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
BLOCK_TAG_TYPE = "block type"
METADATA_TAG_TYPE = "ocrxtract metadata"
FIELD_TAG_TYPE = "ocrxtract field"
#: Keys of the provenance kept in the settings JSON (engine and version have elements).
_PROVENANCE_KEYS = {"options", "seconds", "notes", "steps"}
#: Marks a processingStepSettings JSON written by ocrxtract (the value is its layout version).
SETTINGS_MARK = "ocrxtract"
_FMT = "ALTO"


# --- writing ------------------------------------------------------------------------------


def _sub(parent: Element, name: str, **attributes: str) -> Element:
    return etree.SubElement(parent, f"{{{ALTO_NS}}}{name}", attributes)


def _box(bbox: BBox) -> dict[str, str]:
    return {
        "HPOS": str(bbox.x0),
        "VPOS": str(bbox.y0),
        "WIDTH": str(bbox.width),
        "HEIGHT": str(bbox.height),
    }


def _shape(parent: Element, polygon: list[Point] | None) -> None:
    if polygon is not None:
        _sub(_sub(parent, "Shape"), "Polygon", POINTS=points_text(polygon))


def _write_line(line_el: Element, words: list[Word], page: Page, number: int, word_no: int) -> int:
    """Write a line's words as String elements separated by SP; return the last word number."""
    previous: Word | None = None
    for word in words:
        if previous is not None:
            gap = word.bbox.x0 - previous.bbox.x1
            if gap >= 0:
                _sub(
                    line_el,
                    "SP",
                    HPOS=str(previous.bbox.x1),
                    VPOS=str(min(previous.bbox.y0, word.bbox.y0)),
                    WIDTH=str(gap),
                )
            else:
                _sub(line_el, "SP")
        word_no += 1
        string_el = _sub(
            line_el,
            "String",
            ID=f"string_{number}_{word_no}",
            **_box(word.bbox),
            CONTENT=xml_text(word.text, f"page {page.index} word {word.text!r}", _FMT),
        )
        if word.confidence is not None:
            string_el.set("WC", number_text(word.confidence))
        _shape(string_el, word.polygon)
        previous = word
    return word_no


def _role_tag(roles: dict[str, str], role: str) -> str:
    if role not in roles:
        roles[role] = f"blocktype_{len(roles) + 1}"
    return roles[role]


def _write_regions(
    space: Element, page: Page, number: int, roles: dict[str, str]
) -> dict[str, float]:
    confidences: dict[str, float] = {}
    for region_no, region in enumerate(page.regions, start=1):
        region_id = f"region_{number}_{region_no}"
        element = _sub(
            space,
            "Illustration" if region.role == "figure" else "GraphicalElement",
            ID=region_id,
            **_box(region.bbox),
            TAGREFS=_role_tag(roles, region.role),
        )
        _shape(element, region.polygon)
        if region.confidence is not None:
            confidences[region_id] = region.confidence
    return confidences


def _write_tables(space: Element, page: Page, number: int) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table_no, table in enumerate(page.tables, start=1):
        table_id = f"table_{number}_{table_no}"
        box = table.bbox or BBox(x0=0, y0=0, x1=page.width, y1=page.height)
        _sub(space, "ComposedBlock", ID=table_id, TYPE="table", **_box(box))
        tables[table_id] = table.model_dump(mode="json")
    return tables


def _write_page(
    layout: Element, description: Element, page: Page, number: int, roles: dict[str, str]
) -> None:
    page_el = _sub(
        layout,
        "Page",
        ID=f"page_{number}",
        PHYSICAL_IMG_NR=str(page.index),
        WIDTH=str(page.width),
        HEIGHT=str(page.height),
    )
    space = _sub(page_el, "PrintSpace", **_box(BBox(x0=0, y0=0, x1=page.width, y1=page.height)))
    line_confidences: dict[str, float] = {}
    line_no = word_no = 0
    for block_no, block in enumerate(page.blocks, start=1):
        block_el = _sub(
            space,
            "TextBlock",
            ID=f"block_{number}_{block_no}",
            **_box(block.bbox),
            TAGREFS=_role_tag(roles, block.role),
        )
        for line in block.lines:
            line_no += 1
            line_id = f"line_{number}_{line_no}"
            line_el = _sub(block_el, "TextLine", ID=line_id, **_box(line.bbox))
            if line.baseline is not None:
                line_el.set("BASELINE", points_text(line.baseline))
            _shape(line_el, line.polygon)
            if line.confidence is not None:
                line_confidences[line_id] = line.confidence
            word_no = _write_line(line_el, line.words, page, number, word_no)
    region_confidences = _write_regions(space, page, number, roles)
    tables = _write_tables(space, page, number)

    if (
        page.dpi is None
        and page.provenance is None
        and not line_confidences
        and not region_confidences
        and not tables
    ):
        return
    processing_id = f"processing_{number}"
    processing = _sub(description, "Processing", ID=processing_id)
    _sub(processing, "processingCategory").text = "contentGeneration"
    provenance = page.provenance
    settings: dict[str, Any] = {
        SETTINGS_MARK: 1,
        "dpi": page.dpi,
        "provenance": None
        if provenance is None
        else provenance.model_dump(mode="json", include=_PROVENANCE_KEYS),
        "line_confidences": line_confidences,
    }
    if region_confidences:
        settings["region_confidences"] = region_confidences
    if tables:
        settings["tables"] = tables
    _sub(processing, "processingStepSettings").text = json_text(
        settings, f"page {page.index} provenance", _FMT
    )
    if provenance is not None:
        software = _sub(processing, "processingSoftware")
        what = f"page {page.index} engine"
        _sub(software, "softwareName").text = xml_text(provenance.engine, what, _FMT)
        _sub(software, "softwareVersion").text = xml_text(provenance.engine_version, what, _FMT)
    page_el.set("PROCESSING", processing_id)


def to_alto(doc: Document) -> str:
    """Write ``doc`` as ALTO v4; :func:`from_alto` reads it back into an equal document.

    Args:
        doc: The document to export.

    Returns:
        The ALTO text, starting with an XML declaration: write it encoded as UTF-8.

    Raises:
        ExportError: some text holds a character XML cannot carry (a control character).
    """
    root = etree.Element(f"{{{ALTO_NS}}}alto", nsmap={None: ALTO_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    description = _sub(root, "Description")
    _sub(description, "MeasurementUnit").text = "pixel"
    if doc.source is not None:
        info = _sub(description, "sourceImageInformation")
        _sub(info, "fileName").text = xml_text(doc.source, "the source", _FMT)
    tags = _sub(root, "Tags")
    layout = _sub(root, "Layout")
    roles: dict[str, str] = {}
    for number, page in enumerate(doc.pages, start=1):
        _write_page(layout, description, page, number, roles)
    for role, tag_id in roles.items():
        _sub(
            tags,
            "OtherTag",
            ID=tag_id,
            TYPE=BLOCK_TAG_TYPE,
            LABEL=role,
            DESCRIPTION=f"block type {role}",
        )
    for tag_no, (key, value) in enumerate(doc.metadata.items(), start=1):
        _sub(
            tags,
            "OtherTag",
            ID=f"metadata_{tag_no}",
            TYPE=METADATA_TAG_TYPE,
            LABEL=xml_text(key, f"metadata key {key!r}", _FMT),
            DESCRIPTION=xml_text(value, f"metadata value of {key!r}", _FMT),
        )
    for field_no, field in enumerate(doc.fields, start=1):
        _sub(
            tags,
            "OtherTag",
            ID=f"field_{field_no}",
            TYPE=FIELD_TAG_TYPE,
            LABEL=xml_text(field.name, f"field name {field.name!r}", _FMT),
            DESCRIPTION=json_text(field.model_dump(mode="json"), f"field {field.name!r}", _FMT),
        )
    if len(tags) == 0:
        root.remove(tags)
    return serialize(root)


# --- reading ------------------------------------------------------------------------------


class _Reader:
    """Reads one parsed ALTO tree whose elements live in ``namespace`` (or none)."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self.namespace: str | None = etree.QName(root).namespace
        self.tags: dict[str, Element] = {}
        for tag in root.iterfind(f"{self.q('Tags')}/*"):
            if tag.get("ID"):
                self.tags[tag.get("ID")] = tag
        self.steps: dict[str, Element] = {}
        for step in root.iterfind(f"{self.q('Description')}/{self.q('Processing')}"):
            self.steps[step.get("ID") or ""] = step
        for ocr in root.iterfind(f"{self.q('Description')}/{self.q('OCRProcessing')}"):
            step = ocr.find(self.q("ocrProcessingStep"))
            if step is not None:
                self.steps[ocr.get("ID") or ""] = step

    def q(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}" if self.namespace else name

    def document(self) -> Document:
        unit = self.root.findtext(f"{self.q('Description')}/{self.q('MeasurementUnit')}")
        if unit is not None and unit.strip() != "pixel":
            raise ValueError(
                f"MeasurementUnit is {unit.strip()!r}: only pixel coordinates can be read "
                "(convert the file to pixel units first)"
            )
        file_name = self.root.find(
            f"{self.q('Description')}/{self.q('sourceImageInformation')}/{self.q('fileName')}"
        )
        metadata = {
            tag.get("LABEL") or "": tag.get("DESCRIPTION") or ""
            for tag in self.tags.values()
            if tag.get("TYPE") == METADATA_TAG_TYPE
        }
        fields = []
        for tag in self.tags.values():
            if tag.get("TYPE") == FIELD_TAG_TYPE:
                with context(where(tag, "OtherTag")):
                    fields.append(KeyField.model_validate_json(tag.get("DESCRIPTION") or "{}"))
        pages = [
            self.page(el, position) for position, el in enumerate(self.root.iter(self.q("Page")))
        ]
        return Document(
            source=None if file_name is None else (file_name.text or ""),
            pages=pages,
            metadata=metadata,
            fields=fields,
        )

    def box(self, element: Element) -> BBox | None:
        values = [element.get(name) for name in ("HPOS", "VPOS", "WIDTH", "HEIGHT")]
        if any(value is None for value in values):
            return None
        hpos, vpos, width, height = (float(value) for value in values)
        return BBox(
            x0=math.floor(hpos),
            y0=math.floor(vpos),
            x1=math.ceil(hpos + width),
            y1=math.ceil(vpos + height),
        )

    def polygon(self, element: Element) -> list[Point] | None:
        polygon = element.find(f"{self.q('Shape')}/{self.q('Polygon')}")
        if polygon is None:
            return None
        points = parse_points(polygon.get("POINTS") or "")
        return points or None

    def settings(self, step: Element | None) -> dict[str, Any] | None:
        """Our JSON in processingStepSettings, or ``None`` (absent or another tool's text)."""
        if step is None:
            return None
        text = step.findtext(self.q("processingStepSettings"))
        if not text:
            return None
        try:
            settings = json.loads(text)
        except json.JSONDecodeError:
            return None
        if not isinstance(settings, dict) or SETTINGS_MARK not in settings:
            return None
        return settings

    def provenance(
        self, step: Element | None, settings: dict[str, Any] | None
    ) -> Provenance | None:
        software = None if step is None else step.find(self.q("processingSoftware"))
        name = version = ""
        if software is not None:
            name = software.findtext(self.q("softwareName")) or ""
            version = software.findtext(self.q("softwareVersion")) or ""
        if settings is None:
            return None if software is None else Provenance(engine=name, engine_version=version)
        extra = settings.get("provenance")
        if extra is None:
            return None
        if not isinstance(extra, dict):
            raise ValueError("the provenance in processingStepSettings is not a JSON object")
        return Provenance.model_validate({"engine": name, "engine_version": version, **extra})

    def page(self, element: Element, position: int) -> Page:
        with context(where(element, "Page")):
            width, height = element.get("WIDTH"), element.get("HEIGHT")
            if width is None or height is None:
                raise ValueError("no WIDTH or HEIGHT (the page size is unknown)")
            number = element.get("PHYSICAL_IMG_NR")
            refs = (element.get("PROCESSING") or element.get("PROCESSINGREFS") or "").split()
            step = self.steps.get(refs[0]) if refs else None
            settings = self.settings(step) or {}
            line_confidences = settings.get("line_confidences") or {}
            blocks = [self.block(el, line_confidences) for el in element.iter(self.q("TextBlock"))]
            return Page(
                index=position if number is None else int(float(number)),
                width=round(float(width)),
                height=round(float(height)),
                dpi=settings.get("dpi"),
                blocks=[block for block in blocks if block is not None],
                tables=self.tables(element, settings.get("tables") or {}),
                regions=self.regions(element, settings.get("region_confidences") or {}),
                provenance=self.provenance(step, settings or None),
            )

    def role(self, element: Element) -> str | None:
        """The label of the first non-metadata tag ``element``'s TAGREFS name, if any."""
        for ref in (element.get("TAGREFS") or "").split():
            tag = self.tags.get(ref)
            if tag is not None and tag.get("TYPE") not in (METADATA_TAG_TYPE, FIELD_TAG_TYPE):
                return tag.get("LABEL") or ""
        return None

    def regions(self, page: Element, confidences: dict[str, Any]) -> list[Region]:
        regions = []
        for element in page.iter(self.q("Illustration"), self.q("GraphicalElement")):
            with context(where(element, "region")):
                label = self.role(element)
                is_figure = etree.QName(element).localname == "Illustration"
                if label is None and not is_figure:
                    continue  # another producer's separator line, not a region
                bbox = self.box(element)
                if bbox is None:
                    continue
                regions.append(
                    Region(
                        role=block_role(label) if label is not None else "figure",
                        bbox=bbox,
                        polygon=self.polygon(element),
                        confidence=confidences.get(element.get("ID") or ""),
                    )
                )
        return regions

    def tables(self, page: Element, cells: dict[str, Any]) -> list[Table]:
        tables = []
        for element in page.iter(self.q("ComposedBlock")):
            table = cells.get(element.get("ID") or "")
            if element.get("TYPE") == "table" and isinstance(table, dict):
                with context(where(element, "ComposedBlock")):
                    tables.append(Table.model_validate(table))
        return tables

    def block(self, element: Element, line_confidences: dict[str, Any]) -> Block | None:
        with context(where(element, "TextBlock")):
            lines = [self.line(el, line_confidences) for el in element.iterfind(self.q("TextLine"))]
            kept = [line for line in lines if line is not None]
            if not kept:
                return None
            return Block(
                lines=kept,
                bbox=self.box(element) or BBox.union([line.bbox for line in kept]),
                role=block_role(self.role(element)),
            )

    def line(self, element: Element, line_confidences: dict[str, Any]) -> Line | None:
        with context(where(element, "TextLine")):
            words = [self.word(el) for el in element.iterfind(self.q("String"))]
            kept = [word for word in words if word is not None]
            if not kept:
                return None
            return Line(
                words=kept,
                bbox=self.box(element) or BBox.union([word.bbox for word in kept]),
                confidence=line_confidences.get(element.get("ID") or ""),
                polygon=self.polygon(element),
                baseline=self.baseline(element),
            )

    @staticmethod
    def baseline(element: Element) -> list[Point] | None:
        """ALTO 4.2's ``BASELINE`` points; ALTO before 4.2 wrote one number (a height): none."""
        text = element.get("BASELINE") or ""
        if len(text.replace(",", " ").split()) < 4:
            return None
        return parse_points(text)

    def word(self, element: Element) -> Word | None:
        with context(where(element, "String")):
            content = element.get("CONTENT")
            if content is None:
                raise ValueError("no CONTENT")
            text = content.strip()
            if not text:
                return None
            bbox = self.box(element)
            if bbox is None:
                raise ValueError("no HPOS, VPOS, WIDTH or HEIGHT")
            confidence = element.get("WC")
            return Word(
                text=text,
                bbox=bbox,
                confidence=None if confidence is None else round(float(confidence), 4),
                polygon=self.polygon(element),
            )


def from_alto(data: str | bytes, *, name: str | None = None) -> Document:
    """Read ALTO (ours or another producer's: v2, v3 or v4, pixel units).

    Args:
        data: The ALTO text, or its bytes (their XML declaration gives the encoding).
        name: Name of the input (usually its file name) for error messages.

    Raises:
        ExportParseError: the input is not well-formed XML, not ALTO, or holds a value that
            does not fit the result model (the message names the element).
    """
    return read_xml_document(
        data,
        name or "ALTO input",
        kind="ALTO",
        root_name="alto",
        read=lambda root: _Reader(root).document(),
    )
