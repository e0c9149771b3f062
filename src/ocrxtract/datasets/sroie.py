"""SROIE (ICDAR 2019 scanned receipts): ``<stem>.box.csv`` text lines + ``<stem>.key.json``.

Quirks handled:

* each CSV line is ``x1,y1,x2,y2,x3,y3,x4,y4,transcript`` and the transcript itself holds commas:
  the line is split on its first 8 commas only;
* the lines are stored column block by column block, not in reading order: the reference text
  is rebuilt row by row (lines whose vertical extents overlap form a row, read left to right);
* the ground truth is upper case throughout (hence the dataset's ``folded`` headline);
* CRLF line ends, empty lines and a BOM are tolerated; a key file may lack a field (``address``).

Splits: the receipts are split by file into ``train`` and ``test`` (:func:`split_of`, a hash
of the file stem) for field extraction.

Layouts: the shared ``images/NNN.jpg`` + ``gt/NNN.box.csv`` + ``gt/NNN.key.json``, or the
``data/img``, ``data/box``, ``data/key`` folders of github.com/zzzDavid/ICDAR-2019-SROIE.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import RawBlock, RawLine, build_page, page_notes
from ocrxtract.datasets.files import (
    IMAGE_SUFFIXES,
    files_by_stem,
    has_shared_layout,
    pair_shared_layout,
    read_json,
    read_text,
    require_root,
)
from ocrxtract.datasets.geometry import box_from_points, group_rows, image_info
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.datasets.transcription import normalize_spaces
from ocrxtract.document import Document
from ocrxtract.errors import CorruptInputError

log = logging.getLogger(__name__)

KEY_FIELDS = ("company", "date", "address", "total")


def split_of(stem: str) -> str:
    """The split of receipt ``stem``: ``test`` for a third of the files, ``train`` otherwise.

    The key fields exist for SROIE's training set only, so field extraction is trained and
    scored on a split of it by file: a receipt is held out when the first 4 bytes of
    ``sha256("sroie:<stem>")``, read as a big-endian integer, are divisible by 3 (25 of the 74
    receipts of the shared folder). The rule does not depend on the other files, so the split
    of a receipt never changes when files are added.
    """
    digest = hashlib.sha256(f"sroie:{stem}".encode()).digest()
    return "test" if int.from_bytes(digest[:4], "big") % 3 == 0 else "train"


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Find receipts in the shared layout or in the zzzDavid repository layout."""
    root = require_root(root, spec.name)
    if has_shared_layout(root):
        found = pair_shared_layout(root, ".box.csv", spec.default_split)
        keys = files_by_stem(root / "gt", [".key.json"])
        found.items = [
            Item(
                i.sample_id,
                split_of(i.sample_id),
                {**i.files, **({"key": keys[i.sample_id]} if i.sample_id in keys else {})},
            )
            for i in found.items
        ]
        return found
    box_dirs = sorted(p for p in root.rglob("box") if p.is_dir() and (p.parent / "img").is_dir())
    found = Discovery(root=root, layout="data/img + data/box + data/key")
    for box_dir in box_dirs:
        images = files_by_stem(box_dir.parent / "img", IMAGE_SUFFIXES)
        keys = files_by_stem(box_dir.parent / "key", [".json"])
        for stem, csv in files_by_stem(box_dir, [".csv"]).items():
            if stem not in images:
                found.skipped.append((stem, "box file without its image"))
                continue
            files = {"image": images[stem], "gt": csv}
            if stem in keys:
                files["key"] = keys[stem]
            found.items.append(Item(stem, split_of(stem), files))
    return found


def parse_box_csv(path: Path, width: int, height: int) -> list[RawLine]:
    """Read a SROIE box file into raw lines (file order), boxes clipped to the image.

    Raises:
        CorruptInputError: a non-empty line without 8 coordinates and a transcript.
    """
    lines = []
    for number, row in enumerate(read_text(path).split("\n"), start=1):
        if not row.strip():
            continue
        parts = row.split(",", 8)
        if len(parts) != 9:
            raise CorruptInputError(path, f"line {number} has {len(parts) - 1} commas, not 8+")
        try:
            coords = [float(v) for v in parts[:8]]
        except ValueError as exc:
            raise CorruptInputError(path, f"line {number}: coordinates are not numbers") from exc
        box = box_from_points(list(zip(coords[0::2], coords[1::2], strict=True)), width, height)
        if box is None:
            log.warning("%s line %d: box off the image; left out", path, number)
            continue
        lines.append(RawLine(text=parts[8], bbox=box))
    return lines


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one receipt: lines in reading order, key fields."""
    image_path = item.files["image"]
    image = image_info(image_path)
    raw = [
        line
        for line in parse_box_csv(item.files["gt"], image.width, image.height)
        if line.text.strip()
    ]
    rows = group_rows(raw, lambda line: line.bbox)
    ordered = [line for row in rows for line in row]
    dpi = spec.dpi or image.dpi
    built = build_page(
        [RawBlock(lines=ordered)],
        index=0,
        width=image.width,
        height=image.height,
        dpi=dpi,
        source=f"{spec.name}:sroie",
    )
    text = "\n".join(" ".join(normalize_spaces(line.text) for line in row) for row in rows)
    fields: dict[str, str] = {}
    if "key" in item.files:
        keys = read_json(item.files["key"])
        if not isinstance(keys, dict):
            raise CorruptInputError(item.files["key"], "the key file is not a JSON object")
        fields = {k: str(keys[k]) for k in KEY_FIELDS if keys.get(k) not in (None, "")}
    notes = [*page_notes(built), "reference text rebuilt row by row (file order is by column)"]
    missing = [k for k in KEY_FIELDS if k not in fields]
    if missing:
        notes.append(f"key fields absent from the ground truth: {', '.join(missing)}")
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=(PageRef(path=image_path),),
        truth=Document(
            source=str(image_path),
            pages=[built.page],
            metadata={"ground_truth": str(item.files["gt"]), "format": "sroie"},
        ),
        text=text,
        split=item.split,
        dpi=dpi,
        scorable_lines=tuple(built.scorable),
        fields=fields,
        notes=tuple(notes),
        tags={"schema": "sroie"},
    )
