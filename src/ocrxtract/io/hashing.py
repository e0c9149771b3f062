"""Content identities of files: SHA-256 of their bytes, memoised per (path, size, mtime).

The benchmark identifies pages by it (a cached result is found without decoding the image) and
batch runs identify inputs by it (a renamed file is not done twice).
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from ocrxtract.errors import InputNotFoundError

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


@lru_cache(maxsize=4096)
def _file_sha256(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, memoised per (path, size, modification time).

    Raises:
        InputNotFoundError: the file is missing or unreadable.
    """
    try:
        stat = path.stat()
        return _file_sha256(path, stat.st_size, stat.st_mtime_ns)
    except OSError as exc:
        raise InputNotFoundError(path, f"cannot be read ({exc.strerror})") from exc
