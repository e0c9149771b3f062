"""Colour dropout: the io function, the engine option, its cache key, and the extraction of a
type whose schema asks for it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

from appdata import EchoEngine
from ocrxtract.bench.cache import key_options
from ocrxtract.document import Document, Page
from ocrxtract.engines.registry import register, unregister
from ocrxtract.errors import InvalidOptionsError
from ocrxtract.extract.fields import load_schema
from ocrxtract.io import PageImage
from ocrxtract.io.dropout import drop_colour

RED, BLACK, BLUE, WHITE = (220, 40, 50), (20, 20, 20), (30, 40, 140), (250, 250, 250)


def _swatches() -> PageImage:
    image = Image.new("RGB", (40, 10), WHITE)
    for i, colour in enumerate((RED, BLACK, BLUE, WHITE)):
        image.paste(colour, (10 * i, 0, 10 * i + 10, 10))
    return PageImage(image=image, index=2, source="swatches.png", dpi=300)


def test_red_dropout_lightens_red_ink_and_keeps_black_and_blue() -> None:
    page = _swatches()
    dropped = drop_colour(page, "red")
    assert dropped.image.mode == "L"
    red, black, blue, white = (dropped.image.getpixel((10 * i + 5, 5)) for i in range(4))
    assert red > 200 and white > 200  # red ink is as light as the paper
    assert black < 60 and blue < 60  # black and blue text stay dark
    assert (dropped.index, dropped.source, dropped.dpi, dropped.width) == (
        2,
        "swatches.png",
        300,
        40,
    )


def test_no_dropout_and_grey_pages_are_returned_as_they_are() -> None:
    page = _swatches()
    assert drop_colour(page, "none") is page
    grey = PageImage(image=Image.new("L", (5, 5), 30))
    assert drop_colour(grey, "red") is grey


class _SeeingEngine(EchoEngine):
    """Records the mode of each image it is given and the dropout it was built with; returns
    the words of :attr:`page` (an identity card's, to drive the type detection)."""

    name = "seeing-test"
    seen: ClassVar[list[tuple[str, str]]] = []
    page: ClassVar[Page | None] = None

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        type(self).seen.append((page.image.mode, self.options.dropout))
        if type(self).page is not None:
            return type(self).page.model_copy(deep=True), []
        return Page(index=page.index, width=page.width, height=page.height), []


@pytest.fixture
def seeing_engine():  # type: ignore[no-untyped-def]
    register(_SeeingEngine)
    _SeeingEngine.seen = []
    _SeeingEngine.page = None
    yield _SeeingEngine
    unregister(_SeeingEngine.name)


def test_the_engine_option_drops_the_colour_before_the_engine_reads(seeing_engine) -> None:  # type: ignore[no-untyped-def]
    seeing_engine({}).recognize(_swatches())
    result = seeing_engine({"dropout": "red"}).recognize(_swatches())
    assert seeing_engine.seen == [("RGB", "none"), ("L", "red")]
    assert result.provenance is not None and result.provenance.options["dropout"] == "red"
    with pytest.raises(InvalidOptionsError, match="dropout"):
        seeing_engine({"dropout": "green"})


def test_cache_keys_leave_out_a_default_dropout_only() -> None:
    assert key_options({"psm": 3, "dropout": "none"}) == {"psm": 3}  # entries made before it
    assert key_options({"psm": 3, "dropout": "red"}) == {"dropout": "red", "psm": 3}


def test_only_the_identity_card_schema_asks_for_red_dropout() -> None:
    assert load_schema("id_card").dropout == "red"
    for name in ("payslip", "rent_receipt", "receipt", "invoice", "sroie"):
        assert load_schema(name).dropout == "none"


@pytest.fixture(scope="module")
def card_photo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Page]:
    from ocrxtract.datasets.synthetic import render_clean

    rendered = render_clean("carte-identite", seed=777123, dpi=100)
    path = tmp_path_factory.mktemp("card") / "card.png"
    rendered.image.save(path)
    return path, rendered.truth.document.pages[0]


