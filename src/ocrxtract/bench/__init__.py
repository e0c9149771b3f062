"""Benchmarks: engines x datasets x samples, cached, resumable, stamped, with leaderboards.

>>> from ocrxtract.bench import BenchCache, load_campaign, run_campaign
>>> campaign = load_campaign("benchmarks/sample.yml")  # doctest: +SKIP
>>> out = Path("benchmarks/results/sample")
>>> result = run_campaign(campaign, out, cache=BenchCache())  # doctest: +SKIP
>>> result.summary["leaderboard"][0]["cer_exact"]  # doctest: +SKIP

* :mod:`~ocrxtract.bench.campaign`: campaign files (engines with options, extractors, datasets);
* :mod:`~ocrxtract.bench.scorers`: the pluggable tasks (a scorer per task: text, lines,
  detection...), their metrics, columns and corpus aggregation;
* :mod:`~ocrxtract.bench.plan`: campaigns resolved into tasks, with what is skipped and why;
* :mod:`~ocrxtract.bench.runner`: running on the pipeline's executors, resume;
* :mod:`~ocrxtract.bench.worker`: one (engine, sample) task -> its result rows;
* :mod:`~ocrxtract.bench.cache`: engine outputs cached by content hash;
* :mod:`~ocrxtract.bench.results`: rows (journal, Parquet) and summary files;
* :mod:`~ocrxtract.bench.report`: corpus-level leaderboards and summaries;
* :mod:`~ocrxtract.bench.markdown`: the leaderboard as tables and Markdown for the wiki;
* :mod:`~ocrxtract.bench.refresh`: a results folder's leaderboard recomputed from its rows.
"""

from ocrxtract.bench.cache import BenchCache, default_cache_dir
from ocrxtract.bench.campaign import (
    DEFAULT_CAMPAIGN,
    Campaign,
    DatasetEntry,
    EngineEntry,
    ExtractorEntry,
    campaign_from_names,
    load_campaign,
)
from ocrxtract.bench.markdown import render_markdown, table_data
from ocrxtract.bench.plan import Plan, Skip, plan_campaign
from ocrxtract.bench.refresh import regenerate
from ocrxtract.bench.report import aggregate
from ocrxtract.bench.results import read_rows, read_summary
from ocrxtract.bench.runner import ProgressEvent, RunResult, run_campaign
from ocrxtract.bench.scorers import (
    Metric,
    Prediction,
    Scorer,
    get_scorer,
    register_scorer,
    scorers,
    unregister_scorer,
)

__all__ = [
    "DEFAULT_CAMPAIGN",
    "BenchCache",
    "Campaign",
    "DatasetEntry",
    "EngineEntry",
    "ExtractorEntry",
    "Metric",
    "Plan",
    "Prediction",
    "ProgressEvent",
    "RunResult",
    "Scorer",
    "Skip",
    "aggregate",
    "campaign_from_names",
    "default_cache_dir",
    "get_scorer",
    "load_campaign",
    "plan_campaign",
    "read_rows",
    "read_summary",
    "regenerate",
    "register_scorer",
    "render_markdown",
    "run_campaign",
    "scorers",
    "table_data",
    "unregister_scorer",
]
