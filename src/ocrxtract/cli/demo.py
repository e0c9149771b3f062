"""``ocrxtract demo``: a generated French page read by every available engine, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ocrxtract.cli.console import console, err_console, escape, fail
from ocrxtract.errors import OcrxtractError


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


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the main app."""
    app.command()(demo)
