"""Leaderboards from result rows: corpus-level figures per (engine, dataset), and the summary.

Every rate is corpus-level: the sum of the samples' errors over the sum of their reference units
(characters, words, lines' characters, boxes), never a mean of per-sample rates; each scorer
says how its counts add up (:meth:`~ocrxtract.bench.scorers.Scorer.aggregate`). Samples whose
row is an error are left out of the scores and counted in the ``errors`` column. Speed is warm:
the seconds of the first page each worker process read (model loading) are left out, unless no
other page was read (then it is flagged ``cold``).

A leaderboard record is one *system* on one dataset: an engine alone, or an engine followed by
an extractor (``rapidocr+fields``). :mod:`ocrxtract.bench.markdown` turns the summary into
tables and the wiki's Markdown page.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrxtract.bench.scorers import metric_info, scorers

if TYPE_CHECKING:
    from ocrxtract.bench.plan import Plan

log = logging.getLogger(__name__)

SUMMARY_FORMAT = 2
MIB = 1024 * 1024
#: Joins an engine's label and an extractor's into the name of the system.
SYSTEM_JOIN = "+"


def system_label(engine: str, extractor: str | None) -> str:
    """``rapidocr`` alone, or ``rapidocr+fields`` when an extractor follows it."""
    return engine if not extractor else f"{engine}{SYSTEM_JOIN}{extractor}"


# --- aggregation --------------------------------------------------------------------------------


def _speed(rows: list[dict[str, Any]]) -> tuple[float | None, bool]:
    """(seconds per page, warm) over rows with timings."""
    timed = [r for r in rows if r.get("seconds") is not None and r.get("pages")]
    pages = sum(r["pages"] for r in timed)
    cold_pages = sum(r["cold_pages"] or 0 for r in timed)
    seconds = sum(r["seconds"] for r in timed)
    cold_seconds = sum(r["cold_seconds"] or 0.0 for r in timed)
    if pages - cold_pages > 0:
        return (seconds - cold_seconds) / (pages - cold_pages), True
    if pages:
        return seconds / pages, False
    return None, True


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Corpus-level figures of rows of one (engine, dataset) pair (or any set of rows).

    Returns:
        A record: ``samples``, ``errors``, ``pages``, ``cer_exact`` ... ``line_cer_folded``,
        ``word_det_f1``, ``seconds_per_page``, ``pages_per_minute``, ``warm``,
        ``peak_rss_mib``; a figure no row measured is ``None``.
    """
    ok = [r for r in rows if r.get("status") == "ok"]
    record: dict[str, Any] = {
        "samples": len(rows),
        "errors": len(rows) - len(ok),
        "pages": sum(r["pages"] or 0 for r in ok),
    }
    for scorer in scorers():
        record.update(scorer.aggregate(ok))
    seconds, warm = _speed(ok)
    record["seconds_per_page"] = seconds
    record["pages_per_minute"] = 60.0 / seconds if seconds else None
    record["warm"] = warm
    peaks = [r["peak_rss_bytes"] for r in ok if r.get("peak_rss_bytes") is not None]
    rss = max(peaks) / MIB if peaks else None
    record["peak_rss_mib"] = rss
    extract = [r["extract_seconds"] for r in ok if r.get("extract_seconds") is not None]
    record["extract_seconds_per_page"] = (
        sum(extract) / record["pages"] if extract and record["pages"] else None
    )
    return record


def ordered(values: Iterable[str], preferred: list[str]) -> list[str]:
    """Distinct ``values``: those in ``preferred`` first, in its order, then the others."""
    seen = list(dict.fromkeys(values))
    return [v for v in preferred if v in seen] + [v for v in seen if v not in preferred]


