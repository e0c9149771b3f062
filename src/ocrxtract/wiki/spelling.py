"""French spelling check of the wiki's hand-written pages (``python -m ocrxtract.wiki.spelling``).

Every lower-case word of a page's prose must be in Debian's French word list
(:func:`ocrxtract.fr.lexicon.french_lexicon`, ``wfrench``) or in the wiki's own list of allowed
words (``allowed_words.txt`` beside this module: engine names, neologisms such as
*reconnaisseur*, the English terms the pages quote). Capitalised words (names, acronyms, the
first word of a sentence) are not checked, nor code, links' targets, URLs, HTML comments and
attribute lists. Generated pages (their first lines say ``Page générée``, and the snippets under
``_generated/``) are left out: their text comes from English docstrings and data files.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ocrxtract.fr.lexicon import ELISION, Lexicon, french_lexicon

ALLOWED = Path(__file__).with_name("allowed_words.txt")
#: Pages whose first lines carry this are generated (see :func:`ocrxtract.wiki.common.banner`).
GENERATED_MARK = "Page générée"

_STRIPPED = (
    re.compile(r"```.*?```", re.S),  # code blocks
    re.compile(r"<!--.*?-->", re.S),  # comments
    re.compile(r"`[^`]+`"),  # inline code (may run over a line break)
    re.compile(r"\]\([^)\s]*\)"),  # link targets (the link text is kept)
    re.compile(r"https?://\S+"),
    re.compile(r"\{[^}\n]*\}"),  # attribute lists: { #anchor }
    re.compile(r'^--8<-- ".*"$', re.M),  # snippet includes
    re.compile(r"!!! \w+"),  # admonition keywords
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ELISION = re.compile(rf"^{ELISION}")
MIN_LENGTH = 3


@dataclass(frozen=True)
class Misspelling:
    """A word of a page that no list knows."""

    page: str
    line: int
    word: str


def prose(markdown: str) -> str:
    """The page with what is not French prose blanked out, line numbers kept."""
    for pattern in _STRIPPED:
        markdown = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), markdown)
    return markdown


def _allowed(word: str, allowed: frozenset[str]) -> bool:
    """In the wiki's list, as listed or in the plural (``préentraînés``)."""
    return word in allowed or (word[-1:] in ("s", "x") and word[:-1] in allowed)


def _known(word: str, words: Lexicon, allowed: frozenset[str]) -> bool:
    folded = word.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    if words.knows(folded) or _allowed(folded, allowed):
        return True
    bare = _ELISION.sub("", folded)
    if bare != folded and (len(bare) < MIN_LENGTH or words.knows(bare) or _allowed(bare, allowed)):
        return True
    # a compound or a verb and its pronoun (vérifiez-la, a-t-il): every part of 3+ letters
    parts = [p for p in re.split(r"[-']", bare) if len(p) >= MIN_LENGTH]
    compound = "-" in bare or "'" in bare
    return compound and all(words.knows(p) or _allowed(p, allowed) for p in parts)


def misspellings(
    page: str, markdown: str, words: Lexicon, allowed: frozenset[str]
) -> Iterator[Misspelling]:
    """The lower-case words of ``markdown``'s prose that neither list knows."""
    for number, line in enumerate(prose(markdown).splitlines(), start=1):
        for token in _TOKEN.findall(line):
            if any(c.isupper() for c in token) or len(token) < MIN_LENGTH:
                continue
            if not _known(token, words, allowed):
                yield Misspelling(page, number, token)


def hand_written_pages(wiki: Path) -> list[Path]:
    """The wiki's Markdown pages that are not generated."""
    pages = []
    for path in sorted(wiki.rglob("*.md")):
        if "_generated" in path.relative_to(wiki).parts:
            continue
        with path.open(encoding="utf-8") as handle:
            head = "".join(handle.readline() for _ in range(5))
        if GENERATED_MARK not in head:
            pages.append(path)
    return pages


def allowed_words(path: Path = ALLOWED) -> frozenset[str]:
    """The wiki's own allowed words (one per line, ``#`` comments), lower case."""
    lines = (line.split("#", 1)[0].strip().lower() for line in path.read_text("utf-8").split("\n"))
    return frozenset(line for line in lines if line)


def check(wiki: Path, words: Lexicon | None = None) -> list[Misspelling]:
    """Every misspelling of the wiki's hand-written pages.

    Raises:
        MissingDependencyError: Debian's French word list is not installed.
    """
    known = words if words is not None else french_lexicon()
    allowed = allowed_words()
    found: list[Misspelling] = []
    for path in hand_written_pages(wiki):
        page = str(path.relative_to(wiki))
        found += misspellings(page, path.read_text(encoding="utf-8"), known, allowed)
    return found


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    wiki = Path(args[0]) if args else Path("wiki")
    found = check(wiki)
    for miss in found:
        print(f"{wiki / miss.page}:{miss.line}: {miss.word}")
    if found:
        print(
            f"{len(found)} unknown word(s): fix the spelling, or add the word to {ALLOWED}",
            file=sys.stderr,
        )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
