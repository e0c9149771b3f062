"""The command line: engines listing, batch OCR with per-file errors, demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from ocrxtract.cli import app
from ocrxtract.document import BBox, Document, Page, Word, block_from_lines, line_from_words
from ocrxtract.engines import register, unregister
from ocrxtract.engines.null_engine import NullEngine
from ocrxtract.errors import InputError, MissingDependencyError, UsageError
from ocrxtract.fr.lexicon import ENV_WORDLIST
from ocrxtract.io import PageImage

runner = CliRunner()


@pytest.fixture
def image_file(tmp_path: Path) -> Path:
    path = tmp_path / "page.png"
    Image.new("RGB", (120, 80), "white").save(path, dpi=(300, 300))
    return path


def test_engines_lists_every_engine_with_availability() -> None:
    result = runner.invoke(app, ["engines"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in ("tesseract", "rapidocr", "easyocr", "doctr", "paddleocr", "null", "pdf-text"):
        assert name in result.output


def test_ocr_writes_every_format_and_reports_bad_files(image_file: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_text("not an image")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["ocr", str(broken), str(image_file), "-e", "null", "-f", "json", "-f", "alto",
         "-f", "hocr", "-f", "txt", "--out", str(out)],
    )  # fmt: skip
    # the broken file fails with its input error's exit code, the good one is still processed
    assert result.exit_code == InputError.exit_code, result.output
    assert "broken.png" in result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["page.null.hocr", "page.null.json", "page.null.txt", "page.null.xml"]
    document = Document.from_json((out / "page.null.json").read_text(encoding="utf-8"))
    assert document.pages[0].width == 120
    assert document.pages[0].dpi == 300.0
    assert not list(out.glob(".*.tmp")), "no half-written file is left behind"


def test_engine_options_reach_the_engine(image_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ocr", str(image_file), "-e", "null", "-O", "null.allow_download=true",
              "-O", "dropout=red", "-l", "eng", "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "page.null.json").read_text(encoding="utf-8"))
    options = document["pages"][0]["provenance"]["options"]
    assert options == {"languages": ["eng"], "allow_download": True, "dropout": "red"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-e", "nope"], "unknown engine 'nope'"),
        (["-e", "null", "-f", "pdf"], "unknown format 'pdf'"),
        (["-e", "null", "-O", "null.colour=red"], "colour"),
        (["-e", "null", "-O", "tesseract.psm=6"], "not among --engine"),
    ],
)
def test_usage_errors_exit_with_the_usage_code(
    image_file: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["ocr", str(image_file), *args, "--out", str(tmp_path)])
    assert result.exit_code == UsageError.exit_code
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_file_is_named(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ocr", str(tmp_path / "absent.pdf"), "-e", "null",
                                 "--out", str(tmp_path)])  # fmt: skip
    assert result.exit_code == InputError.exit_code
    assert "absent.pdf" in result.output


def test_demo_shows_what_differs_and_reports_unavailable_engines(tmp_path: Path) -> None:
    from ocrxtract.engines import register, unregister
    from test_bench_kit import UnavailableEngine

    register(UnavailableEngine)
    try:
        result = runner.invoke(
            app,
            ["demo", "-e", "null", "-e", "unavailable-test", "--dpi", "100",
             "--save-images", str(tmp_path)],
            env={"COLUMNS": "200"},
        )  # fmt: skip
    finally:
        unregister(UnavailableEngine.name)
    assert result.exit_code == 0, result.output
    for difficulty in ("scan", "fax", "photo"):
        assert f"CER {difficulty}" in result.output
    assert "100.0%" in result.output  # null reads nothing: CER 100 %
    assert "hardest line" in result.output and "read:     (nothing)" in result.output
    assert "unavailable-test not run: its model is missing" in result.output
    assert len(list(tmp_path.glob("*.png"))) == 3


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert "ocrxtract 0.1.0" in result.output


def test_install_hints_keep_their_square_brackets() -> None:
    """Rich markup must not eat ``[extra]`` in install commands and error messages."""
    from ocrxtract.engines import Availability, register, unregister
    from ocrxtract.engines.null_engine import NullEngine

    class MissingEngine(NullEngine):
        name = "missing-test"

        @classmethod
        def availability(cls) -> Availability:
            return Availability(
                available=False, reason="package [x] absent", install="pip install 'ocrxtract[x]'"
            )

    register(MissingEngine)
    try:
        result = runner.invoke(app, ["engines"], env={"COLUMNS": "200"})
    finally:
        unregister("missing-test")
    assert result.exit_code == 0, result.output
    assert "package [x] absent" in result.output
    assert "pip install 'ocrxtract[x]'" in result.output


def test_app_without_streamlit_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "streamlit" else real_find_spec(name, *args),
    )
    result = runner.invoke(app, ["app"])
    assert result.exit_code == 5
    assert "pip install 'ocrxtract[app]'" in result.output


def test_outputs_follow_the_umask_and_name_the_file_not_its_path(
    image_file: Path, tmp_path: Path
) -> None:
    import os
    import stat

    previous = os.umask(0o022)
    try:
        out = tmp_path / "out"
        result = runner.invoke(app, ["ocr", str(image_file), "-e", "null", "-f", "json",
                                     "-f", "alto", "--out", str(out)])  # fmt: skip
        assert result.exit_code == 0, result.output
        for written in out.iterdir():
            assert stat.S_IMODE(written.stat().st_mode) == 0o644, written
        document = Document.from_json((out / "page.null.json").read_text(encoding="utf-8"))
        assert document.source == image_file.name
        assert str(image_file.parent) not in (out / "page.null.xml").read_text(encoding="utf-8")
        full = runner.invoke(app, ["ocr", str(image_file), "-e", "null", "--full-path",
                                   "--out", str(out)])  # fmt: skip
        assert full.exit_code == 0, full.output
        document = Document.from_json((out / "page.null.json").read_text(encoding="utf-8"))
        assert document.source == str(image_file)
    finally:
        os.umask(previous)


def test_a_born_digital_pdf_is_labelled_pdf_text_and_the_user_told(tmp_path: Path) -> None:
    from minipdf import PageSpec, Text, build_pdf

    pdf = tmp_path / "facture.pdf"
    pdf.write_bytes(build_pdf([PageSpec(items=[Text(72, 700, "Facture 42")])]))
    out = tmp_path / "out"
    result = runner.invoke(app, ["ocr", str(pdf), "-e", "tesseract", "-e", "null", "-f", "txt",
                                 "-f", "json", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "facture.pdf-text.json",
        "facture.pdf-text.txt",
    ]
    assert "[pdf-text]" in result.output and "--force-ocr" in result.output
    document = Document.from_json((out / "facture.pdf-text.json").read_text(encoding="utf-8"))
    assert document.metadata["engine"] == "pdf-text"


def test_unknown_resolution_is_said_on_the_console(tmp_path: Path) -> None:
    from PIL import Image

    scan = tmp_path / "scan.png"
    Image.new("RGB", (100, 50), "white").save(scan, dpi=(96, 96))
    result = runner.invoke(app, ["ocr", str(scan), "-e", "null", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "--assume-dpi" in result.output
    quiet = runner.invoke(app, ["ocr", str(scan), "-e", "null", "--assume-dpi", "300",
                                "--out", str(tmp_path / "o")])  # fmt: skip
    assert "--assume-dpi" not in quiet.output


def _narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    import ocrxtract.cli.console as shared

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(shared, "console", Console(width=80))
    for module in ("ocrxtract.cli.datasets", "ocrxtract.cli.bench"):
        monkeypatch.setattr(f"{module}.console", shared.console, raising=False)


@pytest.mark.parametrize(
    "command",
    [["--help"], ["ocr", "--help"], ["bench", "--help"], ["report", "--help"],
     ["datasets", "list", "--help"], ["demo", "--help"], ["batch", "--help"]],
)  # fmt: skip
def test_help_at_80_columns_shows_types_not_python_annotations(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _narrow(monkeypatch)
    result = runner.invoke(app, command, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    for leak in ("<bool>", "<list[", "<int>", "<path>", "``"):
        assert leak not in result.output, command


def test_dataset_names_are_never_cut_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    from ocrxtract.datasets import list_datasets

    _narrow(monkeypatch)
    result = runner.invoke(app, ["datasets", "list"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    words = set(result.output.replace("│", " ").replace("┃", " ").split())
    for spec in list_datasets():
        assert spec.name in words, spec.name
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_a_wide_table_is_written_vertically_on_a_narrow_terminal() -> None:
    from rich.console import Console

    from ocrxtract.cli.console import print_table

    narrow = Console(width=40, record=True)
    headers = ["dataset", "engine", "CER exact", "CER folded", "WER exact"]
    rows = [["fr-typed-tapuscorpus", "tesseract", "21.50 %", "19.00 %", "40.10 %"]]
    print_table("Page text", headers, rows, target=narrow)
    text = narrow.export_text()
    assert "fr-typed-tapuscorpus" in text and "engine: tesseract" in text
    assert "CER folded: 19.00 %" in text
    wide = Console(width=200, record=True)
    print_table("Page text", headers, rows, target=wide)
    assert "┃ dataset" in wide.export_text()


def test_an_engine_preset_is_an_engine_name(image_file: Path, tmp_path: Path) -> None:
    from ocrxtract.engines import get_engine_class

    if not get_engine_class("tesseract").availability().available:
        pytest.skip("tesseract is not installed")
    listing = runner.invoke(app, ["engines"], env={"COLUMNS": "200"})
    assert "tesseract:sparse" in listing.output and "psm=11" in listing.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["ocr", str(image_file), "-e", "tesseract:sparse", "-f", "json",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    document = Document.from_json(written.read_text(encoding="utf-8"))
    assert document.pages[0].provenance is not None
    assert document.pages[0].provenance.options["psm"] == 11
    both = runner.invoke(app, ["ocr", str(image_file), "-e", "tesseract", "-e", "tesseract:sparse",
                               "--out", str(out)])  # fmt: skip
    assert both.exit_code != 0 and "asked for twice" in both.output
    unknown = runner.invoke(app, ["ocr", str(image_file), "-e", "tesseract:fast"])
    assert unknown.exit_code != 0 and "tesseract:sparse" in unknown.output


class _FixedTextEngine(NullEngine):
    """Reads ``Les numéos`` on every page."""

    name = "fixed-text-test"

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        words = [
            Word(text="Les", bbox=BBox(x0=5, y0=5, x1=30, y1=20)),
            Word(text="numéos", bbox=BBox(x0=35, y0=5, x1=90, y1=20)),
        ]
        blocks = [block_from_lines([line_from_words(words)])]
        return Page(index=page.index, width=page.width, height=page.height, blocks=blocks), []


def test_post_correct_fixes_french_words_and_notes_each_change(
    image_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = tmp_path / "mots.txt"
    words.write_text("les\nnuméros\n", encoding="utf-8")
    monkeypatch.setenv(ENV_WORDLIST, str(words))
    register(_FixedTextEngine)
    try:
        out = tmp_path / "out"
        args = ["ocr", str(image_file), "-e", _FixedTextEngine.name, "--out", str(out)]
        plain = runner.invoke(app, [*args, "--out", str(tmp_path / "plain")])
        fixed = runner.invoke(app, [*args, "--post-correct"])
    finally:
        unregister(_FixedTextEngine.name)
    assert plain.exit_code == 0 and fixed.exit_code == 0, fixed.output
    name = f"page.{_FixedTextEngine.name}.json"
    as_read = Document.from_json((tmp_path / "plain" / name).read_text(encoding="utf-8"))
    corrected = Document.from_json((out / name).read_text(encoding="utf-8"))
    assert as_read.text() == "Les numéos"
    assert corrected.text() == "Les numéros"
    provenance = corrected.pages[0].provenance
    assert provenance is not None
    assert "post-correction: line 1: 'numéos' -> 'numéros'" in provenance.notes


def test_post_correct_without_the_word_list_says_how_to_install_it(
    image_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_WORDLIST, str(tmp_path / "nowhere.txt"))
    result = runner.invoke(
        app, ["ocr", str(image_file), "-e", "null", "--post-correct", "--out", str(tmp_path)]
    )
    assert result.exit_code == MissingDependencyError.exit_code, result.output
    assert "wfrench" in result.output
    assert not list(tmp_path.glob("*.json"))
