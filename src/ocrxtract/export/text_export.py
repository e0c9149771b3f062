"""Plain-text export: every page's text in reading order, pages separated by a form feed."""

from __future__ import annotations

import logging

from ocrxtract.document import Document

log = logging.getLogger(__name__)


def to_text(doc: Document) -> str:
    """The document's text (:meth:`Document.text`): each page's lines in their stored order.

    The pipeline stores pages in reading order (:func:`ocrxtract.layout.order_page`), so this
    is the text as a person reads it, in the same order as the ALTO and hOCR exports. Pages are
    separated by a form feed (``\\f``). An empty document gives ``""``. Plain text keeps no
    geometry, so it cannot be read back into a :class:`Document`.
    """
    return doc.text()
