"""CORD receipts (Indonesian), in either of its two published layouts:

* the original one (github.com/clovaai/cord): ``{train,dev,test}/json/receipt_NNNNN.json`` with
  ``{train,dev,test}/image/receipt_NNNNN.png``;
* the Hugging Face one (``naver-clova-ix/cord-v2``): Parquet files ``<split>-*.parquet`` (under
  ``data/`` or anywhere) with an ``image`` column (``{"bytes", "path"}``) and a ``ground_truth``
  column holding the same JSON as a string (plus ``gt_parse``). Reading it needs ``pyarrow``.

Each ``valid_line`` holds words with a quadrilateral (``quad``: ``x1..x4``, ``y1..y4``), a
category (``menu.nm``, ``total.total_price``…) and a group. Words with the same ``row_id`` form a
ground-truth line (in ``row_id`` order: CORD's lines are in reading order). Key fields come from
the categories: ``fields[category] = text``; a category met in several groups is numbered
(``menu.nm[0]``, ``menu.nm[1]``…).

Quirks handled: some quads go outside the image or have their corners in the wrong order (test
receipt 87): boxes are the clipped bounds of the four points; words with empty text are left
out; the split ``dev`` of the original layout is called ``validation`` as on Hugging Face.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import RawBlock, RawLine, build_page, page_notes
from ocrxtract.datasets.files import IMAGE_SUFFIXES, files_by_stem, read_json, require_root
from ocrxtract.datasets.geometry import box_from_points, image_info
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.datasets.transcription import normalize_spaces
from ocrxtract.document import BBox, Document
from ocrxtract.errors import CorruptInputError, MissingDependencyError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

SPLIT_NAMES = {"train": "train", "dev": "validation", "validation": "validation", "test": "test"}
PYARROW_INSTALL = "pip install pyarrow"


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError as exc:
        raise MissingDependencyError(
            "pyarrow", "read CORD's Parquet files", PYARROW_INSTALL
        ) from exc
    return pq


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Find receipts in the original JSON layout, else in Parquet files."""
    root = require_root(root, spec.name)
    found = Discovery(root=root)
    json_dirs = sorted(
        p for p in root.rglob("json") if p.is_dir() and (p.parent / "image").is_dir()
    )
    if json_dirs:
        found.layout = "{train,dev,test}/json + image"
        for json_dir in json_dirs:
            split = SPLIT_NAMES.get(json_dir.parent.name, json_dir.parent.name)
            images = files_by_stem(json_dir.parent / "image", IMAGE_SUFFIXES)
            for stem, gt in files_by_stem(json_dir, [".json"]).items():
                if stem in images:
                    found.items.append(
                        Item(f"{split}/{stem}", split, {"image": images[stem], "gt": gt})
                    )
                else:
                    found.skipped.append((f"{split}/{stem}", "annotation without its image"))
        return found
    parquets = sorted(p for p in root.rglob("*.parquet") if p.is_file())
    if parquets:
        pq = _pyarrow_parquet()
        found.layout = "Hugging Face Parquet (image + ground_truth columns)"
        for path in parquets:
            split = SPLIT_NAMES.get(path.name.split("-")[0], path.parent.name)
            rows = pq.ParquetFile(path).metadata.num_rows
            for row in range(rows):
                found.items.append(
                    Item(f"{split}/{path.stem}#{row}", split, {"parquet": path}, {"row": row})
                )
    return found


@lru_cache(maxsize=4)
def _parquet_truths(path: Path) -> list[str]:
    table = _pyarrow_parquet().read_table(path, columns=["ground_truth"])
    return [str(v) for v in table.column("ground_truth").to_pylist()]


def _parquet_image_bytes(path: Path, row: int) -> bytes:
    parquet = _pyarrow_parquet().ParquetFile(path)
    start = 0
    for group in range(parquet.num_row_groups):
        size = parquet.metadata.row_group(group).num_rows
        if row < start + size:
            column = parquet.read_row_group(group, columns=["image"]).column("image")
            value = column[row - start].as_py()
            data = value.get("bytes") if isinstance(value, dict) else value
            if not data:
                raise CorruptInputError(path, f"row {row} has no image bytes")
            return bytes(data)
        start += size
    raise CorruptInputError(path, f"row {row} is past the end of the file")


