"""``ocrxtract batch``: read folders, globs, list files or manifests into a resumable output
store, on a local pool of processes or a Dask cluster.

Exit codes: 0 every input done (or skipped with a reason), 1 done with failures (listed in the
summary and the run manifest), 130 aborted (Ctrl-C, SIGTERM, an output folder that cannot be
written: ``--resume`` goes on), and the error's own code when the run cannot start (2 usage, 5
something to install).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from ocrxtract.cli.console import console, err_console, escape, fail, print_table
from ocrxtract.cli.ocr import _parse_option_pairs
from ocrxtract.errors import OcrxtractError

if TYPE_CHECKING:
    from ocrxtract.batch import BatchEvent, BatchSettings, BatchSummary, Source

EXIT_ABORTED = 130
#: Failures printed in the summary (all of them are in the run manifest).
SHOWN_FAILURES = 20


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "…"
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}"


def _mib(value: float | None) -> str:
    return "?" if value is None else f"{value / 2**20:.0f} MiB"


@contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM stops the run as Ctrl-C does: workers stopped, the run recorded as aborted."""

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not in the main thread (tests): nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def print_summary(summary: BatchSummary) -> None:
    """The final summary: inputs by status, failures by reason, throughput, memory."""
    order = ("done", "already", "failed", "timed_out", "skipped")
    labels = {
        "done": "done",
        "already": "done by an earlier run",
        "failed": "failed",
        "timed_out": "timed out",
        "skipped": "skipped",
    }
    rows = [[labels[s], str(summary.counts[s])] for s in order if summary.counts.get(s)]
    print_table("Inputs", ["status", "inputs"], rows)
    if summary.reasons:
        print_table(
            "Failures by reason",
            ["reason", "inputs"],
            [[r, str(n)] for r, n in sorted(summary.reasons.items(), key=lambda x: -x[1])],
        )
        for failure in summary.failures[:SHOWN_FAILURES]:
            console.print(
                f"[red]✗[/] {escape(str(failure['error'] or failure['reason']))}",
                highlight=False,
                soft_wrap=True,
            )
        if len(summary.failures) > SHOWN_FAILURES:
            console.print(
                f"… and {len(summary.failures) - SHOWN_FAILURES} more (see the run manifest)"
            )
    peak = max(summary.peak_rss.values(), default=None)
    console.print(
        f"{summary.pages} page(s) in {summary.seconds:.1f} s: "
        f"[bold]{summary.pages_per_minute:.1f} pages/min[/] on {escape(summary.executor)}; "
        f"peak memory per worker {_mib(peak)} ({len(summary.peak_rss)} worker(s)).",
        highlight=False,
        soft_wrap=True,
    )
    out = summary.out
    console.print(
        f"Documents under {escape(str(out))}; pages: {escape(str(out / '_batch' / 'pages'))} "
        f"({summary.parts} Parquet part(s)); run manifest: "
        f"{escape(str(out / '_batch' / 'manifest.sqlite'))}.",
        highlight=False,
        soft_wrap=True,
    )
    console.print(f"[bold]{summary.outcome}[/]", highlight=False)


