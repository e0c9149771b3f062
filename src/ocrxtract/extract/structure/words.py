"""Re-flowing lines into paragraphs: hyphenation undone only where the joined word is a word.

A line that ends with a hyphen before a line that starts with a lower-case letter is either a
word cut by hyphenation (``règle-`` / ``ment``) or a compound split at its hyphen
(``porte-`` / ``parole``). :func:`join_lines` joins the two halves without the hyphen only when
the joined word is known to the :class:`Lexicon` — the French and English word lists shipped
by ``pyspellchecker`` (extra ``structure``), plus every word the document itself writes
unbroken — and keeps the hyphen otherwise (``porte-parole``, ``COVID-19``).
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

log = logging.getLogger(__name__)

#: Languages whose word lists are loaded by default.
DEFAULT_LANGUAGES = ("fr", "en")

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_LEADING_WORD = re.compile(r"^[^\W\d_]+")
_TRAILING_WORD = re.compile(r"[^\W\d_]+$")


@lru_cache(maxsize=8)
def _word_list(language: str) -> frozenset[str]:
    """The word list of ``language`` shipped by pyspellchecker (empty when absent)."""
    spec = find_spec("spellchecker")
    if spec is None or spec.origin is None:
        log.info("pyspellchecker is not installed: hyphenation relies on the document's words")
        return frozenset()
    path = Path(spec.origin).parent / "resources" / f"{language}.json.gz"
    if not path.is_file():
        return frozenset()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(json.load(handle))


class Lexicon:
    """Known words: shipped word lists (lower case) and the document's own words."""

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES) -> None:
        self.languages = tuple(languages)
        self.document: set[str] = set()

    def learn(self, texts: Iterable[str]) -> None:
        """Add the words written in ``texts`` (the document's own vocabulary)."""
        for text in texts:
            self.document.update(w.casefold() for w in _WORD.findall(text))

    def __contains__(self, word: str) -> bool:
        folded = word.casefold()
        if folded in self.document:
            return True
        return any(folded in _word_list(language) for language in self.languages)


def join_lines(left: str, right: str, lexicon: Lexicon | None, hyphen: bool = False) -> str:
    """Join two consecutive lines of a paragraph.

    Args:
        left: The text so far (ends with the previous line).
        right: The next line.
        lexicon: Known words, to undo hyphenation (``None``: hyphens kept).
        hyphen: PDFium marked the hyphen ending ``left`` as a line-end hyphenation (noted
            only: the joined word must still be a word).

    Returns:
        ``left`` and ``right`` joined by a space, or by nothing when ``left`` ends with a
        hyphen (the hyphen dropped when the joined word is a word).
    """
    if not left:
        return right
    if not right:
        return left
    if left.endswith(("-", "‐", "\u00ad")) and len(left) > 1 and left[-2].isalpha():
        head = _TRAILING_WORD.search(left[:-1])
        tail = _LEADING_WORD.match(right)
        if head and tail and right[0].islower():
            joined = head.group(0) + tail.group(0)
            if lexicon is not None and joined in lexicon:
                return left[:-1] + right
        return left + right
    return f"{left} {right}"
