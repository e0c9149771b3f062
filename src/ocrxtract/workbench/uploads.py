"""Documents given to the comparison app: uploaded files and dataset samples, page by page.

The app (``app/``) never touches files itself. An upload stays in memory as bytes and is read
from there (:class:`ocrxtract.pipeline.BytesInput`): no temporary file is ever written, and
showing page *k* of a PDF renders page *k* only. The text layer of a PDF page is read while the
page is rendered and travels with it.

Every error names the upload by the name the user gave it and says how to fix it. Limits
(:class:`UploadLimits`) come from the environment so that whoever runs the app can set them::

    OCRXTRACT_APP_MAX_MB=20 OCRXTRACT_APP_MAX_PAGES=5 streamlit run app/streamlit_app.py
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

from ocrxtract.datasets.base import Sample
from ocrxtract.document import Document, Page
from ocrxtract.errors import EmptyInputError, InputError, InputTooLargeError, UsageError
from ocrxtract.io import InputLimits, PageImage, count_pages
from ocrxtract.pipeline import BytesInput, DocumentInput

log = logging.getLogger(__name__)

ENV_MAX_MB = "OCRXTRACT_APP_MAX_MB"
ENV_MAX_PAGES = "OCRXTRACT_APP_MAX_PAGES"
DEFAULT_MAX_MB = 50
DEFAULT_MAX_PAGES = 20
#: Resolution at which uploaded PDF pages are rendered unless the user picks another.
DEFAULT_DPI = 200
#: Extensions the upload widget offers (the real type is always read from the content).
UPLOAD_TYPES: tuple[str, ...] = ("png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "pdf")


@dataclass(frozen=True)
class UploadLimits:
    """Limits on what users may upload to the app.

    Attributes:
        max_mb: Largest file, in MiB.
        max_pages: Most pages in one document.
        max_pixels: Most pixels in one page image (refuses decompression bombs).
    """

    max_mb: int = DEFAULT_MAX_MB
    max_pages: int = DEFAULT_MAX_PAGES
    max_pixels: int = InputLimits().max_pixels

    def __post_init__(self) -> None:
        for name in ("max_mb", "max_pages", "max_pixels"):
            if getattr(self, name) < 1:
                raise UsageError(f"UploadLimits.{name} must be a positive integer")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> UploadLimits:
        """Limits from ``OCRXTRACT_APP_MAX_MB`` and ``OCRXTRACT_APP_MAX_PAGES`` (or defaults).

        Raises:
            UsageError: a variable is set to something other than a positive integer.
        """
        env = os.environ if environ is None else environ
        values = {}
        for variable, field, default in (
            (ENV_MAX_MB, "max_mb", DEFAULT_MAX_MB),
            (ENV_MAX_PAGES, "max_pages", DEFAULT_MAX_PAGES),
        ):
            raw = env.get(variable, "").strip()
            if not raw:
                values[field] = default
                continue
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value < 1:
                raise UsageError(
                    f"{variable}={raw!r} is not a positive integer; set it to e.g. {default}, "
                    "or unset it to use the default"
                )
            values[field] = value
        return cls(**values)

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024

    def input_limits(self) -> InputLimits:
        """The :class:`~ocrxtract.io.InputLimits` that reading an upload applies."""
        return InputLimits(
            max_pixels=self.max_pixels, max_pages=self.max_pages, max_file_bytes=self.max_bytes
        )

    def check_size(self, name: str, size: int) -> None:
        """Refuse an empty upload or one larger than :attr:`max_mb`.

        Raises:
            EmptyInputError: ``size`` is 0.
            InputTooLargeError: ``size`` exceeds the limit.
        """
        if size == 0:
            raise EmptyInputError(name, "the file is empty (0 bytes)", "upload the file again")
        if size > self.max_bytes:
            raise InputTooLargeError(
                name,
                f"the file has {size / 1024 / 1024:.1f} MiB, more than the limit of "
                f"{self.max_mb} MiB",
                f"upload a smaller file (fewer pages, lower resolution), or start the app with "
                f"{ENV_MAX_MB} set higher",
            )


class AppDocument(ABC):
    """A document the app shows: its pages, read one at a time, and a reference when known.

    Attributes:
        name: What the user calls it (file name, or ``dataset/sample``).
        key: Identifies the content *and* how it is read (hash of the bytes and the dpi); the
            app caches results under it.
        reference: The ground-truth text, pages separated by form feeds, when known.
    """

    name: str
    key: str
    reference: str | None = None

    @abstractmethod
    def as_input(self) -> DocumentInput:
        """The document as the pipeline reads it (:func:`ocrxtract.pipeline.run`)."""

    def page_count(self) -> int:
        """Number of pages.

        Raises:
            InputError: the document cannot be read or has more pages than allowed.
        """
        return self.as_input().count_pages()

    def page_image(self, index: int) -> PageImage:
        """The image of page ``index`` (0-based), and that page only, held in memory.

        Raises:
            InputError: the page cannot be read.
            UsageError: no such page.
        """
        pages = self.as_input().iter_pages([index])
        try:
            return next(iter(pages))
        finally:
            close = getattr(pages, "close", None)
            if close is not None:
                close()

    def to_document(self, pages: list[Page], engine: str) -> Document:
        """A document of recognised ``pages``, named after this one."""
        return Document(source=self.name, pages=pages, metadata={"engine": engine})


class UploadedDocument(AppDocument):
    """A file uploaded to the app, held (and read) in memory as bytes.

    Args:
        name: The file name the user uploaded.
        data: Its content.
        dpi: Resolution at which PDF pages are rendered.
        limits: Size, page and pixel limits.

    Raises:
        EmptyInputError, InputTooLargeError: the upload is empty or too large.
    """

    def __init__(
        self,
        name: str,
        data: bytes,
        *,
        dpi: float = DEFAULT_DPI,
        limits: UploadLimits | None = None,
    ) -> None:
        self.limits = limits or UploadLimits()
        self.limits.check_size(name, len(data))
        if not dpi > 0:
            raise UsageError(f"dpi must be positive, not {dpi!r}")
        self.name = name
        self.data = bytes(data)
        self.dpi = float(dpi)
        self.digest = hashlib.sha256(self.data).hexdigest()
        self.key = f"upload:{self.digest}@{self.dpi:g}dpi"
        self.reference = None
        self._count: int | None = None

    def as_input(self) -> BytesInput:
        return BytesInput(self.name, self.data, dpi=self.dpi, limits=self.limits.input_limits())

    def page_count(self) -> int:
        if self._count is not None:
            return self._count
        # Count with a generous page limit, then apply the app's own, with its own fix.
        generous = dataclasses.replace(self.limits.input_limits(), max_pages=1_000_000)
        count = count_pages(self.data, generous, name=self.name)
        if count > self.limits.max_pages:
            raise InputTooLargeError(
                self.name,
                f"the document has {count} pages, more than the limit of {self.limits.max_pages}",
                f"upload fewer pages, or start the app with {ENV_MAX_PAGES} set higher",
            )
        self._count = count
        return count


@dataclass(frozen=True)
class SampleInput(DocumentInput):
    """A dataset sample's pages, read lazily, as a pipeline input."""

    sample: Sample

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{self.sample.dataset}/{self.sample.sample_id}"

    def count_pages(self) -> int:
        return len(self.sample.pages)

    def iter_pages(self, pages: Sequence[int] | None = None) -> Iterator[PageImage]:
        wanted = range(len(self.sample.pages)) if pages is None else list(pages)
        for index in wanted:
            if not 0 <= index < len(self.sample.pages):
                raise UsageError(
                    f"{self.name}: there is no page index {index} (it has "
                    f"{len(self.sample.pages)} page(s))"
                )
        if pages is None:
            yield from self.sample.iter_pages()
            return
        for index in wanted:
            one = self.sample.iter_pages()
            try:
                yield next(islice(one, index, index + 1))
            finally:
                close = getattr(one, "close", None)
                if close is not None:
                    close()


class SampleDocument(AppDocument):
    """A sample of an evaluation dataset, with its ground-truth text as the reference."""

    def __init__(self, sample: Sample) -> None:
        self.sample = sample
        self.name = f"{sample.dataset}/{sample.sample_id}"
        self.key = f"dataset:{sample.dataset}/{sample.sample_id}"
        self.reference = sample.text

    def as_input(self) -> SampleInput:
        return SampleInput(self.sample)


def load_uploads(
    files: list[tuple[str, bytes]], *, dpi: float = DEFAULT_DPI, limits: UploadLimits | None = None
) -> tuple[list[UploadedDocument], list[InputError]]:
    """Accept each (name, bytes) upload that passes the limits; collect the refused ones' errors.

    The page count of each accepted file is checked too, so a damaged, encrypted or too long
    document is refused here with its message instead of failing later.
    """
    accepted: list[UploadedDocument] = []
    refused: list[InputError] = []
    for name, data in files:
        try:
            document = UploadedDocument(name, data, dpi=dpi, limits=limits)
            document.page_count()
        except InputError as exc:
            log.info("upload %s refused: %s", name, exc)
            refused.append(exc)
            continue
        accepted.append(document)
    return accepted, refused
