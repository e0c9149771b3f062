"""``ocrxtract datasets list | info NAME | fetch NAME | generate NAME | contact-sheet``: the
dataset registry and the synthetic generator on the command line.

A typer sub-app mounted by :mod:`ocrxtract.cli` (``app.add_typer(datasets_app, name="datasets")``).
Like the main CLI it prints, and turns typed errors into their exit codes; the work is done by
:mod:`ocrxtract.datasets`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from ocrxtract.cli.console import console, err_console, escape, fail, print_table
from ocrxtract.errors import OcrxtractError, UsageError

datasets_app = typer.Typer(
    help="Evaluation datasets: list them, describe one, download one, generate synthetic ones.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # help paragraphs re-flowed to the terminal's width
)


def _where(info: dict[str, Any], short: bool = False) -> str:
    if info["format"] == "generated":
        return "generated"
    if not info["available"]:
        return "absent"
    if info["root"] is None:  # a synthetic set not generated yet
        return "generated on first use"
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
        raise fail(exc) from exc
    rows = []
    for info in infos:
        if info["format"] == "generated" or (info["available"] and info["root"] is None):
            samples = f"{info['count']} (generated)"
        elif info["available"]:
            samples = f"{info['count']} ({_where(info, short=True)})"
        else:
            samples = "absent"
        rows.append(
            [
                info["name"],
                info["kind"],
                info["language"],
                ", ".join(info["tasks"]),
                info["headline"],
                samples,
            ]
        )
    print_table(
        "Datasets (details: ocrxtract datasets info NAME)",
        ["name", "kind", "lang", "tasks", "headline", "samples"],
        rows,
        optional=(2, 3, 1),
    )


@datasets_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="Its name, e.g. mes-bulletins.")],
    folder: Annotated[Path, typer.Argument(help="The folder of your documents.")],
    lang: Annotated[str, typer.Option(help="Language of the documents (ISO 639-2).")] = "fra",
    replace: Annotated[bool, typer.Option(help="Replace a dataset of yours of that name.")] = False,
) -> None:
    """Register a folder of your own documents as a dataset (its path only: nothing is copied).

    Ground truth, when you have it, lies beside each document under the same stem: STEM.txt
    (pages separated by a form feed), STEM.xml (ALTO or PAGE), STEM.fields.json,
    STEM.tables.html. Documents without ground truth are still run (speed, agreement).
    """
    from ocrxtract.datasets import discover
    from ocrxtract.datasets.user import add_user_dataset, folder_spec

    try:
        spec = folder_spec(name, folder, language=lang)
        found = discover(spec)
        path = add_user_dataset(spec, replace=replace)
    except OcrxtractError as exc:
        raise fail(exc) from exc
    console.print(
        f"{name}: {len(found.items)} document(s) in {escape(str(spec.root))}; registered in "
        f"{escape(str(path))}",
        highlight=False,
        soft_wrap=True,
    )
    for what, why in found.skipped:
        console.print(f"  [yellow]left aside[/] {escape(what)}: {escape(why)}", highlight=False)
    console.print(f"Benchmark it: ocrxtract bench --datasets {name}", highlight=False)


@datasets_app.command("remove")
def remove_command(
    name: Annotated[str, typer.Argument(help="A dataset you added.")],
) -> None:
    """Forget a dataset you added (its folder and documents are left as they are)."""
    from ocrxtract.datasets.user import remove_user_dataset

    try:
        path = remove_user_dataset(name)
    except OcrxtractError as exc:
        raise fail(exc) from exc
    console.print(f"{name} removed from {escape(str(path))}", highlight=False)


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
        raise fail(exc) from exc
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
            raise fail(exc) from exc
    for path in result.downloaded:
        console.print(f"[green]✓[/] downloaded {path}", highlight=False)
    for path in result.already_present:
        console.print(f"[green]✓[/] already there: {path}", highlight=False)
    for url in result.unverified:
        console.print(f"[yellow]![/] no published sha256 for {url}", highlight=False)
    console.print(f"{name} is in {result.folder}", highlight=False)


GENERATORS = ("synthetic-fr",)


def _page_progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


@datasets_app.command("generate")
def generate_command(
    name: Annotated[str, typer.Argument(help="Generator: synthetic-fr.")],
    out: Annotated[Path, typer.Option(help="Folder to write (created; must be empty).")],
    n: Annotated[int, typer.Option("--n", help="Number of pages.", min=1)] = 200,
    seed: Annotated[int, typer.Option(help="Dataset seed: same seed, same bytes.")] = 0,
    dpi: Annotated[int, typer.Option(help="Resolution of the clean pages.", min=50)] = 300,
    doc_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only this document type (repeatable; default: all)."),
    ] = None,
    difficulty: Annotated[
        list[str] | None,
        typer.Option(help="Only this difficulty (repeatable; default: all)."),
    ] = None,
    augraphy: Annotated[
        bool, typer.Option(help="Photometric effects from augraphy (pip install augraphy).")
    ] = False,
    jobs: Annotated[int, typer.Option(help="Worker processes.", min=1)] = 1,
    force: Annotated[bool, typer.Option(help="Replace a dataset already in --out.")] = False,
) -> None:
    """Generate synthetic French administrative documents with exact ground truth."""
    from ocrxtract.datasets.synthetic import generate_dataset

    if name not in GENERATORS:
        raise fail(UsageError(f"unknown generator {name!r}; known: {', '.join(GENERATORS)}"))
    with _page_progress() as progress:
        task = progress.add_task(f"generating {name}", total=n)

        def on_page(done: int, total: int, sample_id: str) -> None:
            progress.update(task, completed=done, total=total, description=sample_id)

        try:
            manifest = generate_dataset(
                out, n=n, seed=seed, dpi=dpi, types=doc_type, difficulties=difficulty,
                backend="augraphy" if augraphy else "native", jobs=jobs, force=force,
                progress=on_page,
            )  # fmt: skip
        except OcrxtractError as exc:
            raise fail(exc) from exc
    console.print(f"[green]✓[/] {n} pages in {out} (manifest: {manifest.name})", highlight=False)


@datasets_app.command("contact-sheet")
def contact_sheet_command(
    out: Annotated[Path, typer.Option(help="PNG file to write.")],
    seed: Annotated[int, typer.Option(help="Seed of the pages shown.")] = 0,
    dpi: Annotated[int, typer.Option(help="Resolution the pages are rendered at.", min=30)] = 150,
    doc_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only this document type (repeatable; default: all)."),
    ] = None,
    difficulty: Annotated[
        list[str] | None,
        typer.Option(help="Only this difficulty (repeatable; default: all)."),
    ] = None,
) -> None:
    """One generated page per document type and difficulty, in a PNG grid."""
    from ocrxtract.datasets.synthetic.contact_sheet import contact_sheet, save_contact_sheet

    with _page_progress() as progress:
        task = progress.add_task("rendering", total=None)

        def on_page(done: int, total: int, what: str) -> None:
            progress.update(task, completed=done, total=total, description=what)

        try:
            sheet = contact_sheet(
                seed,
                dpi=dpi,
                cell=(280, 380),
                types=doc_type,
                difficulties=difficulty,
                progress=on_page,
            )
            size = save_contact_sheet(out, sheet)
        except OcrxtractError as exc:
            raise fail(exc) from exc
    console.print(f"[green]✓[/] {out} ({size // 1024} KiB)", highlight=False)
