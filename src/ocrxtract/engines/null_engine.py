"""The ``null`` engine: returns empty pages. Real, and cheap: pipelines are tested with it."""

from __future__ import annotations

from ocrxtract import __version__
from ocrxtract.document import Page
from ocrxtract.engines.base import Availability, OcrEngine
from ocrxtract.io import PageImage


class NullEngine(OcrEngine):
    """An engine that recognises nothing: every page comes back with no text."""

    name = "null"
    description = "Empty pages (for tests and pipeline checks)"
    reads_images = False
    user_facing = False

    @classmethod
    def availability(cls) -> Availability:
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        return __version__

    @classmethod
    def languages(cls) -> list[str]:
        return []

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        return Page(index=page.index, width=page.width, height=page.height, dpi=page.dpi), []
