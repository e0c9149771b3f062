"""PubTabNet table images: JSONL annotations (structure tokens + cell tokens + cell boxes) or
the HTML-only JSON of the ICDAR 2021 competition (``{"<file>.png": {"html": …}}``).

The table's HTML is rebuilt exactly as PubTabNet's own code does (cell tokens inserted after
each ``<td>``/``>`` token, one-character tokens HTML-escaped), so that TEDS scores compare with
published ones. Cells without a box are empty cells. Cell boxes (content boxes, pixels of the
cropped table image) become the ground-truth lines, with approximate word boxes.

Layouts: the shared ``images/<stem>.png`` + ``gt/<stem>.jsonl`` or ``gt/<stem>.json``; or any
``*.jsonl`` under the root (``PubTabNet_2.0.0.jsonl`` with ``train/``, ``val/``, ``test/``
image folders, or ``examples/PubTabNet_Examples.jsonl`` beside its images).
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path
from typing import Any

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import RawBlock, RawLine, build_page, empty_page, page_notes
from ocrxtract.datasets.files import (
    GT_DIR,
    IMAGE_SUFFIXES,
    IMAGES_DIR,
    files_by_stem,
    has_shared_layout,
    read_json,
    read_text,
    require_root,
)
from ocrxtract.datasets.geometry import clip_box, image_info
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.datasets.transcription import normalize_spaces
from ocrxtract.document import Document, Table
from ocrxtract.errors import CorruptInputError
from ocrxtract.export.tables import CellSpec, html_to_cells, place_cells, specs_from_tokens

log = logging.getLogger(__name__)

_FILENAME = re.compile(rb'"filename"\s*:\s*"([^"]+)"')
_SPLIT = re.compile(rb'"split"\s*:\s*"([^"]+)"')


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Find table images and their annotation (shared layout, else ``*.jsonl`` files)."""
    root = require_root(root, spec.name)
    if has_shared_layout(root):
        return _discover_shared(root, spec)
    found = Discovery(root=root, layout="*.jsonl (PubTabNet) with images by file name")
    for jsonl in sorted(root.rglob("*.jsonl")):
        with jsonl.open("rb") as handle:
            offset = 0
            for raw in handle:
                name, split = _FILENAME.search(raw), _SPLIT.search(raw)
                if name is not None:
                    filename = name.group(1).decode()
                    split_name = split.group(1).decode() if split else spec.default_split
                    image = _find_image(jsonl.parent, filename, split_name)
                    stem = Path(filename).stem
                    if image is None:
                        found.skipped.append((stem, "annotation without its image"))
                    else:
                        found.items.append(
                            Item(
                                stem, split_name, {"image": image, "gt": jsonl}, {"offset": offset}
                            )
                        )
                offset += len(raw)
    return found


def _find_image(folder: Path, filename: str, split: str | None) -> Path | None:
    for candidate in (folder / (split or ""), folder, folder / IMAGES_DIR):
        if (candidate / filename).is_file():
            return candidate / filename
    return None


def _discover_shared(root: Path, spec: DatasetSpec) -> Discovery:
    images = files_by_stem(root / IMAGES_DIR, IMAGE_SUFFIXES)
    jsonl = files_by_stem(root / GT_DIR, [".jsonl"])
    json_ = files_by_stem(root / GT_DIR, [".json"])
    found = Discovery(root=root, layout="images/ + gt/<stem>.jsonl|json")
    for stem in sorted(set(images) | set(jsonl) | set(json_)):
        gt = jsonl.get(stem) or json_.get(stem)
        if gt is None:
            found.skipped.append((stem, "no ground truth"))
        elif stem not in images:
            found.skipped.append((stem, "ground truth without its image"))
        else:
            split = spec.default_split
            if gt.suffix == ".jsonl":
                match = _SPLIT.search(gt.read_bytes()[:1_000_000])
                split = match.group(1).decode() if match else split
            found.items.append(Item(stem, split, {"image": images[stem], "gt": gt}))
    return found


