"""Run a campaign: engines x datasets x samples, in worker processes, resumable, cached.

Plan first (:func:`plan_campaign`): unknown engine or dataset names and invalid options stop
the run before anything is computed; an engine that cannot run here, a dataset that is absent,
without an OCR task or in a language the engine cannot read are *skipped* with the reason (kept
in the summary). Then each engine runs over its samples in fresh worker processes (so its
peak memory is its own), with the thread settings that suit it:

* ``parallel: processes`` (the default): ``workers`` processes, each single-threaded
  (``OMP_NUM_THREADS=OMP_THREAD_LIMIT=1``, and the engine's thread option set to 1). Measured
  here: Tesseract scales linearly this way; onnxruntime already uses both cores in one process,
  so two processes only help with one thread each.
* ``parallel: threads``: one process whose engine gets ``workers`` threads.
* ``workers: 0``: everything in the calling process (debugging, tests).

Workers are started with ``spawn`` (safe with threaded native libraries, the same on every OS).
At most ``workers`` tasks are in flight, so a worker that dies (out of memory, a crash in
native code) is pinned on the few samples it held: each is retried alone, and one that kills its
worker again gets an error row. Every finished row goes to the journal at once; a restarted run
keeps the rows already there and recomputes nothing the cache holds.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocrxtract.bench.cache import BenchCache, key_options
from ocrxtract.bench.campaign import (
    MEASURED_METRICS,
    UNMEASURED_METRICS,
    Campaign,
    DatasetEntry,
    EngineEntry,
)
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
from ocrxtract.bench.stamp import now_iso, stamp
from ocrxtract.bench.worker import Task, init_worker, run_task
from ocrxtract.datasets import DatasetSpec, discover, get_spec
from ocrxtract.engines.base import OcrEngine
from ocrxtract.engines.registry import get_engine_class
from ocrxtract.errors import DatasetNotAvailableError, OcrxtractError, UsageError

log = logging.getLogger(__name__)

#: Environment of single-threaded worker processes.
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "OMP_THREAD_LIMIT": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}
#: Engine option names that set an engine's thread count.
THREAD_OPTIONS = ("threads", "cpu_threads")


# --- planning -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Skip:
    """An (engine, dataset) pair, or a whole engine or dataset, left out, and why."""

    reason: str
    engine: str | None = None
    dataset: str | None = None


@dataclass
class EnginePlan:
    """How one engine configuration runs.

    Attributes:
        entry: The campaign entry.
        cls: The engine class.
        version: The engine's version.
        processes: Worker processes (0: in the calling process).
        threads: Threads given to the engine (``None``: its default).
        env: Environment of its worker processes.
        tasks: Its tasks, dataset by dataset.
    """

    entry: EngineEntry
    cls: type[OcrEngine]
    version: str
    processes: int
    threads: int | None
    env: dict[str, str]
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Plan:
    """What a campaign will compute, and what it leaves out."""

    campaign: Campaign
    engines: list[EnginePlan]
    datasets: dict[str, dict[str, Any]]
    skipped: list[Skip]

    @property
    def tasks(self) -> list[Task]:
        return [task for engine in self.engines for task in engine.tasks]


def _thread_option(cls: type[OcrEngine]) -> str | None:
    fields = cls.options_class.model_fields
    return next((name for name in THREAD_OPTIONS if name in fields), None)


def _execution(
    entry: EngineEntry, cls: type[OcrEngine], workers: int
) -> tuple[int, int | None, dict[str, str], dict[str, Any]]:
    """Processes, threads, environment and options of an engine for ``workers`` slots."""
    options = dict(entry.options)
    thread_option = _thread_option(cls)
    if workers == 0:
        threads = options.get(thread_option) if thread_option else None
        return 0, threads, {}, options
    if entry.parallel == "threads":
        if thread_option and thread_option not in options:
            options[thread_option] = workers
        threads = options.get(thread_option) if thread_option else None
        return 1, threads, {"OMP_NUM_THREADS": str(workers)}, options
    if thread_option and thread_option not in options:
        options[thread_option] = 1
    return workers, 1, dict(SINGLE_THREAD_ENV), options


def _dataset_metrics(spec: DatasetSpec, campaign: Campaign) -> tuple[list[str], list[str]]:
    """(metrics measured, metrics the dataset declares that are not measured)."""
    declared = list(spec.metrics)
    wanted = [m for m in declared if campaign.metrics is None or m in campaign.metrics]
    return [m for m in wanted if m in MEASURED_METRICS], [
        m for m in wanted if m in UNMEASURED_METRICS
    ]


def _languages(spec: DatasetSpec) -> list[str]:
    return [lang for lang in spec.language.split("+") if lang]


def _plan_dataset(
    entry: DatasetEntry, campaign: Campaign
) -> tuple[dict[str, Any], list[tuple[str, str | None]], Skip | None]:
    """A dataset's summary information, its samples (id, split) and why it is skipped."""
    spec = get_spec(entry.name)
    if entry.split is not None and entry.split not in spec.splits:
        raise UsageError(
            f"dataset {entry.name!r} has no split {entry.split!r}; "
            f"its splits: {', '.join(spec.splits) or 'none'}"
        )
    measured, unmeasured = _dataset_metrics(spec, campaign)
    info: dict[str, Any] = {
        "title": spec.title,
        "kind": spec.kind,
        "language": spec.language,
        "tasks": list(spec.tasks),
        "headline": {"metric": spec.headline.metric, "normalisation": spec.headline.normalisation},
        "split": entry.split,
        "limit": entry.limit,
        "why": entry.why,
        "metrics": measured,
        "not_measured": unmeasured,
        "samples": 0,
    }
    reason = None
    if "ocr" not in spec.tasks:
        reason = f"no OCR task (tasks: {', '.join(spec.tasks)})"
    elif not measured:
        reason = "none of its metrics is measured by this benchmark"
    if reason is not None:
        info["skipped"] = reason
        return info, [], Skip(reason, dataset=entry.name)
    try:
        found = discover(entry.name)
    except DatasetNotAvailableError as exc:
        info["skipped"] = str(exc)
        return info, [], Skip(str(exc), dataset=entry.name)
    items = [i for i in found.items if entry.split is None or i.split == entry.split]
    if entry.limit is not None:
        items = items[: entry.limit]
    info.update(samples=len(items), available=len(found.items))
    return info, [(item.sample_id, item.split) for item in items], None


