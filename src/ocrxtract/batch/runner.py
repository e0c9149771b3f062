"""Run a batch: inputs -> workers (a local pool or a Dask cluster) -> the output store.

:func:`run_batch` lists the inputs, leaves out what the run manifest says is finished (by path,
size and modification time, then by content hash: a renamed file is not read twice), hands the
rest to the executor lazily (hashing and counting pages as it goes, so the first documents are
read while the last ones are still listed), and writes each result as it comes back: the
document files, then its manifest record and page rows in one transaction. A bad input never
stops the run; it is recorded with its reason and fix. Ctrl-C or SIGTERM stop it cleanly; a
SIGKILL loses nothing that was recorded, and ``resume=True`` goes on from there. What runs
where is :mod:`.settings`' business.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ocrxtract.batch.manifest import FINAL, RunManifest
from ocrxtract.batch.settings import (
    BatchSettings,
    check,
    check_resume,
    execution_for,
    fingerprint,
    make_executor,
    steps_for,
)
from ocrxtract.batch.sources import Source, common_root, output_paths, relative_to_root
from ocrxtract.batch.store import MANIFEST_FILE, RUN_FOLDER, SUMMARY_FILE, OutputStore
from ocrxtract.batch.work import BatchItem, Outcome, process_item
from ocrxtract.errors import InputError, OcrxtractError, ProcessingTimeoutError
from ocrxtract.io import InputLimits, count_pages
from ocrxtract.io.atomic import write_text_atomically
from ocrxtract.io.hashing import file_sha256
from ocrxtract.stamp import stamp

log = logging.getLogger(__name__)

#: Exit codes of a batch run (``ocrxtract batch``).
EXIT_ALL_DONE = 0
EXIT_WITH_FAILURES = 1
EXIT_ABORTED = 130


@dataclass(frozen=True)
class BatchEvent:
    """An input finished (or was found finished, skipped, or refused before reading).

    Attributes:
        status: ``done``, ``failed``, ``skipped``, ``timed_out`` or ``already`` (finished by
            an earlier run).
        path: The input's path relative to the run's root.
        pages: Pages it had.
        error: Why it failed or was skipped.
        finished: Inputs finished so far (``already`` ones included).
        total: Inputs of the run.
        pages_done: Pages read by this run so far.
        elapsed: Seconds since the run started.
        already: Inputs found finished by an earlier run so far (not counted in the speed).
    """

    status: str
    path: str
    pages: int
    error: str | None
    finished: int
    total: int
    pages_done: int
    elapsed: float
    already: int = 0

    @property
    def pages_per_minute(self) -> float:
        return self.pages_done / self.elapsed * 60 if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at this run's pace (``None`` before its first input)."""
        worked = self.finished - self.already
        if worked <= 0:
            return None
        return self.elapsed / worked * (self.total - self.finished)


EventCallback = Callable[[BatchEvent], None]


@dataclass
class BatchSummary:
    """The outcome of a batch run.

    Attributes:
        out: The output folder.
        outcome: ``all done``, ``done with failures`` or ``aborted``.
        counts: Inputs of this run by status (``already``: finished by an earlier run).
        reasons: Failed and timed-out inputs by reason (the error's kind).
        failures: The failed and timed-out inputs: path, status, reason, error, fix.
        pages: Pages read by this run.
        seconds: Wall seconds of this run.
        peak_rss: Peak resident memory of each worker, in bytes.
        executor: Where it ran.
        parts: Parquet parts of the page dataset.
    """

    out: Path
    outcome: str = "all done"
    counts: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    peak_rss: dict[str, int] = field(default_factory=dict)
    executor: str = ""
    parts: int = 0

    @property
    def pages_per_minute(self) -> float:
        return self.pages / self.seconds * 60 if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        if self.outcome == "aborted":
            return EXIT_ABORTED
        return EXIT_WITH_FAILURES if self.outcome == "done with failures" else EXIT_ALL_DONE

    def as_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "outcome": self.outcome,
            "exit_code": self.exit_code,
            "counts": self.counts,
            "reasons": self.reasons,
            "failures": self.failures,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "pages_per_minute": round(self.pages_per_minute, 2),
            "peak_rss": self.peak_rss,
            "executor": self.executor,
            "parts": self.parts,
        }


