"""A content-addressed disk cache of engine outputs, so that re-scoring never re-runs an engine.

Two kinds of entries, each one JSON file named by the SHA-256 of its key:

* ``pages/``: the :class:`~ocrxtract.document.Page` an engine returned for one page image
  (before the reading order, which is applied after), keyed by (engine, engine version, model
  fingerprint, options, page identity), with how long it took, whether it was the worker's
  first (cold) call and the worker's peak memory then;
* ``lines/``: what a line recogniser read on each ground-truth line crop of one page, keyed
  by (engine, version, model fingerprint, options, recogniser, page identity, line boxes).

Options are the engine's *validated* options (defaults filled in, so ``{}`` and the explicit
defaults share entries) minus those that only change how fast an engine runs (the engine's
``execution_options``: thread counts). The model fingerprint hashes the engine's model files
(``OcrEngine.model_fingerprint``): a model retrained in place never gets a stale entry. Page
identities come from :mod:`ocrxtract.bench.pages`.

Entries are written atomically (a temporary file in the same folder, then ``os.replace``): a
run killed mid-write leaves no partial entry. An unreadable entry is a miss (logged), never an
error. Where: ``--cache-dir``, else ``$OCRXTRACT_CACHE_DIR/bench``, else
``~/.cache/ocrxtract/bench`` (``$XDG_CACHE_HOME`` honoured).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ocrxtract.document import Page
from ocrxtract.io.atomic import atomic_path

log = logging.getLogger(__name__)

ENV_CACHE_DIR = "OCRXTRACT_CACHE_DIR"
#: Bump when the layout of entries changes: old entries are then simply not found.
CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    """``$OCRXTRACT_CACHE_DIR/bench``, or ``bench`` in the user cache folder."""
    root = os.environ.get(ENV_CACHE_DIR)
    if root:
        return Path(root).expanduser() / "bench"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "ocrxtract" / "bench"


#: Options every engine gained after entries were written, with their default: left out of keys
#: at that default, so the entries written before them stay valid (the output is the same).
ADDED_OPTIONS: dict[str, Any] = {"dropout": "none"}


def key_options(options: dict[str, Any], execution: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Validated options as they enter a cache key: the ``execution`` options (those that
    change speed, not output) removed, and the :data:`ADDED_OPTIONS` at their default."""
    return {
        k: v
        for k, v in sorted(options.items())
        if k not in execution and not (k in ADDED_OPTIONS and ADDED_OPTIONS[k] == v)
    }


def _digest(parts: dict[str, Any]) -> str:
    raw = json.dumps({"format": CACHE_FORMAT, **parts}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def page_key(
    engine: str, version: str, options: dict[str, Any], page_identity: str, model: str = ""
) -> str:
    """The key of an engine's output on one page image (``options`` as :func:`key_options`
    gives them; ``model``: the engine's model fingerprint)."""
    return _digest(
        {
            "kind": "page",
            "engine": engine,
            "version": version,
            "model": model,
            "options": options,
            "page": page_identity,
        }
    )


def lines_key(
    engine: str,
    version: str,
    options: dict[str, Any],
    *,
    recognizer: str,
    page_identity: str,
    boxes: list[tuple[int, int, int, int]],
    model: str = "",
) -> str:
    """The key of a line recogniser's readings of one page's ground-truth line crops."""
    return _digest(
        {
            "kind": "lines",
            "engine": engine,
            "version": version,
            "model": model,
            "options": options,
            "recognizer": recognizer,
            "page": page_identity,
            "boxes": [list(box) for box in boxes],
        }
    )


@dataclass(frozen=True)
class CachedPage:
    """A cached engine output and how it was produced.

    Attributes:
        page: The page as the engine returned it (provenance included).
        seconds: Seconds the engine took on it.
        cold: Whether it was the first page of its worker process (model loading included).
        rss_bytes: Peak resident memory of the worker right after (``None`` when unknown).
    """

    page: Page
    seconds: float
    cold: bool
    rss_bytes: int | None


@dataclass(frozen=True)
class CachedLines:
    """A line recogniser's readings of one page's line crops.

    Attributes:
        texts: One text per line, in the order of the boxes in the key.
        empty_crops: Lines whose box held no pixel of the page (not read).
        seconds: Seconds the recogniser took on them.
        rss_bytes: Peak resident memory of the worker right after (``None`` when unknown).
    """

    texts: tuple[str, ...]
    empty_crops: int
    seconds: float
    rss_bytes: int | None = None


class BenchCache:
    """The engine-output cache in folder ``root`` (created on first write).

    Args:
        root: Cache folder (:func:`default_cache_dir` when ``None``).
        readonly: Never write (still read what is there).
    """

    def __init__(self, root: str | Path | None = None, *, readonly: bool = False) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()
        self.readonly = readonly

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def _read(self, kind: str, key: str) -> dict[str, Any] | None:
        path = self._path(kind, key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("cache entry %s unreadable (%s): treated as missing", path, exc)
            return None
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            log.warning("cache entry %s is damaged (%s): treated as missing", path, exc)
            return None
        if not isinstance(data, dict):
            log.warning("cache entry %s is not an object: treated as missing", path)
            return None
        return data

    def _write(self, kind: str, key: str, data: dict[str, Any]) -> Path | None:
        if self.readonly:
            return None
        path = self._path(kind, key)
        with atomic_path(path) as tmp, tmp.open("x", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        return path

    def get_page(self, key: str) -> CachedPage | None:
        """The cached page for ``key``, or ``None``."""
        data = self._read("pages", key)
        if data is None:
            return None
        try:
            return CachedPage(
                page=Page.model_validate(data["page"]),
                seconds=float(data["seconds"]),
                cold=bool(data["cold"]),
                rss_bytes=None if data.get("rss_bytes") is None else int(data["rss_bytes"]),
            )
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            log.warning("cache entry pages/%s is invalid (%s): treated as missing", key, exc)
            return None

    def put_page(self, key: str, entry: CachedPage, about: dict[str, Any] | None = None) -> None:
        """Store ``entry`` under ``key``; ``about`` (engine, sample...) is kept for humans."""
        self._write(
            "pages",
            key,
            {
                "about": about or {},
                "seconds": entry.seconds,
                "cold": entry.cold,
                "rss_bytes": entry.rss_bytes,
                "page": entry.page.model_dump(mode="json"),
            },
        )

    def get_lines(self, key: str) -> CachedLines | None:
        """The cached line readings for ``key``, or ``None``."""
        data = self._read("lines", key)
        if data is None:
            return None
        try:
            texts = data["texts"]
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise TypeError("texts must be a list of strings")
            return CachedLines(
                texts=tuple(texts),
                empty_crops=int(data["empty_crops"]),
                seconds=float(data["seconds"]),
                rss_bytes=None if data.get("rss_bytes") is None else int(data["rss_bytes"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("cache entry lines/%s is invalid (%s): treated as missing", key, exc)
            return None

    def put_lines(self, key: str, entry: CachedLines, about: dict[str, Any] | None = None) -> None:
        """Store line readings under ``key``."""
        self._write(
            "lines",
            key,
            {
                "about": about or {},
                "texts": list(entry.texts),
                "empty_crops": entry.empty_crops,
                "seconds": entry.seconds,
                "rss_bytes": entry.rss_bytes,
            },
        )

    def count(self, kind: str = "pages") -> int:
        """Number of entries of ``kind`` (``pages`` or ``lines``)."""
        folder = self.root / kind
        return sum(1 for _ in folder.glob("*/*.json")) if folder.is_dir() else 0
