"""ICDAR 2013 Table Competition: born-digital PDFs + ``-reg.xml`` (table regions) and
``-str.xml`` (cells: start/end row and column, bounding box, content).

Coordinates are PDF points with the origin at the bottom-left of the page (1-based ``page``
attribute); they are converted to the pixels of the page rendered at the dataset's
``render_dpi`` (top-left origin). Each table region (the part of a table on one page) becomes
one :class:`~ocrxtract.datasets.base.Table`; a table spanning pages gives one per page, with
the same ``table_id``. Empty grid positions are left out by the annotators: the HTML fills them
with empty cells. A PDF with a region file but no structure file yields tables without cells.

Quirk: one coordinate in the real data reads ``26ß`` (``ß`` sits beside ``0`` on a German
keyboard): such typos are repaired and logged.

Layouts: the shared ``images/<name>.pdf`` + ``gt/<name>-reg.xml``/``-str.xml``, or the official
archive (``competition-dataset-{eu,us}/`` with the XML beside each PDF).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import empty_page
from ocrxtract.datasets.files import GT_DIR, IMAGES_DIR, files_by_stem, parse_xml, require_root
from ocrxtract.datasets.geometry import clip_box
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.datasets.transcription import normalize_spaces
from ocrxtract.document import BBox, Document, Table, TableCell
from ocrxtract.errors import CorruptInputError
from ocrxtract.export.tables import cells_to_html

log = logging.getLogger(__name__)

#: Keyboard typos met in coordinates, and their repair.
NUMBER_TYPOS = {"ß": "0"}


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Pair each PDF with its ``-reg.xml``/``-str.xml``; PDFs without either are skipped."""
    root = require_root(root, spec.name)
    if (root / IMAGES_DIR).is_dir():
        folders = [(root / IMAGES_DIR, root / GT_DIR)]
        found = Discovery(root=root, layout="images/<name>.pdf + gt/<name>-{reg,str}.xml")
    else:
        folders = [(p.parent, p.parent) for p in sorted(root.rglob("*.pdf"))]
        folders = list(dict.fromkeys(folders))
        found = Discovery(root=root, layout="<name>.pdf beside <name>-{reg,str}.xml")
    for pdf_dir, gt_dir in folders:
        pdfs = files_by_stem(pdf_dir, [".pdf"])
        regions = files_by_stem(gt_dir, ["-reg.xml"])
        structures = files_by_stem(gt_dir, ["-str.xml"])
        for stem in sorted(set(pdfs) | set(regions) | set(structures)):
            if stem not in pdfs:
                found.skipped.append((stem, "ground truth without its PDF"))
                continue
            files = {"pdf": pdfs[stem]}
            if stem in regions:
                files["reg"] = regions[stem]
            if stem in structures:
                files["str"] = structures[stem]
            if len(files) == 1:
                found.skipped.append((stem, "PDF without ground truth"))
                continue
            found.items.append(Item(stem, spec.default_split, files))
    return found


def _number(path: Path, raw: str | None) -> float:
    if raw is None:
        raise CorruptInputError(path, "a bounding-box lacks a coordinate")
    try:
        return float(raw)
    except ValueError:
        repaired = "".join(NUMBER_TYPOS.get(ch, ch) for ch in raw.strip())
        try:
            value = float(repaired)
        except ValueError as exc:
            raise CorruptInputError(path, f"coordinate {raw!r} is not a number") from exc
        log.warning("%s: coordinate %r read as %s", path, raw, repaired)
        return value


class _Pages:
    """PDF page sizes and the points -> pixels conversion."""

    def __init__(self, pdf: Path, dpi: float) -> None:
        import pypdfium2

        self.scale = dpi / 72.0
        try:
            document = pypdfium2.PdfDocument(str(pdf))
        except pypdfium2.PdfiumError as exc:
            raise CorruptInputError(pdf, f"cannot open the PDF ({exc})") from exc
        try:
            self.boxes = []
            self.rotated = []
            for index in range(len(document)):
                page = document[index]
                self.boxes.append(page.get_cropbox())
                self.rotated.append(page.get_rotation() != 0)
                page.close()
        finally:
            document.close()

    def __len__(self) -> int:
        return len(self.boxes)

    def size(self, index: int) -> tuple[int, int]:
        left, bottom, right, top = self.boxes[index]
        return math.ceil((right - left) * self.scale), math.ceil((top - bottom) * self.scale)

    def to_pixels(self, index: int, x1: float, y1: float, x2: float, y2: float) -> BBox | None:
        left, _, _, top = self.boxes[index]
        width, height = self.size(index)
        corners = (
            (x1 - left) * self.scale,
            (top - y1) * self.scale,
            (x2 - left) * self.scale,
            (top - y2) * self.scale,
        )
        return clip_box(corners, width, height)


