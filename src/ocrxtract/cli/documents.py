"""What the per-document commands share (``structure``, ``tables``, ``extract``).

Each of them takes files and folders, checks ``--format`` against what it can write, reads an
OCR engine's name (``auto`` picks the first available), and goes through the documents one by
one under a progress bar: a file that fails is reported and the others go on; an output folder
that cannot be written stops the run (exit 3); the exit code is that of the first failure.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ocrxtract.cli.console import console, err_console, escape
from ocrxtract.errors import EngineUnavailableError, OcrxtractError, UnknownFormatError, UsageError

#: Engines tried, in order, by ``--engine auto``.
AUTO_ENGINES = ("tesseract", "rapidocr")


def document_files(paths: list[Path], *, also: Callable[[Path], bool] | None = None) -> list[Path]:
    """The documents among ``paths``, folders walked (sorted); ``also`` admits other files
    found in folders (files named on the command line are always taken).

    Raises :class:`UsageError` when there is none.
    """
    from ocrxtract.io import SUPPORTED_SUFFIXES

    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for child in sorted(path.rglob("*")):
            if child.is_file() and (
                child.suffix.lower() in SUPPORTED_SUFFIXES or (also is not None and also(child))
            ):
                found.append(child)
    if not found:
        raise UsageError("no document found in the given files and folders")
    return found


def parse_formats(fmt: str, known: Collection[str]) -> list[str]:
    """The comma-separated formats of ``--format``, each one of ``known``."""
    formats = [f.strip() for f in fmt.split(",") if f.strip()]
    unknown = [f for f in formats if f not in known]
    if unknown or not formats:
        raise UnknownFormatError(
            f"unknown format {(unknown or [''])[0]!r}; known formats: {', '.join(known)}"
        )
    return formats


def engine_name(engine: str) -> str:
    """The engine to OCR with: ``engine``, or for ``auto`` the first one available."""
    from ocrxtract.engines.registry import get_engine_class

    if engine != "auto":
        return engine
    reasons = []
    for name in AUTO_ENGINES:
        availability = get_engine_class(name).availability()
        if availability.available:
            return name
        reasons.append(f"{name}: {availability.reason}")
    raise EngineUnavailableError(
        "auto",
        "no OCR engine is available to read pages without a text layer ("
        + "; ".join(reasons)
        + ")",
        "pip install 'ocrxtract[tesseract]' and apt-get install tesseract-ocr tesseract-ocr-fra",
    )


def progress_bar() -> Progress:
    """A transient progress bar on stderr: description, bar, done/total, time left."""
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err_console, transient=True,
    )  # fmt: skip


@dataclass(frozen=True)
class Done:
    """What a command says about one document it processed."""

    message: str
    warnings: Sequence[str] = field(default_factory=tuple)


def for_each_document(
    paths: list[Path], label: str, out: Path, work: Callable[[Path], Done]
) -> list[OcrxtractError]:
    """Run ``work`` on each document under a progress bar and say how each went.

    A library error is printed against its file and the run goes on; an ``OSError`` (the
    output folder cannot be written) stops it with exit code 3. Returns the failures, for
    :func:`finish`.
    """
    failures: list[OcrxtractError] = []
    with progress_bar() as progress:
        task = progress.add_task(label, total=len(paths))
        for path in paths:
            progress.update(task, description=f"{label} {path.name}")
            try:
                done = work(path)
            except OcrxtractError as exc:
                failures.append(exc)
                said = str(exc)  # an InputError names its file already
                line = said if said.startswith(str(path)) else f"{path}: {said}"
                progress.console.print(f"[red]✗[/] {escape(line)}", highlight=False, soft_wrap=True)
            except OSError as exc:
                raise cannot_write(out, exc) from exc
            else:
                for warning in done.warnings:
                    progress.console.print(
                        f"[yellow]![/] {escape(f'{path}: {warning}')}", soft_wrap=True
                    )
                progress.console.print(
                    "[green]✓[/] " + escape(f"{path}: {done.message}"),
                    highlight=False, soft_wrap=True,
                )  # fmt: skip
            progress.advance(task)
    return failures


def cannot_write(out: Path, exc: OSError) -> typer.Exit:
    """Say that ``out`` cannot be written; the exit (code 3) to raise."""
    err_console.print(f"[bold red]error:[/] {escape(f'cannot write to {out}: {exc}')}")
    return typer.Exit(code=3)


def finish(paths: list[Path], failures: list[OcrxtractError]) -> None:
    """The summary line; exit with the first failure's code when there was one."""
    console.print(f"{len(paths) - len(failures)} document(s) read; {len(failures)} failure(s)")
    if failures:
        raise typer.Exit(code=failures[0].exit_code or 1)
