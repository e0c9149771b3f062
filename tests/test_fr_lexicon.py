"""French post-correction: only unambiguous one-letter fixes of lower-case words, never numbers,
identifiers or capitals; each change in the page's provenance."""

from __future__ import annotations

import pytest

from ocrxtract.document import BBox, Page, Provenance, Word, block_from_lines, line_from_words
from ocrxtract.errors import MissingDependencyError
from ocrxtract.fr.lexicon import ENV_WORDLIST, Lexicon, correct_lines, correct_word, french_lexicon
from ocrxtract.pipeline.steps import POST_CORRECTION_STEP, post_correct

LEXICON = Lexicon.from_words(
    ["actualité", "émission", "numéros", "documents", "mètre", "metre", "chanter", "chanteur",
     "chanté", "plafond", "avance", "porte", "parte"]
)  # fmt: skip


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("aotualité", "actualité"),  # one letter replaced
        ("émisssion", "émission"),  # one letter too many
        ("numéos", "numéros"),  # one letter missing
        ("docmuents", "documents"),  # two neighbours swapped
        ("l'aotualité,", "l'actualité,"),  # elision and punctuation kept
        ("jusqu'aotualité", "jusqu'actualité"),
        ("(émisssion)", "(émission)"),
        ("plafonds", None),  # a listed word plus a plural s is known
        ("actualité", None),  # known
        ("pxrte", None),  # porte and parte: two candidates, left as read
        ("Aotualité", None),  # capitalised: maybe a proper noun
        ("AOTUALITÉ", None),  # capitals
        ("12,50", None),  # numbers and amounts
        ("FR7630001", None),  # identifiers
        ("contact@aotualite.fr", None),  # addresses
        ("peut-ètre", None),  # hyphenated words
        ("avanc", "avance"),
        ("parx", None),  # under four letters... four here, but nothing listed one letter away
        ("prt", None),  # too short to be sure
        ("aotua-", None),  # cut by a hyphen at the end of its line
        ("mœtre", None),  # the list spells œ as oe: never touched
    ],
)
def test_which_words_are_corrected(read: str, fixed: str | None) -> None:
    assert correct_word(read, LEXICON) == fixed


def test_a_missing_accent_is_a_letter_like_any_other() -> None:
    # "mètre" and "metre" are both listed: "mêtre" is one edit from each, so left as read;
    # "numeros" is one accent from the listed "numéros" only.
    assert correct_word("mêtre", LEXICON) is None
    assert correct_word("numeros", LEXICON) == "numéros"


def test_the_end_of_a_hyphenated_word_is_left_alone() -> None:
    lines = [["la", "documentation", "de", "l'aotua-"], ["lité", "docmuents"]]
    assert correct_lines(lines, LEXICON) == [(1, 1, "docmuents", "documents")]


def _page() -> Page:
    words = [
        Word(text=t, bbox=BBox(x0=10 + 60 * i, y0=10, x1=60 + 60 * i, y1=30), confidence=0.8)
        for i, t in enumerate(["Les", "numéos", "12", "aotualité"])
    ]
    return Page(
        index=0,
        width=400,
        height=100,
        blocks=[block_from_lines([line_from_words(words)])],
        provenance=Provenance(engine="test", engine_version="1", steps=["reading-order:xycut-3"]),
    )


def test_a_page_is_corrected_word_by_word_and_each_change_is_noted() -> None:
    page = _page()
    corrected = post_correct(page, LEXICON)
    assert corrected.text() == "Les numéros 12 actualité"
    assert page.text() == "Les numéos 12 aotualité"  # the input is left as it was
    before, after = list(page.words()), list(corrected.words())
    assert [w.bbox for w in after] == [w.bbox for w in before]
    assert [w.confidence for w in after] == [w.confidence for w in before]
    assert corrected.provenance is not None
    assert corrected.provenance.steps[-1] == POST_CORRECTION_STEP
    assert corrected.provenance.notes == [
        "post-correction: line 1: 'numéos' -> 'numéros'",
        "post-correction: line 1: 'aotualité' -> 'actualité'",
    ]
    assert post_correct(corrected, LEXICON) is corrected  # applied once


def test_a_missing_word_list_says_how_to_install_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_WORDLIST, str(tmp_path / "nowhere.txt"))
    with pytest.raises(MissingDependencyError, match="apt-get install wfrench"):
        french_lexicon()


def test_another_word_list_can_be_named(tmp_path, monkeypatch) -> None:
    words = tmp_path / "mots.txt"
    words.write_text("actualité\némission\n", encoding="utf-8")
    monkeypatch.setenv(ENV_WORDLIST, str(words))
    assert correct_word("aotualité", french_lexicon()) == "actualité"
