"""The benchmark's seams, used from outside the package: a new scorer and a dummy extractor
registered here run in a campaign (in this process and in spawned workers) without touching a
bench module; a folder of documents with sidecar ground truth registered here is a dataset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pytest
from PIL import Image

from ocrxtract.bench import (
    Campaign,
    DatasetEntry,
    EngineEntry,
    ExtractorEntry,
    Metric,
    Prediction,
    Scorer,
    register_scorer,
    run_campaign,
    table_data,
    unregister_scorer,
)
from ocrxtract.bench.scorers import column_sum, rate
from ocrxtract.datasets import (
    DatasetSpec,
    Sample,
    load_dataset,
    register_dataset,
    unregister_dataset,
)
from ocrxtract.document import Document, KeyField
from ocrxtract.engines import register, unregister
from ocrxtract.extract import Extractor, ExtractorOptions, register_extractor, unregister_extractor
from test_bench_kit import ScriptedEngine, tiny_fixture  # noqa: F401 - the fixture


class ShoutOptions(ExtractorOptions):
    field: str = "shout"


class ShoutExtractor(Extractor):
    """A dummy extractor: one field, the document's first word."""

    name = "test-shout"
    options_class = ShoutOptions
    produces: ClassVar[frozenset[str]] = frozenset({"fields"})

    def _extract(self, document: Document) -> Document:
        words = [w.text for page in document.pages for w in page.words()]
        assert isinstance(self.options, ShoutOptions)
        document.fields.append(KeyField(name=self.options.field, value=words[0] if words else None))
        return document


class FirstWordScorer(Scorer):
    """A new task: is the extracted ``shout`` field the reference's first word?"""

    name = "test-first-word"
    metrics = (Metric("first_word_acc", "first word accuracy", "first_word_acc", False),)
    needs = frozenset({"fields"})
    columns = (("fw_hits", "int"), ("fw_total", "int"))
    title = "First word"

    def applies(self, spec: DatasetSpec, wanted: set[str]) -> bool:
        return True  # every dataset has a first word

    def score(self, sample: Sample, prediction: Prediction) -> dict[str, Any]:
        found = prediction.document.field("shout")
        expected = sample.text.split()[0] if sample.text.split() else None
        return {"fw_hits": int(found is not None and found.value == expected), "fw_total": 1}

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        return {"first_word_acc": rate(column_sum(rows, "fw_hits"), column_sum(rows, "fw_total"))}


@pytest.fixture
def plugins(tiny):
    register(ScriptedEngine)
    register_extractor(ShoutExtractor)
    register_scorer(FirstWordScorer)
    yield tiny
    unregister_scorer(FirstWordScorer.name)
    unregister_extractor(ShoutExtractor.name)
    unregister(ScriptedEngine.name)


def _campaign(workers: int, datasets: tuple[str, ...] = ("tiny",)) -> Campaign:
    return Campaign(
        name="plugins",
        engines=(EngineEntry(name="scripted"),),
        extractors=(ExtractorEntry(name="test-shout"),),
        datasets=tuple(DatasetEntry(name=d) for d in datasets),
        metrics=("cer", "first_word_acc"),
        workers=workers,
    )


@pytest.mark.parametrize("workers", [0, 1])
def test_a_new_scorer_and_extractor_run_in_a_campaign(plugins, workers):
    result = run_campaign(_campaign(workers), plugins / "out", cache=None)
    rows = {(r["extractor"], r["sample_id"]): r for r in result.rows}
    assert set(rows) == {(None, "a"), (None, "b"), ("test-shout", "a"), ("test-shout", "b")}
    assert all(r["status"] == "ok" for r in rows.values()), [r["error"] for r in rows.values()]
    # The engine's rows are scored by the text scorer, the extractor's by the new one.
    assert rows[(None, "a")]["exact_char_edits"] == 0 and rows[(None, "a")]["fw_total"] is None
    assert (
        rows[("test-shout", "a")]["fw_hits"] == 1 and rows[("test-shout", "a")]["cer_exact"] is None
    )
    board = {r["engine"]: r for r in result.summary["leaderboard"]}
    assert board["scripted+test-shout"]["first_word_acc"] == 1.0  # HELLO on both pages
    assert board["scripted"]["cer_exact"] is not None
    titles = [title for title, _, _ in table_data(result.summary)]
    assert "First word" in titles
    assert "First word" in result.paths["leaderboard"].read_text(encoding="utf-8")


def test_metrics_no_scorer_measures_are_refused():
    with pytest.raises(ValueError, match="no scorer measures first_word_acc"):
        _campaign(0)


@pytest.fixture
def my_documents(tmp_path):
    """A user's folder: two scans with their text, one with fields, and a stray sidecar."""
    folder = tmp_path / "mes-documents"
    (folder / "2024").mkdir(parents=True)
    Image.new("RGB", (200, 100), "white").save(folder / "2024" / "a.png", dpi=(300, 300))
    (folder / "2024" / "a.txt").write_text("HELLO WORLD\n", encoding="utf-8")
    (folder / "2024" / "a.fields.json").write_text(
        '{"schema": "receipt", "fields": {"total": "12.50"}}', encoding="utf-8"
    )
    Image.new("RGB", (201, 100), "white").save(folder / "b.png", dpi=(300, 300))
    (folder / "b.txt").write_text("HELLO WONDERFUL WORLD", encoding="utf-8")
    (folder / "orphan.txt").write_text("no document", encoding="utf-8")
    spec = DatasetSpec(
        name="mes-documents",
        kind="administrative",
        language="eng",
        format="folder",
        tasks=("ocr",),
        license="private",
        headline={"metric": "cer"},
        metrics=("cer", "wer", "bow_f1"),
        root=folder,
    )
    register_dataset(spec)
    yield folder
    unregister_dataset(spec.name)


def test_a_folder_registered_in_code_is_a_dataset(tiny, my_documents):
    samples = {s.sample_id: s for s in load_dataset("mes-documents")}
    assert set(samples) == {"2024/a", "b"}
    assert samples["2024/a"].text == "HELLO WORLD"
    assert samples["2024/a"].fields == {"total": "12.50"}
    assert samples["2024/a"].dpi == 300.0


def test_a_folder_dataset_runs_in_a_campaign_in_workers(tiny, my_documents):
    register(ScriptedEngine)
    try:
        campaign = Campaign(
            name="mine",
            engines=(EngineEntry(name="scripted"),),
            datasets=(DatasetEntry(name="mes-documents"),),
            workers=1,  # a spawned worker: the spec travels in the task, not by name
        )
        result = run_campaign(campaign, my_documents.parent / "out", cache=None)
    finally:
        unregister(ScriptedEngine.name)
    rows = {r["sample_id"]: r for r in result.rows}
    assert {k: r["status"] for k, r in rows.items()} == {"2024/a": "ok", "b": "ok"}
    assert rows["2024/a"]["exact_char_edits"] == 0  # read right, as the scripted engine does
    assert rows["b"]["exact_char_edits"] == 1  # WORD for WORLD
