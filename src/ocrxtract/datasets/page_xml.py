"""PAGE XML ground truth (PRImA ``PcGts``, 2013 and 2019 schemas; eScriptorium, Transkribus).

Lines come from ``TextRegion/TextLine`` (``Coords`` polygon, ``TextEquiv/Unicode``), in the
``ReadingOrder`` when the file has one, else in file order. ``Word`` elements with their own
coordinates give real word boxes; otherwise lines are split into approximate words. Regions
nested in ``TableRegion`` are read like the others (PAGE table cells are not turned into
:class:`~ocrxtract.datasets.base.Table` objects). Image size differences with the ``Page``
``imageWidth``/``imageHeight`` are scaled away; the HTR transcription conventions apply.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ocrxtract.datasets.base import Discovery, Item, Sample
from ocrxtract.datasets.builder import RawBlock, RawLine, load_transcribed_image
from ocrxtract.datasets.files import (
    has_shared_layout,
    local_name,
    pair_recursive,
    pair_shared_layout,
    parse_xml,
    require_root,
)
from ocrxtract.datasets.geometry import ImageInfo, box_from_points, parse_points
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import BBox
from ocrxtract.errors import CorruptInputError

log = logging.getLogger(__name__)


def _is_page(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return b"PcGts" in head


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Pair each PAGE file with its image (shared layout, else anywhere under ``root``)."""
    root = require_root(root, spec.name)
    if has_shared_layout(root):
        return pair_shared_layout(root, ".xml", spec.default_split)
    return pair_recursive(root, ".xml", spec.default_split, accept=_is_page)


def _unicode(element: Any) -> str:
    """Text of an element's ``TextEquiv`` (the lowest ``index`` when there are several)."""
    equivs = element.findall("{*}TextEquiv")
    if not equivs:
        return ""
    equivs.sort(key=lambda e: int(e.get("index") or 0))
    return equivs[0].findtext("{*}Unicode") or ""


def _region_order(page: Any) -> list[str]:
    refs = page.findall("{*}ReadingOrder//{*}RegionRefIndexed")
    refs.sort(key=lambda e: int(e.get("index") or 0))
    order = [ref.get("regionRef") for ref in refs]
    if not order:
        order = [ref.get("regionRef") for ref in page.findall("{*}ReadingOrder//{*}RegionRef")]
    return [r for r in order if r]


def parse_page_xml(
    path: Path, image: ImageInfo | None
) -> tuple[list[RawBlock], int, int, list[str]]:
    """Read one PAGE file into blocks (regions) of raw lines in the image's pixel space.

    Returns:
        ``(blocks, width, height, notes)``.

    Raises:
        CorruptInputError: not well-formed or not PAGE.
    """
    root = parse_xml(path)
    if local_name(root) != "PcGts":
        raise CorruptInputError(path, f"root element is <{local_name(root)}>, not <PcGts>")
    page = root.find("{*}Page")
    if page is None:
        raise CorruptInputError(path, "no Page element")
    notes: list[str] = []
    page_w = int(float(page.get("imageWidth") or 0))
    page_h = int(float(page.get("imageHeight") or 0))
    width, height = (image.width, image.height) if image else (page_w, page_h)
    if width <= 0 or height <= 0:
        raise CorruptInputError(path, "the page size is unknown (no imageWidth/Height, no image)")
    sx = width / page_w if page_w else 1.0
    sy = height / page_h if page_h else 1.0
    if page_w and page_h and (page_w, page_h) != (width, height):
        notes.append(
            f"PAGE image size {page_w}x{page_h} differs from the image {width}x{height}: "
            "boxes scaled to the image"
        )

    def box(element: Any) -> BBox | None:
        coords = element.find("{*}Coords")
        if coords is None:
            return None
        if coords.get("points"):
            points = parse_points(coords.get("points"))
        else:  # PAGE 2010: <Point x= y=/> children
            points = [(float(p.get("x")), float(p.get("y"))) for p in coords.findall("{*}Point")]
        return box_from_points([(x * sx, y * sy) for x, y in points], width, height)

    regions = {r.get("id"): r for r in page.iter("{*}TextRegion")}
    order = [rid for rid in _region_order(page) if rid in regions]
    ordered = [regions[rid] for rid in order] + [
        r for rid, r in regions.items() if rid not in order
    ]
    blocks = []
    lost = 0
    for region in ordered:
        lines = []
        for line in region.findall("{*}TextLine"):
            line_box = box(line)
            if line_box is None:
                lost += 1
                continue
            words = [(_unicode(w), box(w)) for w in line.findall("{*}Word")]
            if words and all(b is not None for _, b in words):
                lines.append(
                    RawLine(
                        text=_unicode(line),
                        bbox=line_box,
                        words=[(t, b) for t, b in words if b is not None],
                    )
                )
            else:
                lines.append(RawLine(text=_unicode(line), bbox=line_box))
        if lines:
            blocks.append(RawBlock(lines=lines, kind=region.get("type") or "text"))
    if lost:
        notes.append(f"{lost} line(s) without a usable box (none, flat or off the page) left out")
    return blocks, width, height, notes


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one PAGE XML sample."""
    return load_transcribed_image(item, spec, parse_page_xml, "page-xml")
