"""``ocrxtract bench`` and ``ocrxtract report`` through typer's test runner (tiny dataset)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from ocrxtract.bench import DEFAULT_CAMPAIGN
from ocrxtract.cli.bench import register
from ocrxtract.engines import register as register_engine
from ocrxtract.engines import unregister
from test_bench_kit import (
    ScriptedEngine,
    UnavailableEngine,
    tiny_fixture,  # noqa: F401 - the `tiny` fixture
)

runner = CliRunner()


@pytest.fixture
def app():
    application = typer.Typer()
    register(application)
    register_engine(ScriptedEngine)
    register_engine(UnavailableEngine)
    ScriptedEngine.failing = set()
    yield application
    ScriptedEngine.failing = set()
    unregister(ScriptedEngine.name)
    unregister(UnavailableEngine.name)


def bench(app, tiny, *args):
    return runner.invoke(
        app,
        ["bench", "--engines", "scripted", "--datasets", "tiny", "--workers", "0",
         "--out", str(tiny / "out"), "--cache-dir", str(tiny / "cache"), *args],
    )  # fmt: skip


def test_bench_prints_the_leaderboard_and_writes_results(app, tiny):
    result = bench(app, tiny)
    assert result.exit_code == 0, result.output
    assert "Headline" in result.output
    assert "3.12 %" in result.output  # corpus CER 1/32
    assert "2 pages recognized, 0 from the cache" in result.output
    summary = json.loads((tiny / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["campaign"]["name"] == "adhoc"
    assert (tiny / "out" / "rows.parquet").is_file()
    assert (tiny / "out" / "leaderboard.md").is_file()


def test_second_run_says_how_much_faster_the_cache_made_it(app, tiny):
    assert bench(app, tiny).exit_code == 0
    result = bench(app, tiny)
    assert result.exit_code == 0, result.output
    assert "Served from the cache: 2 pages and 2 line sets, nothing recognized" in result.output
    assert "x faster" in result.output


def test_a_failed_sample_gives_exit_code_1(app, tiny):
    ScriptedEngine.failing = {(201, 100)}
    result = bench(app, tiny)
    assert result.exit_code == 1
    assert "1 sample(s) failed" in result.output
    assert "scripted failure on a 201x100 page" in result.output


def test_unknown_dataset_is_a_usage_error(app, tiny):
    result = runner.invoke(app, ["bench", "--datasets", "nope", "--engines", "scripted"])
    assert result.exit_code == 2
    assert "unknown dataset 'nope'" in result.output


def test_report_regenerates_the_markdown(app, tiny):
    assert bench(app, tiny).exit_code == 0
    (tiny / "out" / "leaderboard.md").unlink()
    result = runner.invoke(app, ["report", str(tiny / "out"), "--no-details"])
    assert result.exit_code == 0, result.output
    assert "Headline" in result.output
    assert "| tiny | 2 | CER exact ↓ | 3.12 % |" in (tiny / "out" / "leaderboard.md").read_text()


def test_report_on_an_empty_folder_says_what_to_do(app, tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 3
    assert "run `ocrxtract bench` first" in result.output


def test_skip_reasons_are_printed_verbatim(app, tiny):
    result = bench(app, tiny, "--engines", "scripted,unavailable-test")
    assert result.exit_code == 0, result.output
    assert "unavailable-test: its model is missing (install: pip install 'ocrxtract[nothing]')" in (
        " ".join(result.output.split())
    )


def test_engines_alone_run_on_the_generated_pages(app, tiny, monkeypatch):
    # The repository's registry and the default campaign's datasets: this also generates the
    # synthetic set on first use, into the test's data dir (issue 4: "generated on first use").
    monkeypatch.delenv("OCRXTRACT_DATASETS_FILE")
    result = runner.invoke(
        app,
        ["bench", "--engines", "null", "--limit", "1", "--workers", "0",
         "--out", str(tiny / "out"), "--cache-dir", str(tiny / "cache")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads((tiny / "out" / "summary.json").read_text(encoding="utf-8"))
    assert list(summary["datasets"]) == [entry.name for entry in DEFAULT_CAMPAIGN.datasets]
    assert summary["leaderboard"][0]["cer_exact"] == 1.0  # null reads nothing


def test_a_user_run_writes_outside_the_repository(app, tiny, monkeypatch):
    monkeypatch.setenv("OCRXTRACT_RESULTS_DIR", str(tiny / "my-results"))
    result = runner.invoke(
        app,
        ["bench", "--engines", "scripted", "--datasets", "tiny", "--workers", "0",
         "--cache-dir", str(tiny / "cache")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tiny / "my-results" / "adhoc" / "summary.json").is_file()
    assert str(tiny / "my-results" / "adhoc") in result.output.replace("\n", "")


def test_the_stamp_names_the_files_that_differed(monkeypatch):
    from ocrxtract import stamp
    from ocrxtract.bench.markdown import render_markdown

    answers = {"rev-parse": "abc123", "status": " M src/a.py\n M datasets.yml"}
    monkeypatch.setattr(stamp, "_git", lambda *args: answers[args[0]])
    state = stamp.git_state()
    assert state == {"commit": "abc123", "dirty": True, "changed": ["datasets.yml", "src/a.py"]}
    page = render_markdown({"stamp": {"git": state}, "campaign": {"name": "x"}})
    assert "uncommitted changes to `datasets.yml`, `src/a.py`" in page
