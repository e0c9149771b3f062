"""The private leaderboard (``ocrxtract.workbench.leaderboard``): a folder of your documents
through the benchmark machinery, the recommendation, the worst documents, exports without
document content, and the same figures as ``ocrxtract bench --folder``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from appdata import EchoEngine, png_bytes
from ocrxtract.bench import BenchCache
from ocrxtract.cli import app
from ocrxtract.engines import register, unregister
from ocrxtract.workbench.leaderboard import (
    FIGURES,
    engine_reading,
    export_csv,
    export_markdown,
    recommend,
    run_folder,
    worst_documents,
)


def record(engine: str, cer: float | None, seconds: float | None, **more: Any) -> dict[str, Any]:
    return {"engine": engine, "samples": 12, "errors": 0, "cer_exact": cer,
            "seconds_per_page": seconds, **more}  # fmt: skip


# --- the recommendation -------------------------------------------------------------------------


def test_the_most_accurate_engine_is_recommended_with_the_faster_one_cited() -> None:
    records = [record("tesseract", 0.079, 1.3), record("rapidocr", 0.021, 3.4)]
    advice = recommend(records)
    assert advice.engine == "rapidocr"
    # 3.4 / 1.3 = 2.615... -> "2,6×"
    assert advice.sentence == (
        "Sur vos 12 documents : rapidocr, CER 2,1 %, 3,4 s/page ; "
        "tesseract 2,6× plus rapide mais CER 7,9 %."
    )
    assert advice.evidence == {
        "rapidocr": {"cer_exact": 0.021, "seconds_per_page": 3.4},
        "tesseract": {"cer_exact": 0.079, "seconds_per_page": 1.3},
    }
    assert recommend(records, "en").sentence == (
        "On your 12 documents: rapidocr, CER 2.1%, 3.4 s/page; tesseract 2.6× faster but CER 7.9%."
    )


def test_with_reference_fields_the_best_field_f1_is_recommended() -> None:
    # tesseract has the lower CER but gets fewer fields right: the fields decide.
    records = [
        record("tesseract", 0.05, 1.3, field_f1=0.80),
        record("rapidocr", 0.07, 3.4, field_f1=0.95),
    ]
    advice = recommend(records)
    assert advice.engine == "rapidocr"
    assert advice.sentence == (
        "Sur vos 12 documents : rapidocr, F1 des champs 95,0 %, CER 7,0 %, 3,4 s/page ; "
        "tesseract 2,6× plus rapide mais F1 des champs 80,0 %, CER 5,0 %."
    )
    assert advice.evidence["rapidocr"] == {
        "field_f1": 0.95, "cer_exact": 0.07, "seconds_per_page": 3.4,
    }  # fmt: skip
    # equal field F1: the lower CER wins
    tied = [record("a", 0.05, 1.0, field_f1=0.9), record("b", 0.02, 2.0, field_f1=0.9)]
    assert recommend(tied, "en").engine == "b"


def test_when_the_best_is_also_the_fastest_the_runner_up_is_cited() -> None:
    records = [record("a", 0.10, 0.5), record("b", 0.02, 0.25), record("c", 0.05, 4.0)]
    assert recommend(records).sentence == (
        "Sur vos 12 documents : b, CER 2,0 %, 0,25 s/page ; c : CER 5,0 %, 4,0 s/page."
    )


def test_a_tie_on_cer_goes_to_the_faster_engine() -> None:
    advice = recommend([record("slow", 0.03, 2.0), record("quick", 0.03, 1.0)])
    assert advice.engine == "quick"


def test_without_ground_truth_the_fastest_engine_and_a_hint() -> None:
    advice = recommend([record("a", None, 2.0), record("b", None, 0.5)])
    assert advice.engine == "b"
    assert advice.sentence.startswith("Sur vos 12 documents, sans vérité terrain : b est le plus")
    assert "corrigez quelques pages" in advice.sentence


def test_engines_that_read_nothing_are_not_recommended() -> None:
    failed = record("a", None, None, errors=12)
    assert recommend([failed]).engine is None
    assert recommend([failed, record("b", 0.5, 1.0)]).sentence == (
        "Sur vos 12 documents : b, CER 50,0 %, 1,0 s/page."
    )


# --- worst documents and exports ----------------------------------------------------------------


def row(engine: str, sample: str, edits: int, ref: int, status: str = "ok") -> dict[str, Any]:
    return {"engine": engine, "sample_id": sample, "status": status,
            "exact_char_edits": edits, "exact_char_ref": ref}  # fmt: skip


def test_worst_documents_come_worst_first_and_only_with_a_reference() -> None:
    rows = [
        row("t", "a", 1, 100),
        row("t", "b", 30, 100),
        row("t", "c", 5, 0),  # no reference text: not ranked
        row("t", "d", 2, 10),
        row("r", "b", 90, 100),  # another engine
        row("t", "e", 0, 0, status="error"),
    ]
    assert [(w.sample_id, w.cer) for w in worst_documents(rows, "t", 2)] == [
        ("b", 0.3),
        ("d", 0.2),
    ]


def test_exports_hold_figures_and_never_a_document_name() -> None:
    records = [
        record("rapidocr", 0.021, 3.4, cer_folded=0.01, wer_exact=0.1, wer_folded=0.05,
               peak_rss_mib=512.4, pages=14, dataset="folder-bulletins-dupont"),
    ]  # fmt: skip
    markdown = export_markdown(records)
    assert (
        "| rapidocr | 12 | 14 | 0 | 2,1 % | 1,0 % | 10,0 % | 5,0 % | — | 3,40 | 512 |" in markdown
    )
    assert "Sur vos 12 documents : rapidocr" in markdown
    assert "dupont" not in markdown
    table = list(csv.DictReader(io.StringIO(export_csv(records))))
    assert table == [
        {"engine": "rapidocr", "samples": "12", "pages": "14", "errors": "0",
         "cer_exact": "0.021", "cer_folded": "0.01", "wer_exact": "0.1", "wer_folded": "0.05",
         "field_f1": "", "seconds_per_page": "3.4", "peak_rss_mib": "512.4"},
    ]  # fmt: skip
    assert "dupont" not in export_csv(records)


# --- on a real folder ---------------------------------------------------------------------------

ALTO = """<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">
  <Description><MeasurementUnit>pixel</MeasurementUnit></Description>
  <Layout><Page WIDTH="1240" HEIGHT="720" PHYSICAL_IMG_NR="0"><PrintSpace>
    <TextBlock ID="b1"><TextLine ID="l1" HPOS="10" VPOS="10" WIDTH="170" HEIGHT="20">
      <String CONTENT="Quittance" HPOS="10" VPOS="10" WIDTH="50" HEIGHT="20"/><SP/>
      <String CONTENT="de" HPOS="70" VPOS="10" WIDTH="50" HEIGHT="20"/><SP/>
      <String CONTENT="loyer" HPOS="130" VPOS="10" WIDTH="50" HEIGHT="20"/>
    </TextLine></TextBlock>
  </PrintSpace></Page></Layout>
