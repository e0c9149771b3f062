"""Command-line interface: ``ocrxtract engines | ocr | demo``.

This is the only module that turns typed errors into exit codes (each
:class:`~ocrxtract.errors.OcrxtractError` subclass carries its own) and the only one that prints.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ocrxtract import __version__
from ocrxtract.cli.console import console, err_console, escape, fail
from ocrxtract.errors import InvalidOptionsError, OcrxtractError, UsageError

app = typer.Typer(
    name="ocrxtract",
    help="Compare OCR engines on your own documents and export what they read.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
from ocrxtract.cli.bench import register as register_bench  # noqa: E402 - needs `app`
from ocrxtract.cli.datasets import datasets_app  # noqa: E402 - imports nothing heavy

app.add_typer(
    datasets_app, name="datasets", help="List, describe, fetch and generate benchmark datasets."
)
EXIT_PARTIAL_FAILURE = 1


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"ocrxtract {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True)
    ] = False,
) -> None:
    """ocrxtract: OCR engines side by side, benchmarks and extraction for French administrations."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def engines() -> None:
    """List every engine with its version, languages and availability (and why not)."""
    from ocrxtract.engines.registry import engine_names, get_engine_class

    table = Table(title="OCR engines")
    wide = console.width >= 120  # room for each engine's one-line description
    for column in ("engine", "available", "version", "languages", *(["what"] if wide else [])):
        table.add_column(column, overflow="fold")
    unavailable: list[tuple[str, str, str | None]] = []
    for name in engine_names():
        try:
            cls = get_engine_class(name)
            availability = cls.availability()
        except OcrxtractError as exc:
            table.add_row(name, "[red]no[/]", "", "", *([""] if wide else []))
            unavailable.append((name, str(exc), None))
            continue
        if availability.available:
            languages = cls.languages()
            shown = ", ".join(languages[:8]) + (
                f" … ({len(languages)})" if len(languages) > 8 else ""
            )
            table.add_row(
                name, "[green]yes[/]", cls.version(), shown, *([cls.description] if wide else [])
            )
        else:
            table.add_row(name, "[red]no[/]", "", "", *([cls.description] if wide else []))
            unavailable.append((name, availability.reason or "unavailable", availability.install))
    console.print(table)
    for name, reason, install in unavailable:
        console.print(f"[bold]{name}[/]: {escape(reason)}", highlight=False, soft_wrap=True)
        if install:
            console.print(f"  install: {escape(install)}", highlight=False, soft_wrap=True)


def _parse_option_pairs(pairs: list[str], engine_names: list[str]) -> dict[str, dict[str, Any]]:
    """``ENGINE.KEY=VALUE`` (or ``KEY=VALUE`` for every engine) -> options per engine.

    Values are parsed as JSON when they parse (numbers, booleans, lists), else kept as strings.
    """
    import json

    options: dict[str, dict[str, Any]] = {name: {} for name in engine_names}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise InvalidOptionsError(f"option {pair!r} is not of the form ENGINE.KEY=VALUE")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        engine, dot, field = key.rpartition(".")
        targets = [engine] if dot else engine_names
        for target in targets:
            if target not in options:
                raise InvalidOptionsError(
                    f"option {pair!r} names engine {target!r}, which is not among --engine"
                )
            options[target][field] = value
    return options


