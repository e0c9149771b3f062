"""An engine's reading without the zones the ground truth leaves untranscribed, and the
transcribed-zone CER that scores it."""

from __future__ import annotations

from ocrxtract.bench.scorers import Prediction, TextScorer, TranscribedTextScorer
from ocrxtract.datasets import PageRef, Sample, UntranscribedZone
from ocrxtract.document import BBox, Document, Page, Word, block_from_lines, line_from_words
from ocrxtract.metrics import without_zones


def _line(*words: tuple[str, int, int, int, int]):
    return line_from_words(
        [Word(text=t, bbox=BBox(x0=a, y0=b, x1=c, y1=d)) for t, a, b, c, d in words]
    )


def _page(index: int = 0) -> Page:
    # A typed line, a handwritten note read by the engine (y 50-70), a line that ends with a
    # handwritten word (x 300-360).
    return Page(
        index=index,
        width=400,
        height=200,
        blocks=[
            block_from_lines([_line(("Rapport", 10, 10, 80, 30), ("annuel", 90, 10, 150, 30))]),
            block_from_lines([_line(("vu", 20, 50, 40, 70), ("Dupont", 50, 50, 110, 70))]),
            block_from_lines(
                [
                    _line(
                        ("Signé", 10, 90, 60, 110),
                        ("le", 70, 90, 90, 110),
                        ("xyz", 300, 90, 360, 110),
                    )
                ]
            ),
        ],
    )


def test_words_whose_centre_lies_in_a_zone_of_their_page_are_left_out() -> None:
    document = Document(pages=[_page(0), _page(1)])
    zones = [(0, BBox(x0=0, y0=45, x1=200, y1=75)), (0, BBox(x0=290, y0=85, x1=370, y1=115))]
    kept, dropped = without_zones(document, zones)
    assert dropped == 3
    assert kept.pages[0].text() == "Rapport annuel\nSigné le"
    # The line that lost a word gets the box of those it keeps; page 1 has no zone.
    assert kept.pages[0].blocks[1].lines[0].bbox.as_tuple() == (10, 90, 90, 110)
    assert kept.pages[1].text() == document.pages[1].text()
    # The engine's document itself is not changed.
    assert document.pages[0].text() == "Rapport annuel\nvu Dupont\nSigné le xyz"


def test_without_zones_the_document_is_returned_as_it_is() -> None:
    document = Document(pages=[_page()])
    assert without_zones(document, []) == (document, 0)


def _sample(zones: tuple[UntranscribedZone, ...]) -> Sample:
    return Sample(
        dataset="tiny",
        sample_id="p",
        pages=(PageRef(path=None),),
        truth=Document(pages=[Page(index=0, width=400, height=200)]),
        text="Rapport annuel\nSigné le",
        untranscribed=zones,
    )


def test_the_transcribed_zone_cer_leaves_out_what_was_read_in_an_untranscribed_zone() -> None:
    prediction = Prediction(document=Document(pages=[_page()]))
    zone = UntranscribedZone(page_index=0, bbox=BBox(x0=0, y0=45, x1=200, y1=75))
    scorer = TranscribedTextScorer()
    page_cer = TextScorer().score(_sample((zone,)), prediction)
    with_zone = scorer.score(_sample((zone,)), prediction)
    # The page CER counts "vu Dupont" (and its line break) as insertions; the transcribed-zone
    # CER does not: only "xyz", read where the reference has nothing, is left.
    assert with_zone["untranscribed_words"] == 2
    assert with_zone["exact_transcribed_edits"] == 4
    assert page_cer["exact_char_edits"] == with_zone["exact_transcribed_edits"] + 10
    assert with_zone["exact_transcribed_ref"] == page_cer["exact_char_ref"]
    # Without zones it is the page CER.
    plain = scorer.score(_sample(()), prediction)
    assert plain["exact_transcribed_edits"] == page_cer["exact_char_edits"]
    record = scorer.aggregate([with_zone, plain])
    assert record["transcribed_cer_exact"] == (4 + page_cer["exact_char_edits"]) / (
        2 * page_cer["exact_char_ref"]
    )
