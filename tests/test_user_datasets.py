"""Your own documents: a folder registered once (outside the repository) or benchmarked as it is,
with malformed ground truth, stray sidecars and broken documents each reported with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from ocrxtract.cli import app
from ocrxtract.datasets import get_spec, list_datasets
from ocrxtract.engines import register, unregister
from test_bench_kit import ScriptedEngine

runner = CliRunner()


@pytest.fixture
def mine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OCRXTRACT_USER_DATASETS", str(tmp_path / "config" / "datasets.yml"))
    monkeypatch.setenv("OCRXTRACT_RESULTS_DIR", str(tmp_path / "results"))
    folder = tmp_path / "mes documents"
    folder.mkdir()
    Image.new("RGB", (200, 100), "white").save(folder / "a.png", dpi=(300, 300))
    (folder / "a.txt").write_text("HELLO WORLD", encoding="utf-8")
    Image.new("RGB", (201, 100), "white").save(folder / "b.png", dpi=(300, 300))
    (folder / "b.fields.json").write_text("{not json", encoding="utf-8")  # malformed
    (folder / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")  # a document that fails
    (folder / "orphan.txt").write_text("no document", encoding="utf-8")  # a stray sidecar
    register(ScriptedEngine)
    yield folder
    unregister(ScriptedEngine.name)


def test_add_list_and_remove_a_folder(mine: Path, tmp_path: Path) -> None:
    added = runner.invoke(app, ["datasets", "add", "mes-docs", str(mine)])
    assert added.exit_code == 0, added.output
    assert "3 document(s)" in added.output
    assert "orphan.txt" in added.output and "without a document" in added.output
    assert (tmp_path / "config" / "datasets.yml").is_file()
    spec = get_spec("mes-docs")
    assert (spec.format, spec.root) == ("folder", mine.resolve())
    assert "mes-docs" in [s.name for s in list_datasets()]
    again = runner.invoke(app, ["datasets", "add", "mes-docs", str(mine)])
    assert again.exit_code == 2 and "already taken" in again.output
    taken = runner.invoke(app, ["datasets", "add", "sroie", str(mine)])
    assert taken.exit_code == 2 and "already taken" in taken.output
    removed = runner.invoke(app, ["datasets", "remove", "mes-docs"])
    assert removed.exit_code == 0, removed.output
    assert "mes-docs" not in [s.name for s in list_datasets()]
    assert (mine / "a.png").is_file()  # the documents are left alone


def test_a_missing_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCRXTRACT_USER_DATASETS", str(tmp_path / "datasets.yml"))
    result = runner.invoke(app, ["datasets", "add", "x", str(tmp_path / "nope")])
    assert result.exit_code == 3 and "no such folder" in result.output


def test_bench_on_a_folder_reports_each_problem_and_scores_the_rest(mine: Path) -> None:
    result = runner.invoke(
        app,
        ["bench", "--folder", str(mine), "--engines", "scripted", "--lang", "eng",
         "--workers", "0", "--no-cache"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # some samples failed: said, the others scored
    from ocrxtract.bench import read_summary
    from ocrxtract.bench.results import default_results_dir

    summary = read_summary(default_results_dir() / "adhoc" / "summary.json")
    errors = {e["sample_id"]: e["error"] for e in summary["errors"]}
    assert set(errors) == {"b", "c"}
    assert "b.fields.json" in errors["b"] and "not valid JSON" in errors["b"]
    assert "c.png" in errors["c"]
    (record,) = [r for r in summary["leaderboard"] if r["engine"] == "scripted"]
    assert record["samples"] == 3 and record["errors"] == 2
    assert record["cer_exact"] == 0.0  # a.png read as HELLO WORLD, its reference
