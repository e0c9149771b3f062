"""Pages read a quarter turn off: text that runs up or down the page.

An OCR engine given a page turned by 90° (a landscape table scanned sideways) reads it as
columns of short, tall "words"; nothing after it (reading order, tables) can use them. These
pure functions of a reading tell such a page (:func:`quarter_turned`) and which of two readings
is the better one (:func:`reading_score`); turning the image and reading it again is up to the
caller, who holds the engine.
"""

from __future__ import annotations

from ocrxtract.document import Page

#: Least share (by characters) of the words in tall boxes for a page to count as turned.
TURNED_SHARE = 0.6
#: A word box counts as tall when its height is at least this many times its width.
TALL = 1.5
#: Shortest word (in characters) that is looked at: single characters are as tall as wide.
MIN_CHARS = 3


def quarter_turned(page: Page) -> bool:
    """Whether ``page``'s text mostly runs vertically (the image is a quarter turn off).

    Words of at least :data:`MIN_CHARS` characters are weighed by their length; the page is
    turned when :data:`TURNED_SHARE` of those characters are in boxes :data:`TALL` times
    higher than wide. A page without such words is not turned.
    """
    total = tall = 0
    for word in page.words():
        if len(word.text) < MIN_CHARS:
            continue
        total += len(word.text)
        if word.bbox.height >= TALL * max(word.bbox.width, 1):
            tall += len(word.text)
    return total > 0 and tall >= TURNED_SHARE * total


def reading_score(page: Page) -> float:
    """How much trustworthy text a reading holds: the sum over its words of their length
    times their confidence (1 when the engine gives none), upright words only."""
    score = 0.0
    for word in page.words():
        if word.bbox.height >= TALL * max(word.bbox.width, 1) and len(word.text) >= MIN_CHARS:
            continue
        confidence = 1.0 if word.confidence is None else word.confidence
        score += len(word.text) * confidence
    return score