class _Run:
    """One invocation of :func:`run_batch`: its manifest, store, counters and events."""

    def __init__(  # noqa: PLR0917 - private, one call site
        self,
        sources: Sequence[Source],
        out: Path,
        settings: BatchSettings,
        manifest: RunManifest,
        store: OutputStore,
        root: Path,
        on_event: EventCallback | None,
    ) -> None:
        self.sources = sources
        self.out = out
        self.settings = settings
        self.manifest = manifest
        self.store = store
        self.root = root
        self.on_event = on_event
        self.start = time.monotonic()
        self.summary = BatchSummary(out)
        self.finished = 0
        self.limits = InputLimits(max_pages=settings.max_pages)

    # --- events and records ----------------------------------------------------------------

    def event(self, status: str, relative: str, pages: int = 0, error: str | None = None) -> None:
        self.finished += 1
        self.summary.counts[status] = self.summary.counts.get(status, 0) + 1
        if status == "done":
            self.summary.pages += pages
        if self.on_event is not None:
            self.on_event(
                BatchEvent(
                    status, relative, pages, error, self.finished, len(self.sources),
                    self.summary.pages, time.monotonic() - self.start,
                    self.summary.counts.get("already", 0),
                )
            )  # fmt: skip

    def fail_early(self, path: str, error: OcrxtractError, **values: Any) -> None:
        """An input refused before any worker saw it (unreadable, wrong type...)."""
        self.manifest.record(
            path,
            "failed",
            reason=type(error).__name__,
            error=str(error),
            fix=error.fix if isinstance(error, InputError) else None,
            **values,
        )
        self.event("failed", values["relative"], error=str(error))

    # --- planning ----------------------------------------------------------------------------

    def outputs(self) -> dict[Path, tuple[str, str]]:
        """Relative path and output JSON of every source (kept from earlier runs)."""
        known = self.manifest.known()
        taken = {k.output: path for path, k in known.items() if k.output}
        relatives = [relative_to_root(s.path, self.root) for s in self.sources]
        planned = output_paths(relatives)
        result: dict[Path, tuple[str, str]] = {}
        for source, relative, output in zip(self.sources, relatives, planned, strict=True):
            previous = known.get(str(source.path))
            if previous is not None and previous.output:
                result[source.path] = (str(relative), previous.output)
                continue
            candidate = output
            if taken.get(candidate, str(source.path)) != str(source.path):
                candidate = f"{relative}.json"
            number = 2
            while taken.get(candidate, str(source.path)) != str(source.path):
                candidate = f"{relative}.{number}.json"
                number += 1
            taken[candidate] = str(source.path)
            result[source.path] = (str(relative), candidate)
        return result

    def items(self) -> Iterator[BatchItem]:
        """The inputs to read, lazily: finished ones, skips and unreadable ones are recorded
        here and never sent to a worker."""
        known = self.manifest.known()
        done = self.manifest.done_hashes()
        seen: dict[str, str] = {}
        redo = ("failed", "timed_out") if self.settings.retry_failed else ()
        outputs = self.outputs()
        for source in self.sources:
            path = str(source.path)
            relative, output = outputs[source.path]
            previous = known.get(path)
            if source.skip is not None:
                if previous is None or previous.status != "skipped":
                    self.manifest.record(
                        path, "skipped", relative=relative, reason="unsupported type",
                        error=source.skip,
                    )  # fmt: skip
                self.event("skipped", relative, error=source.skip)
                continue
            try:
                stat = source.path.stat()
                unchanged = previous is not None and (previous.size, previous.mtime_ns) == (
                    stat.st_size,
                    stat.st_mtime_ns,
                )
                if (
                    unchanged
                    and previous is not None
                    and previous.status in FINAL
                    and previous.status not in redo
                ):
                    self.event("already", relative)
                    continue
                sha = file_sha256(source.path)
            except InputError as exc:
                self.fail_early(path, exc, relative=relative)
                continue
            except OSError as exc:
                error = InputError(source.path, f"cannot be read ({exc.strerror})")
                self.fail_early(path, error, relative=relative)
                continue
            values: dict[str, Any] = {
                "relative": relative, "output": output, "size": stat.st_size,
                "mtime_ns": stat.st_mtime_ns, "sha256": sha,
                "metadata": dict(source.metadata) if source.metadata else None,
            }  # fmt: skip
            twin = done.get(sha) if done.get(sha) != path else None
            twin = twin or seen.get(sha)
            if twin is not None:
                reason = f"same content as {twin}, read once"
                self.manifest.record(path, "skipped", reason="duplicate", error=reason, **values)
                self.event("skipped", relative, error=reason)
                continue
            seen[sha] = path
            try:
                pages = count_pages(source.path, self.limits)
            except InputError as exc:
                self.fail_early(path, exc, **values)
                continue
            self.manifest.record(path, "pending", pages=pages, **values)
            yield BatchItem(
                source.path, dpi=self.settings.dpi, assume_dpi=self.settings.assume_dpi,
                limits=self.limits, input_id=sha, relative=relative, output=output,
                pages=pages, metadata=source.metadata,
            )  # fmt: skip

    # --- results -----------------------------------------------------------------------------

    def write(self, outcome: Outcome, item: BatchItem, worker: str | None, rss: int | None) -> None:
        values: dict[str, Any] = {
            "engine": outcome.engine, "engine_version": outcome.engine_version,
            "pages": outcome.page_count, "text_layer_pages": outcome.text_layer_pages,
            "seconds": round(outcome.seconds, 4),
            "engine_seconds": round(outcome.engine_seconds, 4),
            "render_seconds": round(outcome.render_seconds, 4),
            "extract_seconds": round(outcome.extract_seconds, 4),
            "worker": worker, "peak_rss": rss, "warnings": outcome.warnings or None,
        }  # fmt: skip
        if outcome.status == "done":
            self.store.write_document(outcome)
            self.manifest.finish(
                str(item.path), "done", outcome.pages, item.input_id,
                reason=None, error=None, fix=None, **values,
            )  # fmt: skip
            self.store.staged(len(outcome.pages))
            self.event("done", item.relative, outcome.page_count)
            return
        error = outcome.error
        self.manifest.finish(
            str(item.path), "failed", [], item.input_id, reason=outcome.reason,
            error=str(error) if error else None, fix=outcome.fix, **values,
        )  # fmt: skip
        self.event("failed", item.relative, outcome.page_count, str(error) if error else None)

    def lost(self, item: BatchItem, error: BaseException, worker: str | None) -> None:
        """The executor gave an error instead of an outcome (timeout, dead worker)."""
        status = "timed_out" if isinstance(error, ProcessingTimeoutError) else "failed"
        self.manifest.finish(
            str(item.path), status, [], item.input_id, reason=type(error).__name__,
            error=str(error), fix=None, worker=worker,
        )  # fmt: skip
        self.event(status, item.relative, item.pages, str(error))

    def close(self, outcome: str, executor: str) -> BatchSummary:
        self.store.flush()
        summary = self.summary
        summary.seconds = time.monotonic() - self.start
        summary.executor = executor
        summary.parts = len(self.manifest.parts())
        paths = {str(s.path) for s in self.sources}
        failures = [f for f in self.manifest.failures() if f["path"] in paths]
        summary.failures = failures
        summary.reasons = {}
        for failure in failures:
            reason = failure["reason"] or failure["status"]
            summary.reasons[reason] = summary.reasons.get(reason, 0) + 1
        if outcome != "aborted":
            outcome = "done with failures" if failures else "all done"
        summary.outcome = outcome
        self.manifest.finish_run(outcome, summary.as_dict())
        data = {"stamp": stamp(), **summary.as_dict()}
        write_text_atomically(
            self.out / RUN_FOLDER / SUMMARY_FILE, json.dumps(data, indent=2, default=str) + "\n"
        )
        return summary


