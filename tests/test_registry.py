"""Engine registry: names, options validation, registration rules, process-pool entry point."""

from __future__ import annotations

import pytest
from PIL import Image

from ocrxtract.document import Page
from ocrxtract.engines import (
    Availability,
    EngineOptions,
    OcrEngine,
    create_engine,
    engine_names,
    get_engine_class,
    recognize_page,
    register,
    unregister,
)
from ocrxtract.engines.registry import BUILTIN_ENGINES
from ocrxtract.errors import (
    EngineRegistrationError,
    InvalidOptionsError,
    RecognitionError,
    UnknownEngineError,
)
from ocrxtract.io import PageImage


def test_builtin_engines_are_listed_first() -> None:
    names = engine_names()
    assert names[: len(BUILTIN_ENGINES)] == list(BUILTIN_ENGINES)
    assert {"tesseract", "rapidocr", "easyocr", "doctr", "paddleocr", "null", "pdf-text"} <= set(
        names
    )


def test_entry_points_declare_the_builtins() -> None:
    from importlib.metadata import entry_points

    declared = {ep.name: ep.value for ep in entry_points(group="ocrxtract.engines")}
    assert declared == BUILTIN_ENGINES


def test_unknown_engine_lists_the_known_ones() -> None:
    with pytest.raises(UnknownEngineError, match="known engines: null, pdf-text, tesseract"):
        get_engine_class("tesseratc")


def test_options_are_validated_with_extra_forbidden() -> None:
    with pytest.raises(InvalidOptionsError, match="colour"):
        create_engine("null", {"colour": "red"})
    with pytest.raises(InvalidOptionsError, match="languages"):
        create_engine("null", {"languages": []})
    engine = create_engine("null", {"languages": ["eng"]})
    assert engine.options.languages == ("eng",)


class _EchoOptions(EngineOptions):
    fail: bool = False


class _EchoEngine(OcrEngine):
    name = "echo-test"
    options_class = _EchoOptions

    @classmethod
    def availability(cls) -> Availability:
        return Availability(available=True)

    @classmethod
    def version(cls) -> str:
        return "1"

    @classmethod
    def languages(cls) -> list[str]:
        return ["fra"]

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        assert isinstance(self.options, _EchoOptions)
        if self.options.fail:
            raise ValueError("boom")
        return Page(index=page.index, width=page.width, height=page.height), ["echo"]


@pytest.fixture
def echo_engine():
    register(_EchoEngine)
    yield _EchoEngine
    unregister(_EchoEngine.name)


def test_runtime_registration_and_provenance(echo_engine: type[OcrEngine]) -> None:
    assert "echo-test" in engine_names()
    page = PageImage(image=Image.new("RGB", (40, 20), "white"), index=3, source="x.png")
    result = recognize_page("echo-test", {}, page)
    assert (result.index, result.width, result.height) == (3, 40, 20)
    assert result.provenance is not None
    assert result.provenance.engine == "echo-test"
    assert result.provenance.options == {
        "languages": ["fra"],
        "allow_download": False,
        "dropout": "none",
        "fail": False,
    }
    assert result.provenance.notes == ["echo"]


def test_third_party_failures_become_located_recognition_errors(
    echo_engine: type[OcrEngine],
) -> None:
    page = PageImage(image=Image.new("RGB", (4, 4)), index=1, source="scan.pdf")
    with pytest.raises(RecognitionError, match=r"echo-test.*scan.pdf page 2.*ValueError: boom"):
        create_engine("echo-test", {"fail": True}).recognize(page)


def test_a_taken_name_is_refused(echo_engine: type[OcrEngine]) -> None:
    class Impostor(_EchoEngine):
        pass

    with pytest.raises(EngineRegistrationError, match="echo-test"):
        register(Impostor)

    class FakeTesseract(_EchoEngine):
        name = "tesseract"

    with pytest.raises(EngineRegistrationError, match="tesseract"):
        register(FakeTesseract)


def test_null_engine_returns_an_empty_valid_page() -> None:
    page = PageImage(image=Image.new("L", (30, 50)), index=0, source="blank.png", dpi=150.0)
    result = create_engine("null").recognize(page)
    assert result.blocks == []
    assert (result.width, result.height, result.dpi) == (30, 50, 150.0)
