"""``ocrxtract structure`` and ``ocrxtract structure-compare``: the structure of documents.

``structure`` reads each file (folders are walked) and writes ``OUT/<stem>.md``,
``OUT/<stem>.structure.json`` and ``OUT/<stem>.kv.csv``. A born-digital PDF is read from its
text layer, fonts and rules; a PDF without a text layer, an image, or any file with
``--force-ocr`` goes through an OCR engine first (``--engine``; ``auto`` takes the first
available of tesseract and rapidocr), and says so when none is installed.

``structure-compare`` puts the same keys and sections of several documents (PDFs, images, or
``.structure.json`` files written by ``structure``) side by side in one CSV table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ocrxtract.cli.console import console, err_console, escape, fail
from ocrxtract.errors import (
    EngineUnavailableError,
    NoTextLayerError,
    OcrxtractError,
    UnknownFormatError,
    UsageError,
)

if TYPE_CHECKING:
    from ocrxtract.extract.structure import StructureDocument, StructureOptions

#: Engines tried, in order, by ``--engine auto``.
AUTO_ENGINES = ("tesseract", "rapidocr")
STRUCTURE_JSON = ".structure.json"


def _files(paths: list[Path], json_too: bool = False) -> list[Path]:
    """The documents among ``paths``, folders walked (sorted)."""
    from ocrxtract.io import SUPPORTED_SUFFIXES

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file():
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES or (
                    json_too and child.name.endswith(STRUCTURE_JSON)
                ):
                    found.append(child)
        else:
            found.append(path)
    return found


def _engine_name(engine: str) -> str:
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


def _pages_by_ocr(
    path: Path, engine: str, languages: list[str], dpi: int
) -> Iterator[tuple[object, object]]:
    """Each page OCR'd by ``engine``, with its image (for the boldness estimate)."""
    from ocrxtract.io import iter_pages
    from ocrxtract.pipeline import engine_for, read_page

    reader = engine_for(_engine_name(engine), {"languages": tuple(languages)})
    for page_image in iter_pages(path, dpi=dpi):
        yield read_page(reader, page_image, force_ocr=True), page_image.image


def read_structure(
    path: Path,
    options: StructureOptions,
    *,
    engine: str = "auto",
    languages: list[str] | None = None,
    force_ocr: bool = False,
    dpi: int = 300,
) -> StructureDocument:
    """The structure of one file: its text layer, or OCR when it has none (or forced)."""
    from ocrxtract.extract.structure import StructureDocument, structure_of_pages, structure_of_pdf
    from ocrxtract.io import detect_format

    if path.name.endswith(STRUCTURE_JSON):
        return StructureDocument.from_json(path.read_bytes())
    kind = detect_format(path)
    if kind == "pdf" and not force_ocr:
        try:
            return structure_of_pdf(path, options, source=str(path))
        except NoTextLayerError as exc:
            if engine == "none":
                raise
            err_console.print(f"[yellow]{escape(str(exc))}[/]: OCR with {escape(engine)}")
    pages = _pages_by_ocr(path, engine, languages or ["fra"], dpi)
    return structure_of_pages(pages, options, source=str(path))  # type: ignore[arg-type]


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err_console, transient=True,
    )  # fmt: skip