def test_auto_reads_an_identity_card_again_with_red_removed(  # type: ignore[no-untyped-def]
    seeing_engine, card_photo: tuple[Path, Page]
) -> None:
    from ocrxtract.pipeline.fields import extract_file

    path, words = card_photo
    seeing_engine.page = words
    found = extract_file(path, seeing_engine({}), "auto", method="rules")
    assert found.extraction.doc_type == "id_card"
    assert found.dropout == "red" and found.reader == "seeing-test"
    assert [d for _, d in seeing_engine.seen] == ["none", "red"]  # read, then read again
    assert found.extraction.fields  # from the second reading


def test_a_named_schema_reads_once_with_its_dropout_and_others_as_they_are(  # type: ignore[no-untyped-def]
    seeing_engine, card_photo: tuple[Path, Page]
) -> None:
    from ocrxtract.pipeline.fields import extract_file

    path, words = card_photo
    seeing_engine.page = words
    assert extract_file(path, seeing_engine({}), "id_card", method="rules").dropout == "red"
    assert extract_file(path, seeing_engine({}), "payslip", method="rules").dropout == "none"
    assert [d for _, d in seeing_engine.seen] == ["red", "none"]


def test_the_app_offers_dropout_to_engines_that_read_pixels_only() -> None:
    from ocrxtract.workbench.compare import dropout_choices

    assert dropout_choices("tesseract") == ("none", "red")
    assert dropout_choices("pdf-text") == ()


def test_extract_takes_engine_options_and_refuses_unknown_ones(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ocrxtract.cli import app
    from ocrxtract.errors import UsageError

    image = tmp_path / "page.png"
    _swatches().image.save(image)
    out = tmp_path / "out"
    ok = CliRunner().invoke(
        app, ["extract", str(image), "--engine", "null", "-O", "dropout=red", "--out", str(out)]
    )
    assert ok.exit_code == 0, ok.output
    assert (out / "page.fields.json").is_file()
    bad = CliRunner().invoke(
        app, ["extract", str(image), "--engine", "null", "-O", "colour=red", "--out", str(out)]
    )
    assert bad.exit_code == UsageError.exit_code and "colour" in bad.output


def test_the_dropout_engine_is_built_once_per_engine(seeing_engine) -> None:  # type: ignore[no-untyped-def]
    from ocrxtract.pipeline.fields import with_dropout

    engine = seeing_engine({})
    red = with_dropout(engine, "red")
    assert red is with_dropout(engine, "red") and red.options.dropout == "red"
    assert with_dropout(engine, "none") is engine
    assert with_dropout(seeing_engine({}), "red") is not red  # another engine, its own copy


def test_a_dropout_the_user_chose_is_kept_for_types_that_ask_for_none(  # type: ignore[no-untyped-def]
    seeing_engine, card_photo: tuple[Path, Page]
) -> None:
    from ocrxtract.pipeline.fields import extract_file

    path, words = card_photo
    seeing_engine.page = words
    red = seeing_engine({"dropout": "red"})
    assert extract_file(path, red, "payslip", method="rules").dropout == "red"
    assert extract_file(path, red, "auto", method="rules").dropout == "red"
    assert [d for _, d in seeing_engine.seen] == ["red", "red"]  # never read again


def test_the_app_asks_to_read_an_identity_card_again_with_red_removed(  # type: ignore[no-untyped-def]
    seeing_engine, card_photo: tuple[Path, Page]
) -> None:
    from ocrxtract.workbench.fields_view import dropout_advice, extract_each

    path, words = card_photo
    seeing_engine.page = words
    image = PageImage(image=Image.open(path).convert("RGB"))
    plain = Document(pages=[seeing_engine({}).recognize(image)])
    red = Document(pages=[seeing_engine({"dropout": "red"}).recognize(image)])
    documents = {"plain": plain, "red": red}
    results = extract_each(documents, "auto")
    assert dropout_advice(results, documents) == {"plain": ("id_card", "red")}
    payslip = extract_each({"plain": plain}, "payslip")
    assert dropout_advice(payslip, {"plain": plain}) == {}  # a payslip asks for none
