"""Finding sample files on disk and reading ground-truth files safely.

File names are matched by listing folders, never with glob patterns: some real names hold
``[...]``, which a glob would read as a character class.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from ocrxtract.datasets.base import Discovery, Item
from ocrxtract.errors import CorruptInputError, UsageError

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp")
#: Folders of the shared layout: ``images/<stem>.<ext>`` and ``gt/<stem><gt suffix>``.
IMAGES_DIR = "images"
GT_DIR = "gt"


def strip_suffix(name: str, suffix: str) -> str | None:
    """``name`` without ``suffix`` (case-insensitive), or ``None`` when it does not end so."""
    if name.lower().endswith(suffix.lower()) and len(name) > len(suffix):
        return name[: -len(suffix)]
    return None


def files_by_stem(folder: Path, suffixes: Iterable[str]) -> dict[str, Path]:
    """Files of ``folder`` (not recursive) ending with one of ``suffixes``, by stem."""
    suffixes = tuple(suffixes)
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        for suffix in suffixes:
            stem = strip_suffix(path.name, suffix)
            if stem is not None:
                found.setdefault(stem, path)
                break
    return found


def require_root(root: Path | None, dataset: str) -> Path:
    """The dataset's root folder; file-based formats cannot work without one."""
    if root is None:
        raise UsageError(f"dataset {dataset!r}: no folder to read its files from")
    return root


def has_shared_layout(root: Path) -> bool:
    """True when ``root`` holds the ``images/`` + ``gt/`` layout of the shared data."""
    return (root / IMAGES_DIR).is_dir() and (root / GT_DIR).is_dir()


def pair_shared_layout(
    root: Path,
    gt_suffix: str,
    split: str | None,
    image_suffixes: Iterable[str] = IMAGE_SUFFIXES,
) -> Discovery:
    """Pair ``images/<stem>.*`` with ``gt/<stem><gt_suffix>``; unpaired files are skipped."""
    images = files_by_stem(root / IMAGES_DIR, image_suffixes)
    truths = files_by_stem(root / GT_DIR, [gt_suffix])
    found = Discovery(root=root, layout="images/ + gt/")
    for stem in sorted(set(images) | set(truths)):
        if stem not in truths:
            found.skipped.append((stem, f"no ground truth gt/{stem}{gt_suffix}"))
        elif stem not in images:
            found.skipped.append((stem, "ground truth without its image"))
        else:
            found.items.append(Item(stem, split, {"image": images[stem], "gt": truths[stem]}))
    return found


def pair_recursive(
    root: Path,
    gt_suffix: str,
    split: str | None,
    image_suffixes: Iterable[str] = IMAGE_SUFFIXES,
    accept: Any = None,
) -> Discovery:
    """Pair ground-truth files with the image of the same stem in the same folder (or its
    parent: TIME US keeps ``<stem>.jpg`` beside an ``alto/<stem>.xml`` folder), anywhere under
    ``root`` (the layout of HTR-United repositories and of most upstream archives).

    Sample ids are paths relative to ``root`` without suffix. ``accept(path)`` may refuse a
    ground-truth file (e.g. an XML that is not ALTO).
    """
    image_suffixes = tuple(image_suffixes)
    found = Discovery(root=root, layout=f"recursive <stem>{gt_suffix} beside <stem>.<image>")
    listed: dict[Path, dict[str, Path]] = {}

    def images_in(folder: Path) -> dict[str, Path]:
        if folder not in listed:
            listed[folder] = files_by_stem(folder, image_suffixes)
        return listed[folder]

    for gt in sorted(p for p in root.rglob("*") if p.is_file()):
        stem = strip_suffix(gt.name, gt_suffix)
        if stem is None or any(part.startswith(".") for part in gt.relative_to(root).parts):
            continue
        if accept is not None and not accept(gt):
            continue
        sample_id = str(gt.relative_to(root).with_name(stem))
        image = images_in(gt.parent).get(stem) or images_in(gt.parent.parent).get(stem)
        if image is not None:
            found.items.append(Item(sample_id, split, {"image": image, "gt": gt}))
        else:
            found.skipped.append((sample_id, "ground truth without its image"))
    return found


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def parse_xml(path: Path) -> Any:
    """Parse an XML ground-truth file (no external entities, no network).

    Raises:
        CorruptInputError: the file is not well-formed XML.
    """
    try:
        return etree.parse(str(path), _PARSER).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise CorruptInputError(path, f"not a well-formed XML file ({exc})") from exc


def local_name(element: Any) -> str:
    """Tag name without namespace."""
    return str(etree.QName(element).localname)


def read_json(path: Path) -> Any:
    """Read a JSON ground-truth file (UTF-8, a BOM tolerated).

    Raises:
        CorruptInputError: unreadable or not JSON.
    """
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptInputError(path, f"not a readable JSON file ({exc})") from exc


def read_text(path: Path) -> str:
    """Read a text ground-truth file: UTF-8 (BOM dropped), Latin-1 as a logged fallback;
    line ends normalised to ``\\n``.

    Raises:
        CorruptInputError: the file cannot be read.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorruptInputError(path, f"cannot read the file ({exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.warning("%s is not UTF-8; read as Latin-1", path)
        text = raw.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")