@app.command()
def ocr(
    files: Annotated[
        list[Path], typer.Argument(help="Images (PNG, JPEG, TIFF, WebP, BMP) or PDFs.")
    ],
    engine: Annotated[
        list[str], typer.Option("--engine", "-e", help="Engine to run; repeat for several.")
    ] = ["tesseract"],  # noqa: B006 - typer needs a literal default
    lang: Annotated[
        list[str], typer.Option("--lang", "-l", help="Language (ISO 639-2, e.g. fra, eng); repeat.")
    ] = ["fra"],  # noqa: B006
    fmt: Annotated[
        list[str],
        typer.Option("--format", "-f", help="json, txt, hocr or alto; repeat for several."),
    ] = ["json"],  # noqa: B006
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("ocr-out"),
    dpi: Annotated[int, typer.Option(help="Resolution at which PDF pages are rendered.")] = 300,
    assume_dpi: Annotated[
        float | None,
        typer.Option(help="Resolution of images whose file states none (or 72/96, i.e. unknown)."),
    ] = None,
    option: Annotated[
        list[str],
        typer.Option(
            "--option", "-O", help="Engine option ENGINE.KEY=VALUE, e.g. tesseract.psm=6."
        ),
    ] = [],  # noqa: B006
    force_ocr: Annotated[
        bool, typer.Option(help="OCR PDF pages even when they have a text layer.")
    ] = False,
    allow_download: Annotated[
        bool, typer.Option(help="Let engines download missing model weights (off: never online).")
    ] = False,
    max_pages: Annotated[int, typer.Option(help="Refuse documents with more pages.")] = 2000,
) -> None:
    """OCR files with one or more engines and write each result in the chosen formats.

    Results go to OUT/<file stem>.<engine>.<ext>. A file that fails is reported and the others
    are processed; the exit code is then that of the first failure's error.
    """
    from ocrxtract.engines.registry import create_engine
    from ocrxtract.export import FORMATS
    from ocrxtract.io import InputLimits, count_pages
    from ocrxtract.pipeline import OcrSettings, ocr_files, save_result

    try:
        unknown = [f for f in fmt if f not in FORMATS]
        if unknown:
            raise UsageError(f"unknown format {unknown[0]!r}; known formats: {', '.join(FORMATS)}")
        names = list(dict.fromkeys(engine))
        per_engine = _parse_option_pairs(option, names)
        built = []
        for name in names:
            options = {"languages": tuple(lang), "allow_download": allow_download}
            options.update(per_engine[name])
            built.append(create_engine(name, options))
        settings = OcrSettings(
            dpi=dpi, assume_dpi=assume_dpi, force_ocr=force_ocr,
            limits=InputLimits(max_pages=max_pages),
        )  # fmt: skip
    except OcrxtractError as exc:
        raise fail(exc) from exc

    failures: list[tuple[Path, str, OcrxtractError]] = []
    total = 0
    for path in files:
        try:
            total += count_pages(path, limits=settings.limits)
        except OcrxtractError:
            total += 1  # counted as one step; its error is reported when it is processed
    written = 0
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("pages"), TimeRemainingColumn(), console=err_console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("OCR", total=total)
        for result in ocr_files(
            files, built, settings, on_page=lambda page: progress.advance(task)
        ):
            progress.update(task, description=f"OCR {result.source.name}")
            if result.error is not None:
                failures.append((result.source, result.engine, result.error))
                progress.console.print(
                    f"[red]✗[/] {escape(f'{result.source} [{result.engine}]: {result.error}')}",
                    highlight=False, soft_wrap=True,
                )  # fmt: skip
                continue
            try:
                paths = save_result(result, out, fmt)
            except OcrxtractError as exc:  # e.g. text that XML cannot carry: this file only
                failures.append((result.source, result.engine, exc))
                progress.console.print(
                    f"[red]✗[/] {escape(f'{result.source} [{result.engine}]: {exc}')}",
                    highlight=False,
                    soft_wrap=True,
                )
                continue
            except OSError as exc:
                err_console.print(f"[bold red]error:[/] {escape(f'cannot write to {out}: {exc}')}")
                raise typer.Exit(code=3) from exc
            written += len(paths)
            pages = len(result.document.pages) if result.document else 0
            progress.console.print(
                "[green]✓[/] "
                + escape(
                    f"{result.source} [{result.engine}] {pages} page(s), "
                    f"{result.seconds:.2f} s -> {', '.join(str(p) for p in paths)}"
                ),
                highlight=False, soft_wrap=True,
            )  # fmt: skip
    console.print(
        f"{written} file(s) written to {out}; {len(failures)} failure(s)", highlight=False
    )
    if failures:
        raise typer.Exit(code=failures[0][2].exit_code or EXIT_PARTIAL_FAILURE)


@app.command()
def demo(
    engine: Annotated[
        list[str] | None, typer.Option("--engine", "-e", help="Engines (default: all).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Sample page seed.")] = 0,
    dpi: Annotated[int, typer.Option(help="Resolution of the generated page.")] = 300,
    save_image: Annotated[
        Path | None, typer.Option(help="Also save the generated page as this PNG.")
    ] = None,
) -> None:
    """OCR a generated French page with every available engine; print them side by side with CER."""
    from ocrxtract.demo import run_demo

    try:
        with console.status("Reading the sample page…") as status:
            sample, readings = run_demo(
                engine, seed=seed, dpi=dpi,
                on_engine=lambda name: status.update(f"Reading the sample page with {name}…"),
            )  # fmt: skip
    except OcrxtractError as exc:
        raise fail(exc) from exc
    if save_image is not None:
        sample.page.image.save(save_image)
    table = Table(title=f"Generated page {sample.page.source} ({dpi} dpi)", show_lines=True)
    table.add_column("ground truth", overflow="fold")
    ran = [r for r in readings if r.problem is None]
    for reading in ran:
        table.add_column(f"{reading.engine} {reading.version or ''}", overflow="fold")
    table.add_row(escape(sample.text), *[escape(r.text or "") for r in ran])
    table.add_row(
        "CER / WER (exact)",
        *[f"{r.score.cer:.2%} / {r.score.wer:.2%}" if r.score else "" for r in ran],
    )
    table.add_row(
        "seconds (first page, incl. model load)",
        *[f"{r.seconds:.2f}" if r.seconds is not None else "" for r in ran],
    )
    console.print(table)
    for reading in readings:
        if reading.problem is not None:
            console.print(
                f"[yellow]{reading.engine}[/] not run: {escape(reading.problem)}", highlight=False
            )
    if not ran:
        err_console.print("[bold red]error:[/] no engine could run; see `ocrxtract engines`.")
        raise typer.Exit(code=5)


@app.command("app")
def run_app(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on (local by default).")] = (
        "127.0.0.1"
    ),
) -> None:
    """Start the Streamlit app comparing engines side by side (from a checkout)."""
    import importlib.util
    import subprocess
    import sys

    from ocrxtract.errors import MissingDependencyError

    try:
        if importlib.util.find_spec("streamlit") is None:
            raise MissingDependencyError("streamlit", "run the app", "pip install 'ocrxtract[app]'")
        script = Path(__file__).resolve().parents[3] / "app" / "streamlit_app.py"
        if not script.is_file():
            raise UsageError(
                f"the app is not here ({script}); run `ocrxtract app` from a checkout of ocrxtract"
            )
    except OcrxtractError as exc:
        raise fail(exc) from exc
    console.print(f"Starting the app on http://{address}:{port} (Ctrl+C stops it)", highlight=False)
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", address, "--browser.gatherUsageStats", "false"]  # fmt: skip
    raise typer.Exit(code=subprocess.call(command))


register_bench(app)  # ocrxtract bench / report, listed after the commands above


def main() -> None:
    """Entry point of the ``ocrxtract`` command."""
    app()


if __name__ == "__main__":
    main()
