"""Transcription conventions and geometry helpers of the dataset loaders (hand-checked)."""

from __future__ import annotations

import pytest

from ocrxtract.datasets.geometry import (
    approximate_words,
    clip_box,
    group_rows,
    normalize_dpi,
    parse_points,
)
from ocrxtract.datasets.transcription import clean_transcription
from ocrxtract.document import BBox


@pytest.mark.parametrize(
    ("raw", "text", "placeholders", "markup"),
    [
        ("", "", (), ()),
        ("_Plan _de _présentation", "Plan de présentation", (), ("_",)),
        ("~~~ ~~~", "", ("~~~",), ()),
        ("Bien ~~~ reçu", "Bien reçu", ("~~~",), ()),
        ("Lieutenant au 17^e d’Infanterie", "Lieutenant au 17e d’Infanterie", (), ("^",)),
        # struck-out words are kept, the brackets dropped, the line flagged
        ("courant, ⟦elle descend⟧, l'affection", "courant, elle descend, l'affection", ("⟦⟧",), ()),
        ("susceptibles ⟦⟧ de supression", "susceptibles de supression", ("⟦⟧",), ()),
        ("blessés !!!..  [???]!", "blessés !!!.. !", ("[?]",), ()),
        ("au 1^er [?]", "au 1er", ("[?]",), ("^",)),
        ("mot <> illisible", "mot illisible", ("<>",), ()),
        ("¥", "", ("¥",), ()),
        # entities escaped twice by the export (the XML held &amp;amp;)
        ("&amp; de Rizzo", "& de Rizzo", (), ("&entity;",)),
        # a lone underscore is punctuation, not underline markup
        ("centimes _ Cet engagement", "centimes _ Cet engagement", (), ()),
        ("dépens\xa0? Après", "dépens ? Après", (), ()),
        ("       909      ", "909", (), ()),
        ("rue de ~", "rue de ~", (), ()),  # one tilde: a filler stroke, kept
        ("e\u0301te\u0301", "été", (), ()),  # NFD -> NFC
    ],
)
def test_clean_transcription(raw, text, placeholders, markup):
    cleaned = clean_transcription(raw)
    assert cleaned.text == text
    assert cleaned.placeholders == placeholders
    assert cleaned.markup == markup
    assert cleaned.scorable == (bool(text) and not placeholders)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ((72, 72), None),
        (96.0, None),
        ((199.9996, 199.9996), 200.0),  # PNG pixels per metre
        (150.012, 150.0),
        (300, 300.0),
        ("abc", None),
        (0, None),
        ((), None),
    ],
)
def test_normalize_dpi(value, expected):
    assert normalize_dpi(value) == expected


def test_clip_box_rounds_outwards_and_clips():
    assert clip_box((-5, 2.5, 20.2, 8), 10, 10) == BBox(x0=0, y0=2, x1=10, y1=8)
    # corners given in the wrong order are sorted
    assert clip_box((8, 9, 2, 1), 10, 10) == BBox(x0=2, y0=1, x1=8, y1=9)
    # float noise does not add a pixel: 228 pt at 300 dpi is exactly 950 px
    assert clip_box((0, 0, 10, 228 * 300 / 72), 2000, 2000).y1 == 950
    assert clip_box((20, 20, 30, 30), 10, 10) is None  # off the page
    assert clip_box((3, 3, 3, 9), 10, 10) is None  # zero width


def test_parse_points_both_notations():
    assert parse_points("1,2 3,4") == [(1.0, 2.0), (3.0, 4.0)]
    assert parse_points("1 2 3 4") == [(1.0, 2.0), (3.0, 4.0)]


def test_approximate_words_share_the_width_by_characters():
    # "ab cd" is 5 characters over 50 px: 10 px each; "cd" starts after the space.
    words = approximate_words("ab cd", BBox(x0=0, y0=0, x1=50, y1=10))
    assert [(w.text, w.bbox.as_tuple()) for w in words] == [
        ("ab", (0, 0, 20, 10)),
        ("cd", (30, 0, 50, 10)),
    ]
    assert approximate_words("   ", BBox(x0=0, y0=0, x1=5, y1=5)) == []


def test_approximate_words_never_empty_boxes():
    words = approximate_words("a b c d e f", BBox(x0=0, y0=0, x1=3, y1=4))
    assert len(words) == 6
    assert all(w.bbox.width >= 1 for w in words)


def test_group_rows_reads_rows_top_down_left_to_right():
    a = ("a", BBox(x0=100, y0=0, x1=150, y1=10))
    b = ("b", BBox(x0=0, y0=2, x1=50, y1=12))  # same row as a, further left
    c = ("c", BBox(x0=0, y0=30, x1=50, y1=40))
    rows = group_rows([a, c, b], lambda item: item[1])
    assert [[name for name, _ in row] for row in rows] == [["b", "a"], ["c"]]
    assert group_rows([], lambda item: item) == []
