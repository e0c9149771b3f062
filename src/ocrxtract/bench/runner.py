"""Run a campaign: engines x datasets x samples, in worker processes, resumable, cached.

Planning (:mod:`ocrxtract.bench.plan`) resolves the campaign into tasks and says what is
skipped and why. Then each engine runs over its samples in fresh worker processes (so its peak
memory is its own), on the pipeline's process pool (:class:`ocrxtract.pipeline.ProcessExecutor`:
spawned workers, at most ``workers`` tasks in flight, a task whose worker dies twice gets an
error row). Every finished row goes to the journal at once; a restarted run keeps the rows
already there and recomputes nothing the cache holds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocrxtract.bench.cache import BenchCache
from ocrxtract.bench.campaign import Campaign
from ocrxtract.bench.markdown import render_markdown
from ocrxtract.bench.plan import EnginePlan, Plan, Skip, plan_campaign
from ocrxtract.bench.report import build_summary
from ocrxtract.bench.results import (
    JOURNAL_FILE,
    LEADERBOARD_FILE,
    ROWS_FILE,
    SUMMARY_FILE,
    Journal,
    new_row,
    read_journal,
    read_summary,
    require_pyarrow,
    row_key,
    write_json,
    write_rows,
    write_text,
)
from ocrxtract.bench.scorers import Scorer, get_scorer, register_scorer, scorer_classes
from ocrxtract.bench.worker import Task, run_task
from ocrxtract.errors import OcrxtractError, UsageError
from ocrxtract.extract import get_extractor_class
from ocrxtract.pipeline import Executor, InlineExecutor, ProcessExecutor
from ocrxtract.stamp import now_iso, stamp

log = logging.getLogger(__name__)

__all__ = ["Plan", "ProgressEvent", "RunResult", "Skip", "plan_campaign", "run_campaign"]


@dataclass(frozen=True)
class ProgressEvent:
    """A row finished (or, with ``resumed``, rows taken back from the journal).

    Attributes:
        done: Rows finished so far, resumed ones included.
        total: Rows the campaign will have.
        row: The row just finished (``None`` for the resume event).
        resumed: Rows taken back from a previous, interrupted run.
        elapsed: Seconds since the run started.
        eta: Estimated seconds left (``None`` until a row was computed).
    """

    done: int
    total: int
    row: dict[str, Any] | None
    resumed: int
    elapsed: float
    eta: float | None


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class RunResult:
    """The outcome of a campaign run.

    Attributes:
        rows: Every row (resumed ones included).
        summary: The summary written to ``summary.json``.
        paths: Files written, by role (``rows``, ``summary``, ``leaderboard``).
        skipped: What was left out, and why.
        resumed: Rows taken back from an interrupted run.
        wall_seconds: Duration of this run.
        baseline: The earlier run that recognised the pages (time, wall seconds), when the
            results folder had one: the reference of the cache speed-up.
    """

    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    paths: dict[str, Path]
    skipped: list[Skip]
    resumed: int
    wall_seconds: float
    baseline: dict[str, Any] | None

    @property
    def pages_cached(self) -> int:
        return sum(r["pages_cached"] or 0 for r in self.rows if not r.get("extractor"))

    @property
    def pages_recognized(self) -> int:
        return sum(r["pages_recognized"] or 0 for r in self.rows if not r.get("extractor"))

    @property
    def line_sets_recognized(self) -> int:
        return sum(r["line_sets_recognized"] or 0 for r in self.rows if not r.get("extractor"))

    @property
    def speedup(self) -> float | None:
        """Baseline wall time over this run's, when there is a baseline and this run used it."""
        if self.baseline is None or self.wall_seconds <= 0:
            return None
        return float(self.baseline["wall_seconds"]) / self.wall_seconds


def _error_rows(task: Task, error: BaseException) -> list[dict[str, Any]]:
    failure = {"status": "error", "error_type": type(error).__name__, "error": str(error)}
    return [new_row(**task.identity(), **failure)] + [
        new_row(**task.identity(x.label), **failure) for x in task.extractors
    ]


class _Clock:
    def __init__(self, total: int, done: int) -> None:
        self.start = time.perf_counter()
        self.total = total
        self.done = done
        self.computed = 0

    def event(self, row: dict[str, Any] | None, resumed: int) -> ProgressEvent:
        elapsed = time.perf_counter() - self.start
        eta = None
        if self.computed:
            eta = elapsed / self.computed * (self.total - self.done)
        return ProgressEvent(self.done, self.total, row, resumed, elapsed, eta)


def _executor(plan: EnginePlan, tasks: list[Task]) -> Executor:
    if not plan.processes:
        return InlineExecutor()
    extractor_classes = {x.name: get_extractor_class(x.name) for t in tasks for x in t.extractors}
    return ProcessExecutor(
        workers=max(1, min(plan.processes, len(tasks))),
        env=plan.env,
        classes=[plan.cls, *extractor_classes.values()],
        initializer=register_scorers,
        initargs=(scorer_classes(),),
    )


def register_scorers(classes: list[type[Scorer]]) -> None:
    """Worker initialiser: register the scorers this (spawned) process does not know."""
    for cls in classes:
        try:
            known = get_scorer(cls.name)
        except UsageError:
            register_scorer(cls)
            continue
        if type(known) is not cls:
            log.warning("scorer %s not registered in the worker: the name is taken", cls.name)


def _rows(plan: EnginePlan, tasks: list[Task]) -> Iterator[dict[str, Any]]:
    """The rows of ``tasks``, as they complete, on the engine's executor."""
    for done in _executor(plan, tasks).map(run_task, tasks):
        if done.value is not None:
            yield from done.value
        else:
            assert done.error is not None
            yield from _error_rows(done.item, done.error)


