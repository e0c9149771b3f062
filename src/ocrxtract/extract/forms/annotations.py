"""Labelled forms in FUNSD's JSON (``{"form": [{"id", "text", "box", "label", "words",
"linking"}]}``): the entities, their labels and the question -> answer links, to train the
labeller and to score it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ocrxtract.document import BBox
from ocrxtract.errors import InputError, UsageError
from ocrxtract.extract.forms.entities import Entity
from ocrxtract.extract.forms.labelling import LABELS


@dataclass
class AnnotatedForm:
    """One annotated form: its entities (with their true labels) and links (entity indexes)."""

    name: str
    entities: list[Entity]
    links: list[tuple[int, int]]


def annotation_files(root: Path) -> list[Path]:
    """The annotation files of a FUNSD-style folder (``gt/``, ``annotations/`` or the folder).

    Raises:
        UsageError: no folder or no ``*.json`` in it.
    """
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder of FUNSD-style annotations")
    for folder in (root / "gt", root / "annotations", root):
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        if files:
            return files
    raise UsageError(
        f"no FUNSD-style annotations (*.json) in {root}, {root}/gt or {root}/annotations"
    )


def read_form(path: Path) -> AnnotatedForm:
    """One FUNSD annotation file; entities without words are left out (as FUNSD's scorers do).

    Raises:
        InputError: unreadable JSON or not FUNSD's shape.
    """
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["form"]
        entities: list[Entity] = []
        index_of: dict[int, int] = {}
        pairs: list[tuple[int, int]] = []
        for item in items:
            words = [w for w in item.get("words", []) if str(w.get("text", "")).strip()]
            if not words:
                continue
            label = item["label"] if item["label"] in LABELS else "other"
            tops = sorted({round(w["box"][1] / 8) for w in words})
            x0, y0, x1, y1 = (float(v) for v in item["box"])
            index_of[int(item["id"])] = len(entities)
            entities.append(
                Entity(
                    str(item["text"]).strip(),
                    (x0, y0, x1, y1),
                    lines=len(tops),
                    label=label,
                    boxes=[
                        BBox(
                            x0=int(w["box"][0]),
                            y0=int(w["box"][1]),
                            x1=int(w["box"][2]),
                            y1=int(w["box"][3]),
                        )
                        for w in words
                    ],
                )
            )
            pairs += [(int(a), int(b)) for a, b in item.get("linking", [])]
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise InputError(
            path,
            f"not a FUNSD annotation file: {exc}",
            'give FUNSD\'s JSON: {"form": [{"id", "text", "box", "label", "words", "linking"}]}',
        ) from exc
    links = set()
    for a, b in pairs:
        if a in index_of and b in index_of:
            q, ans = index_of[a], index_of[b]
            if entities[q].label == "answer" and entities[ans].label == "question":
                q, ans = ans, q
            if entities[q].label == "question" and entities[ans].label == "answer":
                links.add((q, ans))
    return AnnotatedForm(path.stem, entities, sorted(links))


def read_forms(root: Path) -> list[AnnotatedForm]:
    """Every annotated form of a FUNSD-style folder."""
    return [read_form(path) for path in annotation_files(root)]
