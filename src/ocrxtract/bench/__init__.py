"""Benchmarks: engines x datasets x samples, cached, resumable, stamped, with leaderboards.

>>> from ocrxtract.bench import BenchCache, load_campaign, run_campaign
>>> campaign = load_campaign("benchmarks/sample.yml")  # doctest: +SKIP
>>> out = Path("benchmarks/results/sample")
>>> result = run_campaign(campaign, out, cache=BenchCache())  # doctest: +SKIP
>>> result.summary["leaderboard"][0]["cer_exact"]  # doctest: +SKIP

* :mod:`~ocrxtract.bench.campaign`: campaign files (engines with options x datasets x metrics);
* :mod:`~ocrxtract.bench.runner`: planning and running, worker processes, resume;
* :mod:`~ocrxtract.bench.worker`: one (engine, sample) task -> one result row;
* :mod:`~ocrxtract.bench.cache`: engine outputs cached by content hash;
* :mod:`~ocrxtract.bench.lines`: line recognisers for line-level CER;
* :mod:`~ocrxtract.bench.results`: rows (journal, Parquet) and summary files;
* :mod:`~ocrxtract.bench.report`: corpus-level leaderboards and summaries;
* :mod:`~ocrxtract.bench.markdown`: the leaderboard as tables and Markdown for the wiki.
"""

from ocrxtract.bench.cache import BenchCache, default_cache_dir
from ocrxtract.bench.campaign import (
    DEFAULT_CAMPAIGN,
    Campaign,
    DatasetEntry,
    EngineEntry,
    campaign_from_names,
    load_campaign,
)
from ocrxtract.bench.markdown import render_markdown, table_data
from ocrxtract.bench.report import aggregate, regenerate
from ocrxtract.bench.results import read_rows, read_summary
from ocrxtract.bench.runner import (
    Plan,
    ProgressEvent,
    RunResult,
    Skip,
    plan_campaign,
    run_campaign,
)

__all__ = [
    "DEFAULT_CAMPAIGN",
    "BenchCache",
    "Campaign",
    "DatasetEntry",
    "EngineEntry",
    "Plan",
    "ProgressEvent",
    "RunResult",
    "Skip",
    "aggregate",
    "campaign_from_names",
    "default_cache_dir",
    "load_campaign",
    "plan_campaign",
    "read_rows",
    "read_summary",
    "regenerate",
    "render_markdown",
    "run_campaign",
    "table_data",
]
