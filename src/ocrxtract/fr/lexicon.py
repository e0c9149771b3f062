"""French post-correction of OCR words against a word list: one unambiguous letter fixed.

A word is corrected only when all of this holds, so that a correction is rare and safe:

* it is made of lower-case letters (an elided ``l'`` / ``qu'`` ... in front is kept as it is;
  punctuation around the word is kept): numbers, amounts, dates, identifiers, e-mail addresses
  and URLs, words in capitals and capitalised words (proper nouns, sentence starts alike) are
  never touched;
* it has at least :data:`MIN_LENGTH` letters and is **not** in the word list (nor is it a known
  word plus a plural ``s``/``x``: the Debian list misses some plurals); it is not cut by a
  hyphen at the end of its line, nor the rest of a word cut at the end of the line before
  (:func:`correct_lines`), and holds no ``œ``/``æ`` (the list spells them ``oe``/``ae``);
* exactly **one** word of the list is one edit away (a letter replaced, added, removed, or two
  neighbours swapped). Two candidates or more: the word is left as read.

A missing accent counts as a letter: ``chatain`` becomes ``châtain`` when nothing else is one
edit away. Diplomatic transcriptions that keep an author's slips (``étainet``, ``metres``) count
such a fix as an error; on our typed pages the fixes still win (``benchmarks/post-correction.yml``).

The word list is Debian's ``wfrench`` (``/usr/share/dict/french``, 346 000 inflected forms,
read from the system, never shipped), read once per process; another list (UTF-8, one word per
line) can be named with ``$OCRXTRACT_FRENCH_WORDLIST``.

>>> lexicon = Lexicon.from_words(["actualité", "émission", "les"])
>>> correct_word("l'aotualité,", lexicon)
"l'actualité,"
>>> correct_word("Aotualité", lexicon) is None  # capitalised: a proper noun, maybe
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocrxtract.errors import MissingDependencyError

#: Where Debian's ``wfrench`` package puts its list.
DEFAULT_WORDLIST = Path("/usr/share/dict/french")
#: Environment variable naming another word list (UTF-8, one word per line).
ENV_WORDLIST = "OCRXTRACT_FRENCH_WORDLIST"
#: Shorter words are never corrected (too many neighbours, too little evidence).
MIN_LENGTH = 4

_ALPHABET = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ"
#: An elided article or pronoun before a word (l', d', qu', jusqu'...), lower case.
ELISION = r"(?:[a-zà-ÿœæ]{1,2}|jusqu|lorsqu|puisqu)['’]"
# punctuation before, an optional elision, the word, punctuation after
_WORD = re.compile(rf"^(\W*?)({ELISION})?([^\W\d_]+)(\W*)$")


@dataclass(frozen=True)
class Lexicon:
    """A set of known words (lower case)."""

    words: frozenset[str]

    @classmethod
    def from_words(cls, words: Iterable[str]) -> Lexicon:
        return cls(frozenset(w.strip().lower() for w in words if w.strip()))

    def knows(self, word: str) -> bool:
        """Whether ``word`` (lower case) is in the list, or is a listed word plus ``s``/``x``."""
        if word in self.words:
            return True
        return len(word) > MIN_LENGTH and word[-1] in "sx" and word[:-1] in self.words


def wordlist_path() -> Path:
    """``$OCRXTRACT_FRENCH_WORDLIST``, else :data:`DEFAULT_WORDLIST`."""
    return Path(os.environ.get(ENV_WORDLIST) or DEFAULT_WORDLIST)


@lru_cache(maxsize=4)
def _load(path: Path) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        return Lexicon.from_words(handle)


def require_wordlist() -> Path:
    """The French word list's path, checked without reading it (a run's settings are checked
    in the parent process; the workers read the list).

    Raises:
        MissingDependencyError: the list is not there; the message says how to install it.
    """
    path = wordlist_path()
    if not path.is_file():
        raise MissingDependencyError(
            f"the French word list {path}",
            "post-correct French OCR text",
            f"sudo apt-get install wfrench (or set {ENV_WORDLIST} to a word list, one per line)",
        )
    return path


def french_lexicon() -> Lexicon:
    """The French word list, read once per process.

    Raises:
        MissingDependencyError: the list is not there; the message says how to install it.
    """
    return _load(require_wordlist())


def _one_edit(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return set(deletes + swaps + replaces + inserts)


def correct_word(text: str, lexicon: Lexicon) -> str | None:
    """The corrected form of one OCR word (with its punctuation), or ``None`` to keep it.

    See the module docstring for when a word is corrected.
    """
    match = _WORD.match(text)
    if match is None:
        return None
    before, elision, core, after = match.groups()
    if len(core) < MIN_LENGTH or not core.islower() or "-" in after or lexicon.knows(core):
        return None
    if "œ" in core or "æ" in core:  # the Debian list spells them oe, ae
        return None
    candidates = [c for c in _one_edit(core) if c in lexicon.words]
    if len(candidates) != 1:
        return None
    return f"{before}{elision or ''}{candidates[0]}{after}"


def correct_lines(
    lines: Iterable[Sequence[str]], lexicon: Lexicon
) -> list[tuple[int, int, str, str]]:
    """Corrections of the words of consecutive lines: ``(line, word, old, new)`` each.

    Each line is given as its words. The first word of a line that follows a line ending in
    ``-`` is the end of a hyphenated word and is left alone.
    """
    changes = []
    hyphenated = False
    for number, words in enumerate(lines):
        for index, word in enumerate(words):
            if index == 0 and hyphenated:
                continue
            new = correct_word(word, lexicon)
            if new is not None:
                changes.append((number, index, word, new))
        hyphenated = bool(words) and words[-1].endswith("-")
    return changes
