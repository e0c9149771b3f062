"""``ocrxtract tables``: the tables of documents, one file per table and a JSON of them all.

Each file (folders are walked) is read page by page: a born-digital PDF page from its text
layer (no OCR), any other page by an OCR engine (``--engine``; ``auto`` takes the first
available of tesseract and rapidocr). The ``tables`` extractor finds the tables on each page
from the words and the page image's ruling lines, and flags those that go on from the previous
page (:mod:`ocrxtract.extract.tables.continuation`). Written, atomically:
``OUT/<stem>.p<page>.t<n>.<ext>`` for each table and format, and ``OUT/<stem>.tables.json``::

    {"source", "engine", "method",
     "tables": [{"page", "bbox", "continued", "repeated_header_rows", "html", "cells": [...]}]}

With ``--merge-pages`` a table that runs over pages is written once, its parts joined (the
repeated header rows left out), as ``OUT/<stem>.p<first>-<last>.t<n>.<ext>`` (``n`` its number
on its first page); the JSON summary keeps the per-page parts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
    from ocrxtract.document import Page, Table
    from ocrxtract.engines.base import OcrEngine
    from ocrxtract.io import PageImage


@dataclass
class TablesRead:
    """What :func:`read_tables` found in one file.

    Attributes:
        tables: The tables, page by page (those going on from the previous page flagged).
        engine: What read the words: ``pdf-text``, the engine's name, or both joined by ``+``.
        warnings: Pages read otherwise than asked (turned a quarter) or where nothing was read.
    """

    tables: list[Table]
    engine: str
    warnings: list[str] = field(default_factory=list)


#: An OCR'd page without table whose longer side exceeds this many pixels gets a hint.
LARGE_SIDE = 8000


def read_tables(
    path: Path,
    *,
    engine: str = "auto",
    languages: list[str] | None = None,
    force_ocr: bool = False,
    dpi: int = 300,
    whole_page: bool = False,
) -> TablesRead:
    """The tables of one file and what read its words (``pdf-text`` or the engine's name).

    Tables that go on from the previous page are flagged (``Table.continued``). An OCR'd page
    whose text runs vertically (an image a quarter turn off,
    :func:`~ocrxtract.layout.orientation.quarter_turned`) is read again turned by 90° both
    ways and the better reading kept (its tables' boxes are then in the turned page's pixels;
    a warning says so).
    """
    from ocrxtract.extract import create_extractor
    from ocrxtract.extract.tables.continuation import ContinuationLinker
    from ocrxtract.io import iter_pages
    from ocrxtract.pipeline import engine_for

    extractor = create_extractor("tables", {"whole_page": whole_page})
    reader: OcrEngine | None = None
    result = TablesRead([], "")
    used: set[str] = set()
    linker = ContinuationLinker()  # holds only the previous page
    for image in iter_pages(path, dpi=dpi):
        ocr = image.text_layer is None or force_ocr
        if image.text_layer is not None and not ocr:
            page, read = image.text_layer, image
            used.add("pdf-text")
        else:
            if reader is None:
                name = engine_name(engine)
                reader = engine_for(name, {"languages": tuple(languages or ["fra"])})
            page, read = _read_upright(reader, image, result.warnings)
            used.add(reader.name)
        found = extractor.extract_page(page, read)
        linker.add(found)
        result.tables += found.tables
        if not ocr or found.tables or max(image.width, image.height) <= LARGE_SIDE:
            continue
        result.warnings.append(
            f"page {image.index + 1}: no table found on this {image.width}x{image.height} "
            "image; OCR engines scale large pages down, which can make small text unreadable: "
            "crop it into parts, or try another --engine (tesseract reads it at full size)"
        )
    result.engine = "+".join(sorted(used))
    return result


def _read_upright(
    reader: OcrEngine, image: PageImage, warnings: list[str]
) -> tuple[Page, PageImage]:
    """:func:`~ocrxtract.pipeline.read_upright`, a turned or still vertical page noted in
    ``warnings``."""
    from ocrxtract.layout.orientation import quarter_turned
    from ocrxtract.pipeline import read_upright

    page, read, turn = read_upright(reader, image)
    number = image.index + 1
    if turn:
        warnings.append(
            f"page {number}: its text ran vertically; read turned {turn}° anticlockwise "
            "(table boxes are in the turned page's pixels)"
        )
    elif quarter_turned(page):
        warnings.append(f"page {number}: its text runs vertically; no turn reads it better")
    return page, read


def write_tables(
    path: Path,
    tables: list[Table],
    engine: str,
    formats: list[str],
    out: Path,
    *,
    merge_pages: bool = False,
) -> list[Path]:
    """Write one file per table and format, and ``<stem>.tables.json``; return the paths.

    With ``merge_pages``, a table continued over pages is written once, joined, as
    ``<stem>.p<first>-<last>.t<n>.<ext>``.
    """
    from ocrxtract.extract.tables.continuation import merged_tables
    from ocrxtract.extract.tables.data import numbered, table_json
    from ocrxtract.io.atomic import write_text_atomically

    number = {id(table): n for n, table in numbered(tables)}  # its number on its page
    written: list[Path] = []
    if merge_pages:
        for merged in merged_tables(tables):
            first, last = merged.pages[0] + 1, merged.pages[-1] + 1
            pages = f"p{first}-{last}" if last != first else f"p{first}"
            stem = f"{path.stem}.{pages}.t{number[id(merged.parts[0])]}"
            written += _write_table(merged.table, stem, formats, out)
    else:
        for table in tables:
            stem = f"{path.stem}.p{table.page_index + 1}.t{number[id(table)]}"
            written += _write_table(table, stem, formats, out)
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


def _write_table(table: Table, stem: str, formats: list[str], out: Path) -> list[Path]:
    """Write ``table`` as ``OUT/<stem>.<ext>`` in each format; return the paths."""
    from ocrxtract.export.tables import cells_to_html
    from ocrxtract.extract.tables.data import TABLE_FORMATS, table_csv, table_json, table_xlsx
    from ocrxtract.io.atomic import atomic_path, write_text_atomically

    written: list[Path] = []
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
    merge_pages: Annotated[
        bool,
        typer.Option(
            help="Write a table that runs over pages once, its parts joined (repeated header "
            "rows left out), as OUT/<stem>.p<first>-<last>.t<n>.<ext>."
        ),
    ] = False,
) -> None:
    """Find the tables of documents and write them as HTML, CSV, XLSX and JSON.

    Writes OUT/<stem>.p<page>.t<n>.<ext> per table and OUT/<stem>.tables.json. A table that
    goes on from the previous page (first table of its page, previous part ending the page,
    same columns) is flagged "continued" in the JSON; with --merge-pages its parts are
    written as one table. A file that fails is reported and the others are processed; the
    exit code is then that of the first failure.
    """
    from ocrxtract.extract.tables.data import TABLE_FORMATS

    try:
        formats = parse_formats(fmt, TABLE_FORMATS)
        paths = document_files(files)
    except OcrxtractError as exc:
        raise fail(exc) from exc

    def work(path: Path) -> Done:
        read = read_tables(
            path, engine=engine, languages=lang, force_ocr=force_ocr, dpi=dpi,
            whole_page=whole_page,
        )  # fmt: skip
        written = write_tables(
            path, read.tables, read.engine, formats, out, merge_pages=merge_pages
        )
        message = f"{len(read.tables)} table(s) ({read.engine}) -> {written[-1]}"
        return Done(message, warnings=read.warnings)

    finish(paths, for_each_document(paths, "tables", out, work))


def register(app: typer.Typer) -> None:
    """Add ``tables`` to the main app."""
    app.command()(tables)