def _plan_engine(
    entry: EngineEntry,
    campaign: Campaign,
    samples: dict[str, list[tuple[str, str | None]]],
    datasets: dict[str, dict[str, Any]],
    cache_dir: Path | None,
) -> tuple[EnginePlan | None, list[Skip]]:
    """An engine's tasks over the planned samples, and the pairs it cannot run."""
    cls = get_engine_class(entry.name)
    availability = cls.availability()
    if not availability.available:
        reason = availability.reason or "unavailable"
        if availability.install:
            reason += f" (install: {availability.install})"
        return None, [Skip(reason, engine=entry.key)]
    processes, threads, env, options = _execution(entry, cls, campaign.workers)
    plan = EnginePlan(entry, cls, cls.version(), processes, threads, env)
    readable = set(cls.languages())
    skipped = []
    for name, sample_list in samples.items():
        engine_options = dict(options)
        engine_options.setdefault("languages", _languages(get_spec(name)))
        missing = [
            lang for lang in engine_options["languages"] if readable and lang not in readable
        ]
        if missing:
            reason = (
                f"{entry.name} cannot read {', '.join(missing)} here "
                f"(it reads: {', '.join(sorted(readable))})"
            )
            skipped.append(Skip(reason, engine=entry.key, dataset=name))
            continue
        parsed = cls.parse_options(engine_options).model_dump(mode="json")
        metrics = datasets[name]["metrics"]
        plan.tasks += [
            Task(
                engine=entry.key,
                engine_name=entry.name,
                engine_version=plan.version,
                options=engine_options,
                key_options=key_options(parsed),
                dataset=name,
                split=split,
                sample_id=sample_id,
                text=any(m in metrics for m in ("cer", "wer", "bow_f1")),
                lines="line_cer" in metrics,
                detection="word_detection_f1" in metrics,
                cache_dir=str(cache_dir) if cache_dir is not None else None,
            )
            for sample_id, split in sample_list
        ]
    return plan, skipped


def plan_campaign(campaign: Campaign, cache_dir: Path | None = None) -> Plan:
    """Resolve a campaign into tasks; see the module doc for what is skipped and what stops.

    Args:
        campaign: The campaign.
        cache_dir: The engine-output cache given to the tasks (``None``: no cache).

    Raises:
        UnknownEngineError, UnknownDatasetError: a name that is not registered or declared.
        InvalidOptionsError: options an engine refuses.
        UsageError: an unknown split.
    """
    skipped: list[Skip] = []
    datasets: dict[str, dict[str, Any]] = {}
    samples: dict[str, list[tuple[str, str | None]]] = {}
    for dataset_entry in campaign.datasets:
        info, found, skip = _plan_dataset(dataset_entry, campaign)
        datasets[dataset_entry.name] = info
        if skip is not None:
            skipped.append(skip)
        else:
            samples[dataset_entry.name] = found
    engines: list[EnginePlan] = []
    for engine_entry in campaign.engines:
        plan, engine_skips = _plan_engine(engine_entry, campaign, samples, datasets, cache_dir)
        skipped += engine_skips
        if plan is not None:
            engines.append(plan)
    return Plan(campaign, engines, datasets, skipped)


# --- running ------------------------------------------------------------------------------------


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
        return sum(r["pages_cached"] or 0 for r in self.rows)

    @property
    def pages_recognised(self) -> int:
        return sum(r["pages_recognised"] or 0 for r in self.rows)

    @property
    def line_sets_recognised(self) -> int:
        return sum(r["line_sets_recognised"] or 0 for r in self.rows)

    @property
    def speedup(self) -> float | None:
        """Baseline wall time over this run's, when there is a baseline and this run used it."""
        if self.baseline is None or self.wall_seconds <= 0:
            return None
        return float(self.baseline["wall_seconds"]) / self.wall_seconds


