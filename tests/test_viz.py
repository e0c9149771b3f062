"""ocrxtract.workbench.viz: confidence colours, boxes on pages, character diffs, leaderboards.

Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import pytest
from PIL import Image

from ocrxtract.document import BBox, Block, Line, Page, Word
from ocrxtract.errors import UsageError
from ocrxtract.metrics import score_text
from ocrxtract.workbench.viz import (
    NO_CONFIDENCE_COLOUR,
    ROLE_COLOURS,
    VISIBLE_SPACE,
    DiffCounts,
    DiffSpan,
    char_diff,
    confidence_colour,
    dataset_kinds,
    diff_counts,
    diff_html,
    draw_boxes,
    draw_layout,
    hex_colour,
    layout_legend_html,
    leaderboard_records,
    markdown_escape,
    page_boxes,
)

RED, AMBER, GREEN = (220, 38, 38), (217, 150, 6), (22, 163, 74)
WHITE = (255, 255, 255)

# --- colours -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [
        (None, NO_CONFIDENCE_COLOUR),
        (0.0, RED),
        (0.5, AMBER),
        (1.0, GREEN),
        # halfway red -> amber: (220+217)/2 = 218.5 -> 218 (round half to even),
        # (38+150)/2 = 94, (38+6)/2 = 22
        (0.25, (218, 94, 22)),
        # 3/4 of the way amber -> green... 0.875 is 3/4 between 0.5 and 1:
        # 217 + (22-217)*0.75 = 70.75 -> 71; 150 + 13*0.75 = 159.75 -> 160; 6 + 68*0.75 = 57
        (0.875, (71, 160, 57)),
        (-0.3, RED),  # clamped
        (1.7, GREEN),
    ],
)
def test_confidence_colour(confidence: float | None, expected: tuple[int, int, int]) -> None:
    assert confidence_colour(confidence) == expected


def test_hex_colour() -> None:
    assert hex_colour(RED) == "#dc2626"
    assert hex_colour((0, 15, 255)) == "#000fff"


# --- boxes ---------------------------------------------------------------------------------------


def word(text: str, box: tuple[int, int, int, int], confidence: float | None) -> Word:
    x0, y0, x1, y1 = box
    return Word(text=text, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1), confidence=confidence)


def one_line_page(*words: Word, line_confidence: float | None = None) -> Page:
    line = Line(words=list(words), bbox=BBox.union([w.bbox for w in words]),
                confidence=line_confidence)  # fmt: skip
    block = Block(lines=[line], bbox=line.bbox)
    return Page(index=0, width=100, height=50, blocks=[block])


def test_page_boxes_per_level() -> None:
    page = one_line_page(word("a", (10, 10, 30, 20), 0.0), word("b", (40, 10, 60, 20), 1.0))
    assert page_boxes(page, "word") == [(BBox(x0=10, y0=10, x1=30, y1=20), 0.0),
                                        (BBox(x0=40, y0=10, x1=60, y1=20), 1.0)]  # fmt: skip
    # A line without a confidence takes its words' mean: (0 + 1) / 2.
    assert page_boxes(page, "line") == [(BBox(x0=10, y0=10, x1=60, y1=20), 0.5)]
    assert page_boxes(page, "block") == [(BBox(x0=10, y0=10, x1=60, y1=20), 0.5)]
    # The line's own confidence wins over its words'.
    page = one_line_page(word("a", (10, 10, 30, 20), 0.0), line_confidence=0.9)
    assert page_boxes(page, "line")[0][1] == 0.9
    # No confidence anywhere: None (drawn in the "no confidence" colour).
    page = one_line_page(word("a", (10, 10, 30, 20), None))
    assert page_boxes(page, "line")[0][1] is None
    with pytest.raises(UsageError, match="known levels: word, line, block"):
        page_boxes(page, "char")  # type: ignore[arg-type]


def test_draw_boxes_outlines_and_tints_each_box_in_its_colour() -> None:
    image = Image.new("L", (100, 50), 255)
    page = one_line_page(word("ok", (10, 10, 30, 20), 1.0), word("bad", (40, 10, 60, 20), 0.0))
    drawn = draw_boxes(image, page, fill_alpha=40)
    assert drawn.mode == "RGB"
    assert drawn.size == (100, 50)
    # x1/y1 are exclusive: the outline runs from (10, 10) to (29, 19).
    assert drawn.getpixel((10, 10)) == GREEN
    assert drawn.getpixel((29, 19)) == GREEN
    assert drawn.getpixel((30, 20)) == WHITE
    assert drawn.getpixel((40, 15)) == RED
    # Inside: white under 40/255 of green (22, 163, 74), channel by channel
    # 255 - (255 - c) * 40 / 255: 218.45, 240.57, 226.61.
    inside = drawn.getpixel((20, 15))
    assert inside == pytest.approx((218.45, 240.57, 226.61), abs=1)
    assert drawn.getpixel((80, 40)) == WHITE  # outside every box
    assert image.getpixel((10, 10)) == 255  # the input is not modified


def test_draw_boxes_scales_boxes_to_the_image_given() -> None:
    page = one_line_page(word("ok", (10, 10, 30, 20), 1.0))
    double = draw_boxes(Image.new("RGB", (200, 100), WHITE), page, fill_alpha=0, line_width=1)
    assert double.getpixel((20, 20)) == GREEN  # (10, 10) x 2
    assert double.getpixel((59, 39)) == GREEN  # (30, 20) x 2 - 1
    assert double.getpixel((30, 30)) == WHITE  # fill_alpha=0: outlines only
    small = draw_boxes(Image.new("RGB", (200, 100), WHITE), page, max_side=50)
    assert small.size == (50, 25)


def test_draw_boxes_refuses_bad_arguments() -> None:
    page = one_line_page(word("ok", (10, 10, 30, 20), 1.0))
    image = Image.new("RGB", (100, 50))
    with pytest.raises(UsageError, match="max_side"):
        draw_boxes(image, page, max_side=0)
    with pytest.raises(UsageError, match="fill_alpha"):
        draw_boxes(image, page, fill_alpha=300)


def test_draw_layout_colours_blocks_by_role_and_numbers_them_in_order() -> None:
    header = Block(lines=one_line_page(word("Rapport", (10, 5, 60, 15), 0.9)).blocks[0].lines,
                   bbox=BBox(x0=10, y0=5, x1=60, y1=15), role="header")  # fmt: skip
    body = Block(lines=one_line_page(word("Texte", (10, 60, 90, 90), 0.9)).blocks[0].lines,
                 bbox=BBox(x0=10, y0=60, x1=90, y1=90), role="text")  # fmt: skip
    page = Page(index=0, width=100, height=100, blocks=[header, body])
    drawn = draw_layout(Image.new("RGB", (100, 100), WHITE), page, fill_alpha=0)
    assert drawn.getpixel((59, 14)) == ROLE_COLOURS["header"]  # outline, bottom-right corner
    assert drawn.getpixel((89, 89)) == ROLE_COLOURS["text"]
    assert drawn.getpixel((95, 50)) == WHITE  # outside every block
    # the number tag sits in the block's top-left corner, in the block's colour
    # (alpha 230 over white), with the number in white on it
    assert drawn.getpixel((11, 61)) == pytest.approx(ROLE_COLOURS["text"], abs=25)
    # the number follows the stored order: swapping the blocks changes the body's tag (2 -> 1)
    swapped = page.model_copy(update={"blocks": [body, header]})
    again = draw_layout(Image.new("RGB", (100, 100), WHITE), swapped, fill_alpha=0)
    corner = (10, 60, 25, 78)
    assert drawn.crop(corner).tobytes() != again.crop(corner).tobytes()
    legend = layout_legend_html(page, {"header": "en-tête courant", "text": "texte"})
    assert legend.index("en-tête courant") < legend.index("texte")
    with pytest.raises(UsageError, match="fill_alpha"):
        draw_layout(Image.new("RGB", (100, 100)), page, fill_alpha=-1)


# --- character diff ------------------------------------------------------------------------------


def test_char_diff_names_each_kind_of_edit() -> None:
    spans = char_diff("Quittance de loyer", "Quitance de 1oyer!")
    assert spans == [
        DiffSpan("equal", "Quit", "Quit"),
        DiffSpan("delete", "t", ""),  # the engine missed a "t"
        DiffSpan("equal", "ance de ", "ance de "),
        DiffSpan("replace", "l", "1"),  # read "1" for "l"
        DiffSpan("equal", "oyer", "oyer"),
        DiffSpan("insert", "", "!"),  # added a "!"
    ]
    assert diff_counts(spans) == DiffCounts(hits=16, substitutions=1, deletions=1, insertions=1)
    assert diff_counts(spans).edits == 3


@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("", "", []),
        ("abc", "", [DiffSpan("delete", "abc", "")]),
        ("", "ab", [DiffSpan("insert", "", "ab")]),
        ("abc", "abc", [DiffSpan("equal", "abc", "abc")]),
    ],
)
def test_char_diff_edge_cases(reference: str, hypothesis: str, expected: list[DiffSpan]) -> None:
    assert char_diff(reference, hypothesis) == expected


def test_char_diff_normalises_like_the_metrics() -> None:
    # exact: whitespace collapsed, case kept -> one substitution A/a.
    assert char_diff("  A\n b ", "a b") == [
        DiffSpan("replace", "A", "a"),
        DiffSpan("equal", " b", " b"),
    ]
    # folded: case and accents folded -> nothing to show.
    assert char_diff("École", "ecole", "folded") == [DiffSpan("equal", "ecole", "ecole")]
    # None: the raw texts.
    assert diff_counts(char_diff(" a", "a", None)).deletions == 1
    with pytest.raises(UsageError, match="unknown normalisation"):
        char_diff("a", "b", "loose")


@pytest.mark.parametrize(
    ("reference", "hypothesis"),
    [
        ("Quittance de loyer", "Quitance de 1oyer!"),
        ("Total réglé : 670,96 €", "Tota1 regle: 67O,96 EUR"),
        ("RÉPUBLIQUE FRANÇAISE\nQuittance", "REPUBLIQUE\nFRANCAISE Quittance de"),
        ("abc", "xyz12"),
    ],
)
def test_diff_edits_are_the_cer_numerator(reference: str, hypothesis: str) -> None:
    for normalization in ("exact", "folded"):
        counts = diff_counts(char_diff(reference, hypothesis, normalization))
        score = score_text(reference, hypothesis, normalization)
        assert counts.edits == score.char_edits
        assert counts.hits + counts.substitutions + counts.deletions == score.char_reference


def test_diff_html_marks_edits_and_escapes_text() -> None:
    markup = diff_html(char_diff("a <b> c", "a <b>  x"))  # exact: "a <b> c" vs "a <b> x"
    assert "&lt;b&gt;" in markup and "<b>" not in markup
    assert 'class="ocrx-sub" title="read &#x27;x&#x27; for &#x27;c&#x27;"' in markup
    markup = diff_html(char_diff("de loyer", "deloyer<script>"))
    assert f">{VISIBLE_SPACE}</del>" in markup  # a missing space is shown
    assert "&lt;script&gt;</ins>" in markup
    assert "<script>" not in markup
    assert markup.startswith('<div class="ocrx-diff"') and markup.endswith("</div>")


def test_diff_html_truncates_long_texts() -> None:
    spans = char_diff("a" * 50 + "b", "a" * 50 + "c")
    markup = diff_html(spans, max_chars=10)
    assert "a" * 10 in markup and "a" * 11 not in markup
    assert markup.endswith("…</div>")
    assert "ocrx-sub" not in markup  # the substitution lies beyond the budget


def test_markdown_escape() -> None:
    assert markdown_escape("weights in $OCRXTRACT_DIR (see *docs*)") == (
        r"weights in \$OCRXTRACT\_DIR \(see \*docs\*\)"
    )
    assert markdown_escape("plain words") == "plain words"


# --- leaderboard records -------------------------------------------------------------------------

SUMMARY = {
    "datasets": {
        "sroie": {"kind": "receipts"},
        "poilus": {"kind": "handwritten"},
    },
    "leaderboard": [
        {"engine": "tesseract", "dataset": "sroie", "cer_exact": 0.1, "seconds_per_page": 0.5,
         "headline": {"metric": "cer", "normalisation": "exact", "value": 0.1}},
        {"engine": "rapidocr", "dataset": "poilus", "cer_exact": 0.6,
         "headline": {"metric": "bow_f1", "normalisation": "folded", "value": 0.3}},
        {"engine": "rapidocr", "dataset": "gone", "headline": {}},
    ],
}  # fmt: skip


def test_leaderboard_records_flatten_the_summary() -> None:
    records = leaderboard_records(SUMMARY)
    assert [(r["engine"], r["dataset"], r["kind"]) for r in records] == [
        ("tesseract", "sroie", "receipts"),
        ("rapidocr", "poilus", "handwritten"),
        ("rapidocr", "gone", "unknown"),  # a dataset the summary does not describe
    ]
    first = records[0]
    assert first["headline_metric"] == "CER exact"
    assert first["headline"] == 0.1
    assert first["cer_exact"] == 0.1
    assert first["seconds_per_page"] == 0.5
    assert first["wer_exact"] is None  # not measured
    assert records[1]["headline_metric"] == "BoW F1 folded"
    assert records[2]["headline_metric"] == "CER"  # default metric, no normalisation given


def test_leaderboard_records_filter_by_kind() -> None:
    records = leaderboard_records(SUMMARY, kinds=["handwritten"])
    assert [r["dataset"] for r in records] == ["poilus"]
    assert leaderboard_records(SUMMARY, kinds=[]) == []
    assert leaderboard_records({}) == []
    assert dataset_kinds(SUMMARY) == ["receipts", "handwritten", "unknown"]
