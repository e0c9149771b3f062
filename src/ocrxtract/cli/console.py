"""Consoles and error reporting shared by the command-line modules.

Every dynamic string printed through rich goes through :func:`escape`: messages hold square
brackets (``pip install 'ocrxtract[easyocr]'``) that rich would otherwise take for markup.
"""

from __future__ import annotations

import logging
import types
from collections.abc import Sequence
from typing import Any, get_args, get_origin

import typer
import typer.core
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ocrxtract.errors import OcrxtractError

log = logging.getLogger(__name__)

console = Console()
err_console = Console(stderr=True)

__all__ = ["console", "err_console", "escape", "fail", "print_table"]


def fits(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> bool:
    """Whether a table of these cells fits ``width`` columns without cutting any word.

    Each column needs its longest word (headers included) and, for cells, its longest cell
    (values are not wrapped); rich adds 3 characters of border and padding per column.
    """
    needed = 1
    for index, header in enumerate(headers):
        longest = max((len(w) for w in header.split()), default=0)
        longest = max([longest, *(len(str(row[index])) for row in rows if index < len(row))])
        needed += longest + 3
    return needed <= width


def print_table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    optional: Sequence[int] = (),
    target: Console | None = None,
) -> None:
    """A table when it fits the terminal, else one block per row (``header: value`` lines).

    Narrow terminals (80 columns) never see a word cut in pieces: the ``optional`` columns
    (indices) are dropped first, and a table still too wide is written vertically, its first
    column as each block's heading.
    """
    target = target or console
    if optional and not fits(headers, rows, target.width):
        keep = [i for i in range(len(headers)) if i not in set(optional)]
        narrow = [[row[i] for i in keep] for row in rows]
        if fits([headers[i] for i in keep], narrow, target.width):
            dropped = ", ".join(headers[i] for i in optional)
            title = f"{title} ({dropped}: on a wider terminal)"
            headers, rows = [headers[i] for i in keep], narrow
    if fits(headers, rows, target.width):
        table = Table(title=title)
        for index, header in enumerate(headers):
            table.add_column(
                header, justify="left" if index < 2 else "right", overflow="fold", no_wrap=False
            )
        for row in rows:
            table.add_row(*(escape(str(cell)) for cell in row))
        target.print(table)
        return
    target.print(f"[bold]{escape(title)}[/]")
    for row in rows:
        target.print(f"  [bold]{escape(str(row[0]))}[/]", highlight=False, soft_wrap=True)
        for header, cell in zip(headers[1:], row[1:], strict=False):
            if str(cell):
                target.print(f"    {escape(header)}: {escape(str(cell))}", highlight=False)


def _type_label(annotation: Any) -> str:
    """click-style names: TEXT, INTEGER, FLOAT, PATH, and ``A|B`` for choices."""
    origin = get_origin(annotation)
    if origin is list:  # a repeatable option: each use takes one value
        return _type_label(get_args(annotation)[0])
    if origin in (types.UnionType, __import__("typing").Union):
        kept = [a for a in get_args(annotation) if a is not type(None)]
        return _type_label(kept[0]) if kept else ""
    names = {str: "TEXT", int: "INTEGER", float: "FLOAT"}
    if annotation in names:
        return names[annotation]
    if getattr(annotation, "__name__", "") in ("Path", "PosixPath", "WindowsPath"):
        return "PATH"
    return ""


def _display_type_rich(self: Any, ctx: Any) -> str | None:
    """The value column of typer's help: a metavar when given, nothing for flags, else a
    click-style type name (typer >= 0.20 prints ``<bool>`` and ``<list[Path]>``)."""
    if self.metavar is not None:
        return None if isinstance(self, typer.core.TyperArgument) else str(self.metavar)
    if getattr(self, "is_flag", False) or getattr(self, "is_bool_flag", False):
        return None
    descriptor = getattr(self, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if descriptor is not None and getattr(descriptor, "is_choice", False):
        return "|".join(str(c) for c in (getattr(descriptor, "choices", None) or ()))
    label = _type_label(annotation)
    if isinstance(self, typer.core.TyperArgument):
        return None  # its name is shown already
    return label or None


for _parameter in (typer.core.TyperArgument, typer.core.TyperOption):
    if hasattr(_parameter, "display_type_rich"):
        _parameter.display_type_rich = _display_type_rich  # type: ignore[method-assign]


def fail(exc: OcrxtractError) -> typer.Exit:
    """Print ``exc`` as an error and return the exit carrying its exit code (to ``raise``)."""
    err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
    return typer.Exit(code=exc.exit_code)
