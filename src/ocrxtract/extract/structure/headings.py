"""Headings: numbering, the style that sets a heading apart from the body, and levels.

**Numbering** (:func:`parse_numbering`): decimal ``1.``, ``1.2``, ``1.2.3`` (depth = number of
parts), roman ``I.``/``IV -``, letters ``A.``/``b)``, and keywords ``Article 4``, ``Annexe 2``,
``Chapitre III``, ``Titre I``, ``Partie 2``, ``Section 1`` (and their English forms).

**Candidates** (:func:`heading_score`): a short row (at most ``MAX_HEADING_CHARS`` characters,
not ending with a comma or semicolon — nor, unnumbered, with a full stop —, with letters, no
``=``, not a table-of-contents entry) set apart
from the body by a larger size (``SIZE_RATIO``), a bold face on almost every character when
the body is not bold, capitals, a coloured bold face, an italic face with a numbering or a
slightly larger size, or a keyword numbering.

**Levels** (:func:`assign_levels`): every heading gets a *signature*: its size (within
``SIZE_TOLERANCE`` points), weight, slant, capitals, family and colour, and its numbering kind.
Signatures are ranked by size (largest first), then decimal depth (``1.`` before ``1.2``),
bold before regular, capitals before not, and first appearance in the document; the rank is
the level (1-6). An unnumbered heading takes the level of the numbered headings that share
its style, when there are; decimal headings of one size, weight and depth share a level
whatever their slant, family or colour.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: A heading is at most this many characters long.
MAX_HEADING_CHARS = 200
#: Size above the body's by this ratio sets a row apart.
SIZE_RATIO = 1.12
#: Sizes within this many points are one size.
SIZE_TOLERANCE = 0.6
#: Sizes estimated from OCR line heights within this share of each other are one size.
UNSTYLED_SIZE_TOLERANCE = 0.12
#: Share of bold characters for a row to be bold.
BOLD_SHARE = 0.85

_ROMAN = r"(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
_KEYWORDS = {
    "partie": "part", "part": "part", "titre": "part", "livre": "part", "book": "part",
    "chapitre": "chapter", "chapter": "chapter", "section": "section",
    "article": "article", "art.": "article", "annexe": "annex", "annex": "annex",
    "appendix": "annex", "appendice": "annex",
}  # fmt: skip
_KEYWORD = re.compile(
    r"^(?P<word>partie|part|titre|livre|book|chapitre|chapter|section|article|art\.|annexe|"
    r"annex|appendix|appendice)\s+(?P<num>\d+(?:[.-]\d+)*|" + _ROMAN + r"|[A-Z]|premier|1er|"
    r"unique)\b\s*[.:–—-]?\s*",
    re.IGNORECASE,
)
_DECIMAL = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3}){0,5})(?:\.|\)|\s*[–—-])?(?=\s|$)\s*")
_ROMAN_NUM = re.compile(r"^(?P<num>" + _ROMAN + r")(?:\.|\)|\s*[–—-])(?=\s|$)\s*")
_LETTER = re.compile(r"^(?P<num>[A-Za-z])(?:\.|\))(?=\s|$)\s*")
_TOC_LEADER = re.compile(r"(?:\.{4,}|(?:… ?){2,}|(?:\. ){3,}|_{4,})\s*\d*\s*$")
_TOC_PAGE = re.compile(r"\s\d{1,4}$")


@dataclass(frozen=True)
class Numbering:
    """A heading's numbering: its text (``1.2``), kind and depth.

    ``kind`` is ``decimal``, ``roman``, ``upper``, ``lower`` or a keyword kind (``part``,
    ``chapter``, ``section``, ``article``, ``annex``); ``depth`` is the number of decimal parts
    (1 for every other kind).
    """

    label: str
    kind: str
    depth: int = 1


def parse_numbering(text: str) -> tuple[Numbering | None, str]:
    """The numbering that starts ``text`` and the rest of the text.

    >>> parse_numbering("1.2.3 Champ d'application")
    (Numbering(label='1.2.3', kind='decimal', depth=3), "Champ d'application")
    >>> parse_numbering("Article 4 - Durée")[0].kind
    'article'
    """
    stripped = text.strip()
    match = _KEYWORD.match(stripped)
    if match:
        kind = _KEYWORDS[match.group("word").lower()]
        label = f"{match.group('word')} {match.group('num')}"
        return Numbering(label, kind), stripped[match.end() :].strip()
    match = _DECIMAL.match(stripped)
    if match and match.group("num"):
        number = match.group("num")
        rest = stripped[match.end() :].strip()
        if rest and not rest[0].isdigit():
            return Numbering(number, "decimal", number.count(".") + 1), rest
    match = _ROMAN_NUM.match(stripped)
    if (
        match
        and match.group("num")
        and match.group("num") not in ("C", "D", "L", "M")  # letters, not 100, 500, 50, 1000
        and len(stripped) > match.end()
    ):
        return Numbering(match.group("num"), "roman"), stripped[match.end() :].strip()
    match = _LETTER.match(stripped)
    if match and len(stripped) > match.end():
        letter = match.group("num")
        kind = "upper" if letter.isupper() else "lower"
        return Numbering(letter, kind), stripped[match.end() :].strip()
    return None, stripped


def is_toc_entry(text: str) -> bool:
    """A table-of-contents entry: dotted leaders, or a title ending with a page number after
    leaders."""
    return bool(_TOC_LEADER.search(text))


def is_caps(text: str) -> bool:
    """Written in capitals (at least four letters, all upper case)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class BodyStyle:
    """The style of the running text: the most frequent size and weight, by characters."""

    size: float
    bold: bool
    color: tuple[int, int, int] = (0, 0, 0)
    family: str = ""


