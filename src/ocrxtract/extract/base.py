"""The extractor interface: a recognised document in, the same document with facts out."""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ocrxtract.document import Document
from ocrxtract.errors import InvalidOptionsError, OcrxtractError, RecognitionError

log = logging.getLogger(__name__)


class ExtractorOptions(BaseModel):
    """Options common to every extractor (none yet); subclasses add their own fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Extractor(ABC):
    """Abstract extractor.

    Subclasses set ``name``, ``options_class`` and ``produces`` and implement :meth:`_extract`.
    Like engines, they import heavy libraries inside their methods, keep no state between
    documents except loaded models, and are built from validated options.
    """

    name: ClassVar[str]
    options_class: ClassVar[type[ExtractorOptions]] = ExtractorOptions
    #: Short human description.
    description: ClassVar[str] = ""
    #: What it fills in: ``fields``, ``tables``, ``structure`` (scorers that need it use it).
    produces: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, options: ExtractorOptions | dict[str, Any] | None = None) -> None:
        self.options = self.parse_options(options)

    @classmethod
    def parse_options(cls, options: ExtractorOptions | dict[str, Any] | None) -> ExtractorOptions:
        """Validate ``options`` against the extractor's options class.

        Raises:
            InvalidOptionsError: unknown or ill-typed option, with pydantic's explanation.
        """
        if isinstance(options, cls.options_class):
            return options
        raw = options.model_dump() if isinstance(options, BaseModel) else dict(options or {})
        try:
            return cls.options_class.model_validate(raw)
        except ValidationError as exc:
            raise InvalidOptionsError(f"invalid options for extractor {cls.name!r}: {exc}") from exc

    @classmethod
    def version(cls) -> str:
        """Version of what the extractor runs (its model, its rules); part of cache keys."""
        return "1"

    @abstractmethod
    def _extract(self, document: Document) -> Document:
        """Return ``document`` (a copy) with what the extractor found filled in."""

    def extract(self, document: Document) -> Document:
        """Extract from ``document``; the input is left as it was.

        Raises:
            RecognitionError: the extractor failed (a third-party failure, located).
        """
        start = time.perf_counter()
        try:
            result = self._extract(document.model_copy(deep=True))
        except OcrxtractError:
            raise
        except Exception as exc:  # a failure becomes a typed, located error
            raise RecognitionError(
                f"extractor {self.name!r} failed on {document.source}: {type(exc).__name__}: {exc}"
            ) from exc
        log.debug("%s on %s: %.3f s", self.name, document.source, time.perf_counter() - start)
        return result
