"""Atomic file writes: a temporary file beside the target, then ``os.replace``.

A process killed mid-write leaves the previous file (or none), never a truncated one. The
temporary file is created with the usual permissions (umask), unlike ``tempfile.mkstemp``'s
private ``0600``, so results and cache entries stay readable by the team.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` if the block succeeds.

    The temporary file is removed when the block raises (``KeyboardInterrupt`` included).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file beside it, so no reader ever
    sees half a result; permissions follow the umask (colleagues on a shared folder can read)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
