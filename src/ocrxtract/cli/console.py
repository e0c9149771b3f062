"""Consoles and error reporting shared by the command-line modules.

Every dynamic string printed through rich goes through :func:`escape`: messages hold square
brackets (``pip install 'ocrxtract[easyocr]'``) that rich would otherwise take for markup.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from ocrxtract.errors import OcrxtractError

console = Console()
err_console = Console(stderr=True)

__all__ = ["console", "err_console", "escape", "fail"]


def fail(exc: OcrxtractError) -> typer.Exit:
    """Print ``exc`` as an error and return the exit carrying its exit code (to ``raise``)."""
    err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    return typer.Exit(code=exc.exit_code)
