"""``ocrxtract engines``: every engine, its version, languages and availability, and why not."""

from __future__ import annotations

import typer
from rich.table import Table

from ocrxtract.cli.console import console, escape
from ocrxtract.errors import OcrxtractError


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
    presets = [
        (f"{name}:{preset}", options, why)
        for name in engine_names()
        if name not in {n for n, _, _ in unavailable}
        for preset, (options, why) in get_engine_class(name).presets.items()
    ]
    if presets:
        console.print("Presets (use them as engine names, e.g. --engines tesseract:sparse):")
        for reference, options, why in presets:
            settings = ", ".join(f"{k}={v}" for k, v in options.items())
            console.print(
                f"  [bold]{escape(reference)}[/]: {escape(why)} ({escape(settings)})",
                highlight=False,
                soft_wrap=True,
            )
    for name, reason, install in unavailable:
        console.print(f"[bold]{name}[/]: {escape(reason)}", highlight=False, soft_wrap=True)
        if install:
            console.print(f"  install: {escape(install)}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``engines`` to the main app."""
    app.command()(engines)
