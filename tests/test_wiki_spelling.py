"""The wiki's French spelling check: what it flags, what it leaves alone, and the wiki itself."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO_ROOT
from ocrxtract.fr.lexicon import Lexicon
from ocrxtract.wiki.spelling import check, hand_written_pages, misspellings

WORDS = Lexicon.from_words(
    ["le", "moteur", "lit", "la", "page", "coeur", "vérifiez", "une", "ligne", "aujourd'hui"]
)


def _flagged(markdown: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    return [m.word for m in misspellings("p.md", markdown, WORDS, allowed)]


def test_a_misspelt_word_is_flagged_with_its_line() -> None:
    found = list(misspellings("p.md", "Le moteur\nlit la paeg.", WORDS, frozenset()))
    assert [(m.page, m.line, m.word) for m in found] == [("p.md", 2, "paeg")]


def test_names_code_links_and_allowed_words_are_left_alone() -> None:
    text = (
        "Tesseract lit la page (`psm 6`, [une page](moteurs/xyzzy.md), https://a.b/cdef) ; "
        "le reconnaisseur lit.\n```\nblorp frobnicate\n```\n<!-- zorglub -->"
    )
    assert _flagged(text) == ["reconnaisseur"]
    assert _flagged(text, frozenset({"reconnaisseur"})) == []


def test_ligatures_elisions_and_pronouns_are_understood() -> None:
    assert _flagged("le cœur, aujourd'hui, l’moteur, qu'une ligne ; vérifiez-la") == []
    assert _flagged("vérifiez-lla") == ["vérifiez-lla"]


def test_generated_pages_are_not_checked(tmp_path: Path) -> None:
    (tmp_path / "_generated").mkdir()
    (tmp_path / "_generated" / "snippet.md").write_text("the results\n", encoding="utf-8")
    (tmp_path / "made.md").write_text("# T\n\n<!-- Page générée par x -->\nthe\n", "utf-8")
    (tmp_path / "written.md").write_text("# T\n\nle moteur\n", encoding="utf-8")
    assert [p.name for p in hand_written_pages(tmp_path)] == ["written.md"]


def test_the_wiki_is_spelt_in_french() -> None:
    found = check(REPO_ROOT / "wiki")  # needs Debian's wfrench (make system-packages)
    assert not found, "\n".join(f"wiki/{m.page}:{m.line}: {m.word}" for m in found)


def test_an_allowed_word_is_allowed_in_the_plural() -> None:
    assert _flagged("le moteur, reconnaisseurs", frozenset({"reconnaisseur"})) == []
    assert _flagged("le moteur, reconnaisseurs") == ["reconnaisseurs"]
