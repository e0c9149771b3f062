"""``ocrxtract datasets list | info NAME | fetch NAME``: the dataset registry on the command line.

A typer sub-app mounted by :mod:`ocrxtract.cli` (``app.add_typer(datasets_app, name="datasets")``).
Like the main CLI it prints, and turns typed errors into their exit codes; the work is done by
:mod:`ocrxtract.datasets`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from ocrxtract.errors import OcrxtractError

datasets_app = typer.Typer(
    help="Evaluation datasets: list them, describe one, download one.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def _fail(exc: OcrxtractError) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    return typer.Exit(code=exc.exit_code)


def _where(info: dict[str, Any], short: bool = False) -> str:
    if info["format"] == "generated":
        return "generated"
    if not info["available"]:
        return "[yellow]absent[/]"
    if short:
        return "data dir" if info["root"].startswith(info["data_dir"]) else "shared"
    return str(info["root"])


@datasets_app.command("list")
def list_command() -> None:
    """Every declared dataset: kind, language, tasks, headline metric and local samples."""
    from ocrxtract.datasets import dataset_info, list_datasets

    try:
        specs = list_datasets()
        infos = [dataset_info(spec.name) for spec in specs]
    except OcrxtractError as exc:
        raise _fail(exc) from exc
    table = Table(title="Datasets (details: ocrxtract datasets info NAME)", show_lines=False)
    table.add_column("name", no_wrap=True)
    for column in ("kind", "lang", "tasks", "headline", "samples"):
        table.add_column(column, overflow="fold")
    for info in infos:
        if info["format"] == "generated":
            samples = f"{info['count']} (generated)"
        elif info["available"]:
            samples = f"{info['count']} ({_where(info, short=True)})"
        else:
            samples = "[yellow]absent[/]"
        table.add_row(
            info["name"],
            info["kind"],
            info["language"],
            ", ".join(info["tasks"]),
            info["headline"],
            samples,
        )
    console.print(table)


@datasets_app.command("info")
def info_command(
    name: Annotated[str, typer.Argument(help="Dataset name (see `ocrxtract datasets list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the description as JSON.")] = False,
) -> None:
    """Describe one dataset: counts per split, license, tasks, quirks and source."""
    from ocrxtract.datasets import dataset_info

    try:
        info = dataset_info(name)
    except OcrxtractError as exc:
        raise _fail(exc) from exc
    if as_json:
        console.print_json(json.dumps(info, ensure_ascii=False))
        return
    table = Table(title=f"{info['name']}: {info['title']}", show_header=False, show_lines=True)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    rows = [
        ("kind / language", f"{info['kind']} / {info['language']}"),
        ("ground truth", info["format"]),
        ("tasks", ", ".join(info["tasks"])),
        ("headline", info["headline"]),
        ("metrics", ", ".join(info["metrics"])),
        ("samples", f"{info['count']} ({info['layout']})" if info["available"] else "absent"),
        ("where", _where(info)),
        (
            "splits",
            "\n".join(f"{k}: {v['count']} - {v['description']}" for k, v in info["splits"].items()),
        ),
        ("dpi", "from the files" if info["dpi"] is None else f"{info['dpi']:g}"),
        ("license", info["license"]),
        ("citation", info["citation"]),
        ("source", "\n".join([info["homepage"] or "", *info["urls"]]).strip()),
        ("fetch to", info["fetch_to"]),
    ]
    if info["skipped"]:
        shown = "\n".join(f"{sid}: {why}" for sid, why in info["skipped"][:10])
        more = len(info["skipped"]) - 10
        rows.append(
            (
                f"left aside ({len(info['skipped'])})",
                shown + (f"\n… {more} more" if more > 0 else ""),
            )
        )
    if not info["available"] and info.get("problem"):
        rows.append(("how to get it", info["problem"]))
    if info["notes"]:
        rows.append(("notes", info["notes"]))
    for key, value in rows:
        table.add_row(key, str(value))
    console.print(table)
    if info["quirks"]:
        quirks = Table(title="Quirks (handled by the loader)", show_lines=True)
        for column in ("quirk", "what", "handling"):
            quirks.add_column(column, overflow="fold")
        for quirk in info["quirks"]:
            quirks.add_row(quirk["id"], quirk["text"], quirk["handling"])
        console.print(quirks)


@datasets_app.command("fetch")
def fetch_command(
    name: Annotated[str, typer.Argument(help="Dataset name (see `ocrxtract datasets list`).")],
    dest: Annotated[
        Path | None,
        typer.Option(
            help="Base folder (default: $OCRXTRACT_DATA_DIR or ~/.cache/ocrxtract/datasets)."
        ),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server.")] = 30.0,
) -> None:
    """Download a dataset's public files (checksums verified), then unpack them."""
    from ocrxtract.datasets import fetch_dataset

    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as progress:

        def on_progress(file: str, done: int, total: int | None) -> None:
            if file not in tasks:
                tasks[file] = progress.add_task(file, total=total)
            progress.update(tasks[file], completed=done, total=total)

        try:
            result = fetch_dataset(name, dest=dest, on_progress=on_progress, timeout=timeout)
        except OcrxtractError as exc:
            raise _fail(exc) from exc
    for path in result.downloaded:
        console.print(f"[green]✓[/] downloaded {path}", highlight=False)
    for path in result.already_present:
        console.print(f"[green]✓[/] already there: {path}", highlight=False)
    for url in result.unverified:
        console.print(f"[yellow]![/] no published sha256 for {url}", highlight=False)
    console.print(f"{name} is in {result.folder}", highlight=False)
