"""Campaign files: short forms, refusals that name the file, overrides, the shipped campaigns,
and the thread settings each engine gets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

from ocrxtract.bench import DEFAULT_CAMPAIGN, Campaign, EngineEntry, load_campaign
from ocrxtract.bench.campaign import campaign_from_names
from ocrxtract.bench.plan import _execution
from ocrxtract.engines.base import EngineOptions
from ocrxtract.errors import CorruptInputError, InputNotFoundError, UsageError
from ocrxtract.pipeline import SINGLE_THREAD_ENV
from test_bench_kit import ScriptedEngine

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "c.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_short_and_long_forms(tmp_path):
    campaign = load_campaign(
        write(
            tmp_path,
            "engines: [tesseract, {name: rapidocr, label: rapid-1t, options: {threads: 1}}]\n"
            "datasets: [sroie, {name: funsd-test, limit: 3, why: quick}]\n",
        )
    )
    assert campaign.name == "c"  # the file's stem when not given
    assert [e.key for e in campaign.engines] == ["tesseract", "rapid-1t"]
    assert campaign.engines[1].options == {"threads": 1}
    assert [(d.name, d.limit) for d in campaign.datasets] == [("sroie", None), ("funsd-test", 3)]
    assert campaign.workers == 1 and campaign.metrics is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("engines: [tesseract]\ndatasets: [sroie]\nworkrs: 2\n", "workrs"),
        ("engines: []\ndatasets: [sroie]\n", "engines"),
        ("engines: [tesseract, tesseract]\ndatasets: [sroie]\n", "listed twice"),
        ("engines: [tesseract]\ndatasets: [{name: sroie, limit: -1}]\n", "limit"),
        ("engines: [tesseract]\ndatasets: [sroie]\nmetrics: [cer, speed]\n", "metrics"),
        ("- just a list\n", "a campaign is a mapping"),
        ("engines: [tesseract\n", "cannot read the campaign"),
    ],
)
def test_bad_campaigns_are_refused_naming_the_file(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(CorruptInputError, match=problem) as caught:
        load_campaign(path)
    assert str(path) in str(caught.value)


def test_a_missing_campaign_file_names_it(tmp_path):
    with pytest.raises(InputNotFoundError, match="no such campaign file"):
        load_campaign(tmp_path / "nope.yml")


def test_overrides_narrow_the_campaign():
    campaign = load_campaign(BENCHMARKS / "real.yml")
    narrowed = campaign.with_overrides(
        limit=2, workers=1, engines=["rapidocr"], datasets=["sroie", "dsa-systemic-risk-reports"]
    )
    assert [e.name for e in narrowed.engines] == ["rapidocr"]
    assert [(d.name, d.limit) for d in narrowed.datasets] == [
        ("sroie", 2),
        ("dsa-systemic-risk-reports", 1),  # its own limit is smaller
    ]
    assert narrowed.workers == 1
    assert narrowed.fingerprint() != campaign.fingerprint()
    with pytest.raises(
        UsageError, match="has no engine doctr; its engines: tesseract, rapidocr, easyocr"
    ):
        campaign.with_overrides(engines=["doctr"])


def test_names_from_the_command_line():
    campaign = campaign_from_names(["tesseract"], ["sroie", "funsd-test"], limit=5, workers=2)
    assert [(d.name, d.limit) for d in campaign.datasets] == [("sroie", 5), ("funsd-test", 5)]
    with pytest.raises(UsageError, match="at least one engine and one dataset"):
        campaign_from_names([], ["sroie"])


def test_the_embedded_default_is_benchmarks_sample_yml():
    assert load_campaign(BENCHMARKS / "sample.yml") == DEFAULT_CAMPAIGN


def test_real_campaign_covers_every_shared_dataset_with_an_ocr_task(shared_datasets):
    from ocrxtract.datasets import list_datasets

    campaign = load_campaign(BENCHMARKS / "real.yml")
    assert [e.name for e in campaign.engines] == ["tesseract", "rapidocr", "easyocr"]
    shared_with_ocr = {
        spec.name
        for spec in list_datasets()
        if "ocr" in spec.tasks and spec.folder and (shared_datasets / spec.folder).is_dir()
    }
    assert {d.name for d in campaign.datasets} == shared_with_ocr | {"sample-fr"}
    assert all(d.why for d in campaign.datasets if d.limit is not None)  # every limit explained


class ThreadedOptions(EngineOptions):
    threads: int = Field(default=-1)


class Threaded(ScriptedEngine):
    name = "threaded-test"
    options_class = ThreadedOptions
    thread_option = "threads"


@pytest.mark.parametrize(
    ("parallel", "workers", "expected"),
    [
        ("processes", 2, (2, 1, SINGLE_THREAD_ENV, {"threads": 1}, "processes")),
        ("threads", 2, (1, 2, {"OMP_NUM_THREADS": "2"}, {"threads": 2}, "threads")),
        ("processes", 0, (0, None, {}, {}, "processes")),
    ],
)
def test_thread_settings_per_engine(parallel, workers, expected):
    entry = EngineEntry(name="threaded-test", parallel=parallel)
    assert _execution(entry, Threaded, workers) == expected


def test_thread_settings_leave_engines_without_a_thread_option_alone():
    entry = EngineEntry(name="scripted")
    assert _execution(entry, ScriptedEngine, 2) == (2, 1, SINGLE_THREAD_ENV, {}, "processes")


def test_the_engine_chooses_how_it_parallelises_unless_the_campaign_says():
    class ThreadsFirst(Threaded):
        parallel = "threads"

    assert _execution(EngineEntry(name="x"), ThreadsFirst, 2)[4] == "threads"
    entry = EngineEntry(name="x", parallel="processes")
    assert _execution(entry, ThreadsFirst, 2)[4] == "processes"


def test_an_explicit_thread_count_is_kept():
    entry = EngineEntry(name="threaded-test", options={"threads": 3})
    assert _execution(entry, Threaded, 2)[3] == {"threads": 3}


def test_campaigns_are_frozen():
    with pytest.raises(Exception, match="frozen"):
        DEFAULT_CAMPAIGN.workers = 3  # type: ignore[misc]
    assert isinstance(DEFAULT_CAMPAIGN, Campaign)


def test_a_campaign_s_run_command_is_shown_with_its_results_but_not_fingerprinted(
    tmp_path: Path,
) -> None:
    from ocrxtract.wiki.results_page import CampaignResults, _command

    campaign = load_campaign(BENCHMARKS / "htr-kraken.yml")
    assert ".venv-kraken/bin/ocrxtract bench" in campaign.run
    assert campaign.model_copy(update={"run": ""}).fingerprint() == campaign.fingerprint()
    # from the summary first, else from the campaign file, else the plain bench command
    summary = {"campaign": {"name": "x", "file": "benchmarks/real.yml", "workers": 2, "run": "A"}}
    assert _command(CampaignResults("x", tmp_path, summary)) == "A"
    summary["campaign"]["run"] = ""
    assert _command(CampaignResults("x", tmp_path, summary)).startswith(
        ".venv/bin/ocrxtract bench benchmarks/real.yml --workers 2"
    )
    summary["campaign"]["file"] = "benchmarks/htr-kraken.yml"
    assert _command(CampaignResults("x", tmp_path, summary)) == campaign.run


def test_a_french_description_is_shown_in_the_wiki_but_not_fingerprinted() -> None:
    from ocrxtract.wiki.results_page import _description

    campaign = load_campaign(BENCHMARKS / "fields.yml")
    assert campaign.description_fr.startswith("F1 des champs clés")
    assert campaign.model_copy(update={"description_fr": ""}).fingerprint() == (
        campaign.fingerprint()
    )
    # from the results first, else from the campaign file (a translation added after the
    # run), else the description as written
    summary = {"file": "benchmarks/fields.yml", "description": "E", "description_fr": "F"}
    assert _description(summary) == "F"
    assert _description({**summary, "description_fr": ""}) == campaign.description_fr
    assert _description({"file": "nowhere.yml", "description": "E"}) == "E"