def structure(
    files: Annotated[list[Path], typer.Argument(help="PDFs, images, or folders of them.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated: md, json, csv.")
    ] = "md,json,csv",
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "structure-out"
    ),
    engine: Annotated[
        str,
        typer.Option(
            help="OCR engine for pages without a text layer: auto, a name, or none (refuse)."
        ),
    ] = "auto",
    lang: Annotated[
        list[str], typer.Option("--lang", "-l", help="OCR language (ISO 639-2); repeat.")
    ] = ["fra"],  # noqa: B006 - typer needs a literal default
    force_ocr: Annotated[
        bool, typer.Option(help="OCR PDF pages even when they have a text layer.")
    ] = False,
    dpi: Annotated[int, typer.Option(help="Resolution of pages rendered for OCR.")] = 300,
    no_dehyphenate: Annotated[
        bool, typer.Option("--no-dehyphenate", help="Keep hyphens at line ends as they are.")
    ] = False,
) -> None:
    """Read the structure of documents: headings, sections, lists, tables, key-values.

    Writes OUT/<stem>.md, OUT/<stem>.structure.json and OUT/<stem>.kv.csv. A file that fails
    is reported and the others are processed; the exit code is then that of the first failure.
    """
    from ocrxtract.extract.structure import STRUCTURE_FORMATS, StructureOptions, export_structure
    from ocrxtract.pipeline import write_atomically

    try:
        formats = [f.strip() for f in fmt.split(",") if f.strip()]
        unknown = [f for f in formats if f not in STRUCTURE_FORMATS]
        if unknown or not formats:
            raise UnknownFormatError(
                f"unknown format {(unknown or [''])[0]!r}; known formats: "
                + ", ".join(STRUCTURE_FORMATS)
            )
        paths = _files(files)
        if not paths:
            raise UsageError("no document found in the given files and folders")
        options = StructureOptions(dehyphenate=not no_dehyphenate)
    except OcrxtractError as exc:
        raise fail(exc) from exc
    failures: list[OcrxtractError] = []
    with _progress() as progress:
        task = progress.add_task("structure", total=len(paths))
        for path in paths:
            progress.update(task, description=f"structure {path.name}")
            try:
                document = read_structure(
                    path, options, engine=engine, languages=lang, force_ocr=force_ocr, dpi=dpi
                )
                written = []
                for name in formats:
                    target = out / f"{path.stem}{STRUCTURE_FORMATS[name]}"
                    write_atomically(target, export_structure(document, name))
                    written.append(target)
            except OcrxtractError as exc:
                failures.append(exc)
                progress.console.print(
                    f"[red]✗[/] {escape(f'{path}: {exc}')}", highlight=False, soft_wrap=True
                )
            except OSError as exc:
                err_console.print(f"[bold red]error:[/] {escape(f'cannot write to {out}: {exc}')}")
                raise typer.Exit(code=3) from exc
            else:
                for warning in document.warnings:
                    progress.console.print(
                        f"[yellow]![/] {escape(f'{path}: {warning}')}", soft_wrap=True
                    )
                sections = sum(1 for s in document.iter_sections() if s.title)
                progress.console.print(
                    "[green]✓[/] "
                    + escape(
                        f"{path}: {len(document.pages)} page(s), {sections} heading(s) -> "
                        + ", ".join(str(p) for p in written)
                    ),
                    highlight=False, soft_wrap=True,
                )  # fmt: skip
            progress.advance(task)
    console.print(f"{len(paths) - len(failures)} document(s) read; {len(failures)} failure(s)")
    if failures:
        raise typer.Exit(code=failures[0].exit_code or 1)


def structure_compare(
    files: Annotated[
        list[Path],
        typer.Argument(help="PDFs, images, .structure.json files, or folders of them."),
    ],
    key: Annotated[
        list[str], typer.Option("--key", "-k", help="Key of a key-value line; repeat.")
    ] = [],  # noqa: B006
    section: Annotated[
        list[str], typer.Option("--section", "-s", help="Section title; repeat.")
    ] = [],  # noqa: B006
    pattern: Annotated[
        str | None,
        typer.Option(help="Regular expression: a section's cell is its first match."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="CSV file (default: printed).")
    ] = None,
    threshold: Annotated[float, typer.Option(help="Least fuzzy score (0-100).")] = 85.0,
    engine: Annotated[str, typer.Option(help="OCR engine for scans (auto, a name).")] = "auto",
) -> None:
    """One table of the same keys and sections across several documents (CSV)."""
    from rich.table import Table

    from ocrxtract.extract.structure import StructureOptions, compare_rows, rows_to_csv
    from ocrxtract.pipeline import write_atomically

    try:
        if not key and not section:
            raise UsageError("give at least one --key or --section to compare")
        paths = _files(files, json_too=True)
        if not paths:
            raise UsageError("no document found in the given files and folders")
        documents = []
        with _progress() as progress:
            task = progress.add_task("read", total=len(paths))
            for path in paths:
                progress.update(task, description=f"read {path.name}")
                documents.append(read_structure(path, StructureOptions(), engine=engine))
                progress.advance(task)
        rows = compare_rows(
            documents, keys=key, sections=section, pattern=pattern, threshold=threshold
        )
    except OcrxtractError as exc:
        raise fail(exc) from exc
    if out is not None:
        write_atomically(out, rows_to_csv(rows))
        console.print(f"{len(rows)} document(s) compared -> {out}")
        return
    table = Table(*rows[0].keys())
    for row in rows:
        table.add_row(*(escape(str(v if v is not None else ""))[:200] for v in row.values()))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``structure`` and ``structure-compare`` to the main app."""
    app.command()(structure)
    app.command("structure-compare")(structure_compare)
