"""Recompute a results folder's leaderboard from its rows (after a scoring change, for instance)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ocrxtract.bench.markdown import render_markdown
from ocrxtract.bench.report import breakdown, clean, engine_totals, leaderboard
from ocrxtract.bench.results import (
    LEADERBOARD_FILE,
    ROWS_FILE,
    SUMMARY_FILE,
    read_rows,
    read_summary,
    write_text,
)

log = logging.getLogger(__name__)


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
    summary["leaderboard"] = clean(leaderboard(rows, summary.get("datasets", {}), labels))
    summary["breakdown"] = clean(breakdown(rows, summary.get("datasets", {}), labels))
    for total in clean(engine_totals(rows, labels)):
        summary.setdefault("engines", {}).setdefault(total["engine"], {}).update(
            {k: v for k, v in total.items() if k != "engine"}
        )
    path = write_text(out or results_dir / LEADERBOARD_FILE, render_markdown(summary))
    return summary, path
