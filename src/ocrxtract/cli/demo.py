"""``ocrxtract demo``: generated French pages at three difficulties, read by every available
engine, with what differs between them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocrxtract.cli.console import console, err_console, escape, fail, print_table
from ocrxtract.errors import OcrxtractError


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def demo(
    engine: Annotated[
        list[str] | None, typer.Option("--engine", "-e", help="Engines (default: all).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated document.")] = 0,
    dpi: Annotated[int, typer.Option(help="Resolution of the generated pages.")] = 200,
    save_images: Annotated[
        Path | None,
        typer.Option(help="Also save the generated pages in this folder (PNG)."),
    ] = None,
) -> None:
    """Read a generated rent receipt (scanned, faxed, photographed) with every available engine
    and show what differs: CER per difficulty, seconds per page, each engine's hardest line."""
    from ocrxtract.demo import DEMO_DIFFICULTIES, run_demo

    try:
        with console.status("Generating and reading the demo pages…") as status:
            pages, readings = run_demo(
                engine, seed=seed, dpi=dpi,
                on_engine=lambda name: status.update(f"Reading the demo pages with {name}…"),
            )  # fmt: skip
    except OcrxtractError as exc:
        raise fail(exc) from exc
    if save_images is not None:
        save_images.mkdir(parents=True, exist_ok=True)
        for page in pages:
            page.page.image.save(save_images / f"{page.page.source}.png")
    ran = [r for r in readings if r.problem is None]
    headers = ["", *(reading.engine for reading in ran)]
    rows = [
        [
            f"CER {d}",
            *(f"{_percent(r.cer.get(d))} ({_percent(r.oi_cer.get(d))})" for r in ran),
        ]
        for d in DEMO_DIFFICULTIES
    ]
    rows.append(
        [
            "s/page",
            *("" if r.seconds_per_page is None else f"{r.seconds_per_page:.2f}" for r in ran),
        ]
    )
    title = f"A generated rent receipt, {len(pages)} difficulties ({dpi} dpi, seed {seed})"
    print_table(title, headers, rows)
    console.print(
        "CER (order-free CER in brackets): CER counts reading-order mistakes too, the "
        "order-free CER only what was misread. "
        "s/page includes loading the models on the first page.",
        highlight=False,
        soft_wrap=True,
    )
    for reading in ran:
        hardest = reading.hardest
        if hardest is None:
            console.print(f"[bold]{escape(reading.engine)}[/] read every line right.")
            continue
        console.print(
            f"[bold]{escape(reading.engine)}[/], hardest line ({hardest.difficulty}, "
            f"{hardest.edits} edits):\n  expected: {escape(hardest.reference)}\n  read:     "
            f"{escape(hardest.read or '(nothing)')}",
            highlight=False,
            soft_wrap=True,
        )
    for reading in readings:
        if reading.problem is not None:
            console.print(
                f"[yellow]{escape(reading.engine)}[/] not run: {escape(reading.problem)}",
                highlight=False,
                soft_wrap=True,
            )
    if not ran:
        err_console.print("[bold red]error:[/] no engine could run; see `ocrxtract engines`.")
        raise typer.Exit(code=5)


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the main app."""
    app.command()(demo)
