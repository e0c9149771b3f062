"""Leaderboards from result rows: corpus-level figures per (engine, dataset), and the summary.

Every rate is corpus-level: the sum of the samples' errors over the sum of their reference units
(characters, words, lines' characters, boxes), never a mean of per-sample rates. Samples whose
row is an error are left out of the scores and counted in the ``errors`` column. Speed is warm:
the seconds of the first page each worker process read (model loading) are left out, unless no
other page was read (then it is flagged ``cold``).

:mod:`ocrxtract.bench.markdown` turns the summary into tables and the wiki's Markdown page.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrxtract.bench.results import (
    LEADERBOARD_FILE,
    ROWS_FILE,
    SUMMARY_FILE,
    read_rows,
    read_summary,
    write_text,
)

if TYPE_CHECKING:
    from ocrxtract.bench.runner import Plan

log = logging.getLogger(__name__)

SUMMARY_FORMAT = 1
MIB = 1024 * 1024
#: Headline metric -> (record key template, lower is better).
HEADLINE_KEYS: dict[str, tuple[str, bool]] = {
    "cer": ("cer_{norm}", True),
    "wer": ("wer_{norm}", True),
    "bow_f1": ("bow_f1_{norm}", False),
    "line_cer": ("line_cer_{norm}", True),
    "word_detection_f1": ("word_det_f1", False),
}


# --- aggregation --------------------------------------------------------------------------------


def _sum(rows: Iterable[dict[str, Any]], column: str) -> int | float | None:
    values = [r[column] for r in rows if r.get(column) is not None]
    return sum(values) if values else None


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _f1(tp: float | None, fp: float | None, fn: float | None) -> float | None:
    if tp is None or fp is None or fn is None:
        return None
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 1.0


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
    for norm in ("exact", "folded"):
        record[f"cer_{norm}"] = _ratio(_sum(ok, f"{norm}_char_edits"), _sum(ok, f"{norm}_char_ref"))
        record[f"wer_{norm}"] = _ratio(_sum(ok, f"{norm}_word_edits"), _sum(ok, f"{norm}_word_ref"))
        record[f"bow_f1_{norm}"] = _f1(
            _sum(ok, f"{norm}_bow_tp"), _sum(ok, f"{norm}_bow_fp"), _sum(ok, f"{norm}_bow_fn")
        )
        record[f"line_cer_{norm}"] = _ratio(
            _sum(ok, f"line_{norm}_char_edits"), _sum(ok, f"line_{norm}_char_ref")
        )
    record["lines"] = _sum(ok, "lines")
    record["word_det_f1"] = _f1(_sum(ok, "det_tp"), _sum(ok, "det_fp"), _sum(ok, "det_fn"))
    seconds, warm = _speed(ok)
    record["seconds_per_page"] = seconds
    record["pages_per_minute"] = 60.0 / seconds if seconds else None
    record["warm"] = warm
    peaks = [r["peak_rss_bytes"] for r in ok if r.get("peak_rss_bytes") is not None]
    rss = max(peaks) / MIB if peaks else None
    record["peak_rss_mib"] = rss
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
    for row in rows:
        groups.setdefault((row["engine"], row["dataset"]), []).append(row)
    records = []
    for dataset in ordered((d for _, d in groups), list(datasets)):
        for engine in ordered((e for e, _ in groups), engines):
            if (engine, dataset) not in groups:
                continue
            record = {"engine": engine, "dataset": dataset, **aggregate(groups[(engine, dataset)])}
            record["headline"] = headline(record, datasets.get(dataset, {}))
            records.append(record)
    return records


def headline(record: dict[str, Any], dataset: dict[str, Any]) -> dict[str, Any]:
    """The dataset's headline metric for a record: metric, normalisation, value, direction."""
    spec = dataset.get("headline") or {"metric": "cer", "normalisation": "exact"}
    metric, norm = spec["metric"], spec.get("normalisation", "exact")
    key = HEADLINE_KEYS.get(metric)
    if key is None:
        return {"metric": metric, "normalisation": norm, "value": None, "measured": False}
    value = record.get(key[0].format(norm=norm))
    return {
        "metric": metric,
        "normalisation": norm,
        "value": value,
        "lower_is_better": key[1],
        "measured": True,
    }


def engine_totals(rows: list[dict[str, Any]], engines: list[str]) -> list[dict[str, Any]]:
    """Speed and memory per engine over every dataset."""
    totals = []
    for engine in ordered((r["engine"] for r in rows), engines):
        own = [r for r in rows if r["engine"] == engine]
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
                "line_readers": sorted({r["line_reader"] for r in own if r["line_reader"]}),
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
            "parallel": engine.entry.parallel,
            "processes": engine.processes,
            "threads": engine.threads,
        }
    for total in _clean(engine_totals(rows, labels)):
        engines.setdefault(total["engine"], {}).update(
            {k: v for k, v in total.items() if k != "engine"}
        )
    errors = [
        {k: r[k] for k in ("engine", "dataset", "sample_id", "error_type", "error")}
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
        },
        "stamp": stamp,
        "run": run,
        "engines": engines,
        "datasets": plan.datasets,
        "skipped": [
            {"engine": s.engine, "dataset": s.dataset, "reason": s.reason} for s in plan.skipped
        ],
        "leaderboard": _clean(leaderboard(rows, plan.datasets, labels)),
        "errors": errors,
    }


def _clean(value: Any) -> Any:
    """Floats rounded to 6 digits, non-finite ones as ``None`` (JSON has no NaN)."""
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def regenerate(results_dir: Path, out: Path | None = None) -> tuple[dict[str, Any], Path]:
    """Recompute the leaderboard of a results folder from its rows and rewrite the Markdown.

    The summary's stamps (commit, machine, time of the run) are kept; the leaderboard is
    recomputed from ``rows.parquet``.

    Args:
        results_dir: A folder written by ``ocrxtract bench``.
        out: Where to write the Markdown (default ``<results_dir>/leaderboard.md``).

    Returns:
        The summary with the recomputed leaderboard, and the Markdown file written.

    Raises:
        InputNotFoundError: no summary or rows in the folder.
        CorruptInputError: unreadable files.
    """
    summary = read_summary(results_dir / SUMMARY_FILE)
    rows = read_rows(results_dir / ROWS_FILE)
    labels = list(summary.get("engines", {}))
    summary["leaderboard"] = _clean(leaderboard(rows, summary.get("datasets", {}), labels))
    totals = engine_totals(rows, labels)
    for total in _clean(totals):
        summary.setdefault("engines", {}).setdefault(total["engine"], {}).update(
            {k: v for k, v in total.items() if k != "engine"}
        )
    from ocrxtract.bench.markdown import render_markdown

    path = write_text(out or results_dir / LEADERBOARD_FILE, render_markdown(summary))
    return summary, path