def leaderboard(
    rows: list[dict[str, Any]], datasets: dict[str, dict[str, Any]], engines: list[str]
) -> list[dict[str, Any]]:
    """One record per (engine, dataset) pair that has rows, with its headline figure.

    Args:
        rows: Result rows.
        datasets: Dataset information by name (as in the summary: ``headline`` ...); sets the
            order of datasets.
        engines: Engine labels in the order to show them.
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    parts: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        system = system_label(row["engine"], row.get("extractor"))
        parts[system] = (row["engine"], row.get("extractor"))
        groups.setdefault((system, row["dataset"]), []).append(row)
    records = []
    systems = ordered(
        (s for s, _ in groups),
        [system_label(e, x) for e in engines for x in (None, *_extractors(rows))],
    )
    for dataset in ordered((d for _, d in groups), list(datasets)):
        for system in systems:
            if (system, dataset) not in groups:
                continue
            engine, extractor = parts[system]
            record = {
                "engine": system,
                "engine_label": engine,
                "extractor": extractor,
                "dataset": dataset,
                **aggregate(groups[(system, dataset)]),
            }
            record["headline"] = headline(record, datasets.get(dataset, {}))
            records.append(record)
    return records


#: Row columns results are broken down by, when a dataset's samples carry them.
BREAKDOWNS: tuple[str, ...] = ("doc_type", "difficulty")


def breakdown(
    rows: list[dict[str, Any]], datasets: dict[str, dict[str, Any]], engines: list[str]
) -> list[dict[str, Any]]:
    """Corpus-level figures per system, dataset and document type (then difficulty).

    Returns:
        One record per (``by``, value, system, dataset) for the datasets whose samples carry
        the column ``by`` (:data:`BREAKDOWNS`): the leaderboard's figures over those samples
        only, with ``by`` and ``value`` added.
    """
    records = []
    for by in BREAKDOWNS:
        values = ordered((r[by] for r in rows if r.get(by)), [])
        for value in values:
            subset = [r for r in rows if r.get(by) == value]
            for record in leaderboard(subset, datasets, engines):
                records.append({"by": by, "value": value, **record})
    return records


def _extractors(rows: Iterable[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(r["extractor"] for r in rows if r.get("extractor")))


def headline(record: dict[str, Any], dataset: dict[str, Any]) -> dict[str, Any]:
    """The dataset's headline metric for a record: metric, normalisation, value, direction."""
    spec = dataset.get("headline") or {"metric": "cer", "normalisation": "exact"}
    metric, norm = spec["metric"], spec.get("normalisation", "exact")
    info = metric_info(metric)
    if info is None:
        return {"metric": metric, "normalisation": norm, "value": None, "measured": False}
    return {
        "metric": metric,
        "normalisation": norm,
        "value": record.get(info.record_key(norm)),
        "lower_is_better": info.lower_is_better,
        "measured": True,
    }


def engine_totals(rows: list[dict[str, Any]], engines: list[str]) -> list[dict[str, Any]]:
    """Speed and memory per engine over every dataset (its own rows, not its extractors')."""
    totals = []
    ocr_rows = [r for r in rows if not r.get("extractor")]
    for engine in ordered((r["engine"] for r in ocr_rows), engines):
        own = [r for r in ocr_rows if r["engine"] == engine]
        record = aggregate(own)
        totals.append(
            {
                "engine": engine,
                "samples": record["samples"],
                "errors": record["errors"],
                "pages": record["pages"],
                "seconds_per_page": record["seconds_per_page"],
                "pages_per_minute": record["pages_per_minute"],
                "warm": record["warm"],
                "peak_rss_mib": record["peak_rss_mib"],
                "versions": sorted({r["engine_version"] for r in own if r["engine_version"]}),
                "line_readers": sorted({r["line_reader"] for r in own if r.get("line_reader")}),
            }
        )
    return totals


# --- summary ------------------------------------------------------------------------------------


def build_summary(
    plan: Plan,
    rows: list[dict[str, Any]],
    run: dict[str, Any],
    stamp: dict[str, Any],
    source: Path | None = None,
) -> dict[str, Any]:
    """The summary of a run: campaign, stamps, run figures, engines, datasets, leaderboard."""
    campaign = plan.campaign
    labels = [e.key for e in campaign.engines]
    engines: dict[str, Any] = {}
    for engine in plan.engines:
        engines[engine.entry.key] = {
            "name": engine.entry.name,
            "version": engine.version,
            "options": engine.entry.options,
            "parallel": engine.parallel,
            "processes": engine.processes,
            "threads": engine.threads,
        }
    for total in clean(engine_totals(rows, labels)):
        engines.setdefault(total["engine"], {}).update(
            {k: v for k, v in total.items() if k != "engine"}
        )
    errors = [
        {
            "engine": system_label(r["engine"], r.get("extractor")),
            **{k: r[k] for k in ("dataset", "sample_id", "error_type", "error")},
        }
        for r in rows
        if r["status"] != "ok"
    ]
    return {
        "format": SUMMARY_FORMAT,
        "campaign": {
            "name": campaign.name,
            "description": campaign.description,
            "fingerprint": campaign.fingerprint(),
            "file": str(source) if source is not None else None,
            "workers": campaign.workers,
            "run": campaign.run,
        },
        "stamp": stamp,
        "run": run,
        "engines": engines,
        "extractors": {
            x.label: {"name": x.name, "version": x.version, "options": x.options}
            for x in plan.extractors
        },
        "datasets": plan.datasets,
        "skipped": [
            {"engine": s.engine, "dataset": s.dataset, "reason": s.reason} for s in plan.skipped
        ],
        "leaderboard": clean(leaderboard(rows, plan.datasets, labels)),
        "breakdown": clean(breakdown(rows, plan.datasets, labels)),
        "errors": errors,
    }


def clean(value: Any) -> Any:
    """Floats rounded to 6 digits, non-finite ones as ``None`` (JSON has no NaN)."""
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value
