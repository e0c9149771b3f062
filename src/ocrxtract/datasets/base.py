"""What a dataset loader produces: :class:`Sample` and its parts, and the dataset errors.

A sample is one document of a dataset: where its page images are (read lazily, only when a
benchmark asks for them), its ground truth as a :class:`~ocrxtract.document.Document` (pixel
boxes, top-left origin, in the space of the page images as :mod:`ocrxtract.io` loads them), the
plain reference text, the lines usable for line-level scoring, key fields, tables and notes on
what the loader had to work around.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ocrxtract.document import BBox, Document, Table
from ocrxtract.errors import UsageError
from ocrxtract.io import PageImage

log = logging.getLogger(__name__)

#: Resolution at which PDF pages are rendered when the dataset does not say otherwise.
DEFAULT_RENDER_DPI = 300


# --- parts of a sample ----------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScorableLine(_Frozen):
    """A ground-truth line usable for line-level scoring (crop its box, read, compare).

    Lines holding placeholders for untranscribed words are never scorable lines.
    """

    page_index: int = Field(ge=0)
    bbox: BBox
    text: str = Field(min_length=1)


class UntranscribedZone(_Frozen):
    """A zone of a page holding text the ground truth leaves out on purpose: a line whose every
    word is a placeholder (``~~~`` for handwriting or a stamp on a typewritten page, ``⟦⟧`` for a
    struck-out passage). An engine that reads it is not wrong, and the reference has nothing to
    compare it with: the ``transcribed_cer`` metric leaves out what an engine read there."""

    page_index: int = Field(ge=0)
    bbox: BBox


@dataclass(frozen=True)
class PageRef:
    """Where one ground-truth page comes from.

    Attributes:
        path: The file (image, TIFF, PDF, or a container such as a Parquet file).
        index: 0-based page in that file (matters for PDFs and TIFFs).
        loader: For pages that are not a plain file page (generated, or image bytes inside a
            container): a function that returns the page image.
    """

    path: Path | None
    index: int = 0
    loader: Callable[[], PageImage] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Sample:
    """One document of a dataset with its ground truth.

    Attributes:
        dataset: Dataset name (as in ``datasets.yml``).
        sample_id: Identifier, unique in the dataset (usually the file stem).
        pages: One :class:`PageRef` per ground-truth page, in order.
        truth: Ground-truth document: integer pixel boxes in the space of the page images as
            loaded by :meth:`iter_pages` (PDFs rendered at ``dpi``).
        text: Plain reference text (reading order where the format allows; pages separated
            by a form feed), placeholders and markup removed.
        split: Split the sample belongs to (``train``, ``test``…), when known.
        dpi: Real resolution of the page images; for PDFs, the rendering resolution in which
            the boxes are expressed. ``None`` when unknown (e.g. files stating 72/96 dpi).
        scorable_lines: Lines usable for line-level scoring.
        untranscribed: Zones whose text the ground truth leaves out on purpose (lines of
            placeholders only).
        fields: Key fields, name -> value as written in the ground truth.
        tables: Tables with cells (row/col spans) and HTML.
        notes: What the loader worked around for this sample (quirks met).
        tags: What the sample is, for results broken down by it: ``doc_type`` (payslip,
            receipt...) and ``difficulty`` (clean, scan...) when the dataset knows them.
    """

    dataset: str
    sample_id: str
    pages: tuple[PageRef, ...]
    truth: Document
    text: str
    split: str | None = None
    dpi: float | None = None
    scorable_lines: tuple[ScorableLine, ...] = ()
    untranscribed: tuple[UntranscribedZone, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict)
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def image_paths(self) -> tuple[Path, ...]:
        """The distinct files holding the pages, in page order."""
        seen: dict[Path, None] = {}
        for ref in self.pages:
            if ref.path is not None:
                seen.setdefault(ref.path, None)
        return tuple(seen)

    def iter_pages(self) -> Iterator[PageImage]:
        """Read the page images lazily, one per ground-truth page, in order.

        Images get the sample's dpi when their file states none; PDFs are rendered at the
        sample's dpi (the resolution the ground-truth boxes are expressed in).

        Raises:
            InputError: a page file is missing or unreadable (names the file).
        """
        from ocrxtract.io import iter_pages

        dpi = self.dpi or DEFAULT_RENDER_DPI
        index = 0
        while index < len(self.pages):
            ref = self.pages[index]
            if ref.loader is not None:
                yield ref.loader()
                index += 1
                continue
            if ref.path is None:
                raise UsageError(f"{self.dataset}/{self.sample_id}: page {index} has no file")
            # Consecutive pages of one file are read in one pass (a PDF is opened once).
            run = [ref.index]
            index += 1
            while (
                index < len(self.pages)
                and self.pages[index].loader is None
                and self.pages[index].path == ref.path
            ):
                run.append(self.pages[index].index)
                index += 1
            yield from iter_pages(ref.path, dpi=dpi, assume_dpi=self.dpi, pages=run)

    def load_pages(self) -> list[PageImage]:
        """Every page image of the sample, in a list (see :meth:`iter_pages`)."""
        return list(self.iter_pages())


# --- what a loader's discovery step returns --------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One sample found on disk, not parsed yet (discovery is cheap; parsing is lazy).

    Attributes:
        sample_id: Identifier of the sample in the dataset.
        split: Its split, when known.
        files: The files of the sample by role (``"image"``, ``"gt"``, ``"pdf"``…).
        extra: Anything else the loader needs (row number in a Parquet file, seed…).
    """

    sample_id: str
    split: str | None
    files: Mapping[str, Path] = field(default_factory=dict)
    extra: Mapping[str, object] = field(default_factory=dict)


@dataclass
class Discovery:
    """The samples of a dataset found under a root, and the files that were left aside."""

    root: Path | None
    items: list[Item] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    layout: str = ""
