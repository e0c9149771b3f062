"""CER/WER, normalisations, bag-of-words F1 and document scores, hand-computed."""

from __future__ import annotations

import math

import pytest

from ocrxtract.document import BBox, Document, Page, Word, block_from_lines, line_from_words
from ocrxtract.errors import UsageError
from ocrxtract.fr.text import casefold, strip_accents
from ocrxtract.metrics import (
    EXACT,
    FOLDED,
    NORMALIZATIONS,
    DocumentScore,
    MatchCounts,
    TextScore,
    bag_of_words,
    cer,
    normalize,
    score_documents,
    score_text,
    wer,
)


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected_cer", "expected_wer"),
    [
        ("", "", 0.0, 0.0),
        ("abc", "", 1.0, 1.0),  # 3 deletions / 3 chars; 1 word deleted
        ("abc", "abc", 0.0, 0.0),
        ("Période", "Periode", 1 / 7, 1.0),  # the accent counts: 1 substitution
        ("a b c", "a x c d", 3 / 5, 2 / 3),  # b->x, + " d" (2 chars); x and d: 2 word edits
        ("Total  réglé\n670,96 €", "Total réglé 670,96 €", 0.0, 0.0),  # whitespace collapsed
    ],
)
def test_rates(reference: str, hypothesis: str, expected_cer: float, expected_wer: float) -> None:
    assert cer(reference, hypothesis) == pytest.approx(expected_cer)
    assert wer(reference, hypothesis) == pytest.approx(expected_wer)


def test_empty_reference_with_output_is_infinite() -> None:
    assert math.isinf(cer("", "bruit"))


def test_scores_add_up_at_corpus_level() -> None:
    # page 1: 1 edit / 2 chars; page 2: 0 / 8: corpus CER = 1/10, not mean(0.5, 0) = 0.25
    total = score_text("ab", "ax") + score_text("abcdefgh", "abcdefgh")
    assert total == TextScore(1, 10, 1, 2)
    assert total.cer == pytest.approx(0.1)


def test_nfc_normalisation_equates_composed_and_decomposed_accents() -> None:
    assert normalize("e\u0301t\u00e9") == "\u00e9t\u00e9"
    assert cer("été", "e\u0301te\u0301") == 0.0


def test_unknown_normalisation_lists_known_ones() -> None:
    with pytest.raises(UsageError, match="exact"):
        normalize("x", "nope")


# --- folded normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("  Été\u00a0\u202f2024 ", "ete 2024"),  # NBSP and narrow NBSP -> spaces, then collapsed
        ("L’Œuvre", "l'oeuvre"),  # ’ -> ', Œ -> oe (via casefold then ligature)
        ("ﬁn ﬂeur æther", "fin fleur aether"),
        ("« Ça »", '" ca "'),  # guillemets -> ", ç -> c; their inner spaces stay
        ("“quoted” ‘single’", "\"quoted\" 'single'"),
        ("2020–2024 — a‐b a‑b −5", "2020-2024 - a-b a-b -5"),  # en/em dash, hyphens, minus sign
        ("Straße", "strasse"),  # casefold, not lower()
        ("e\u0301le\u0300ve", "eleve"),  # decomposed accents are stripped too
        ("Ø ł", "ø ł"),  # letters that do not decompose are kept
    ],
)
def test_folded_normalisation(text: str, expected: str) -> None:
    assert normalize(text, "folded") == expected


@pytest.mark.parametrize(
    ("reference", "hypothesis", "exact_cer", "folded_cer"),
    [
        ("", "", 0.0, 0.0),
        ("Période", "periode", 2 / 7, 0.0),  # exact: P->p and é->e, 2 substitutions / 7
        # exact: each ligature is 1 substitution + 1 insertion (œ -> o, +e): 4 x 2 = 8 edits over
        # "cœur œuvre ﬁn ﬂeur" = 4 + 1 + 5 + 1 + 2 + 1 + 4 = 18 characters
        ("cœur œuvre ﬁn ﬂeur", "coeur oeuvre fin fleur", 8 / 18, 0.0),
        ("TOTAL TTC", "Total ttc", 7 / 9, 0.0),  # exact: O T A L + T T C -> 7 substitutions
        ("2020–2024", "2020-2024", 1 / 9, 0.0),
        ("670,96\u00a0€", "670,96 €", 0.0, 0.0),  # NBSP is whitespace even for exact
        # 17 reference characters either way. exact: ’ é é — « » substituted (6) and the two
        # spaces inside the guillemets deleted (2): 8/17. folded: only the 2 spaces: 2/17
        ("L’été — « chaud »", 'L\'ete - "chaud"', 8 / 17, 2 / 17),
    ],
)
def test_exact_and_folded_rates(
    reference: str, hypothesis: str, exact_cer: float, folded_cer: float
) -> None:
    assert cer(reference, hypothesis, "exact") == pytest.approx(exact_cer)
    assert cer(reference, hypothesis, "folded") == pytest.approx(folded_cer)


