"""The benchmark runner on the tiny dataset with scripted engines: scores worked out by hand,
failures recorded, skips explained, the cache re-used, progress reported, in-process resume."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ocrxtract.bench import (
    BenchCache,
    Campaign,
    DatasetEntry,
    EngineEntry,
    read_rows,
    read_summary,
    run_campaign,
)
from ocrxtract.bench.results import JOURNAL_FILE, read_journal
from ocrxtract.document import Page, block_from_lines, line_from_words
from ocrxtract.engines import register, unregister
from ocrxtract.errors import MissingDependencyError, UnknownDatasetError, UnknownEngineError
from ocrxtract.fr.lexicon import ENV_WORDLIST
from ocrxtract.io import PageImage
from test_bench_kit import (
    CRASH_ENV,
    ScriptedEngine,
    UnavailableEngine,
    tiny_fixture,  # noqa: F401 - the `tiny` fixture
)


@pytest.fixture
def scripted():
    register(ScriptedEngine)
    register(UnavailableEngine)
    ScriptedEngine.failing = set()
    yield ScriptedEngine
    ScriptedEngine.failing = set()
    unregister(ScriptedEngine.name)
    unregister(UnavailableEngine.name)


def campaign(*engines: str, datasets=("tiny",), workers=0) -> Campaign:
    return Campaign(
        name="t",
        engines=tuple(EngineEntry(name=e) for e in engines),
        datasets=tuple(DatasetEntry(name=d) for d in datasets),
        workers=workers,
    )


def by_sample(rows, engine="scripted"):
    return {r["sample_id"]: r for r in rows if r["engine"] == engine}


def record(result, engine, dataset="tiny"):
    return next(
        r for r in result.summary["leaderboard"] if (r["engine"], r["dataset"]) == (engine, dataset)
    )


def test_scores_are_corpus_level_counts(tiny, scripted):
    result = run_campaign(campaign("scripted"), tiny / "out", cache=BenchCache(tiny / "cache"))
    rows = by_sample(result.rows)
    a, b = rows["a"], rows["b"]
    # a: "HELLO WORLD" read right. b: "HELLO WONDERFUL WORLD" read "HELLO WONDERFUL WORD":
    # one deleted character of 21, one substituted word of 3.
    assert (a["exact_char_edits"], a["exact_char_ref"]) == (0, 11)
    assert (b["exact_char_edits"], b["exact_char_ref"]) == (1, 21)
    assert (b["exact_word_edits"], b["exact_word_ref"]) == (1, 3)
    assert b["cer_exact"] == pytest.approx(1 / 21)
    # Bag of words of b: HELLO, WONDERFUL matched; WORD extra; WORLD missed.
    assert (b["exact_bow_tp"], b["exact_bow_fp"], b["exact_bow_fn"]) == (2, 1, 1)
    # Word boxes: a's two words sit on the ground truth's; b's three are 50 px below theirs.
    assert (a["det_tp"], a["det_fp"], a["det_fn"]) == (2, 0, 0)
    assert (b["det_tp"], b["det_fp"], b["det_fn"]) == (0, 3, 3)
    # Line crops: a's read right; b's read "HELLO WONDERFUL W0RLD" (one substitution).
    assert (a["line_exact_char_edits"], b["line_exact_char_edits"]) == (0, 1)
    assert a["line_reader"] == "page-on-crop"

    corpus = record(result, "scripted")
    assert corpus["cer_exact"] == pytest.approx(1 / 32)  # not the mean of rates, 1/42
    assert corpus["wer_exact"] == pytest.approx(1 / 5)
    assert corpus["cer_folded"] == pytest.approx(1 / 32)
    assert corpus["bow_f1_exact"] == pytest.approx(8 / 10)  # 2*4 / (2*4 + 1 + 1)
    assert corpus["word_det_f1"] == pytest.approx(4 / 10)  # 2*2 / (2*2 + 3 + 3)
    assert corpus["line_cer_exact"] == pytest.approx(1 / 32)
    assert corpus["headline"] == {
        "metric": "cer",
        "normalisation": "exact",
        "value": pytest.approx(1 / 32),
        "lower_is_better": True,
        "measured": True,
    }
    assert result.summary["datasets"]["tiny"]["not_measured"] == ["field_f1"]


def test_null_engine_reads_nothing_and_scores_the_worst(tiny, scripted):
    result = run_campaign(campaign("null"), tiny / "out", cache=None)
    corpus = record(result, "null")
    assert corpus["cer_exact"] == 1.0  # 32 deletions over 32 characters
    assert corpus["wer_exact"] == 1.0
    assert corpus["bow_f1_exact"] == 0.0
    assert corpus["word_det_f1"] == 0.0
    assert corpus["line_cer_exact"] == 1.0
    assert corpus["errors"] == 0


def test_a_failing_sample_is_recorded_and_the_run_goes_on(tiny, scripted):
    ScriptedEngine.failing = {(201, 100)}
    result = run_campaign(campaign("scripted", "null"), tiny / "out", cache=None)
    rows = by_sample(result.rows)
    assert rows["a"]["status"] == "ok"
    assert rows["b"]["status"] == "error"
    assert rows["b"]["error_type"] == "RecognitionError"
    assert "scripted failure on a 201x100 page" in rows["b"]["error"]
    assert rows["b"]["cer_exact"] is None
    assert len(by_sample(result.rows, "null")) == 2  # the next engine still ran
    corpus = record(result, "scripted")
    assert (corpus["samples"], corpus["errors"]) == (2, 1)
    assert corpus["cer_exact"] == 0.0  # the failed sample is left out of the scores
    assert result.summary["errors"][0]["sample_id"] == "b"
    assert "Error: `scripted` on `tiny/b`" in (tiny / "out" / "leaderboard.md").read_text()


def test_second_run_is_served_from_the_cache(tiny, scripted):
    cache = BenchCache(tiny / "cache")
    first = run_campaign(campaign("scripted"), tiny / "out", cache=cache)
    calls = len(ScriptedEngine.calls)
    assert calls == 4  # two pages and two line crops
    assert (first.pages_recognized, first.pages_cached) == (2, 0)
    second = run_campaign(campaign("scripted"), tiny / "out", cache=cache)
    assert len(ScriptedEngine.calls) == calls
    assert (second.pages_recognized, second.pages_cached) == (0, 2)
    assert second.line_sets_recognized == 0
    assert second.baseline is not None
    assert second.baseline["wall_seconds"] == first.summary["run"]["wall_seconds"]
    assert second.speedup == pytest.approx(
        first.summary["run"]["wall_seconds"] / second.wall_seconds
    )
    assert second.summary["leaderboard"] == first.summary["leaderboard"]
    assert second.summary["run"]["speedup"] == pytest.approx(second.speedup, abs=0.05)
    markdown = second.paths["leaderboard"].read_text(encoding="utf-8")
    assert "every engine output came from the cache (2 pages)" in markdown
    # the timing of the cached pages is the one measured when they were read
    first_rows, second_rows = by_sample(first.rows), by_sample(second.rows)
    assert second_rows["a"]["seconds"] == first_rows["a"]["seconds"]


def test_other_options_are_other_cache_entries(tiny, scripted):
    cache = BenchCache(tiny / "cache")
    run_campaign(campaign("scripted"), tiny / "out", cache=cache)
    calls = len(ScriptedEngine.calls)
    other = Campaign(
        name="t",
        engines=(EngineEntry(name="scripted", options={"allow_download": True}),),
        datasets=(DatasetEntry(name="tiny"),),
        workers=0,
    )
    result = run_campaign(other, tiny / "out2", cache=cache)
    assert result.pages_recognized == 2
    assert len(ScriptedEngine.calls) == calls + 4


def test_progress_reports_every_row_with_an_eta(tiny, scripted):
    events = []
    run_campaign(campaign("scripted", "null"), tiny / "out", cache=None, on_progress=events.append)
    assert [(e.done, e.total) for e in events] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert all(e.eta is not None and e.eta >= 0 for e in events)
    assert events[-1].eta == 0
    assert [e.row["engine"] for e in events] == ["scripted", "scripted", "null", "null"]


def test_skips_are_explained(tiny, scripted):
    result = run_campaign(
        campaign("scripted", "unavailable-test", datasets=("tiny", "tiny-fr", "tiny-tables")),
        tiny / "out",
        cache=None,
    )
    reasons = {(s.engine, s.dataset): s.reason for s in result.skipped}
    assert (
        reasons[(None, "tiny-tables")] == "no scorer of this campaign measures its metrics (teds)"
    )
    assert reasons[("unavailable-test", None)] == (
        "its model is missing (install: pip install 'ocrxtract[nothing]')"
    )
    assert reasons[("scripted", "tiny-fr")] == "scripted cannot read fra here (it reads: eng)"
    assert {(r["engine"], r["dataset"]) for r in result.rows} == {("scripted", "tiny")}
    assert len(result.summary["skipped"]) == 3


def test_unknown_names_stop_the_run_before_anything_runs(tiny, scripted):
    with pytest.raises(UnknownEngineError, match="known engines"):
        run_campaign(campaign("no-such-engine"), tiny / "out", cache=None)
    with pytest.raises(UnknownDatasetError, match="known datasets"):
        run_campaign(campaign("scripted", datasets=("nope",)), tiny / "out", cache=None)
    assert not (tiny / "out" / JOURNAL_FILE).exists()
    assert ScriptedEngine.calls == []


def test_results_files_hold_every_row(tiny, scripted):
    result = run_campaign(campaign("scripted", "null"), tiny / "out", cache=None)
    rows = read_rows(result.paths["rows"])
    assert [(r["engine"], r["sample_id"]) for r in rows] == [
        ("null", "a"),
        ("null", "b"),
        ("scripted", "a"),
        ("scripted", "b"),
    ]
    assert rows[3]["exact_char_edits"] == 1
    summary = read_summary(result.paths["summary"])
    assert summary["campaign"]["fingerprint"] == campaign("scripted", "null").fingerprint()
    assert summary["engines"]["scripted"]["version"] == "1.0"
    assert summary["stamp"]["machine"]["cores"] >= 1
    assert not (tiny / "out" / JOURNAL_FILE).exists()  # removed once the run is complete


def test_an_interrupted_run_resumes_without_recomputing(tiny, scripted):
    cache = BenchCache(tiny / "cache")
    ScriptedEngine.interrupting = {(201, 100)}  # Ctrl-C while page b is read
    try:
        with pytest.raises(KeyboardInterrupt):
            run_campaign(campaign("scripted"), tiny / "out", cache=cache)
    finally:
        ScriptedEngine.interrupting = set()
    _, kept = read_journal(tiny / "out" / JOURNAL_FILE)
    assert [r["sample_id"] for r in kept] == ["a"]
    calls = list(ScriptedEngine.calls)
    assert calls.count(str(tiny / "data" / "tiny" / "images" / "a.png")) == 1

    result = run_campaign(campaign("scripted"), tiny / "out", cache=cache)
    assert result.resumed == 1
    new_calls = ScriptedEngine.calls[len(calls) :]
    b_png = str(tiny / "data" / "tiny" / "images" / "b.png")
    assert new_calls == [b_png, f"{b_png} page 1 line 1"]
    assert by_sample(result.rows)["a"] == kept[0]  # the row itself, not recomputed
    assert not (tiny / "out" / JOURNAL_FILE).exists()


def test_fresh_drops_an_interrupted_run(tiny, scripted):
    (tiny / "out").mkdir()
    journal = tiny / "out" / JOURNAL_FILE
    run_campaign(campaign("scripted"), tiny / "seed", cache=None)
    # a journal left by an interrupted run, holding one finished row
    rows = read_rows(tiny / "seed" / "rows.parquet")
    journal.write_text(
        json.dumps({"journal": 1}) + "\n" + json.dumps(rows[0]) + "\n", encoding="utf-8"
    )
    resumed = run_campaign(campaign("scripted"), tiny / "out", cache=None)
    assert resumed.resumed == 1
    journal.write_text(
        json.dumps({"journal": 1}) + "\n" + json.dumps(rows[0]) + "\n", encoding="utf-8"
    )
    fresh = run_campaign(campaign("scripted"), tiny / "out", cache=None, resume=False)
    assert fresh.resumed == 0


def test_worker_processes_give_the_same_rows(tiny, scripted):
    in_process = run_campaign(campaign("scripted"), tiny / "one", cache=None)
    pooled = run_campaign(campaign("scripted", workers=2), tiny / "two", cache=None)
    assert pooled.summary["engines"]["scripted"]["processes"] == 2
    assert pooled.summary["engines"]["scripted"]["threads"] == 1
    assert pooled.summary["leaderboard"] == [
        {**r, "seconds_per_page": pytest.approx(r["seconds_per_page"], abs=1.0),
         "pages_per_minute": pooled.summary["leaderboard"][i]["pages_per_minute"],
         "peak_rss_mib": pooled.summary["leaderboard"][i]["peak_rss_mib"],
         "warm": pooled.summary["leaderboard"][i]["warm"]}
        for i, r in enumerate(in_process.summary["leaderboard"])
    ]  # fmt: skip
    # the workers ran the engine: none of its calls happened in this process
    assert ScriptedEngine.calls.count(str(tiny / "data" / "tiny" / "images" / "a.png")) == 1


@pytest.mark.slow
def test_a_sample_that_kills_its_worker_is_an_error_row(tiny, scripted, monkeypatch):
    monkeypatch.setenv(CRASH_ENV, "201x100")  # page b kills the worker reading it
    result = run_campaign(campaign("scripted", workers=2), tiny / "out", cache=None)
    rows = by_sample(result.rows)
    assert rows["a"]["status"] == "ok"
    assert rows["a"]["exact_char_edits"] == 0
    assert (rows["b"]["status"], rows["b"]["error_type"]) == ("error", "WorkerDiedError")
    assert "died twice" in rows["b"]["error"]


class ReversedLinesEngine(ScriptedEngine):
    """Reads what :class:`ScriptedEngine` reads, one line per word, the last word first."""

    name = "reversed-lines"

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        read, notes = super()._recognize(page)
        words = [word for line in read.lines() for word in line.words]
        blocks = [block_from_lines([line_from_words([word])]) for word in reversed(words)]
        return read.model_copy(update={"blocks": blocks}), notes


def run_configurations(tiny, cls, configurations: dict[str, dict[str, Any]]):
    """Run the engine ``cls`` under each label with its entry fields, one campaign, one cache."""
    register(cls)
    try:
        engines = tuple(
            EngineEntry(name=cls.name, label=label, **fields)
            for label, fields in configurations.items()
        )
        both = Campaign(name="t", engines=engines, datasets=(DatasetEntry(name="tiny"),), workers=0)
        return run_campaign(both, tiny / "out", cache=BenchCache(tiny / "cache"))
    finally:
        unregister(cls.name)


@pytest.mark.parametrize("option", [("reading_order", True), ("post_correction", False)])
def test_new_engine_options_at_their_default_leave_the_fingerprint_as_it_was(option):
    name, default = option
    plain = campaign("scripted")
    explicit = plain.model_copy(
        update={"engines": (EngineEntry(name="scripted", **{name: default}),)}
    )
    assert explicit.fingerprint() == plain.fingerprint()
    other = plain.model_copy(
        update={"engines": (EngineEntry(name="scripted", **{name: not default}),)}
    )
    assert other.fingerprint() != plain.fingerprint()


def test_the_engine_s_own_order_is_scored_when_the_reading_order_is_off(tiny, scripted):
    result = run_configurations(
        tiny, ReversedLinesEngine, {"ordered": {}, "as read": {"reading_order": False}}
    )
    ordered, as_read = by_sample(result.rows, "ordered"), by_sample(result.rows, "as read")
    # page a holds HELLO WORLD on one row: read back as two lines, WORLD first
    assert ordered["a"]["cer_exact"] == 0
    assert as_read["a"]["cer_exact"] > 0
    assert result.pages_cached == 2  # the second configuration only re-scores


class LowerCaseEngine(ScriptedEngine):
    """Reads what :class:`ScriptedEngine` reads in lower case, ``WORLD`` as ``wprld``."""

    name = "lower-case"

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        read, notes = super()._recognize(page)
        spelt = {"WORLD": "wprld"}
        words = [
            w.model_copy(update={"text": spelt.get(w.text, w.text.lower())}) for w in read.words()
        ]
        blocks = [block_from_lines([line_from_words(words)])] if words else []
        return read.model_copy(update={"blocks": blocks}), notes


def test_post_correction_fixes_words_before_scoring(tiny, scripted, monkeypatch):
    words = tiny / "words.txt"
    words.write_text("hello\nworld\nwonderful\n", encoding="utf-8")
    monkeypatch.setenv(ENV_WORDLIST, str(words))
    result = run_configurations(
        tiny, LowerCaseEngine, {"as read": {}, "corrected": {"post_correction": True}}
    )
    as_read, corrected = by_sample(result.rows, "as read"), by_sample(result.rows, "corrected")
    assert as_read["a"]["cer_folded"] == pytest.approx(1 / 11)  # hello wprld / HELLO WORLD
    assert corrected["a"]["cer_folded"] == 0
    assert result.pages_cached == 2  # the corrected configuration only re-scores


def test_post_correction_without_a_word_list_stops_before_anything_runs(
    tiny, scripted, monkeypatch
):
    monkeypatch.setenv(ENV_WORDLIST, str(tiny / "nowhere.txt"))
    campaign_ = Campaign(
        name="t",
        engines=(EngineEntry(name="scripted", post_correction=True),),
        datasets=(DatasetEntry(name="tiny"),),
        workers=0,
    )
    with pytest.raises(MissingDependencyError, match="wfrench"):
        run_campaign(campaign_, tiny / "out", cache=None)
    assert ScriptedEngine.calls == []
