"""The one pipeline: documents x engines (x extractors), each page rendered once, results with a
status instead of exceptions, in this process or in a pool of workers."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

from minipdf import PageSpec, Text, build_pdf
from ocrxtract.document import Document, KeyField, Page
from ocrxtract.engines import register, unregister
from ocrxtract.errors import CorruptInputError, RecognitionError, WorkerDiedError
from ocrxtract.export import export_document
from ocrxtract.extract import Extractor, register_extractor, unregister_extractor
from ocrxtract.io import PageImage, load_image
from ocrxtract.io import pdf as pdf_reader
from ocrxtract.layout import READING_ORDER_STEP
from ocrxtract.metrics import cer
from ocrxtract.pipeline import (
    BytesInput,
    EngineStep,
    ExtractStep,
    FileInput,
    InlineExecutor,
    PagesInput,
    ProcessExecutor,
    Steps,
    run,
)
from test_bench_kit import CRASH_ENV, ScriptedEngine


class CountingExtractor(Extractor):
    name = "test-count-words"
    produces: ClassVar[frozenset[str]] = frozenset({"fields"})

    def _extract(self, document: Document) -> Document:
        words = sum(1 for page in document.pages for _ in page.words())
        document.fields.append(KeyField(name="words", value=str(words)))
        return document


class BrokenExtractor(Extractor):
    name = "test-broken"

    def _extract(self, document: Document) -> Document:
        raise ValueError("always fails")


class PixelExtractor(Extractor):
    """Reads images: notes each page's image size in the page phase, counts in the document
    phase the pages that had none."""

    name = "test-pixels"
    produces: ClassVar[frozenset[str]] = frozenset({"fields"})
    reads_images: ClassVar[bool] = True
    seen: ClassVar[list[tuple[int, int, int]]] = []

    def _extract_page(self, page: Page, image: PageImage) -> Page:
        PixelExtractor.seen.append((image.index, image.width, image.height))
        if image.width == 13:
            raise ValueError("13 pixels wide")
        assert page.provenance is not None
        page.provenance.steps.append(f"pixels:{image.width}x{image.height}")
        return page

    def _extract(self, document: Document) -> Document:
        steps = {p.index: p.provenance.steps if p.provenance else [] for p in document.pages}
        blind = [i for i, done in steps.items() if not any(s.startswith("pixels:") for s in done)]
        document.fields.append(KeyField(name="blind_pages", value=str(blind)))
        return document


@pytest.fixture
def scripted():
    register(ScriptedEngine)
    register_extractor(CountingExtractor)
    register_extractor(BrokenExtractor)
    register_extractor(PixelExtractor)
    ScriptedEngine.calls.clear()
    PixelExtractor.seen.clear()
    yield
    unregister(ScriptedEngine.name)
    unregister_extractor(CountingExtractor.name)
    unregister_extractor(BrokenExtractor.name)
    unregister_extractor(PixelExtractor.name)


def _pdf(path: Path, pages: int) -> Path:
    path.write_bytes(
        build_pdf([PageSpec(items=[Text(72, 700, f"page {i}")]) for i in range(pages)])
    )
    return path


def test_each_page_is_rendered_once_for_every_engine(tmp_path, scripted, monkeypatch):
    renders: list[int] = []
    real = pdf_reader.render_page

    def counting(page, source, index, *args):  # type: ignore[no-untyped-def]
        renders.append(index)
        return real(page, source, index, *args)

    monkeypatch.setattr(pdf_reader, "render_page", counting)
    steps = Steps(
        (
            EngineStep("scripted"),
            EngineStep("scripted", label="scripted-again"),
            EngineStep("null"),
        ),
        force_ocr=True,
    )
    (result,) = run([FileInput(_pdf(tmp_path / "three.pdf", 3), dpi=72)], steps)
    assert renders == [0, 1, 2]  # 3 pages x 3 engines -> 3 renders
    assert result.status == "success" and result.pages == 3
    assert len(ScriptedEngine.calls) == 6
    assert [len(o.document.pages) for o in result.outcomes.values()] == [3, 3, 3]


def test_only_the_pages_asked_for_are_rendered(tmp_path, monkeypatch):
    renders: list[int] = []
    real = pdf_reader.render_page
    monkeypatch.setattr(
        pdf_reader, "render_page", lambda p, s, i, *a: renders.append(i) or real(p, s, i, *a)
    )
    document = BytesInput("upload.pdf", _pdf(tmp_path / "eight.pdf", 8).read_bytes(), dpi=72)
    (page,) = document.iter_pages([5])
    assert (page.index, page.source, renders) == (5, "upload.pdf", [5])


def test_text_layer_pages_are_read_from_it_and_the_order_is_noted(tmp_path, scripted):
    steps = Steps((EngineStep("scripted"),))
    (result,) = run([FileInput(_pdf(tmp_path / "born-digital.pdf", 1), dpi=72)], steps)
    # Labelled as what read it: one pdf-text reading, not a copy per engine.
    assert list(result.outcomes) == ["pdf-text"] and result.text_layer_only
    assert "--force-ocr" in result.notes[0]
    document = result.outcomes["pdf-text"].document
    assert document.metadata["engine"] == "pdf-text"
    page = document.pages[0]
    assert page.provenance.engine == "pdf-text"
    assert READING_ORDER_STEP in page.provenance.steps
    assert page.text() == "page 0"
    assert ScriptedEngine.calls == []  # the text layer was enough


def test_a_mixed_pdf_reads_its_text_pages_from_the_layer_and_ocrs_the_others(tmp_path, scripted):
    pdf = tmp_path / "mixed.pdf"
    pdf.write_bytes(build_pdf([PageSpec(items=[Text(72, 700, "texte")]), PageSpec()]))
    (result,) = run([FileInput(pdf, dpi=72)], Steps((EngineStep("scripted"),)))
    assert (result.pages, result.text_layer_pages) == (2, 1)
    document = result.outcomes["scripted"].document
    assert [p.provenance.engine for p in document.pages] == ["pdf-text", "scripted"]
    assert document.metadata == {"engine": "scripted", "text_layer_pages": "1"}
    assert "1 of 2 pages" in result.notes[0]


def test_uploads_are_read_from_memory_without_a_temporary_file(tmp_path, scripted, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a temporary file was made")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
    steps = Steps((EngineStep("scripted"),))
    (result,) = run([BytesInput("reçu.png", buffer.getvalue())], steps)
    assert result.outcomes["scripted"].document.text() == "HELLO WORLD"
    assert ScriptedEngine.calls == ["reçu.png"]


def test_a_bad_file_fails_for_every_engine_and_the_batch_goes_on(tmp_path, scripted):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    good = tmp_path / "good.png"
    Image.new("RGB", (200, 100), "white").save(good)
    steps = Steps((EngineStep("scripted"), EngineStep("null")))
    results = list(run([FileInput(bad), FileInput(good)], steps))
    assert [r.status for r in results] == ["failure", "success"]
    assert isinstance(results[0].error, CorruptInputError)
    assert all(isinstance(o.error, CorruptInputError) for o in results[0].outcomes.values())


def test_an_engine_failure_is_that_engine_s_alone(tmp_path, scripted):
    ScriptedEngine.failing = {(200, 100)}
    try:
        pages = PagesInput("p", (load_image(Image.new("RGB", (200, 100), "white")),))
        (result,) = run([pages], Steps((EngineStep("scripted"), EngineStep("null"))))
    finally:
        ScriptedEngine.failing = set()
    assert result.status == "partial"
    assert isinstance(result.outcomes["scripted"].error, RecognitionError)
    assert result.outcomes["null"].ok


def test_unknown_engines_and_bad_options_fail_that_engine_only(scripted):
    pages = PagesInput("p", (load_image(Image.new("RGB", (200, 100), "white")),))
    steps = Steps(
        (EngineStep("no-such-engine"), EngineStep("scripted", {"nope": 1}), EngineStep("null"))
    )
    (result,) = run([pages], steps)
    assert result.status == "partial"
    assert "known engines" in str(result.outcomes["no-such-engine"].error)
    assert "nope" in str(result.outcomes["scripted"].error)


def test_extractors_run_on_each_engine_s_document_and_failures_are_recorded(scripted):
    pages = PagesInput("p", (load_image(Image.new("RGB", (200, 100), "white")),))
    steps = Steps(
        (EngineStep("scripted"),),
        extractors=(ExtractStep("test-count-words"), ExtractStep("test-broken")),
    )
    (result,) = run([pages], steps)
    outcome = result.outcomes["scripted"]
    assert outcome.document.field("words").value == "2"
    assert set(outcome.extract_errors) == {"test-broken"}
    assert result.status == "partial"


def test_a_pool_gives_what_this_process_gives(tmp_path, scripted):
    files = []
    for number, size in enumerate([(200, 100), (201, 100), (100, 30)]):
        path = tmp_path / f"{number}.png"
        Image.new("RGB", size, "white").save(path)
        files.append(FileInput(path))
    steps = Steps((EngineStep("scripted"),))
    inline = {r.name: r.outcomes["scripted"].document for r in run(files, steps, InlineExecutor())}
    executor = ProcessExecutor(workers=2, classes=[ScriptedEngine])
    pooled = {r.name: r.outcomes["scripted"].document for r in run(files, steps, executor)}

    def without_time(doc: Document) -> Document:
        for page in doc.pages:
            page.provenance.seconds = 0.0
        return doc

    assert {k: without_time(v) for k, v in pooled.items()} == {
        k: without_time(v) for k, v in inline.items()
    }


def test_a_document_that_kills_its_worker_is_recorded_and_the_run_goes_on(tmp_path, scripted):
    files = []
    for number, size in enumerate([(200, 100), (333, 100), (201, 100)]):
        path = tmp_path / f"{number}.png"
        Image.new("RGB", size, "white").save(path)
        files.append(FileInput(path))
    executor = ProcessExecutor(workers=2, classes=[ScriptedEngine], env={CRASH_ENV: "333x100"})
    results = {Path(r.name).name: r for r in run(files, Steps((EngineStep("scripted"),)), executor)}
    assert {name: r.status for name, r in results.items()} == {
        "0.png": "success",
        "1.png": "failure",
        "2.png": "success",
    }
    assert isinstance(results["1.png"].error, WorkerDiedError)
    assert os.environ.get(CRASH_ENV) is None  # the parent never crashed


def test_real_engines_replayed_read_the_sample_page(replay):
    from ocrxtract.sample import render_sample_page

    sample = render_sample_page(seed=0, dpi=150)
    steps = Steps((EngineStep("tesseract", {"languages": ["fra"]}),))
    (result,) = run([PagesInput("sample", (sample.page,))], steps)
    document = result.outcomes["tesseract"].document
    assert cer(sample.text, document.text()) < 0.05
    assert replay == [("tesseract", replay[0][1])]


def test_extractors_that_read_images_see_each_page_once_while_it_is_held(
    tmp_path, scripted, monkeypatch
):
    renders: list[int] = []
    real = pdf_reader.render_page
    monkeypatch.setattr(
        pdf_reader, "render_page", lambda p, s, i, *a: renders.append(i) or real(p, s, i, *a)
    )
    steps = Steps(
        (EngineStep("scripted"), EngineStep("null")),
        extractors=(ExtractStep("test-count-words"), ExtractStep("test-pixels")),
        force_ocr=True,
    )
    (result,) = run([FileInput(_pdf(tmp_path / "two.pdf", 2), dpi=72)], steps)
    assert renders == [0, 1]  # the extractor did not make the pages again
    assert [index for index, _, _ in PixelExtractor.seen] == [0, 0, 1, 1]  # 2 engines x 2 pages
    assert result.status == "success"
    for outcome in result.outcomes.values():
        assert outcome.document.field("blind_pages").value == "[]"
        assert outcome.document.field("words") is not None  # the other extractor ran too


def test_a_failing_page_phase_is_recorded_and_the_document_kept(scripted):
    pages = PagesInput("p", tuple(load_image(Image.new("RGB", (w, 10), "white")) for w in (20, 13)))
    steps = Steps((EngineStep("null"),), extractors=(ExtractStep("test-pixels"),))
    (result,) = run([pages], steps)
    outcome = result.outcomes["null"]
    assert result.status == "partial" and outcome.document is not None
    assert isinstance(outcome.extract_errors["test-pixels"], RecognitionError)
    assert "13 pixels wide" in str(outcome.extract_errors["test-pixels"])


def test_extract_takes_the_images_from_its_caller_or_works_without(scripted):
    images = [load_image(Image.new("RGB", (30 + i, 10), "white")) for i in range(2)]
    images = [PageImage(image.image, index=i) for i, image in enumerate(images)]
    (result,) = run([PagesInput("p", tuple(images))], Steps((EngineStep("null"),)))
    document = result.outcomes["null"].document
    extractor = PixelExtractor()
    blind = extractor.extract(document)
    assert blind.field("blind_pages").value == "[0, 1]" and PixelExtractor.seen == []
    seen = extractor.extract(document, images=iter(images[1:]))  # only page 1 given
    assert seen.field("blind_pages").value == "[0]"
    assert document.fields == []  # the input is left as it was
    with pytest.raises(RecognitionError, match="13 pixels wide"):
        extractor.extract(document, images=[PageImage(Image.new("RGB", (13, 10)), index=0)])


def test_running_headers_and_page_numbers_get_blocks_of_their_role(tmp_path, scripted):
    path = tmp_path / "rapport.pdf"
    path.write_bytes(
        build_pdf(
            [
                PageSpec(
                    items=[
                        Text(72, 770, "Rapport annuel 2024"),
                        Text(72, 600, f"Section {i + 1} : le contenu de la page."),
                        Text(300, 20, str(i + 1)),
                    ]
                )
                for i in range(3)
            ]
        )
    )
    (result,) = run([FileInput(path)], Steps((EngineStep("scripted"),)))
    document = next(iter(result.outcomes.values())).document
    for page in document.pages:
        assert [b.role for b in page.blocks] == ["header", "text", "page_number"]
        assert page.text().splitlines()[0] == "Rapport annuel 2024"
    alto = export_document(document, "alto")
    assert 'LABEL="page_number"' in alto and 'LABEL="header"' in alto
