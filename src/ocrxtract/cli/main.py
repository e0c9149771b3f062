"""The ``ocrxtract`` command: the app object, global options, and every command group.

Each command group lives in its own module (``engines``, ``ocr``, ``demo``, ``app``, ``bench``,
``batch``, ``structure``, ``datasets``); this package is the only place that prints and turns
typed errors into exit codes (each :class:`~ocrxtract.errors.OcrxtractError` subclass carries its
own).
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from ocrxtract import __version__
from ocrxtract.cli import (
    app_command,
    batch,
    bench,
    demo,
    engines,
    extract,
    fetch,
    ocr,
    structure,
    tables,
)
from ocrxtract.cli.console import console
from ocrxtract.cli.datasets import datasets_app

app = typer.Typer(
    name="ocrxtract",
    help="Compare OCR engines on your own documents and export what they read.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # help paragraphs re-flowed to the terminal's width
)
app.add_typer(
    datasets_app, name="datasets", help="List, describe, fetch and generate benchmark datasets."
)


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


for group in (engines, ocr, demo, app_command, bench, batch, structure, tables, extract, fetch):
    group.register(app)


def main() -> None:
    """Entry point of the ``ocrxtract`` command."""
    app()


if __name__ == "__main__":
    main()
