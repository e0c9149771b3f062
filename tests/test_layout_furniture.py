"""Running headers, footers and page numbers found over a document become blocks of their role
where they stand: the text and its order are unchanged."""

from __future__ import annotations

from ocrxtract.document import BBox, Line, Page, Provenance, Word, block_from_lines
from ocrxtract.layout.furniture import FURNITURE_STEP, mark_furniture

HEIGHT = 1000


def _line(text: str, y: int, x: int = 100) -> Line:
    word = Word(text=text, bbox=BBox(x0=x, y0=y, x1=x + 10 * len(text), y1=y + 20))
    return Line(words=[word], bbox=word.bbox)


def _page(index: int, lines: list[Line]) -> Page:
    return Page(
        index=index,
        width=800,
        height=HEIGHT,
        blocks=[block_from_lines(lines)],
        provenance=Provenance(engine="test", engine_version="1"),
    )


def _report(pages: int) -> list[Page]:
    return [
        _page(
            n,
            [
                _line(f"- {n + 1} -", 30, x=380),  # a page number at the top
                _line(f"Chapitre {n + 1}", 200),
                _line("Le texte de la page.", 240),
                _line("Rapport annuel 2024", 960),  # a running footer
            ],
        )
        for n in range(pages)
    ]


def test_furniture_gets_blocks_of_its_role_and_the_text_stays_in_place() -> None:
    pages = _report(3)
    marked = mark_furniture(pages)
    for before, after in zip(pages, marked, strict=True):
        assert after.text() == before.text()
        assert [b.role for b in after.blocks] == ["page_number", "text", "footer"]
        assert after.provenance is not None and after.provenance.steps == [FURNITURE_STEP]
    assert [b.role for b in pages[0].blocks] == ["text"]  # the input is left as it was


def test_a_single_page_has_only_its_page_number() -> None:
    (page,) = mark_furniture(_report(1))
    assert [b.role for b in page.blocks] == ["page_number", "text"]
    assert page.text().splitlines()[-1] == "Rapport annuel 2024"


def test_furniture_stays_where_the_reading_order_put_it() -> None:
    # a page number at the bottom that the engine's order put first, and one between two lines
    pages = [
        _page(n, [_line(str(n + 1), 970, x=390), _line("Texte.", 200), _line("Suite.", 240)])
        for n in range(3)
    ]
    for page in mark_furniture(pages):
        assert [b.role for b in page.blocks] == ["page_number", "text"]
        assert page.text().splitlines() == [str(page.index + 1), "Texte.", "Suite."]
    split = _page(0, [_line("Texte.", 200), _line("- 1 -", 970, x=380), _line("Suite.", 240)])
    (page,) = mark_furniture([split])
    assert [b.role for b in page.blocks] == ["text", "page_number", "text"]
    assert page.text() == split.text()


def test_pages_without_furniture_are_returned_as_they_are() -> None:
    pages = [_page(n, [_line(f"Ligne {n}", 400)]) for n in range(2)]
    assert mark_furniture(pages) == pages
    assert mark_furniture([]) == []