def _quad_box(quad: Any, width: int, height: int) -> BBox | None:
    try:
        points = [(float(quad[f"x{i}"]), float(quad[f"y{i}"])) for i in range(1, 5)]
    except (KeyError, TypeError, ValueError):
        return None
    return box_from_points(points, width, height)


def parse_cord(
    data: dict[str, Any], width: int, height: int, path: Path
) -> tuple[list[RawLine], dict[str, str], int]:
    """Lines (words grouped by ``row_id``) and key fields of one CORD annotation.

    Returns:
        ``(lines, fields, dropped)``: dropped counts words without text or box.

    Raises:
        CorruptInputError: no ``valid_line`` list.
    """
    valid = data.get("valid_line")
    if not isinstance(valid, list):
        raise CorruptInputError(path, "no 'valid_line' list: not a CORD annotation")
    rows: dict[int, list[tuple[str, BBox]]] = {}
    by_category: dict[str, list[tuple[int, str]]] = {}
    dropped = 0
    for order, entry in enumerate(valid):
        texts = []
        for word in entry.get("words", []):
            text = normalize_spaces(str(word.get("text", "")))
            box = _quad_box(word.get("quad", {}), width, height)
            if not text or box is None:
                dropped += 1
                continue
            texts.append(text)
            rows.setdefault(int(word.get("row_id", order)), []).append((text, box))
        category = entry.get("category")
        if category and texts:
            group = int(entry.get("group_id", order))
            by_category.setdefault(str(category), []).append((group, " ".join(texts)))
    lines = []
    for row_id in sorted(rows):
        words = sorted(rows[row_id], key=lambda w: w[1].x0)
        lines.append(
            RawLine(
                text=" ".join(t for t, _ in words),
                bbox=BBox.union([b for _, b in words]),
                words=words,
            )
        )
    fields: dict[str, str] = {}
    for category, values in by_category.items():
        groups: dict[int, list[str]] = {}
        for group, text in values:
            groups.setdefault(group, []).append(text)
        if len(groups) == 1:
            fields[category] = " ".join(next(iter(groups.values())))
        else:
            for n, group in enumerate(sorted(groups)):
                fields[f"{category}[{n}]"] = " ".join(groups[group])
    return lines, fields, dropped


def _image_loader(path: Path, row: int, dpi: float | None) -> Callable[[], PageImage]:
    def load_image_row() -> PageImage:
        from ocrxtract.io import load_image

        return load_image(_parquet_image_bytes(path, row), dpi=dpi, source=f"{path}#{row}")

    return load_image_row


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one receipt (either layout)."""
    if "parquet" in item.files:
        path = item.files["parquet"]
        row = int(str(item.extra["row"]))
        try:
            data = json.loads(_parquet_truths(path)[row])
        except json.JSONDecodeError as exc:
            raise CorruptInputError(path, f"row {row}: ground_truth is not JSON ({exc})") from exc
        size = data.get("meta", {}).get("image_size", {})
        width, height = int(size.get("width", 0)), int(size.get("height", 0))
        if width <= 0 or height <= 0:
            with Image.open(io.BytesIO(_parquet_image_bytes(path, row))) as image:
                width, height = image.size
        page_ref = PageRef(path=path, index=0, loader=_image_loader(path, row, spec.dpi))
        dpi = spec.dpi
        gt_path = path
    else:
        gt_path = item.files["gt"]
        data = read_json(gt_path)
        if not isinstance(data, dict):
            raise CorruptInputError(gt_path, "not a JSON object")
        info = image_info(item.files["image"])
        width, height = info.width, info.height
        page_ref = PageRef(path=item.files["image"])
        dpi = spec.dpi or info.dpi
    lines, fields, dropped = parse_cord(data, width, height, gt_path)
    built = build_page(
        [RawBlock(lines=lines)] if lines else [],
        index=0,
        width=width,
        height=height,
        dpi=dpi,
        source=f"{spec.name}:cord",
    )
    notes = page_notes(built)
    if dropped:
        notes.append(f"{dropped} word(s) without text or box left out")
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=(page_ref,),
        truth=Document(
            source=str(page_ref.path),
            pages=[built.page],
            metadata={"format": "cord", "ground_truth": str(gt_path)},
        ),
        text="\n".join(built.text_lines),
        split=item.split,
        dpi=dpi,
        scorable_lines=tuple(built.scorable),
        fields=fields,
        notes=tuple(notes),
    )