def batch(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Folders (read recursively), files, or quoted globs (scans/**/*.pdf)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("batch-out"),
    engine: Annotated[str, typer.Option("--engine", "-e", help="Engine reading every page.")] = (
        "tesseract"
    ),
    lang: Annotated[
        list[str], typer.Option("--lang", "-l", help="Language (ISO 639-2, e.g. fra); repeat.")
    ] = ["fra"],  # noqa: B006 - typer needs a literal default
    option: Annotated[
        list[str],
        typer.Option("--option", "-O", help="Engine option KEY=VALUE, e.g. psm=6; repeat."),
    ] = [],  # noqa: B006
    extract: Annotated[
        list[str],
        typer.Option("--extract", "-x", help="Extractor run on each document; repeat."),
    ] = [],  # noqa: B006
    extract_option: Annotated[
        list[str],
        typer.Option(help="Extractor option EXTRACTOR.KEY=VALUE; repeat."),
    ] = [],  # noqa: B006
    fmt: Annotated[
        list[str],
        typer.Option("--format", "-f", help="Export beside each JSON: txt, hocr or alto; repeat."),
    ] = [],  # noqa: B006
    glob: Annotated[
        list[str],
        typer.Option("--glob", "-g", help="Keep the files of the folders matching it; repeat."),
    ] = [],  # noqa: B006
    file_type: Annotated[
        list[str],
        typer.Option(
            "--type", "-t", help="Keep the files of the folders of this type (pdf); repeat."
        ),
    ] = [],  # noqa: B006
    list_file: Annotated[
        Path | None, typer.Option("--list", help="A file listing one input path per line.")
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="A CSV or Parquet table: a path column, metadata columns carried."),
    ] = None,
    path_column: Annotated[str, typer.Option(help="The manifest's path column.")] = "path",
    root: Annotated[
        Path | None,
        typer.Option(help="Lay the outputs out from this folder (default: the inputs' own)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-j", help="Worker processes (default: the usable cores)."),
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="'local': run on a Dask LocalCluster of --workers.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Run on the Dask cluster of this scheduler (tcp://h:8786).")
    ] = None,
    page_timeout: Annotated[
        float,
        typer.Option(help="Seconds per page before a document's worker is replaced (0: none)."),
    ] = 300.0,
    max_memory: Annotated[
        int | None, typer.Option(help="MiB a worker may hold; over it, it is replaced.")
    ] = None,
    resume: Annotated[
        bool, typer.Option(help="Go on with the run OUT holds: finished inputs are kept.")
    ] = False,
    retry_failed: Annotated[
        bool, typer.Option(help="With --resume: read failed and timed-out inputs again.")
    ] = False,
    dpi: Annotated[int, typer.Option(help="Resolution at which PDF pages are rendered.")] = 300,
    assume_dpi: Annotated[
        float | None, typer.Option(help="Resolution of images whose file states none.")
    ] = None,
    force_ocr: Annotated[
        bool, typer.Option(help="OCR PDF pages even when they have a text layer.")
    ] = False,
    post_correct: Annotated[
        bool,
        typer.Option(
            help="Fix French words against Debian's word list (wfrench); each change noted."
        ),
    ] = False,
    allow_download: Annotated[
        bool, typer.Option(help="Let the engine download missing model weights (off: never).")
    ] = False,
    max_pages: Annotated[int, typer.Option(help="Refuse documents with more pages.")] = 2000,
    part_rows: Annotated[int, typer.Option(help="Page rows per Parquet part.")] = 5000,
) -> None:
    """Read many documents into a resumable store: OUT/<folder>/<stem>.json per document (and
    the --format exports beside it), a Parquet dataset of pages (OUT/_batch/pages) and a run
    manifest (OUT/_batch/manifest.sqlite) with every input's status, reason and fix.

    Exit code 0: all done; 1: done with failures; 130: aborted (--resume goes on).
    """
    from ocrxtract.batch import BatchSettings, Selection, discover
    from ocrxtract.errors import UsageError
    from ocrxtract.stamp import usable_cores

    try:
        if dask not in (None, "local"):
            raise UsageError(f"--dask takes 'local' (got {dask!r}); for a cluster: --scheduler")
        engine_options: dict[str, Any] = {"languages": tuple(lang)}
        if allow_download:
            engine_options["allow_download"] = True
        engine_options.update(_parse_option_pairs(option, [engine])[engine])
        names = list(dict.fromkeys(extract))
        settings = BatchSettings(
            engine=engine, engine_options=engine_options, extractors=tuple(names),
            extractor_options=_parse_option_pairs(extract_option, names) if names else {},
            formats=tuple(f for f in dict.fromkeys(fmt) if f != "json"), dpi=dpi,
            assume_dpi=assume_dpi, force_ocr=force_ocr, post_correct=post_correct,
            max_pages=max_pages,
            workers=usable_cores() if workers is None else workers, dask=dask == "local",
            scheduler=scheduler, page_timeout=page_timeout or None, max_memory_mb=max_memory,
            part_rows=part_rows, retry_failed=retry_failed,
        )  # fmt: skip
        sources = discover(
            inputs or [],
            selection=Selection(tuple(glob), tuple(file_type)),
            list_file=list_file,
            manifest=manifest,
            path_column=path_column,
            exclude=[out],
        )
    except OcrxtractError as exc:
        raise fail(exc) from exc
    except ValueError as exc:  # pydantic: a setting out of range
        raise fail(UsageError(str(exc))) from exc

    summary = _run(sources, out, settings, resume=resume, root=root)
    print_summary(summary)
    raise typer.Exit(code=summary.exit_code)


def _run(
    sources: list[Source], out: Path, settings: BatchSettings, *, resume: bool, root: Path | None
) -> BatchSummary:
    """The run with its progress bar (inputs, pages/min, ETA); failures printed as they come."""
    from ocrxtract.batch import run_batch

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("inputs, {task.fields[rate]} pages/min"), TimeElapsedColumn(),
        TextColumn("ETA {task.fields[eta]}"), console=err_console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("batch", total=len(sources), rate="…", eta="…")

        def on_event(event: BatchEvent) -> None:
            progress.update(
                task, completed=event.finished, rate=f"{event.pages_per_minute:.1f}",
                eta=_clock(event.eta), description=f"batch {event.path[-40:]}",
            )  # fmt: skip
            if event.status in ("failed", "timed_out"):
                progress.console.print(
                    f"[red]✗[/] {escape(event.error or event.path)}", highlight=False,
                    soft_wrap=True,
                )  # fmt: skip

        try:
            with _sigterm_stops():
                return run_batch(
                    sources, out, settings, resume=resume, root=root, on_event=on_event
                )
        except KeyboardInterrupt as exc:
            err_console.print(
                f"[bold red]aborted[/]: what was finished is recorded in {escape(str(out))}; "
                "run the same command with --resume to go on.",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(code=EXIT_ABORTED) from exc
        except OcrxtractError as exc:
            raise fail(exc) from exc
        except OSError as exc:
            err_console.print(
                f"[bold red]error:[/] {escape(f'cannot write to {out}: {exc}')} (free some space "
                "or fix the permissions, then run again with --resume)",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(code=EXIT_ABORTED) from exc


def register(app: typer.Typer) -> None:
    """Add ``batch`` to the main app."""
    app.command()(batch)
