"""``ocrxtract ocr``: OCR files with one or more engines and write each result in every format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ocrxtract.cli.console import console, err_console, escape, fail
from ocrxtract.errors import InvalidOptionsError, OcrxtractError, UsageError

EXIT_PARTIAL_FAILURE = 1


def _one_configuration_each(names: list[str]) -> list[str]:
    """``names``, unless one engine comes twice (plain and with a preset, or two presets): its
    results would share one file name.

    Raises:
        UsageError: an engine asked for twice.
    """
    bases = [name.partition(":")[0] for name in names]
    twice = sorted({b for b in bases if bases.count(b) > 1})
    if twice:
        raise UsageError(
            f"{twice[0]} is asked for twice (with and without a preset, or two presets): "
            "one configuration per engine in one call; compare configurations with "
            "ocrxtract bench --engines (e.g. tesseract,tesseract:sparse)"
        )
    return names


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
    post_correct: Annotated[
        bool,
        typer.Option(
            help="Fix French words against Debian's word list (wfrench): one unambiguous letter "
            "per word, never numbers, identifiers or capitals; each change noted in the JSON."
        ),
    ] = False,
    allow_download: Annotated[
        bool, typer.Option(help="Let engines download missing model weights (off: never online).")
    ] = False,
    max_pages: Annotated[int, typer.Option(help="Refuse documents with more pages.")] = 2000,
    full_path: Annotated[
        bool,
        typer.Option(
            help="Write each file's full path into the results (default: its name only; a "
            "path often holds a person's name or a case number)."
        ),
    ] = False,
) -> None:
    """OCR files with one or more engines and write each result in the chosen formats.

    Results go to OUT/STEM.ENGINE.EXT (pdf-text for the pages read from a PDF text layer). A
    file that fails is reported and the others
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
        names = _one_configuration_each(list(dict.fromkeys(engine)))
        per_engine = _parse_option_pairs(option, names)
        built = []
        for name in names:
            options = {"languages": tuple(lang), "allow_download": allow_download}
            options.update(per_engine[name])
            built.append(create_engine(name, options))
        settings = OcrSettings(
            dpi=dpi, assume_dpi=assume_dpi, force_ocr=force_ocr, post_correct=post_correct,
            limits=InputLimits(max_pages=max_pages), full_path=full_path,
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
            for note in result.notes:
                progress.console.print(
                    f"[yellow]![/] {escape(f'{result.source}: {note}')}",
                    highlight=False, soft_wrap=True,
                )  # fmt: skip
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


def register(app: typer.Typer) -> None:
    """Add ``ocr`` to the main app."""
    app.command()(ocr)
