"""File types from content, and the guards every input passes before it is decoded."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from ocrxtract.errors import (
    EmptyInputError,
    InputNotFoundError,
    InputTooLargeError,
    UnsupportedFormatError,
)
from ocrxtract.io.page import DEFAULT_LIMITS, InputLimits

log = logging.getLogger(__name__)

#: File name suffixes of the formats ocrxtract reads, with the format each one names. The real
#: type is always read from the file's first bytes (:func:`detect_format`).
SUPPORTED_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {
        ".png": "png",
        ".jpg": "jpeg",
        ".jpeg": "jpeg",
        ".tif": "tiff",
        ".tiff": "tiff",
        ".webp": "webp",
        ".bmp": "bmp",
        ".pdf": "pdf",
    }
)
SUPPORTED_TYPES = "PNG, JPEG, TIFF, WebP, BMP, PDF"
#: Bytes read to find a file's type.
HEAD_BYTES = 1024


def sniff_format(head: bytes) -> str | None:
    """The format named by a file's first bytes (``"png"``, ``"pdf"`` ...), or ``None``."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(head) >= 26:
        return "bmp"
    if b"%PDF-" in head[:HEAD_BYTES]:
        return "pdf"
    return None


def describe(head: bytes) -> str:
    """What unrecognised content looks like: ``blank``, ``text`` or an unknown binary type."""
    if not head.strip():
        return "blank"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "of an unknown binary type"
    return "text"


def _check_size(source: str | Path, size: int, limits: InputLimits, what: str) -> None:
    if size == 0:
        raise EmptyInputError(
            source, f"the {what} is empty (0 bytes)", "check that it was copied or downloaded whole"
        )
    if size > limits.max_file_bytes:
        raise InputTooLargeError(
            source,
            f"the {what} has {size} bytes, more than the limit of {limits.max_file_bytes}",
            "split the document, or raise InputLimits.max_file_bytes",
        )


def _kind(source: str | Path, head: bytes) -> str:
    kind = sniff_format(head)
    if kind is None:
        raise UnsupportedFormatError(
            source,
            f"not a supported file type (the content is {describe(head)})",
            f"supported types: {SUPPORTED_TYPES}",
        )
    return kind


def detect_format(path: str | Path, limits: InputLimits = DEFAULT_LIMITS) -> str:
    """Check that ``path`` is a readable, non-empty file of a supported type and return the type.

    The type comes from the file's first bytes: a PDF named ``.png`` is a PDF.

    Args:
        path: The file.
        limits: Its size must not exceed ``limits.max_file_bytes``.

    Returns:
        One of ``"png"``, ``"jpeg"``, ``"tiff"``, ``"webp"``, ``"bmp"``, ``"pdf"``.

    Raises:
        InputNotFoundError: missing, a directory, or unreadable.
        EmptyInputError: the file has 0 bytes.
        InputTooLargeError: the file is larger than the limit.
        UnsupportedFormatError: the content is of no supported type.
    """
    path = Path(path)
    if not path.exists():
        raise InputNotFoundError(path, "no such file", "check the path and the current folder")
    if path.is_dir():
        raise InputNotFoundError(path, "is a directory, not a file", "pass the path of one file")
    if not path.is_file():
        raise InputNotFoundError(path, "is not a regular file", "pass the path of a file")
    _check_size(path, path.stat().st_size, limits, "file")
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise InputNotFoundError(
            path, f"cannot be read ({exc.strerror})", "check the file's permissions"
        ) from exc
    kind = _kind(path, head)
    named = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if named is not None and named != kind:
        log.info("%s: named %s but its content is %s; reading it as %s", path, named, kind, kind)
    return kind


def detect_bytes_format(data: bytes, name: str, limits: InputLimits = DEFAULT_LIMITS) -> str:
    """:func:`detect_format` for the content of a file held in memory, called ``name``.

    Raises:
        EmptyInputError, InputTooLargeError, UnsupportedFormatError: as for files.
    """
    _check_size(name, len(data), limits, "document")
    return _kind(name, data[:HEAD_BYTES])
