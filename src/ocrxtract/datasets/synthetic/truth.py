"""The ground truth of one generated page, as written next to its image (our own JSON format).

One JSON file per page (``truth/<sample_id>.json``)::

    {
      "format": "ocrxtract-synthetic", "version": 1,
      "sample_id": "0007-facture-scan", "doc_type": "facture", "template": "classic",
      "difficulty": "scan", "seed": 123456, "image": "images/0007-facture-scan.jpg",
      "width": 2538, "height": 3571, "dpi": 300.0,
      "text": "BULLETIN DE PAIE\nPériode du ...",  (the reference text, see below)
      "document": {... ocrxtract.document.Document: words and lines with pixel boxes ...},
      "fields": {"total_ttc": {"value": "1 234,56 €", "bbox": {"x0": ..}}, ...},
      "tables": [{... ocrxtract.datasets.Table: cells with row/col spans, HTML ...}],
      "degradation": {"level": "scan", "backend": "native", "params": {"angle": 0.8, ..}}
    }

Boxes are integer pixels of the image file, top-left origin (see :mod:`ocrxtract.document`);
after a rotation or a perspective, words and lines carry polygons and their boxes bound them.

The reference text is computed on the clean page (:func:`reference_text`) and does not change
with the degradation: the lines grouped in visual rows, rows top to bottom, the segments of a
row left to right joined by one space (a table reads row by row, a label and its amount far to
the right share a row), rotated stamps last. This is the row order used for the SROIE and FUNSD
references, and the order engines give for such layouts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from ocrxtract.datasets.geometry import group_rows
from ocrxtract.document import BBox, Document, Page, Table

FORMAT_NAME = "ocrxtract-synthetic"
FORMAT_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldTruth(_Model):
    """A key field: its value as printed and the box of its words (pixels)."""

    value: str
    bbox: BBox | None = None


class Degradation(_Model):
    """What was done to the clean page: level name, backend and drawn parameters."""

    level: str = "clean"
    backend: Literal["native", "augraphy"] = "native"
    params: dict[str, float | int | str] = Field(default_factory=dict)


class PageTruth(_Model):
    """Everything known about one generated page."""

    format: Literal["ocrxtract-synthetic"] = "ocrxtract-synthetic"
    version: int = FORMAT_VERSION
    sample_id: str
    doc_type: str
    template: str
    difficulty: str = "clean"
    seed: int
    image: str = ""
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    dpi: float | None = Field(default=None, gt=0)
    text: str = ""
    document: Document
    fields: dict[str, FieldTruth] = Field(default_factory=dict)
    tables: list[Table] = Field(default_factory=list)
    degradation: Degradation = Field(default_factory=Degradation)

    def to_json(self) -> str:
        """Deterministic JSON (same truth, same bytes), UTF-8 text, one space indent."""
        return self.model_dump_json(indent=1) + "\n"

    @classmethod
    def from_json(cls, data: str | bytes) -> PageTruth:
        """Read a page's ground truth back (validated)."""
        return cls.model_validate_json(data)


def reference_text(page: Page) -> str:
    """The reference text of a clean generated page (see the module doc)."""
    flat = [line for line in page.lines() if line.polygon is None]
    rotated = [line for line in page.lines() if line.polygon is not None]
    rows = group_rows(flat, lambda line: line.bbox)
    texts = [" ".join(line.text for line in row) for row in rows]
    texts += [line.text for line in rotated]
    return "\n".join(texts)


@dataclass(frozen=True)
class RenderedPage:
    """A generated page image and its exact ground truth (boxes in the image's pixels)."""

    image: Image.Image
    truth: PageTruth
    #: How the writer saves the image: ``png`` or ``jpeg`` (at ``quality``).
    encoding: str = "png"
    quality: int = 0
    #: The file's bytes when they are fixed by a lossy encoding (``None``: the writer encodes).
    data: bytes | None = None

    @property
    def text(self) -> str:
        """Reference text: the clean page's lines in visual rows (:func:`.truth.reference_text`)."""
        return self.truth.text