def _box(path: Path, element: Any, pages: _Pages, index: int) -> BBox | None:
    bb = element.find("bounding-box")
    if bb is None:
        return None
    x1, x2 = _number(path, bb.get("x1")), _number(path, bb.get("x2"))
    y1, y2 = _number(path, bb.get("y1")), _number(path, bb.get("y2"))
    return pages.to_pixels(index, x1, y1, x2, y2)


def _page_index(path: Path, region: Any, pages: _Pages) -> int:
    try:
        index = int(region.get("page", "1")) - 1
    except ValueError as exc:
        raise CorruptInputError(path, f"page {region.get('page')!r} is not a number") from exc
    if not 0 <= index < len(pages):
        raise CorruptInputError(path, f"region on page {index + 1}, the PDF has {len(pages)}")
    return index


def parse_regions(path: Path, pages: _Pages) -> dict[tuple[str, int], BBox]:
    """Table regions of a ``-reg.xml``: (table id, page index) -> pixel box."""
    regions: dict[tuple[str, int], BBox] = {}
    for table in parse_xml(path).iter("table"):
        for region in table.iter("region"):
            index = _page_index(path, region, pages)
            box = _box(path, region, pages, index)
            if box is not None:
                regions[(table.get("id", ""), index)] = box
    return regions


def parse_structure(path: Path, pages: _Pages) -> list[tuple[str, int, list[TableCell]]]:
    """Cells of a ``-str.xml``: one ``(table id, page index, cells)`` per table and page; rows
    and columns renumbered from 0 on that page.

    The regions of one table on one page are parts of it side by side or one above the other
    (a wide table set in three column slices, us-035a): their cells are shifted by the
    region's ``col-increment`` / ``row-increment`` and joined.
    """
    parts: dict[tuple[str, int], list[tuple[int, int, int, int, str, BBox | None]]] = {}
    for table in parse_xml(path).iter("table"):
        for region in table.iter("region"):
            index = _page_index(path, region, pages)
            try:
                shift_row = int(region.get("row-increment", "0"))
                shift_col = int(region.get("col-increment", "0"))
            except ValueError as exc:
                raise CorruptInputError(path, f"region with an invalid increment ({exc})") from exc
            raw = parts.setdefault((table.get("id", ""), index), [])
            for cell in region.iter("cell"):
                try:
                    row, col = int(cell.get("start-row")), int(cell.get("start-col"))
                    end_row = int(cell.get("end-row", row))
                    end_col = int(cell.get("end-col", col))
                except (TypeError, ValueError) as exc:
                    raise CorruptInputError(
                        path, f"cell without a valid grid position ({exc})"
                    ) from exc
                text = normalize_spaces(cell.findtext("content") or "")
                raw.append(
                    (row + shift_row, col + shift_col, end_row + shift_row, end_col + shift_col,
                     text, _box(path, cell, pages, index))
                )  # fmt: skip
    out = []
    for (table_id, index), raw in parts.items():
        if not raw:
            continue
        top, left = min(r[0] for r in raw), min(r[1] for r in raw)
        cells = [
            TableCell(
                row=r - top,
                col=c - left,
                row_span=max(1, er - r + 1),
                col_span=max(1, ec - c + 1),
                text=t,
                bbox=b,
            )
            for r, c, er, ec, t, b in raw
        ]
        out.append((table_id, index, cells))
    return out


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one PDF's tables."""
    pdf = item.files["pdf"]
    dpi = float(spec.render_dpi)
    pages = _Pages(pdf, dpi)
    notes = [f"boxes in pixels of the PDF rendered at {dpi:g} dpi"]
    if any(pages.rotated):
        notes.append("a page has /Rotate: check the table boxes against the rendered page")
    regions = parse_regions(item.files["reg"], pages) if "reg" in item.files else {}
    tables = []
    if "str" in item.files:
        for table_id, index, cells in parse_structure(item.files["str"], pages):
            boxes = [c.bbox for c in cells if c.bbox is not None]
            bbox = regions.get((table_id, index)) or (BBox.union(boxes) if boxes else None)
            tables.append(
                Table(
                    page_index=index,
                    table_id=table_id,
                    bbox=bbox,
                    cells=list(cells),
                    html=cells_to_html(cells),
                )
            )
    else:
        notes.append("region ground truth only (no -str.xml): tables without cells")
        tables = [
            Table(page_index=index, table_id=table_id, bbox=box)
            for (table_id, index), box in sorted(regions.items(), key=lambda kv: kv[0][1])
        ]
    source = f"{spec.name}:icdar2013"
    doc_pages = [empty_page(i, *pages.size(i), dpi, source) for i in range(len(pages))]
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=tuple(PageRef(path=pdf, index=i) for i in range(len(pages))),
        truth=Document(
            source=str(pdf),
            pages=doc_pages,
            metadata={"format": "icdar2013", **{k: str(v) for k, v in item.files.items()}},
        ),
        text="",
        split=item.split,
        dpi=dpi,
        tables=tuple(tables),
        notes=tuple(notes),
    )
