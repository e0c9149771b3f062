"""ocrxtract.workbench.compare: the engine catalogue, options described for forms, comparison with a
reference, document statistics, and running several engines on several documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from pydantic import Field

from appdata import EchoEngine, FailingEngine, MissingEngine, png_bytes, two_page_pdf
from ocrxtract.document import BBox, Document, Page, Provenance, Word, block_from_lines
from ocrxtract.document import line_from_words as line_of
from ocrxtract.engines import EngineOptions, register, unregister
from ocrxtract.workbench.compare import (
    DEFAULT_ENGINES,
    EngineStatus,
    attribute_docs,
    compare_text,
    default_selection,
    document_stats,
    engine_catalogue,
    language_choices,
    main_option_fields,
    option_fields,
    prepare_engines,
    run_comparison,
)
from ocrxtract.workbench.uploads import UploadedDocument


@pytest.fixture(autouse=True)
def test_engines() -> Iterator[None]:
    for cls in (EchoEngine, FailingEngine, MissingEngine, PickyEngine):
        register(cls)
    yield
    for cls in (EchoEngine, FailingEngine, MissingEngine, PickyEngine):
        unregister(cls.name)


class KnobOptions(EngineOptions):
    """Options for tests.

    Attributes:
        fast: Go fast.
        mode: How to read: ``lines`` or
            ``words`` (two lines of text).
        level: A level (0-5).
        threshold: Keep above this.
        folder: Somewhere.
        threads: Count, or the library's choice.
        extra: Anything.
    """

    fast: bool = True
    mode: Literal["lines", "words"] = "words"
    level: int = Field(default=2, ge=0, le=5)
    threshold: float = Field(default=0.5, gt=0, lt=1)
    folder: Path | None = None
    threads: int | None = None
    extra: dict[str, str] = Field(default_factory=dict)


class PickyEngine(EchoEngine):
    """Reads English and German; runs only when ``level`` is not 5."""

    name = "test-picky"
    options_class = KnobOptions

    @classmethod
    def languages(cls) -> list[str]:
        return ["eng", "deu"]

    def check(self):  # type: ignore[no-untyped-def]
        from ocrxtract.engines import Availability

        if self.options.level == 5:  # type: ignore[attr-defined]
            return Availability(available=False, reason="level 5 needs a GPU", install="buy one")
        return Availability(available=True)


# --- catalogue and options -----------------------------------------------------------------------


def test_catalogue_lists_unavailable_engines_with_why_and_how() -> None:
    statuses = {s.name: s for s in engine_catalogue()}
    assert "null" not in statuses  # hidden: it reads nothing
    assert statuses["test-echo"] == EngineStatus("test-echo", "Fixed text (tests)", True)
    missing = statuses["test-missing"]
    assert not missing.available
    assert missing.reason == "its weights are not in $OCRXTRACT_TEST_DIR"
    assert missing.install == "pip install test-missing-weights"
    assert "null" not in {s.name for s in engine_catalogue(hidden=())}  # not user-facing
    assert "test-echo" not in {s.name for s in engine_catalogue(hidden=("test-echo",))}


def test_default_selection() -> None:
    def status(name: str, available: bool) -> EngineStatus:
        return EngineStatus(name, "", available)

    both = [status("a", True), status("tesseract", True), status("rapidocr", True)]
    assert default_selection(both) == list(DEFAULT_ENGINES)
    assert default_selection([status("a", True), status("tesseract", False)]) == ["a"]
    assert default_selection([status("a", False)]) == []


def test_attribute_docs_read_the_docstring() -> None:
    docs = attribute_docs(KnobOptions)
    assert docs["fast"] == "Go fast."
    assert docs["mode"] == "How to read: `lines` or `words` (two lines of text)."
    # Inherited from EngineOptions' own docstring.
    assert docs["allow_download"].startswith("Let the engine fetch missing model weights")


def test_option_fields_describe_simple_fields_only() -> None:
    fields = {f.name: f for f in option_fields(KnobOptions)}
    assert list(fields) == ["fast", "mode", "level", "threshold"]  # no path, optional, mapping
    assert (fields["fast"].kind, fields["fast"].default, fields["fast"].help) == (
        "bool",
        True,
        "Go fast.",
    )
    assert (fields["mode"].kind, fields["mode"].choices) == ("choice", ("lines", "words"))
    assert (fields["level"].kind, fields["level"].minimum, fields["level"].maximum) == ("int", 0, 5)
    assert (fields["threshold"].kind, fields["threshold"].default) == ("float", 0.5)
    assert fields["level"].label == "level"
    # Asked by name, in the order asked; unknown and unsupported names are skipped.
    names = [f.name for f in option_fields(KnobOptions, ["level", "nope", "folder", "fast"])]
    assert names == ["level", "fast"]


def test_main_options_of_the_builtin_engines() -> None:
    assert [f.name for f in main_option_fields("tesseract")] == ["psm", "thresholding", "oem"]
    assert [f.name for f in main_option_fields("rapidocr")] == [
        "text_score",
        "box_thresh",
        "use_cls",
    ]
    assert main_option_fields("pdf-text") == []
    # An engine not listed shows every simple field.
    assert [f.name for f in main_option_fields("test-picky")] == [
        "fast",
        "mode",
        "level",
        "threshold",
    ]


def test_language_choices() -> None:
    # What the engine reads here, plus its default (fra) even when not installed.
    assert language_choices("test-picky") == (["deu", "eng", "fra"], ["fra"])
    assert language_choices("pdf-text") == ([], [])


# --- comparison with a reference -----------------------------------------------------------------


def test_compare_text_counts_and_diff() -> None:
    comparison = compare_text("Quittance de loyer", "Quitance de loyer")
    # 1 missing character of 18; 1 wrong word of 3.
    assert comparison.exact.cer == pytest.approx(1 / 18)
    assert comparison.exact.wer == pytest.approx(1 / 3)
    assert comparison.counts.deletions == 1
    assert comparison.counts.edits == comparison.exact.char_edits
    # Folded forgives case and accents, exact does not: É/e is 1 edit of 5.
    comparison = compare_text("École", "ecole")
    assert comparison.exact.cer == pytest.approx(1 / 5)
    assert comparison.folded.cer == 0


def page_with(index: int, confidences: list[float | None], seconds: float) -> Page:
    words = [
        Word(text=f"w{i}", bbox=BBox(x0=10 * i, y0=0, x1=10 * i + 8, y1=8), confidence=c)
        for i, c in enumerate(confidences)
    ]
    page = Page(index=index, width=100, height=100, blocks=[block_from_lines([line_of(words)])])
    page.provenance = Provenance(engine="e", engine_version=f"e {index}", seconds=seconds)
    return page


def test_document_stats() -> None:
    document = Document(pages=[page_with(0, [0.5, 1.0], 1.0), page_with(1, [None], 3.0)])
    stats = document_stats(document)
    assert (stats.pages, stats.words, stats.lines) == (2, 3, 2)
    assert stats.mean_confidence == pytest.approx(0.75)  # (0.5 + 1.0) / 2; None is left out
    assert stats.seconds == 4.0
    assert stats.seconds_per_page == 2.0
    assert stats.engine_version == "e 0"
    empty = document_stats(Document())
    assert (empty.pages, empty.mean_confidence, empty.seconds_per_page) == (0, None, None)


# --- running engines ----------------------------------------------------------------------------


def test_prepare_engines_validates_and_checks() -> None:
    ready, refused = prepare_engines(
        {
            "test-echo": {},
            "test-picky": {"level": 3, "languages": ["eng"]},
            "test-missing": {},
            "test-nothing": {},
            "test-failing": {"colour": "blue"},
        }
    )
    assert list(ready) == ["test-echo", "test-picky"]
    assert json.loads(ready["test-picky"])["level"] == 3
    assert json.loads(ready["test-picky"])["languages"] == ["eng"]
    assert refused["test-failing"].startswith("invalid options for engine 'test-failing'")
    assert "unknown engine 'test-nothing'" in refused["test-nothing"]
    assert refused["test-missing"] == (
        "engine 'test-missing' cannot run with these options: its weights are not in "
        "$OCRXTRACT_TEST_DIR; install: pip install test-missing-weights"
    )
    # Availability that depends on the options (engine.check()).
    _, refused = prepare_engines({"test-picky": {"level": 5}})
    assert refused["test-picky"].endswith("level 5 needs a GPU; install: buy one")


def test_run_comparison_records_failures_and_carries_on() -> None:
    pdf = UploadedDocument("deux.pdf", two_page_pdf(), dpi=72)
    png = UploadedDocument("un.png", png_bytes(0))
    broken = UploadedDocument("cassé.pdf", two_page_pdf()[:300])
    ready, _ = prepare_engines({"test-echo": {}, "test-failing": {}})
    events: list[tuple[int, int, str]] = []
    results = run_comparison(
        [pdf, png, broken], ready, on_progress=lambda *event: events.append(event)
    )
    assert list(results) == [pdf.key, png.key, broken.key]
    echo = results[pdf.key]["test-echo"]
    assert echo.ok and echo.document is not None
    assert [p.text() for p in echo.document.pages] == ["Quitance de loyer", "page deux"]
    assert echo.document.source == "deux.pdf"
    failing = results[pdf.key]["test-failing"]
    assert not failing.ok
    assert "deux.pdf page 1: ValueError: the model exploded" in (failing.error or "")
    for engine in ("test-echo", "test-failing"):
        assert (results[broken.key][engine].error or "").startswith("cassé.pdf: not a readable PDF")
    # 3 pages (2 + 1, the broken file has none), each rendered once and read by both engines.
    assert events[0] == (0, 3, "deux.pdf: page 1/2")
    assert events[-1] == (3, 3, "done")
    assert [e[0] for e in events] == [0, 1, 2, 2, 3, 3, 3]


def test_run_comparison_renders_each_page_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from ocrxtract.io import pdf as pdf_reader

    renders: list[int] = []
    real = pdf_reader.render_page
    monkeypatch.setattr(
        pdf_reader, "render_page", lambda p, s, i, *a: renders.append(i) or real(p, s, i, *a)
    )
    document = UploadedDocument("deux.pdf", two_page_pdf(), dpi=72)
    ready, _ = prepare_engines({"test-echo": {}, "null": {}})
    results = run_comparison([document], ready)
    assert renders == [0, 1]  # 2 pages x 2 engines -> 2 renders, no temporary file
    assert results[document.key]["test-echo"].options == ready["test-echo"]