def run_batch(
    sources: Sequence[Source],
    out: Path,
    settings: BatchSettings | None = None,
    *,
    resume: bool = False,
    root: Path | None = None,
    on_event: EventCallback | None = None,
) -> BatchSummary:
    """Read every input with the settings' engine (and extractors) into the output store.

    Args:
        sources: The inputs (:func:`ocrxtract.batch.discover`).
        out: The output folder (documents mirror the inputs' folders under it).
        settings: What to do and where (default :class:`BatchSettings`).
        resume: Go on with the run that ``out`` holds (same settings): what it finished is
            not read again, inputs it did not reach are.
        root: The folder the inputs' outputs are laid out from (default: the run's root, else
            the deepest folder holding every input).
        on_event: Called after each input (progress display).

    Returns:
        The summary (:attr:`BatchSummary.exit_code` tells all done, done with failures,
        aborted). On Ctrl-C the run is recorded as aborted and ``KeyboardInterrupt`` raised.

    Raises:
        UsageError: ``out`` holds another run (without ``resume``, or with other settings),
            unknown format or option.
        UnknownEngineError, UnknownExtractorError, InvalidOptionsError: names or options.
        EngineUnavailableError, MissingDependencyError: something to install (with how).
        OSError: the output folder cannot be written (the run stops: nothing is lost).
    """
    settings = settings or BatchSettings()
    cls = check(settings)
    execution = execution_for(cls, settings.workers, settings.engine_options)
    steps = steps_for(settings, execution)
    identity = fingerprint(settings, cls)
    out.mkdir(parents=True, exist_ok=True)
    with RunManifest(out / RUN_FOLDER / MANIFEST_FILE) as manifest:
        check_resume(manifest, identity, resume, out)
        stored_root = manifest.setting("root")
        run_root = root or (Path(stored_root) if stored_root else None)
        run_root = run_root or common_root([s.path for s in sources])
        manifest.set_setting("fingerprint", identity)
        manifest.set_setting("root", str(run_root))
        manifest.start_run(stamp())
        store = OutputStore(
            out, manifest, part_rows=settings.part_rows, part_seconds=settings.part_seconds
        )
        run = _Run(sources, out, settings, manifest, store, run_root.resolve(), on_event)
        executor, where = make_executor(settings, cls, execution, steps)
        function = partial(process_item, steps=steps, formats=tuple(settings.formats))
        results = executor.map(function, run.items())
        try:
            for done in results:
                item = done.item
                if done.worker is not None and done.peak_rss is not None:
                    peak = run.summary.peak_rss.get(done.worker, 0)
                    run.summary.peak_rss[done.worker] = max(peak, done.peak_rss)
                if done.value is not None:
                    run.write(done.value, item, done.worker, done.peak_rss)
                else:
                    assert done.error is not None
                    run.lost(item, done.error, done.worker)
        except BaseException:
            _close(results)  # stop the workers before recording the run as aborted
            run.close("aborted", where)
            raise
        return run.close("done", where)


def _close(results: Iterator[Any]) -> None:
    close = getattr(results, "close", None)
    if close is not None:
        close()
