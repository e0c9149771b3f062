"""``ocrxtract tables``: the tables of documents, one file per table and a JSON of them all.

Each file (folders are walked) is read page by page: a born-digital PDF page from its text
layer (no OCR), any other page by an OCR engine (``--engine``; ``auto`` takes the first
available of tesseract and rapidocr). The ``tables`` extractor finds the tables on each page
from the words and the page image's ruling lines. Written, atomically:
``OUT/<stem>.p<page>.t<n>.<ext>`` for each table and format, and ``OUT/<stem>.tables.json``::

    {"source", "engine", "method", "tables": [{"page", "bbox", "html", "cells": [...]}]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ocrxtract.cli.console import fail
from ocrxtract.cli.documents import (
    Done,
    document_files,
    engine_name,
    finish,
    for_each_document,
    parse_formats,
)
from ocrxtract.errors import OcrxtractError

if TYPE_CHECKING:
    from ocrxtract.document import Table
    from ocrxtract.engines.base import OcrEngine


def read_tables(
    path: Path,
    *,
    engine: str = "auto",
    languages: list[str] | None = None,
    force_ocr: bool = False,
    dpi: int = 300,
    whole_page: bool = False,
) -> tuple[list[Table], str]:
    """The tables of one file and what read its words (``pdf-text`` or the engine's name)."""
    from ocrxtract.extract import create_extractor
    from ocrxtract.io import iter_pages
    from ocrxtract.pipeline import engine_for, read_page

    extractor = create_extractor("tables", {"whole_page": whole_page})
    reader: OcrEngine | None = None
    used: set[str] = set()
    tables: list[Table] = []
    for image in iter_pages(path, dpi=dpi):
        if image.text_layer is not None and not force_ocr:
            page = image.text_layer
            used.add("pdf-text")
        else:
            if reader is None:
                name = engine_name(engine)
                reader = engine_for(name, {"languages": tuple(languages or ["fra"])})
            page = read_page(reader, image, force_ocr=True)
            used.add(reader.name)
        tables += extractor.extract_page(page, image).tables
    return tables, "+".join(sorted(used))


def write_tables(
    path: Path, tables: list[Table], engine: str, formats: list[str], out: Path
) -> list[Path]:
    """Write one file per table and format, and ``<stem>.tables.json``; return the paths."""
    from ocrxtract.export.tables import cells_to_html
    from ocrxtract.extract.tables.data import TABLE_FORMATS, table_csv, table_json, table_xlsx
    from ocrxtract.io.atomic import atomic_path, write_text_atomically

    written: list[Path] = []
    counts: dict[int, int] = {}
    for table in tables:
        page = table.page_index + 1
        counts[page] = counts.get(page, 0) + 1
        stem = f"{path.stem}.p{page}.t{counts[page]}"
        for name in formats:
            target = out / f"{stem}{TABLE_FORMATS[name]}"
            if name == "xlsx":
                with atomic_path(target) as tmp:
                    table_xlsx([table], tmp)
            elif name == "csv":
                write_text_atomically(target, table_csv(table))
            elif name == "html":
                write_text_atomically(target, table.html or cells_to_html(table.cells))
            else:
                text = json.dumps(table_json(table), ensure_ascii=False, indent=2)
                write_text_atomically(target, text)
            written.append(target)
    summary: dict[str, Any] = {
        "source": str(path),
        "engine": engine,
        "method": "+".join(sorted({t.method for t in tables if t.method})),
        "tables": [table_json(t) for t in tables],
    }
    target = out / f"{path.stem}.tables.json"
    write_text_atomically(target, json.dumps(summary, ensure_ascii=False, indent=2))
    written.append(target)
    return written


def tables(
    files: Annotated[list[Path], typer.Argument(help="PDFs, images, or folders of them.")],
    engine: Annotated[
        str, typer.Option(help="OCR engine for pages without a text layer: auto or a name.")
    ] = "auto",
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated: html, csv, xlsx, json.")
    ] = "html,csv,json",
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("tables-out"),
    lang: Annotated[
        list[str], typer.Option("--lang", "-l", help="OCR language (ISO 639-2); repeat.")
    ] = ["fra"],  # noqa: B006 - typer needs a literal default
    force_ocr: Annotated[
        bool, typer.Option(help="OCR PDF pages even when they have a text layer.")
    ] = False,
    dpi: Annotated[int, typer.Option(help="Resolution of rendered PDF pages.")] = 300,
    whole_page: Annotated[
        bool, typer.Option(help="Each page is one table (table images, crops).")
    ] = False,
) -> None:
    """Find the tables of documents and write them as HTML, CSV, XLSX and JSON.

    Writes OUT/<stem>.p<page>.t<n>.<ext> per table and OUT/<stem>.tables.json. A file that
    fails is reported and the others are processed; the exit code is then that of the first
    failure.
    """
    from ocrxtract.extract.tables.data import TABLE_FORMATS

    try:
        formats = parse_formats(fmt, TABLE_FORMATS)
        paths = document_files(files)
    except OcrxtractError as exc:
        raise fail(exc) from exc

    def work(path: Path) -> Done:
        found, used = read_tables(
            path, engine=engine, languages=lang, force_ocr=force_ocr, dpi=dpi,
            whole_page=whole_page,
        )  # fmt: skip
        written = write_tables(path, found, used, formats, out)
        return Done(f"{len(found)} table(s) ({used}) -> {written[-1]}")

    finish(paths, for_each_document(paths, "tables", out, work))


def register(app: typer.Typer) -> None:
    """Add ``tables`` to the main app."""
    app.command()(tables)
