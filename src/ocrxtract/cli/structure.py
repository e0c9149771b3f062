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

from ocrxtract.cli.console import console, err_console, escape, fail
from ocrxtract.cli.documents import (
    Done,
    document_files,
    engine_name,
    finish,
    for_each_document,
    parse_formats,
    progress_bar,
)
from ocrxtract.errors import NoTextLayerError, OcrxtractError, UsageError

if TYPE_CHECKING:
    from ocrxtract.extract.structure import StructureDocument, StructureOptions

STRUCTURE_JSON = ".structure.json"


def _pages_by_ocr(
    path: Path, engine: str, languages: list[str], dpi: int
) -> Iterator[tuple[object, object]]:
    """Each page OCR'd by ``engine``, with its image (for the boldness estimate)."""
    from ocrxtract.io import iter_pages
    from ocrxtract.pipeline import engine_for, read_page

    reader = engine_for(engine_name(engine), {"languages": tuple(languages)})
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
        formats = parse_formats(fmt, STRUCTURE_FORMATS)
        paths = document_files(files)
        options = StructureOptions(dehyphenate=not no_dehyphenate)
    except OcrxtractError as exc:
        raise fail(exc) from exc

    def work(path: Path) -> Done:
        document = read_structure(
            path, options, engine=engine, languages=lang, force_ocr=force_ocr, dpi=dpi
        )
        written = []
        for name in formats:
            target = out / f"{path.stem}{STRUCTURE_FORMATS[name]}"
            write_atomically(target, export_structure(document, name))
            written.append(target)
        sections = sum(1 for s in document.iter_sections() if s.title)
        return Done(
            f"{len(document.pages)} page(s), {sections} heading(s) -> "
            + ", ".join(str(p) for p in written),
            document.warnings,
        )

    finish(paths, for_each_document(paths, "structure", out, work))


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
        paths = document_files(files, also=lambda p: p.name.endswith(STRUCTURE_JSON))
        documents = []
        with progress_bar() as progress:
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