</alto>
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """a: .txt sidecar; b: ALTO sidecar; c: no ground truth; d: a broken document; a stray
    sidecar."""
    monkeypatch.setenv("OCRXTRACT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OCRXTRACT_RESULTS_DIR", str(tmp_path / "results"))
    register(EchoEngine)
    target = tmp_path / "bulletins"
    target.mkdir()
    for name in "abc":
        (target / f"{name}.png").write_bytes(png_bytes(0))
    (target / "a.txt").write_text("Quittance de loyer\n", encoding="utf-8")
    (target / "b.xml").write_text(ALTO, encoding="utf-8")
    (target / "d.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    (target / "orphelin.txt").write_text("sans document", encoding="utf-8")
    yield target
    unregister(EchoEngine.name)


def test_a_folder_is_ranked_with_its_problems_listed(folder: Path, tmp_path: Path) -> None:
    board = run_folder(folder, ["test-echo"], out_dir=tmp_path / "out", workers=0)
    (figures,) = board.records
    # test-echo reads "Quitance de loyer": 1 edit on a (18 characters) and on b (18); c has no
    # reference text and is not scored (its reading is not counted as insertions).
    assert figures["cer_exact"] == pytest.approx(2 / 36, abs=1e-6)
    assert figures["samples"] == 4 and figures["errors"] == 1
    assert (board.documents, board.with_truth) == (4, 2)
    (error,) = board.errors
    assert error["sample_id"] == "d"
    assert ("orphelin.txt", "text ground truth without a document") in board.skipped
    assert [w.sample_id for w in worst_documents(board.rows, "test-echo")] == ["a", "b"]
    reference, text = engine_reading(board, "test-echo", "a")
    assert (reference, text) == ("Quittance de loyer", "Quitance de loyer")


def test_the_cli_and_the_app_give_the_same_figures(folder: Path, tmp_path: Path) -> None:
    """``ocrxtract bench --folder`` and the app's leaderboard on a folder with .txt and ALTO
    sidecars: the same figures, timings and memory included (the second reads the cache the
    first filled)."""
    cli_out = tmp_path / "cli"
    result = CliRunner().invoke(
        app,
        ["bench", "--folder", str(folder), "--engines", "test-echo", "--workers", "0",
         "--out", str(cli_out)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # d.png fails: recorded, the rest benchmarked
    summary = json.loads((cli_out / "summary.json").read_text(encoding="utf-8"))
    (cli,) = [r for r in summary["leaderboard"] if r["engine"] == "test-echo"]
    board = run_folder(
        folder, ["test-echo"], out_dir=tmp_path / "app", workers=0, cache=BenchCache()
    )
    (ours,) = board.records
    assert ours["dataset"] == cli["dataset"] == "folder-bulletins"
    keys = [*FIGURES, "samples", "errors", "pages", "oi_cer_exact", "bow_f1_folded"]
    assert {k: ours[k] for k in keys} == {k: cli[k] for k in keys}
    # a's .txt and b's ALTO line are both references: 1 edit on each, of 18 characters.
    assert ours["cer_exact"] == pytest.approx(2 / 36, abs=1e-6)
    assert ours["seconds_per_page"] is not None and ours["peak_rss_mib"] is not None


class ReceiptEngine(EchoEngine):
    """Reads a rent receipt, one line per label and value."""

    name = "test-receipt"
    LINES = ("QUITTANCE DE LOYER", "Loyer : 650,00 €", "Charges : 50,00 €", "Total : 700,00 €")

    def _recognize(self, page: Any) -> tuple[Any, list[str]]:
        from ocrxtract.document import BBox, Page, Word, block_from_lines, line_from_words

        lines = []
        for row, text in enumerate(self.LINES):
            words = [
                Word(text=token, bbox=BBox(x0=10 + 90 * i, y0=10 + 40 * row, x1=90 + 90 * i,
                     y1=40 + 40 * row), confidence=0.9)
                for i, token in enumerate(text.split())
            ]  # fmt: skip
            lines.append(line_from_words(words))
        blocks = [block_from_lines(lines)]
        return Page(index=page.index, width=page.width, height=page.height, blocks=blocks), []


def test_reference_fields_give_a_field_f1_in_the_app_and_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder with ``.fields.json`` sidecars: the fields extractor runs on each engine's
    reading, its field F1 joins the engine's record, the CLI gives the same."""
    monkeypatch.setenv("OCRXTRACT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OCRXTRACT_RESULTS_DIR", str(tmp_path / "results"))
    register(ReceiptEngine)
    register(EchoEngine)
    try:
        target = tmp_path / "quittances"
        target.mkdir()
        for name in "ab":
            (target / f"{name}.png").write_bytes(png_bytes(0))
        truth = {"loyer": "650,00 €", "charges": "50,00", "total": "700.00"}
        (target / "a.fields.json").write_text(
            json.dumps({"schema": "rent_receipt", "fields": truth}), encoding="utf-8"
        )
        # b: the tenant paid another rent; the engine's reading gets it wrong.
        (target / "b.fields.json").write_text(
            json.dumps({"schema": "rent_receipt", "fields": {**truth, "loyer": "640,00"}}),
            encoding="utf-8",
        )
        board = run_folder(
            target, ["test-receipt", "test-echo"], out_dir=tmp_path / "app", workers=0
        )
        figures = {r["engine"]: r for r in board.records}
        assert set(figures) == {"test-receipt", "test-echo"}  # one record per engine
        receipt = figures["test-receipt"]
        # a: 3 right; b: charges and total right, loyer wrong (1 FP + 1 FN).
        assert receipt["field_recall"] == pytest.approx(5 / 6)
        assert receipt["field_precision"] == pytest.approx(5 / 6)
        assert receipt["field_f1"] == pytest.approx(5 / 6)
        assert figures["test-echo"]["field_f1"] == pytest.approx(0.0)
        assert recommend(board.records).engine == "test-receipt"
        assert "F1 des champs 83,3 %" in recommend(board.records).sentence

        result = CliRunner().invoke(
            app,
            ["bench", "--folder", str(target), "--engines", "test-receipt", "--workers", "0",
             "--out", str(tmp_path / "cli")],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        summary = json.loads((tmp_path / "cli" / "summary.json").read_text(encoding="utf-8"))
        (cli,) = [r for r in summary["leaderboard"] if r["engine"] == "test-receipt+fields"]
        assert cli["field_f1"] == pytest.approx(receipt["field_f1"])
    finally:
        unregister(ReceiptEngine.name)
        unregister(EchoEngine.name)