def heading_score(
    text: str,
    size: float,
    bold: float,
    body: BodyStyle,
    numbering: Numbering | None,
    *,
    color: tuple[int, int, int] = (0, 0, 0),
    italic: bool = False,
) -> bool:
    """Whether a row is set apart from the body like a heading (see the module docstring)."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or stripped.endswith((",", ";")):
        return False
    if not any(c.isalpha() for c in stripped) or is_toc_entry(stripped) or "=" in stripped:
        return False
    if numbering is None and stripped.endswith(".") and not stripped.endswith(".."):
        return False  # a sentence, or a lead-in: unnumbered headings carry no full stop
    bigger = size >= body.size * SIZE_RATIO
    bolder = bold >= BOLD_SHARE and not body.bold
    caps = is_caps(stripped) and len(stripped) <= 120
    coloured = color != body.color and max(color) - min(color) > 60 and bold >= BOLD_SHARE
    keyword = (
        numbering is not None
        and numbering.kind in ("part", "chapter", "section", "article", "annex")
        and _keyword_title(stripped)
    )
    slanted = (
        italic
        and len(stripped) <= 100
        and not stripped.endswith(".")
        and (numbering is not None or size >= body.size * 1.04)
    )
    if size < body.size / SIZE_RATIO and not (bolder or caps):
        return False  # small print (notes, captions) is not a heading
    return bigger or bolder or caps or coloured or keyword or slanted


def _keyword_title(text: str) -> bool:
    """``Article 4 - Durée``, ``Annexe 2``: a keyword heading, not a sentence that starts with
    ``Article 34 of the DSA requires``."""
    match = _KEYWORD.match(text)
    if match is None:
        return False
    rest = text[match.end() :].strip()
    return not rest or (len(text) <= 100 and rest[0].isupper() and not rest.endswith("."))


@dataclass(frozen=True)
class Signature:
    """What levels are ranked by: style and numbering kind."""

    size: float
    bold: bool
    italic: bool
    caps: bool
    family: str
    color: tuple[int, int, int]
    kind: str
    depth: int


def _merge_sizes(sizes: Sequence[float], relative: float = 0.0) -> dict[float, float]:
    """Each size -> the largest size within ``SIZE_TOLERANCE`` (or ``relative`` of the size,
    when larger) of it, chained."""
    mapping: dict[float, float] = {}
    group: list[float] = []
    for size in sorted(set(sizes), reverse=True):
        if group and group[-1] - size > max(SIZE_TOLERANCE, relative * group[-1]):
            group = []
        group.append(size)
        mapping[size] = group[0]
    return mapping


def assign_levels(signatures: Sequence[Signature], size_tolerance: float = 0.0) -> list[int]:
    """The level (1-6) of each heading, from its signature (see the module docstring).

    ``size_tolerance``: sizes within this share of each other are one (sizes estimated from
    OCR line heights vary; ``UNSTYLED_SIZE_TOLERANCE``).
    """
    if not signatures:
        return []
    sizes = _merge_sizes([s.size for s in signatures], size_tolerance)
    styled = [
        Signature(sizes[s.size], s.bold, s.italic, s.caps, s.family, s.color, s.kind, s.depth)
        for s in signatures
    ]
    # an unnumbered heading joins the shallowest numbered kind of the same style
    numbered: dict[tuple[object, ...], tuple[str, int]] = {}
    for s in styled:
        if s.kind != "none":
            style = (s.size, s.bold, s.italic, s.caps, s.family, s.color)
            known = numbered.get(style)
            shallower = s.kind == "decimal" and known is not None and known[0] == "decimal"
            if known is None or (shallower and s.depth < known[1]):
                numbered[style] = (s.kind, s.depth)
    keys: list[Signature] = []
    for s in styled:
        key = s
        if key.kind == "none":
            style = (s.size, s.bold, s.italic, s.caps, s.family, s.color)
            kind, depth = numbered.get(style, ("none", 1))
            key = Signature(s.size, s.bold, s.italic, s.caps, s.family, s.color, kind, depth)
        if key.kind == "decimal":  # the depth says the level: slant, family, colour do not
            key = Signature(key.size, key.bold, False, False, "", (0, 0, 0), key.kind, key.depth)
        keys.append(key)
    first: dict[Signature, int] = {}
    for position, s in enumerate(keys):
        first.setdefault(s, position)
    order = sorted(
        first,
        key=lambda s: (
            -s.size,
            s.depth if s.kind == "decimal" else 0,
            not s.bold,
            not s.caps,
            first[s],
        ),
    )
    rank = {s: min(6, position + 1) for position, s in enumerate(order)}
    return [rank[s] for s in keys]