def _cell_text(tokens: list[str]) -> str:
    """Text of a cell: its tokens without the formatting tags (``<b>``, ``</i>``…)."""
    return normalize_spaces("".join(t for t in tokens if not (len(t) > 1 and t.startswith("<"))))


def structure_to_html(structure: list[str], cells: list[dict[str, Any]]) -> str:
    """PubTabNet's HTML of a table from its structure tokens and cell tokens."""
    code = list(structure)
    slots = [i for i, tag in enumerate(code) if tag in ("<td>", ">")]
    for i, cell in zip(slots[::-1], cells[::-1], strict=False):
        if cell.get("tokens"):
            code.insert(
                i + 1, "".join(html.escape(t) if len(t) == 1 else t for t in cell["tokens"])
            )
    return "<html><body><table>" + "".join(code) + "</table></body></html>"


def structure_to_specs(
    structure: list[str], cells: list[dict[str, Any]], width: int, height: int
) -> list[CellSpec]:
    """Cells in document order with their row, spans, text, header flag and box."""
    specs = specs_from_tokens(structure)
    if len(specs) != len(cells):
        raise ValueError(f"{len(specs)} cells in the structure but {len(cells)} cell entries")
    for spec, cell in zip(specs, cells, strict=True):
        spec.text = _cell_text(cell.get("tokens", []))
        if cell.get("bbox"):
            x0, y0, x1, y1 = cell["bbox"]
            spec.bbox = clip_box((x0, y0, x1, y1), width, height)
    return specs


def _entry(item: Item) -> dict[str, Any]:
    gt = item.files["gt"]
    if gt.suffix == ".json":
        data = read_json(gt)
        if not isinstance(data, dict) or len(data) != 1:
            raise CorruptInputError(gt, "expected one {file name: {html: …}} entry")
        ((_, value),) = data.items()
        return {"html_only": value.get("html", "")}
    if "offset" in item.extra:
        with gt.open("rb") as handle:
            handle.seek(int(str(item.extra["offset"])))
            line = handle.readline()
    else:
        line = read_text(gt).strip().split("\n")[0].encode()
    try:
        entry: dict[str, Any] = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorruptInputError(gt, f"not a PubTabNet JSONL line ({exc})") from exc
    return entry


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one table image."""
    image_path, gt = item.files["image"], item.files["gt"]
    image = image_info(image_path)
    entry = _entry(item)
    dpi = spec.dpi or image.dpi
    source = f"{spec.name}:pubtabnet"
    notes: list[str] = []
    if "html_only" in entry:
        markup = str(entry["html_only"])
        cells = html_to_cells(markup)
        page = empty_page(0, image.width, image.height, dpi, source)
        scorable: tuple[Any, ...] = ()
        notes.append("HTML-only ground truth: no cell boxes")
    else:
        try:
            structure = entry["html"]["structure"]["tokens"]
            raw_cells = entry["html"]["cells"]
            specs = structure_to_specs(structure, raw_cells, image.width, image.height)
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptInputError(gt, f"not a PubTabNet annotation ({exc})") from exc
        markup = structure_to_html(structure, raw_cells)
        cells = place_cells(specs)
        lines = [RawLine(text=c.text, bbox=c.bbox) for c in cells if c.text and c.bbox]
        built = build_page(
            [RawBlock(lines=lines, kind="table")] if lines else [],
            index=0,
            width=image.width,
            height=image.height,
            dpi=dpi,
            source=source,
        )
        page = built.page
        scorable = tuple(built.scorable)
        notes += page_notes(built)
    rows: dict[int, list[str]] = {}
    for cell in cells:
        if cell.text:
            rows.setdefault(cell.row, []).append(cell.text)
    table = Table(page_index=0, table_id="0", cells=list(cells), html=markup)
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=(PageRef(path=image_path),),
        truth=Document(
            source=str(image_path),
            pages=[page],
            metadata={"ground_truth": str(gt), "format": "pubtabnet"},
        ),
        text="\n".join(" ".join(rows[r]) for r in sorted(rows)),
        split=item.split,
        dpi=dpi,
        scorable_lines=scorable,
        tables=(table,),
        notes=tuple(notes),
    )
