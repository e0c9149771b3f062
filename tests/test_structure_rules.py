"""Structure analysis, rule by rule: numbering, heading cues, levels, hyphenation, furniture.

Table-driven, with the expected values worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ocrxtract.extract.structure.headings import (
    BodyStyle,
    Numbering,
    Signature,
    assign_levels,
    heading_score,
    is_toc_entry,
    parse_numbering,
)
from ocrxtract.extract.structure.words import Lexicon, join_lines
from ocrxtract.layout import find_running, is_page_number


@pytest.mark.parametrize(
    ("text", "numbering", "rest"),
    [
        ("1. Introduction", Numbering("1", "decimal", 1), "Introduction"),
        ("1.2.3 Champ d'application", Numbering("1.2.3", "decimal", 3), "Champ d'application"),
        ("2.1 - Objet", Numbering("2.1", "decimal", 2), "Objet"),
        ("IV. Moyens", Numbering("IV", "roman", 1), "Moyens"),
        ("C. Recours", Numbering("C", "upper", 1), "Recours"),  # a letter, not 100
        ("b) suite", Numbering("b", "lower", 1), "suite"),
        ("Article 4 - Durée", Numbering("Article 4", "article", 1), "Durée"),
        ("Annexe 2", Numbering("Annexe 2", "annex", 1), ""),
        ("Chapitre III : Contrôle", Numbering("Chapitre III", "chapter", 1), "Contrôle"),
        ("Titre I - Dispositions", Numbering("Titre I", "part", 1), "Dispositions"),
        ("2024 en chiffres", None, "2024 en chiffres"),  # a year, not a number
        ("12 450", None, "12 450"),
        ("Introduction", None, "Introduction"),
    ],
)
def test_parse_numbering(text: str, numbering: Numbering | None, rest: str) -> None:
    assert parse_numbering(text) == (numbering, rest)


BODY = BodyStyle(size=10.0, bold=False)


@pytest.mark.parametrize(
    ("text", "size", "bold", "numbering", "italic", "expected"),
    [
        ("Contexte et objectifs", 14.0, 0.0, None, False, True),  # larger
        ("Contexte et objectifs", 10.0, 1.0, None, False, True),  # bold on a regular body
        ("1. Conclusions", 10.0, 0.0, Numbering("1", "decimal"), True, True),  # italic, numbered
        ("Conclusions", 10.0, 0.0, None, True, False),  # italic alone: an emphasis
        ("CONTEXTE GÉNÉRAL", 10.0, 0.0, None, False, True),  # capitals
        ("Article 4 - Durée", 10.0, 0.0, Numbering("Article 4", "article"), False, True),
        (
            "Article 34 of the DSA requires",
            10.0,
            0.0,
            Numbering("Article 34", "article"),
            False,
            False,
        ),
        ("Possible, Likely or Almost Certain.", 10.0, 1.0, None, False, False),  # a sentence
        ("Introduction ........ 3", 14.0, 1.0, None, False, False),  # table of contents
        ("a = b + c", 14.0, 1.0, None, False, False),  # a formula
        ("et la suite,", 14.0, 1.0, None, False, False),
        ("Note de bas de page", 7.0, 0.0, None, False, False),  # small print
        ("Le texte courant", 10.0, 0.0, None, False, False),
    ],
)
def test_heading_score(
    text: str, size: float, bold: float, numbering: Numbering | None, italic: bool, expected: bool
) -> None:
    assert heading_score(text, size, bold, BODY, numbering, italic=italic) is expected


def _sig(
    size: float, bold: bool = True, kind: str = "none", depth: int = 1, **kw: object
) -> Signature:
    values = {"italic": False, "caps": False, "family": "F", "color": (0, 0, 0)}
    values.update(kw)
    return Signature(size, bold, kind=kind, depth=depth, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("signatures", "levels"),
    [
        # sizes rank first
        ([_sig(16), _sig(13), _sig(11), _sig(13)], [1, 2, 3, 2]),
        # one style, decimal depths: depth ranks
        ([_sig(11, kind="decimal", depth=1), _sig(11, kind="decimal", depth=2)], [1, 2]),
        # roman then letters then numbers in one style: first appearance ranks
        ([_sig(11, kind="roman"), _sig(11, kind="upper"), _sig(11, kind="decimal")], [1, 2, 3]),
        # an unnumbered heading joins the numbered ones of its style
        ([_sig(12, kind="decimal"), _sig(12), _sig(10, kind="decimal", depth=2)], [1, 1, 2]),
        # decimal headings of one depth share a level whatever their family or colour
        (
            [
                _sig(11, kind="decimal", depth=3, family="A"),
                _sig(11, kind="decimal", depth=3, color=(200, 0, 0)),
            ],
            [1, 1],
        ),
        # bold before regular at one size; sizes within 0.6 pt are one
        ([_sig(11, bold=False), _sig(11.4, bold=True)], [2, 1]),
        ([], []),
    ],
)
def test_assign_levels(signatures: list[Signature], levels: list[int]) -> None:
    assert assign_levels(signatures) == levels


def test_levels_stop_at_six() -> None:
    signatures = [_sig(30 - 2 * i) for i in range(8)]
    assert assign_levels(signatures) == [1, 2, 3, 4, 5, 6, 6, 6]


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("le règle-", "ment du 4 mars", "le règlement du 4 mars"),  # joined: a French word
        ("the regu-", "lation applies", "the regulation applies"),  # English too
        ("le porte-", "parole a dit", "le porte-parole a dit"),  # a compound keeps its hyphen
        ("COVID-", "19 cases", "COVID-19 cases"),  # not a letter after: kept, no space
        ("Jean-", "Pierre", "Jean-Pierre"),  # upper case after: kept
        ("un texte", "suivant", "un texte suivant"),
        ("", "début", "début"),
        ("fin", "", "fin"),
    ],
)
def test_join_lines(left: str, right: str, expected: str) -> None:
    pytest.importorskip("spellchecker")
    assert join_lines(left, right, Lexicon()) == expected


def test_document_words_decide_without_word_lists() -> None:
    lexicon = Lexicon(languages=())  # no shipped list
    assert join_lines("la trans-", "parence", lexicon) == "la trans-parence"
    lexicon.learn(["La transparence est due."])
    assert join_lines("la trans-", "parence", lexicon) == "la transparence"
    assert join_lines("la trans-", "parence", None) == "la trans-parence"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", True), ("- 3 -", True), ("Page 3", True), ("Page 3 sur 12", True),
        ("3/12", True), ("iv", True), ("p. 4", True), ("2024 en chiffres", False),
        ("Rapport", False), ("12 450", False),
    ],
)  # fmt: skip
def test_is_page_number(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


def test_toc_entries() -> None:
    assert is_toc_entry("1. Introduction ........ 3")
    assert is_toc_entry("Annexe … … … 12")
    assert not is_toc_entry("1. Introduction")


@dataclass
class _Box:
    y0: int
    y1: int


@dataclass
class _Line:
    text: str
    bbox: _Box


def _page(*lines: tuple[str, int]) -> tuple[float, list[_Line]]:
    return 1000.0, [_Line(text, _Box(y, y + 10)) for text, y in lines]


def test_find_running_headers_footers_numbers() -> None:
    pages = [
        _page(("Rapport annuel 2024", 30), (f"Texte {i}", 400), (f"Page {i + 1} sur 3", 960))
        for i in range(3)
    ]
    pages[1][1].append(_Line("Rapport annuel 2024", _Box(500, 510)))  # in the body: content
    found = find_running(pages)
    assert found == {
        (0, 0): "header", (1, 0): "header", (2, 0): "header",
        (0, 2): "page_number", (1, 2): "page_number", (2, 2): "page_number",
    }  # fmt: skip


def test_find_running_needs_repetition() -> None:
    # a title at the top of one page of three is no header; a number alone at the top of
    # every page is a page number, digits changing
    titles = ("Introduction", "Méthode", "Résultats")
    pages = [_page((titles[i], 30), (str(i + 1), 50), ("texte", 400)) for i in range(3)]
    found = find_running(pages)
    assert not any((i, 0) in found for i in range(3))
    assert [found.get((i, 1)) for i in range(3)] == ["page_number"] * 3


def test_find_running_short_document() -> None:
    # two pages: a number is a page number only with no line between it and the edge
    page = _page(("En-tête", 20), ("2023", 60), ("texte", 400), ("1", 960))
    found = find_running([page])
    assert found == {(0, 3): "page_number"}
    assert find_running([]) == {}
