"""``ocrxtract bench`` and ``ocrxtract report``: benchmark campaigns on the command line.

:func:`register` adds both commands to the main app (``ocrxtract.cli``). Like the main CLI this
module prints and turns typed errors into their exit codes; the work is done by
:mod:`ocrxtract.bench`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ocrxtract.cli.console import console, err_console, escape, fail, print_table
from ocrxtract.errors import OcrxtractError

if TYPE_CHECKING:
    from ocrxtract.bench import Campaign, ProgressEvent, RunResult

EXIT_PARTIAL_FAILURE = 1
EXIT_INTERRUPTED = 130
DEFAULT_ENGINES = "tesseract,rapidocr"
RESULTS_ROOT = Path("benchmarks") / "results"


def _names(value: str | None) -> list[str]:
    return [name.strip() for name in (value or "").split(",") if name.strip()]


def _campaign(
    campaign_file: Path | None,
    engines: str | None,
    datasets: str | None,
    limit: int | None,
    workers: int | None,
    folder_dataset: str | None = None,
) -> Campaign:
    from ocrxtract.bench import DEFAULT_CAMPAIGN, campaign_from_names, load_campaign
    from ocrxtract.bench.campaign import extractors_for_truth

    if campaign_file is not None:
        return load_campaign(campaign_file).with_overrides(
            limit=limit, workers=workers, engines=_names(engines), datasets=_names(datasets)
        )
    if not engines and not datasets:
        return DEFAULT_CAMPAIGN.with_overrides(limit=limit, workers=workers)
    return campaign_from_names(
        _names(engines or DEFAULT_ENGINES),
        _names(datasets) or [d.name for d in DEFAULT_CAMPAIGN.datasets],
        limit=limit,
        workers=1 if workers is None else workers,
        # A folder with field or table ground truth gets the extractor that scores it.
        extractors=extractors_for_truth(folder_dataset) if folder_dataset else (),
    )


def _register_folder(folder: Path, language: str, datasets: str | None) -> str:
    """Declare ``folder`` as a dataset for this run; the dataset names to benchmark."""
    from ocrxtract.datasets import register_dataset
    from ocrxtract.datasets.user import folder_dataset_name, folder_spec

    name = folder_dataset_name(folder)
    register_dataset(folder_spec(name, folder, language=language), replace=True)
    return ",".join([*_names(datasets), name])


def _eta(event: ProgressEvent) -> str:
    if event.eta is None:
        return "ETA …"
    minutes, seconds = divmod(int(event.eta), 60)
    hours, minutes = divmod(minutes, 60)
    return f"ETA {hours}:{minutes:02d}:{seconds:02d}" if hours else f"ETA {minutes}:{seconds:02d}"


def print_tables(summary: dict[str, Any], *, details: bool = True) -> None:
    """Draw the leaderboard tables of a summary."""
    from ocrxtract.bench import table_data

    tables = table_data(summary)
    for title, headers, rows in tables if details else tables[:2]:
        if rows:
            print_table(title, headers, rows)


def _print_outcome(result: RunResult) -> None:
    for skip in result.skipped:
        who = "/".join(x for x in (skip.engine, skip.dataset) if x)
        console.print(
            f"[yellow]skipped[/] {escape(who)}: {escape(skip.reason)}",
            highlight=False,
            soft_wrap=True,
        )
    run = result.summary["run"]
    lines_cached = sum(r["line_sets_cached"] or 0 for r in result.rows)
    if result.baseline is not None and result.speedup is not None:
        console.print(
            f"[bold]Served from the cache[/]: {result.pages_cached} pages and {lines_cached} "
            f"line sets, nothing recognized; {result.wall_seconds:.1f} s against "
            f"{result.baseline['wall_seconds']:.1f} s for the run of {result.baseline['time']} "
            f"that recognized them: [bold]{result.speedup:.0f}x faster[/].",
            highlight=False,
            soft_wrap=True,
        )
    else:
        console.print(
            f"Engine outputs: {result.pages_recognized} pages recognized, {result.pages_cached} "
            f"from the cache ({escape(str(run['cache_dir'] or 'cache off'))}); "
            f"{result.wall_seconds:.1f} s.",
            highlight=False,
            soft_wrap=True,
        )
    if result.resumed:
        console.print(f"Resumed: {result.resumed} rows kept from the interrupted run.")
    for role, path in result.paths.items():
        console.print(f"{role}: {escape(str(path))}", highlight=False, soft_wrap=True)


def bench(
    campaign_file: Annotated[
        Path | None,
        typer.Argument(
            help="Campaign file (benchmarks/<name>.yml). Default: the embedded sample campaign."
        ),
    ] = None,
    engines: Annotated[
        str | None,
        typer.Option(
            help=f"Engines, comma-separated (default {DEFAULT_ENGINES}; with a "
            "campaign: keep only these)."
        ),
    ] = None,
    datasets: Annotated[
        str | None,
        typer.Option(
            help="Datasets, comma-separated (default sample-fr; with a campaign: keep only these)."
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=0, help="At most this many samples per dataset.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=0, help="Worker processes (0: in this process). Default: the campaign's."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Results folder. Default: <your data folder>/ocrxtract/results/<campaign name> "
            "($OCRXTRACT_RESULTS_DIR overrides it); benchmarks/results holds the committed ones."
        ),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            help="Engine-output cache. Default: $OCRXTRACT_CACHE_DIR/bench or "
            "~/.cache/ocrxtract/bench."
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Recognise everything again; cache nothing.")
    ] = False,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Drop the rows of an interrupted run instead of resuming."),
    ] = False,
    details: Annotated[bool, typer.Option(help="Print every figure, not only headlines.")] = True,
    folder: Annotated[
        Path | None,
        typer.Option(
            help="Benchmark the engines on a folder of your own documents (ground truth beside "
            "them: STEM.txt, STEM.xml, STEM.fields.json, STEM.tables.html), without registering "
            "it."
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option(help="Language of the --folder documents (ISO 639-2, e.g. fra).")
    ] = "fra",
) -> None:
    """Benchmark engines on datasets: corpus CER/WER (exact, folded), bag-of-words F1, line CER,
    word detection, s/page and peak memory; results in Parquet, a stamped summary and Markdown.

    Engine outputs are cached by content, so a second run only re-scores; an interrupted run
    resumes where it stopped when run again. Exit code 1 when a sample failed (it is recorded
    with its error; the others are scored).
    """
    from ocrxtract.bench import BenchCache, run_campaign

    try:
        folder_dataset = None
        if folder is not None:
            datasets = _register_folder(folder, lang, datasets)
            folder_dataset = _names(datasets)[-1]
        campaign = _campaign(campaign_file, engines, datasets, limit, workers, folder_dataset)
    except OcrxtractError as exc:
        raise fail(exc) from exc
    from ocrxtract.bench.results import default_results_dir

    target = out or default_results_dir() / campaign.name
    cache = None if no_cache else BenchCache(cache_dir)
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[eta]}"),
    )  # fmt: skip
    try:
        with Progress(*columns, console=err_console, transient=True) as progress:
            bar = progress.add_task(f"bench {campaign.name}", total=None, eta="ETA …")

            def show(event: ProgressEvent) -> None:
                row = event.row
                description = f"bench {campaign.name}"
                if row is not None:
                    description = f"{row['engine']} {row['dataset']}/{row['sample_id']}"
                    if row["status"] != "ok":
                        progress.console.print(
                            f"[red]✗[/] {escape(description)}: "
                            f"{escape(str(row['error_type']))}: {escape(str(row['error']))}",
                            highlight=False,
                            soft_wrap=True,
                        )
                progress.update(
                    bar,
                    total=event.total,
                    completed=event.done,
                    description=escape(description),
                    eta=_eta(event),
                )
                if not err_console.is_terminal:  # a log file: one plain line per row
                    err_console.print(
                        escape(f"[{event.done}/{event.total}] {description} {_eta(event)}"),
                        highlight=False,
                        soft_wrap=True,
                    )

            result = run_campaign(
                campaign,
                target,
                cache=cache,
                resume=not fresh,
                on_progress=show,
                source=campaign_file,
            )
    except OcrxtractError as exc:
        raise fail(exc) from exc
    except KeyboardInterrupt:
        err_console.print(
            f"interrupted: finished rows are kept in {escape(str(target))}; run the same "
            "command to resume."
        )
        raise typer.Exit(code=EXIT_INTERRUPTED) from None
    print_tables(result.summary, details=details)
    _print_outcome(result)
    errors = [r for r in result.rows if r["status"] != "ok"]
    if errors:
        err_console.print(f"[red]{len(errors)} sample(s) failed[/] (see the summary's errors).")
        raise typer.Exit(code=EXIT_PARTIAL_FAILURE)


def report(
    results_dir: Annotated[
        Path | None,
        typer.Argument(
            help="A results folder written by `ocrxtract bench` (default: your last run of the "
            "embedded campaign, sample, in the results folder `ocrxtract bench` prints)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Markdown file to write. Default: <results_dir>/leaderboard.md."),
    ] = None,
    details: Annotated[bool, typer.Option(help="Print every figure, not only headlines.")] = True,
    wiki: Annotated[
        Path | None,
        typer.Option(
            help="Instead, write the wiki's generated pages (datasets, engines, results of every "
            "campaign under benchmarks/results) into this folder, e.g. wiki/."
        ),
    ] = None,
) -> None:
    """Regenerate a benchmark's Markdown leaderboard from its results and print it.

    With --wiki DIR, write the wiki's generated pages instead (run before mkdocs build).
    """
    if wiki is not None:
        from ocrxtract.wiki import write_generated_pages

        try:
            written = write_generated_pages(wiki, RESULTS_ROOT)
        except OcrxtractError as exc:
            raise fail(exc) from exc
        console.print(f"{len(written)} generated wiki file(s) up to date in {escape(str(wiki))}")
        return
    from ocrxtract.bench import regenerate
    from ocrxtract.bench.results import default_results_dir

    try:
        summary, path = regenerate(results_dir or default_results_dir() / "sample", out)
    except OcrxtractError as exc:
        raise fail(exc) from exc
    print_tables(summary, details=details)
    console.print(f"leaderboard: {escape(str(path))}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``bench`` and ``report`` to ``app`` (the main ``ocrxtract`` app)."""
    app.command("bench")(bench)
    app.command("report")(report)