def _resumable(out_dir: Path, plan: Plan, resume: bool) -> list[dict[str, Any]]:
    journal = out_dir / JOURNAL_FILE
    if not journal.exists():
        return []
    if not resume:
        journal.unlink()
        return []
    _, rows = read_journal(journal)
    planned = {
        (t.engine, label, t.dataset, t.sample_id, t.task_hash)
        for t in plan.tasks
        for label in ("", *(x.label for x in t.extractors))
    }
    kept: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for row in rows:
        if row_key(row) in planned:
            kept[row_key(row)] = row
    if len(kept) < len(rows):
        log.info(
            "%d journal row(s) belong to another plan and are recomputed", len(rows) - len(kept)
        )
    return list(kept.values())


def _home_relative(path: Path) -> str:
    """``path`` with the home folder written ``~`` (summaries get committed)."""
    try:
        return str(Path("~") / path.resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


def _baseline(out_dir: Path, fingerprint: str) -> dict[str, Any] | None:
    path = out_dir / SUMMARY_FILE
    if not path.exists():
        return None
    try:
        previous = read_summary(path)
    except OcrxtractError as exc:
        log.warning("previous summary unreadable: %s", exc)
        return None
    run = previous.get("run", {})
    if previous.get("campaign", {}).get("fingerprint") != fingerprint:
        return None
    recognized = run.get("pages_recognized", run.get("pages_recognised"))
    lines = run.get("line_sets_recognized", run.get("line_sets_recognised"))
    if recognized or lines:
        return {
            "time": run.get("started") or previous.get("stamp", {}).get("time"),
            "wall_seconds": run.get("wall_seconds"),
            "pages_recognized": recognized,
        }
    baseline = run.get("baseline")
    return baseline if isinstance(baseline, dict) else None


def run_campaign(
    campaign: Campaign,
    out_dir: Path,
    *,
    cache: BenchCache | None = None,
    resume: bool = True,
    on_progress: ProgressCallback | None = None,
    source: Path | None = None,
) -> RunResult:
    """Run ``campaign``, writing rows, summary and leaderboard to ``out_dir``.

    Args:
        campaign: What to run.
        out_dir: Results folder (``rows.parquet``, ``summary.json``, ``leaderboard.md``).
        cache: Engine-output cache (``None``: no cache, everything is recomputed).
        resume: Keep the rows of an interrupted run found in ``out_dir`` (else start over).
        on_progress: Called after each row (and once for resumed rows).
        source: The campaign file, named in the summary.

    Raises:
        UnknownEngineError, UnknownDatasetError, InvalidOptionsError, UsageError: see
            :func:`plan_campaign`.
        MissingDependencyError: pyarrow is missing (checked before anything runs).
    """
    require_pyarrow()
    started = now_iso()
    # Stamped when it starts: the code that runs is the code of that moment (the tree may
    # change while a long campaign runs).
    run_stamp = stamp()
    plan = plan_campaign(campaign, cache.root if cache is not None else None)
    for skip in plan.skipped:
        log.info("skipped %s/%s: %s", skip.engine or "*", skip.dataset or "*", skip.reason)
    baseline = _baseline(out_dir, campaign.fingerprint())
    kept = _resumable(out_dir, plan, resume)
    done_keys = {row_key(row) for row in kept}
    rows = list(kept)
    clock = _Clock(plan.rows, len(kept))
    if on_progress is not None and kept:
        on_progress(clock.event(None, len(kept)))
    header = {"campaign": campaign.name, "fingerprint": campaign.fingerprint(), "started": started}
    with Journal(out_dir / JOURNAL_FILE, header) as journal:
        for engine in plan.engines:
            todo = [
                t
                for t in engine.tasks
                if any(
                    (t.engine, label, t.dataset, t.sample_id, t.task_hash) not in done_keys
                    for label in ("", *(x.label for x in t.extractors))
                )
            ]
            if not todo:
                continue
            log.info(
                "%s: %d sample(s) on %s",
                engine.entry.key,
                len(todo),
                f"{engine.processes} process(es)" if engine.processes else "this process",
            )
            for row in _rows(engine, todo):
                if row_key(row) in done_keys:
                    continue  # kept from the interrupted run
                journal.append(row)
                rows.append(row)
                clock.done += 1
                clock.computed += 1
                if on_progress is not None:
                    on_progress(clock.event(row, len(kept)))
    wall = time.perf_counter() - clock.start
    result = RunResult(rows, {}, {}, plan.skipped, len(kept), wall, None)
    run_info = {
        "started": started,
        "finished": now_iso(),
        "wall_seconds": round(wall, 3),
        "resumed_rows": len(kept),
        "pages_cached": result.pages_cached,
        "pages_recognized": result.pages_recognized,
        "cache_dir": _home_relative(cache.root) if cache is not None else None,
    }
    run_info["line_sets_recognized"] = result.line_sets_recognized
    if result.pages_recognized == 0 and result.line_sets_recognized == 0 and baseline is not None:
        result.baseline = baseline
        run_info["baseline"] = baseline
        run_info["speedup"] = round(result.speedup or 0.0, 1)
    summary = build_summary(plan, rows, run_info, run_stamp, source)
    paths = {
        "rows": write_rows(out_dir / ROWS_FILE, rows),
        "summary": write_json(out_dir / SUMMARY_FILE, summary),
        "leaderboard": write_text(out_dir / LEADERBOARD_FILE, render_markdown(summary)),
    }
    (out_dir / JOURNAL_FILE).unlink(missing_ok=True)
    result.summary, result.paths = summary, paths
    return result