def test_normalisations_are_named_composable_pipelines(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(NORMALIZATIONS) >= {"exact", "folded"}
    assert FOLDED.steps[: len(EXACT.steps)] == EXACT.steps  # folded starts with exact
    assert "strip_accents" in repr(FOLDED)
    upper = EXACT.then("upper", str.upper)
    monkeypatch.setitem(NORMALIZATIONS, "upper", upper)
    assert normalize(" a  b ", "upper") == "A B"
    assert cer("ab", "AB", "upper") == 0.0
    assert strip_accents(casefold("ÉTÉ")) == "ete"  # the steps work alone too


# --- bag of words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "hypothesis", "counts", "f1"),
    [
        ("", "", MatchCounts(0, 0, 0), 1.0),  # nothing to find, nothing found
        ("a b", "", MatchCounts(0, 0, 2), 0.0),
        ("", "a", MatchCounts(0, 1, 0), 0.0),
        ("a b", "a b", MatchCounts(2, 0, 0), 1.0),
        # multisets: ref {le: 2, chat, chien}, hyp {chien, le, chat}: 3 matched, 1 "le" missed;
        # F1 = 2*3 / (2*3 + 0 + 1) = 6/7
        ("le chat le chien", "chien le chat", MatchCounts(3, 0, 1), 6 / 7),
        # punctuation stays attached under exact: "réglé," is not "réglé": 1 FP + 1 FN
        ("montant réglé,", "montant réglé", MatchCounts(1, 1, 1), 0.5),
    ],
)
def test_bag_of_words(reference: str, hypothesis: str, counts: MatchCounts, f1: float) -> None:
    assert bag_of_words(reference, hypothesis) == counts
    assert bag_of_words(reference, hypothesis).f1 == pytest.approx(f1)


def test_bag_of_words_ignores_reading_order_but_cer_does_not() -> None:
    # the two columns read in the other order: every word right, the alignment broken
    reference, hypothesis = "nom Dupont total 12,50", "total 12,50 nom Dupont"
    assert bag_of_words(reference, hypothesis).f1 == 1.0
    assert cer(reference, hypothesis) > 0.3


def test_bag_of_words_uses_the_normalisation() -> None:
    assert bag_of_words("Été ÉTÉ", "ete été").f1 == 0.0  # exact: no word in common
    assert bag_of_words("Été ÉTÉ", "ete été", "folded") == MatchCounts(2, 0, 0)


# --- documents ---------------------------------------------------------------------------------


def _page(index: int, *lines: str) -> Page:
    """A page with one line per string, stacked top to bottom (an unambiguous reading order)."""
    built = []
    for row, text in enumerate(lines):
        words, x = [], 10
        for token in text.split():
            width = 10 * len(token)
            words.append(
                Word(text=token, bbox=BBox(x0=x, y0=20 + 40 * row, x1=x + width, y1=40 + 40 * row))
            )
            x += width + 10
        built.append(line_from_words(words))
    blocks = [block_from_lines(built)] if built else []
    return Page(index=index, width=400, height=400, blocks=blocks)


def _doc(*pages: list[str]) -> Document:
    return Document(pages=[_page(i, *lines) for i, lines in enumerate(pages)])


def test_documents_are_scored_page_by_page() -> None:
    # page 1 "ab" read right, page 2 "cd" read "xd": 1 edit over 2 + 2 reference characters
    # (scored as one text "ab cd" it would be 1/5: the page break is not a character)
    score = score_documents(_doc(["ab"], ["cd"]), _doc(["ab"], ["xd"]))
    assert score.text == TextScore(1, 4, 1, 2)
    assert score.cer == pytest.approx(1 / 4)
    assert score.words == MatchCounts(1, 1, 1)  # "ab" matched; "xd" extra, "cd" missed
    # plain texts separate their pages with form feeds, as Document.text() does
    assert score_documents("ab\fcd", _doc(["ab"], ["xd"])) == score
    assert score_documents("ab\fcd", "ab\fxd") == score


def test_documents_with_other_page_counts_are_scored_as_whole_texts() -> None:
    # "ab\fcd" -> "ab cd" under exact: the one-page hypothesis "ab cd" is right, 5 characters
    score = score_documents(_doc(["ab"], ["cd"]), _doc(["ab cd"]))
    assert score.text == TextScore(0, 5, 0, 2)
    assert score_documents("ab cd", _doc(["ab"], ["cd"])).text == TextScore(0, 5, 0, 2)


def test_document_lines_are_joined_as_words() -> None:
    # two lines "Total TTC" / "670,96 €" against the transcription on one line
    score = score_documents("Total TTC 670,96 €", _doc(["Total TTC", "670,96 €"]))
    assert score.cer == 0.0
    assert score.bag_of_words_f1 == 1.0


def test_empty_documents() -> None:
    assert score_documents(Document(), Document()) == DocumentScore()
    assert score_documents(Document(), Document()).bag_of_words_f1 == 1.0
    assert score_documents(_doc([]), _doc([])).cer == 0.0  # a page without text
    # nothing read on a page holding "abc": 3 deletions / 3, and the word missed
    missed = score_documents("abc", Document())
    assert missed.text == TextScore(3, 3, 1, 1)
    assert missed.words == MatchCounts(0, 0, 1)


def test_document_scores_add_up_at_corpus_level() -> None:
    # doc 1: 1 edit / 2 chars ("ab" -> "ax"); doc 2: 0 / 8: corpus CER 1/10, bag 1 of 2 words
    total = score_documents("ab", "ax") + score_documents("abcdefgh", "abcdefgh")
    assert total == DocumentScore(TextScore(1, 10, 1, 2), MatchCounts(1, 1, 1))
    assert total.cer == pytest.approx(0.1)
    assert total.wer == pytest.approx(0.5)
    assert sum([score_text("a", "b"), score_text("c", "c")], TextScore()) == TextScore(1, 2, 1, 2)


def test_folded_documents() -> None:
    assert score_documents(_doc(["Été 2024"]), "ete 2024", "folded").cer == 0.0
    with pytest.raises(UsageError, match="folded"):
        score_documents("a", "a", "nope")