def _error_row(task: Task, message: str) -> dict[str, Any]:
    return new_row(**task.identity(), status="error", error_type="WorkerDied", error=message)


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


def _in_process(tasks: list[Task]) -> Iterator[dict[str, Any]]:
    for task in tasks:
        yield run_task(task)


def _pool(plan: EnginePlan, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=init_worker,
        initargs=(plan.env, [plan.cls]),
    )


def _pooled(plan: EnginePlan, tasks: list[Task]) -> Iterator[dict[str, Any]]:
    """Rows of ``tasks`` from worker processes, at most ``processes`` in flight."""
    workers = max(1, min(plan.processes, len(tasks)))
    queue = list(reversed(tasks))
    suspects: list[Task] = []
    executor = _pool(plan, workers)
    running: dict[Future[dict[str, Any]], Task] = {}
    try:
        while queue or running:
            while queue and len(running) < workers:
                task = queue.pop()
                running[executor.submit(run_task, task)] = task
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in finished:
                task = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    suspects.append(task)
            if broken:
                suspects += running.values()
                running.clear()
                executor.shutdown(wait=True, cancel_futures=True)
                log.warning(
                    "a %s worker died; retrying %d sample(s) one by one",
                    plan.entry.key,
                    len(suspects),
                )
                yield from _alone(plan, suspects)
                suspects = []
                executor = _pool(plan, workers)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _alone(plan: EnginePlan, tasks: list[Task]) -> Iterator[dict[str, Any]]:
    """Each task in a worker of its own; one that kills it again gets an error row."""
    for task in tasks:
        with _pool(plan, 1) as executor:
            try:
                yield executor.submit(run_task, task).result()
            except BrokenProcessPool:
                yield _error_row(
                    task,
                    f"the worker process running {task.engine} on {task.dataset}/"
                    f"{task.sample_id} died twice (out of memory, or a crash in native code)",
                )


def _resumable(out_dir: Path, plan: Plan, resume: bool) -> list[dict[str, Any]]:
    journal = out_dir / JOURNAL_FILE
    if not journal.exists():
        return []
    if not resume:
        journal.unlink()
        return []
    _, rows = read_journal(journal)
    planned = {(t.engine, t.dataset, t.sample_id, t.task_hash) for t in plan.tasks}
    kept: dict[tuple[str, str, str, str], dict[str, Any]] = {}
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
    if run.get("pages_recognised") or run.get("line_sets_recognised"):
        return {
            "time": run.get("started") or previous.get("stamp", {}).get("time"),
            "wall_seconds": run.get("wall_seconds"),
            "pages_recognised": run.get("pages_recognised"),
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
    from ocrxtract.bench.markdown import render_markdown
    from ocrxtract.bench.report import build_summary

    require_pyarrow()
    started = now_iso()
    plan = plan_campaign(campaign, cache.root if cache is not None else None)
    for skip in plan.skipped:
        log.info("skipped %s/%s: %s", skip.engine or "*", skip.dataset or "*", skip.reason)
    baseline = _baseline(out_dir, campaign.fingerprint())
    kept = _resumable(out_dir, plan, resume)
    done_keys = {row_key(row) for row in kept}
    rows = list(kept)
    clock = _Clock(len(plan.tasks), len(kept))
    if on_progress is not None and kept:
        on_progress(clock.event(None, len(kept)))
    header = {"campaign": campaign.name, "fingerprint": campaign.fingerprint(), "started": started}
    with Journal(out_dir / JOURNAL_FILE, header) as journal:
        for engine in plan.engines:
            todo = [
                t
                for t in engine.tasks
                if (t.engine, t.dataset, t.sample_id, t.task_hash) not in done_keys
            ]
            if not todo:
                continue
            log.info(
                "%s: %d sample(s) on %s",
                engine.entry.key,
                len(todo),
                f"{engine.processes} process(es)" if engine.processes else "this process",
            )
            produced = _pooled(engine, todo) if engine.processes else _in_process(todo)
            for row in produced:
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
        "pages_recognised": result.pages_recognised,
        "cache_dir": _home_relative(cache.root) if cache is not None else None,
    }
    run_info["line_sets_recognised"] = result.line_sets_recognised
    if result.pages_recognised == 0 and result.line_sets_recognised == 0 and baseline is not None:
        result.baseline = baseline
        run_info["baseline"] = baseline
        run_info["speedup"] = round(result.speedup or 0.0, 1)
    summary = build_summary(plan, rows, run_info, stamp(), source)
    paths = {
        "rows": write_rows(out_dir / ROWS_FILE, rows),
        "summary": write_json(out_dir / SUMMARY_FILE, summary),
        "leaderboard": write_text(out_dir / LEADERBOARD_FILE, render_markdown(summary)),
    }
    (out_dir / JOURNAL_FILE).unlink(missing_ok=True)
    result.summary, result.paths = summary, paths
    return result
