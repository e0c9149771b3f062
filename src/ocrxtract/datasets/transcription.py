"""Transcription conventions of HTR/OCR ground truth (ALTO, PAGE): what is text and what is not.

HTR-United corpora (eScriptorium exports) write things in their transcriptions that are *not* the
text on the page:

* placeholders for words nobody transcribed: ``~~~`` (one per non-typewritten word,
  Tapuscorpus), ``<>``, ``[?]`` / ``[???]`` (unreadable), ``¥`` (a signature, LECTAUREP);
* struck-out passages in ``⟦…⟧`` (``⟦⟧`` when their content was not transcribed);
* markup: ``^`` before superscript letters (``17^e``), ``_`` before underlined words
  (``_Plan _de``);
* entities escaped twice by the export (``&amp;amp;`` in the XML reads ``&amp;``).

:func:`clean_transcription` turns a raw transcription into the reference text and says whether
it held a placeholder: such a line cannot be scored line by line (the engine would be blamed for
reading words the ground truth leaves out). Markup alone does not make a line unscorable.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

#: Placeholders for untranscribed content, by name -> pattern.
PLACEHOLDERS: dict[str, re.Pattern[str]] = {
    "~~~": re.compile(r"~{3,}"),
    "<>": re.compile(r"<>"),
    "[?]": re.compile(r"\[\?+\]"),
    "¥": re.compile(r"¥"),
}
_STRUCK = re.compile(r"⟦([^⟦⟧]*)⟧")
_CARET = re.compile(r"\^")
_UNDERLINE = re.compile(r"(?<!\S)_(?=\w)")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class CleanText:
    """A cleaned transcription.

    Attributes:
        text: The reference text (may be empty): NFC, one space between words.
        placeholders: Placeholders found (``"~~~"``, ``"[?]"``, ``"⟦⟧"``…), in order.
        markup: Markup removed (``"^"``, ``"_"``, ``"&entity;"``).
    """

    text: str
    placeholders: tuple[str, ...] = ()
    markup: tuple[str, ...] = ()

    @property
    def scorable(self) -> bool:
        """True when the line can be scored on its own (non-empty, no placeholder)."""
        return bool(self.text) and not self.placeholders


def normalize_spaces(text: str) -> str:
    """NFC, every run of white space (no-break spaces included) as one space, stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def clean_transcription(raw: str) -> CleanText:
    """Reference text of one raw transcription (a line or a word) and what was removed.

    >>> clean_transcription("_Plan _de ~~~ 17^e").text
    'Plan de 17e'
    >>> clean_transcription("_Plan _de ~~~ 17^e").placeholders
    ('~~~',)
    """
    placeholders: list[str] = []
    markup: list[str] = []
    text = raw
    if _ENTITY.search(text):
        markup.append("&entity;")
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    if "⟦" in text:
        # Struck-out text: the ink is on the page but whether an engine should read it is
        # undecidable; keep the words, drop the brackets, never score the line alone.
        placeholders.append("⟦⟧")
        text = _STRUCK.sub(lambda m: m.group(1), text).replace("⟦", " ").replace("⟧", " ")
    for name, pattern in PLACEHOLDERS.items():
        if pattern.search(text):
            placeholders.append(name)
            text = pattern.sub(" ", text)
    if "^" in text:
        markup.append("^")
        text = _CARET.sub("", text)
    if _UNDERLINE.search(text):
        markup.append("_")
        text = _UNDERLINE.sub("", text)
    return CleanText(normalize_spaces(text), tuple(placeholders), tuple(markup))
