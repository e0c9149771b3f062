"""Plain-text export: every page's text in reading order, pages separated by a form feed."""

from __future__ import annotations

import logging

from ocrxtract.document import Document

log = logging.getLogger(__name__)


def to_text(doc: Document) -> str:
    """The document's text in reading order (:meth:`Document.text`).

    Lines of a page are joined in the order given by :mod:`ocrxtract.layout.reading_order`; pages are
    separated by a form feed (``\\f``). An empty document gives ``""``. Plain text keeps no
    geometry, so it cannot be read back into a :class:`Document`.
    """
    return doc.text()
