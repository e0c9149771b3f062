"""Content identities of a sample's page images, computed without decoding when possible.

A page read from a file is fully determined by the file's bytes, its page number, the
resolution it is rendered at (PDFs) or assumed at (images stating none), and the decoders
(Pillow, PDFium): its identity hashes those, so a cached result is found without decoding
the image. A page without a file (generated pages, images inside a container) is identified
by its decoded pixels (mode, size, bytes) and resolution.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version

from ocrxtract.datasets import Sample
from ocrxtract.errors import UsageError
from ocrxtract.io import PageImage
from ocrxtract.io.hashing import file_sha256

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def decoders() -> str:
    """Versions of the libraries that turn files into pixels (part of file-based identities)."""
    parts = []
    for package in ("pillow", "pypdfium2"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} absent")
    return ", ".join(parts)


def pixels_sha256(page: PageImage) -> str:
    """SHA-256 of a decoded page: mode, size, resolution and pixel bytes."""
    digest = hashlib.sha256()
    digest.update(f"{page.image.mode} {page.width}x{page.height} dpi={page.dpi}\n".encode())
    digest.update(page.image.tobytes())
    return digest.hexdigest()


def page_identities(sample: Sample) -> list[str]:
    """One content identity per ground-truth page of ``sample``, in page order.

    File pages are identified without decoding; pages without a file are decoded (their
    loader is called) and identified by their pixels.

    Raises:
        InputError: a page file is missing or unreadable.
        UsageError: a page has neither a file nor a loader.
    """
    identities = []
    for number, ref in enumerate(sample.pages):
        if ref.loader is not None:
            identities.append("pixels:" + pixels_sha256(ref.loader()))
            continue
        if ref.path is None:
            raise UsageError(f"{sample.dataset}/{sample.sample_id}: page {number} has no file")
        parts = [
            f"file:{file_sha256(ref.path)}",
            f"page={ref.index}",
            f"dpi={sample.dpi}",
            decoders(),
        ]
        identities.append(hashlib.sha256("\n".join(parts).encode()).hexdigest())
    return identities


class PageCursor:
    """A sample's page images, decoded lazily and in order, one at a time.

    Benchmarks decode a sample's pages only when one of them is missing from the cache, and
    ask for them in increasing order, so only the current page is held in memory.
    """

    def __init__(self, sample: Sample) -> None:
        self._sample = sample
        self._pages: Iterator[PageImage] | None = None
        self._index = -1
        self._current: PageImage | None = None

    @property
    def decoded(self) -> int:
        """How many pages were decoded so far."""
        return self._index + 1

    def get(self, index: int) -> PageImage:
        """Page ``index`` (0-based); indices must not decrease between calls.

        Raises:
            UsageError: an index lower than the previous one, or beyond the sample's pages.
            InputError: the page's file cannot be read.
        """
        if index < self._index:
            raise UsageError(f"pages are read in order: page {index} after page {self._index}")
        if self._pages is None:
            self._pages = self._sample.iter_pages()
        while self._index < index:
            try:
                self._current = next(self._pages)
            except StopIteration:
                raise UsageError(
                    f"{self._sample.dataset}/{self._sample.sample_id} has no page {index}"
                ) from None
            self._index += 1
        assert self._current is not None
        return self._current
