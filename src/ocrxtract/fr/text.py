"""French typography folded: the small text transformations that normalisations are built from.

Each transformation is a function ``str -> str`` usable alone. :data:`EXACT_STEPS` and
:data:`FOLDED_STEPS` are the two step lists that :mod:`ocrxtract.metrics.text` names ``exact``
and ``folded``:

* ``exact``: Unicode NFC, then whitespace collapsed (runs of spaces, tabs, newlines, form feeds
  and no-break spaces become one space; ends stripped).
* ``folded``: ``exact``, then no-break and narrow no-break spaces -> space; ligatures
  ``œ æ ﬁ ﬂ`` -> ``oe ae fi fl``; case folded; accents stripped; typographic quotes and
  guillemets -> ``'`` and ``"``; dashes and the minus sign -> ``-``; whitespace collapsed again.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable

log = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Unicode canonical composition: ``e`` + combining acute and ``é`` become the same."""
    return unicodedata.normalize("NFC", text)


def collapse_whitespace(text: str) -> str:
    """Runs of Unicode whitespace (no-break spaces included) -> one space; ends stripped."""
    return _SPACES.sub(" ", text).strip()


_SPACE_TABLE = str.maketrans(dict.fromkeys("\u00a0\u202f\u2007\u2009", " "))


def spaces_to_ascii(text: str) -> str:
    """No-break, narrow no-break, figure and thin spaces -> an ordinary space."""
    return text.translate(_SPACE_TABLE)


_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ﬁ": "fi", "ﬂ": "fl"}
_LIGATURE_TABLE = str.maketrans(_LIGATURES)


def expand_ligatures(text: str) -> str:
    """``œ æ ﬁ ﬂ`` (and capitals ``Œ Æ``) -> ``oe ae fi fl``."""
    return text.translate(_LIGATURE_TABLE)


def casefold(text: str) -> str:
    """Case folding (``str.casefold``: like lower-casing, and ``ß`` -> ``ss``)."""
    return text.casefold()


def strip_accents(text: str) -> str:
    """Drop combining marks after canonical decomposition (``é`` -> ``e``, ``ç`` -> ``c``).

    Letters that do not decompose (``ø``, ``ł``) are kept as they are. The result is NFC.
    """
    decomposed = unicodedata.normalize("NFD", text)
    return nfc("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


_QUOTE_TABLE = str.maketrans({**dict.fromkeys("’‘‚‛ʼ‹›", "'"), **dict.fromkeys("«»“”„‟", '"')})


def fold_quotes(text: str) -> str:
    """Typographic single quotes and apostrophes -> ``'``; double quotes, guillemets -> ``"``."""
    return text.translate(_QUOTE_TABLE)


_DASH_TABLE = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))


def fold_dashes(text: str) -> str:
    """Hyphens, en and em dashes, the horizontal bar and the minus sign -> ``-``."""
    return text.translate(_DASH_TABLE)


#: The ``exact`` normalisation: NFC, whitespace collapsed.
EXACT_STEPS: tuple[Callable[[str], str], ...] = (nfc, collapse_whitespace)
#: The ``folded`` normalisation: ``exact``, then the typographic variants folded.
FOLDED_STEPS: tuple[Callable[[str], str], ...] = (
    *EXACT_STEPS,
    spaces_to_ascii,
    expand_ligatures,
    casefold,
    strip_accents,
    fold_quotes,
    fold_dashes,
    collapse_whitespace,
)


def normalize_text_field(text: str) -> str:
    """The ``folded`` normalisation (which also collapses whitespace).

    >>> normalize_text_field("  L’Œuvre   Générale ")
    "l'oeuvre generale"
    """
    for step in FOLDED_STEPS:
        text = step(text)
    return text
