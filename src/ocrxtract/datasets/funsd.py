"""FUNSD (scanned forms): one JSON per image, ``form[]`` entities with words and links.

Quirks handled:

* entity order is not reading order: the reference text is rebuilt row by row from every
  entity's lines (forms have columns, so the order stays approximate: prefer order-free metrics);
* the annotation splits tokens after ``-`` and ``/`` (``2-`` ``Dec-`` ``97``): a word ending with
  one of them is joined to the next word of the same entity on the same line;
* words with empty text (139 in the test split) are left out;
* scans are 100 dpi (RVL-CDIP) and the PNGs state no resolution: the dataset declares its dpi.

Each entity becomes a block whose kind is its label (``header``, ``question``, ``answer``,
``other``); its words are grouped into lines by position. Question -> answer links become key
fields (``fields[question text] = answer text``).

Layouts: the shared ``images/`` + ``gt/`` (all one split), or the official archive's
``dataset/{training,testing}_data/{images,annotations}``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ocrxtract.datasets.base import Discovery, Item, PageRef, Sample
from ocrxtract.datasets.builder import RawBlock, RawLine, build_page, page_notes
from ocrxtract.datasets.files import (
    IMAGE_SUFFIXES,
    files_by_stem,
    has_shared_layout,
    pair_shared_layout,
    read_json,
    require_root,
)
from ocrxtract.datasets.geometry import clip_box, group_rows, image_info
from ocrxtract.datasets.registry import DatasetSpec
from ocrxtract.datasets.transcription import normalize_spaces
from ocrxtract.document import BBox, Document
from ocrxtract.errors import CorruptInputError

log = logging.getLogger(__name__)

SPLIT_FOLDERS = {"training_data": "train", "testing_data": "test"}
#: A split token is joined to the next word when the gap is at most this many word heights.
JOIN_GAP_HEIGHTS = 0.8


def discover(root: Path | None, spec: DatasetSpec) -> Discovery:
    """Find forms in the shared layout or in the official archive layout."""
    root = require_root(root, spec.name)
    if has_shared_layout(root):
        return pair_shared_layout(root, ".json", spec.default_split)
    found = Discovery(root=root, layout="{training,testing}_data/{images,annotations}")
    for folder, split in SPLIT_FOLDERS.items():
        for base in sorted(p for p in root.rglob(folder) if p.is_dir()):
            images = files_by_stem(base / "images", IMAGE_SUFFIXES)
            for stem, gt in files_by_stem(base / "annotations", [".json"]).items():
                if stem in images:
                    found.items.append(Item(stem, split, {"image": images[stem], "gt": gt}))
                else:
                    found.skipped.append((stem, "annotation without its image"))
    return found


def _same_line(a: BBox, b: BBox) -> bool:
    inter = min(a.y1, b.y1) - max(a.y0, b.y0)
    return inter >= 0.5 * max(1, min(a.height, b.height))


def join_split_tokens(words: Sequence[tuple[str, BBox]]) -> list[tuple[str, BBox]]:
    """Undo FUNSD's split after ``-`` and ``/``: ``[("2-",…), ("Dec-",…), ("97",…)]`` ->
    ``[("2-Dec-97", union box)]`` when the pieces touch on one line."""
    joined: list[tuple[str, BBox]] = []
    for text, box in words:
        if joined:
            prev_text, prev_box = joined[-1]
            gap = box.x0 - prev_box.x1
            if (
                len(prev_text) > 1
                and prev_text[-1] in "-/"
                and _same_line(prev_box, box)
                and gap <= JOIN_GAP_HEIGHTS * max(prev_box.height, box.height)
            ):
                joined[-1] = (prev_text + text, BBox.union([prev_box, box]))
                continue
        joined.append((text, box))
    return joined


def _lines(words: Sequence[tuple[str, BBox]]) -> list[RawLine]:
    """Group an entity's words (in annotation order) into lines."""
    lines: list[list[tuple[str, BBox]]] = []
    for word in words:
        if lines and _same_line(lines[-1][-1][1], word[1]) and word[1].x0 >= lines[-1][-1][1].x0:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [
        RawLine(
            text=" ".join(t for t, _ in line),
            bbox=BBox.union([b for _, b in line]),
            words=list(line),
        )
        for line in lines
    ]


def _box(raw: Any, width: int, height: int, path: Path) -> BBox | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in raw)
    except (TypeError, ValueError) as exc:
        raise CorruptInputError(path, f"bad box {raw!r}") from exc
    return clip_box((x0, y0, x1, y1), width, height)


def parse_funsd(path: Path, width: int, height: int) -> tuple[list[RawBlock], dict[str, str], int]:
    """Read a FUNSD annotation.

    Returns:
        ``(blocks, fields, joined)``: one block per entity (kind = label), the
        question -> answer fields and how many split tokens were joined.

    Raises:
        CorruptInputError: not a FUNSD annotation.
    """
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("form"), list):
        raise CorruptInputError(path, "no 'form' list: not a FUNSD annotation")
    blocks = []
    texts: dict[int, str] = {}
    labels: dict[int, str] = {}
    links: set[tuple[int, int]] = set()
    joined_total = 0
    for entity in data["form"]:
        words = []
        for word in entity.get("words", []):
            text = normalize_spaces(str(word.get("text", "")))
            box = _box(word.get("box"), width, height, path)
            if text and box is not None:
                words.append((text, box))
        joined = join_split_tokens(words)
        joined_total += len(words) - len(joined)
        if joined:
            # A form's "header" entity is a section title; question, answer, other are text.
            role = "title" if entity.get("label") == "header" else "text"
            blocks.append(RawBlock(lines=_lines(joined), kind=role))
        entity_id = int(entity.get("id", len(texts)))
        texts[entity_id] = " ".join(t for t, _ in joined)
        labels[entity_id] = str(entity.get("label", ""))
        for pair in entity.get("linking", []) or []:
            if len(pair) == 2:
                links.add((int(pair[0]), int(pair[1])))
    fields: dict[str, str] = {}
    for question, answer in sorted(links):
        if labels.get(question) != "question" or labels.get(answer) != "answer":
            continue
        key, value = texts.get(question, ""), texts.get(answer, "")
        if not key or not value:
            continue
        name, n = key, 2
        while name in fields:
            name, n = f"{key} ({n})", n + 1
        fields[name] = value
    return blocks, fields, joined_total


def load(item: Item, spec: DatasetSpec) -> Sample:
    """Parse one form."""
    image_path = item.files["image"]
    image = image_info(image_path)
    blocks, fields, joined = parse_funsd(item.files["gt"], image.width, image.height)
    dpi = spec.dpi or image.dpi
    built = build_page(
        blocks,
        index=0,
        width=image.width,
        height=image.height,
        dpi=dpi,
        source=f"{spec.name}:funsd",
    )
    lines = [line for block in built.page.blocks for line in block.lines]
    text = "\n".join(
        " ".join(line.text for line in row) for row in group_rows(lines, lambda line: line.bbox)
    )
    notes = [
        *page_notes(built),
        "reference text rebuilt row by row (entity order is not reading order)",
    ]
    if joined:
        notes.append(f"{joined} token(s) split after '-' or '/' joined to the next one")
    return Sample(
        dataset=spec.name,
        sample_id=item.sample_id,
        pages=(PageRef(path=image_path),),
        truth=Document(
            source=str(image_path),
            pages=[built.page],
            metadata={"ground_truth": str(item.files["gt"]), "format": "funsd"},
        ),
        text=text,
        split=item.split,
        dpi=dpi,
        scorable_lines=tuple(built.scorable),
        fields=fields,
        notes=tuple(notes),
    )
