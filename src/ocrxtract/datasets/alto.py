"""ALTO v2, v3 and v4 ground truth (one XML per page image).

What the loader handles:

* any ALTO namespace (v2-v4, or none); blocks anywhere (``ComposedBlock`` nesting included);
  a block's ``TAGREFS`` label (SegmOnto zones such as ``MainZone``) becomes its kind;
* coordinates in ``MeasurementUnit`` ``pixel``, ``mm10`` or ``inch1200``, converted to the pixels
  of the image; when the image's size differs from the ALTO ``Page`` ``WIDTH``/``HEIGHT`` the
  boxes are scaled to the image (noted on the sample);
* lines with one ``String`` per word (real word boxes) or one ``String`` holding the whole line
  (eScriptorium exports): the line is then split into words with approximate boxes;
* ``HYP`` elements (the hyphen at a line end) are appended to the last word;
* the HTR transcription conventions (placeholders, ``^``, ``_``, double-escaped entities):
  see :mod:`ocrxtract.datasets.transcription`.
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
from ocrxtract.datasets.geometry import (
    ImageInfo,
    box_from_points,
    clip_box,
    parse_points,
)
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.document import BBox
from ocrxtract.errors import CorruptInputError

log = logging.getLogger(__name__)

#: Length of one ALTO unit in inches.
UNIT_INCHES = {"mm10": 1 / 254, "inch1200": 1 / 1200}


def _is_alto(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return b"<alto" in head or b":alto" in head


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Pair each ALTO file with its image (shared layout, else anywhere under ``root``)."""
    root = require_root(root, spec.name)
    if has_shared_layout(root):
        return pair_shared_layout(root, ".xml", spec.default_split)
    return pair_recursive(root, ".xml", spec.default_split, accept=_is_alto)


def _number(element: Any, name: str) -> float | None:
    raw = element.get(name)
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        log.warning("ALTO attribute %s=%r is not a number; ignored", name, raw)
        return None


class _Scale:
    """ALTO units -> image pixels."""

    def __init__(self, sx: float, sy: float, width: int, height: int) -> None:
        self.sx, self.sy, self.width, self.height = sx, sy, width, height

    def box(self, element: Any) -> BBox | None:
        x, y = _number(element, "HPOS"), _number(element, "VPOS")
        w, h = _number(element, "WIDTH"), _number(element, "HEIGHT")
        if x is None or y is None or w is None or h is None:
            return None
        corners = (x * self.sx, y * self.sy, (x + w) * self.sx, (y + h) * self.sy)
        return clip_box(corners, self.width, self.height)

    def polygon_box(self, element: Any) -> BBox | None:
        polygon = element.find("{*}Shape/{*}Polygon")
        if polygon is None or not polygon.get("POINTS"):
            return None
        points = [(x * self.sx, y * self.sy) for x, y in parse_points(polygon.get("POINTS"))]
        return box_from_points(points, self.width, self.height)


def _scale(path: Path, root: Any, image: ImageInfo | None, notes: list[str]) -> _Scale:
    unit = (root.findtext("{*}Description/{*}MeasurementUnit") or "pixel").strip()
    page = root.find(".//{*}Layout/{*}Page")
    if page is None:
        raise CorruptInputError(path, "no Layout/Page element", "is this an ALTO file?")
    page_w, page_h = _number(page, "WIDTH"), _number(page, "HEIGHT")
    if unit not in ("pixel", *UNIT_INCHES):
        raise CorruptInputError(path, f"unknown MeasurementUnit {unit!r}", None)
    if image is not None and page_w and page_h:
        sx, sy = image.width / page_w, image.height / page_h
        if unit != "pixel":
            notes.append(f"ALTO MeasurementUnit {unit} converted to the image's pixels")
        elif (round(page_w), round(page_h)) != (image.width, image.height):
            notes.append(
                f"ALTO page size {page_w:g}x{page_h:g} differs from the image "
                f"{image.width}x{image.height}: boxes scaled to the image"
            )
        return _Scale(sx, sy, image.width, image.height)
    if unit == "pixel":
        width = image.width if image else round(page_w or 0)
        height = image.height if image else round(page_h or 0)
        if width <= 0 or height <= 0:
            raise CorruptInputError(path, "the page size is unknown (no WIDTH/HEIGHT, no image)")
        return _Scale(1.0, 1.0, width, height)
    dpi = image.dpi if image else None
    if dpi is None or image is None:
        raise CorruptInputError(
            path, f"MeasurementUnit {unit} without page size nor image dpi: cannot convert"
        )
    factor = dpi * UNIT_INCHES[unit]
    notes.append(f"ALTO MeasurementUnit {unit} converted to pixels at {dpi:g} dpi")
    return _Scale(factor, factor, image.width, image.height)


def _tag_labels(root: Any) -> dict[str, str]:
    labels = {}
    for tags in root.iter("{*}Tags"):
        for tag in tags:
            if tag.get("ID") and tag.get("LABEL"):
                labels[tag.get("ID")] = tag.get("LABEL")
    return labels


def _kind(element: Any, labels: dict[str, str]) -> str:
    for ref in (element.get("TAGREFS") or "").split():
        if ref in labels:
            return labels[ref]
    return "text"


def _line(line: Any, scale: _Scale) -> RawLine | None:
    words: list[tuple[str, BBox | None]] = []
    for child in line:
        name = local_name(child)
        if name == "String":
            words.append((child.get("CONTENT") or "", scale.box(child)))
        elif name == "HYP" and words:
            text, box = words[-1]
            words[-1] = (text + (child.get("CONTENT") or "-"), box)
    box = scale.box(line) or scale.polygon_box(line)
    word_boxes = [b for _, b in words if b is not None]
    if box is None and word_boxes:
        box = BBox.union(word_boxes)
    if box is None:
        return None
    text = " ".join(t for t, _ in words)
    if words and len(word_boxes) == len(words):
        return RawLine(text=text, bbox=box, words=[(t, b) for t, b in words if b is not None])
    return RawLine(text=text, bbox=box)


def parse_alto(path: Path, image: ImageInfo | None) -> tuple[list[RawBlock], int, int, list[str]]:
    """Read one ALTO file into blocks of raw lines in the image's pixel space.

    Args:
        path: The ALTO XML file.
        image: Header of the page image (size, dpi), when there is one.

    Returns:
        ``(blocks, width, height, notes)``.

    Raises:
        CorruptInputError: not well-formed, not ALTO, or coordinates that cannot be converted.
    """
    root = parse_xml(path)
    if local_name(root) != "alto":
        raise CorruptInputError(path, f"root element is <{local_name(root)}>, not <alto>")
    notes: list[str] = []
    scale = _scale(path, root, image, notes)
    labels = _tag_labels(root)
    blocks = []
    lost = 0
    for block in root.iter("{*}TextBlock"):
        lines = []
        for line in block.findall("{*}TextLine"):
            raw = _line(line, scale)
            if raw is None:
                lost += 1
            else:
                lines.append(raw)
        if lines:
            blocks.append(RawBlock(lines=lines, kind=_kind(block, labels)))
    if lost:
        notes.append(f"{lost} line(s) without a usable box (none, flat or off the page) left out")
    return blocks, scale.width, scale.height, notes


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one ALTO sample."""
    return load_transcribed_image(item, spec, parse_alto, "alto")
