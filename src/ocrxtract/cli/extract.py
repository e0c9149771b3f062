"""``ocrxtract extract`` (key fields of documents) and ``ocrxtract train fields``.

``extract`` reads each file (folders are walked): a born-digital PDF from its text layer, a scan
through ``--engine``; then the fields of ``--schema`` (``auto``: the detected type) are
extracted and written to ``OUT/<stem>.fields.json``, and one row per document to
``OUT/fields.csv``. ``train fields`` trains the classifier of a schema on generated documents
(or a folder of labelled ones) and writes ``<schema>.lgb.txt`` + ``<schema>.json`` (model card).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ocrxtract.cli.console import console, fail
from ocrxtract.cli.documents import (
    Done,
    cannot_write,
    document_files,
    engine_name,
    finish,
    for_each_document,
    parse_formats,
    progress_bar,
)
from ocrxtract.cli.ocr import _parse_option_pairs
from ocrxtract.errors import OcrxtractError, UsageError

FORMATS = ("json", "csv")


def extract(
    files: Annotated[list[Path], typer.Argument(help="PDFs, images, or folders of them.")],
    schema: Annotated[
        str, typer.Option(help="auto (detect the type), a schema name or a schema .yml file.")
    ] = "auto",
    engine: Annotated[str, typer.Option(help="OCR engine for scans (auto, a name).")] = "auto",
    method: Annotated[str, typer.Option(help="auto, rules or model.")] = "auto",
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("fields-out"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="Comma-separated: json, csv.")] = (
        "json,csv"
    ),
    dpi: Annotated[int, typer.Option(help="Resolution of pages rendered for OCR.")] = 300,
    option: Annotated[
        list[str],
        typer.Option("--option", "-O", help="Engine option KEY=VALUE, e.g. dropout=red; repeat."),
    ] = [],  # noqa: B006 - typer needs a literal default
    no_embedded: Annotated[
        bool,
        typer.Option(
            "--no-embedded",
            help="Read invoices from their text even when the PDF embeds its Factur-X/ZUGFeRD "
            "XML (by default the XML is read: it is exact).",
        ),
    ] = False,
) -> None:
    """Extract key fields (net pay, rent, totals, names...) from documents.

    Writes OUT/<stem>.fields.json per document and OUT/fields.csv. A PDF invoice that embeds
    its e-invoice XML (Factur-X, ZUGFeRD) is read from that XML, and says so. A file that fails
    is reported and the others are processed; the exit code is then that of the first failure.
    """
    from ocrxtract.engines import create_engine
    from ocrxtract.extract.fields.einvoice import METHOD
    from ocrxtract.extract.fields.records import fields_record, records_csv
    from ocrxtract.pipeline import OcrSettings, write_atomically
    from ocrxtract.pipeline.fields import extract_file

    try:
        formats = parse_formats(fmt, FORMATS)
        paths = document_files(files)
        name = engine_name(engine)
        reader = create_engine(name, _parse_option_pairs(option, [name])[name])
    except OcrxtractError as exc:
        raise fail(exc) from exc
    settings = OcrSettings(dpi=dpi)
    records: list[dict[str, Any]] = []

    def work(path: Path) -> Done:
        found = extract_file(
            path, reader, schema, method=method, embedded=not no_embedded, settings=settings
        )
        extraction, used = found.extraction, found.reader
        record = fields_record(str(path), used, extraction)
        records.append(record)
        if "json" in formats:
            write_atomically(
                out / f"{path.stem}.fields.json",
                json.dumps(record, indent=2, ensure_ascii=False) + "\n",
            )
        invalid = [f.name for f in extraction.fields if f.valid is False]
        return Done(
            f"{extraction.doc_type}, {len(extraction.fields)} field(s)"
            + (
                " from the embedded e-invoice XML (--no-embedded: from the text)"
                if used == METHOD
                else ""
            )
            + (f", read with {found.dropout} ink removed" if found.dropout != "none" else "")
            + (f", failed checks: {', '.join(invalid)}" if invalid else "")
        )

    failures = for_each_document(paths, "extract", out, work)
    if "csv" in formats and records:
        try:
            write_atomically(out / "fields.csv", records_csv(records))
        except OSError as exc:
            raise cannot_write(out, exc) from exc
    finish(paths, failures)


train_app = typer.Typer(
    help="Train the trainable bricks (the fields classifier, the handwriting recogniser).",
    no_args_is_help=True,
)


@train_app.command("fields")
def train_fields_command(
    schema: Annotated[str, typer.Option(help="Schema whose fields are learnt.")],
    dataset: Annotated[
        str,
        typer.Option(
            help="generated (render --n pages per type from --seed) or a folder of generated "
            "pages (truth/*.json); for a form schema (funsd), a folder of FUNSD-style "
            "annotations (gt/*.json)."
        ),
    ] = "generated",
    n: Annotated[int, typer.Option("--n", help="Generated pages of the type.")] = 60,
    seed: Annotated[int, typer.Option(help="First seed of the generated pages.")] = 900000,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "models/fields"
    ),
    exclude_template: Annotated[
        str | None, typer.Option(help="Leave this template out (leave-one-template-out).")
    ] = None,
) -> None:
    """Train the fields classifier of a schema; writes <schema>.lgb.txt and <schema>.json.

    For a form schema (funsd), trains the entity labeller on labelled forms (FUNSD's JSON); a
    model trained on FUNSD itself may not be shipped or sold (its licence is non-commercial).
    """
    from ocrxtract.extract.fields import load_schema
    from ocrxtract.train.fields import generated_documents, iter_synthetic, train_fields

    try:
        spec = load_schema(schema)
        if spec.kind == "form":
            _train_form(spec.name, Path(dataset), out)
            return
        if not spec.doc_types:
            raise UsageError(f"schema {schema!r} names no generated document type to train on")
        if dataset == "generated":
            with progress_bar() as progress:
                task = progress.add_task("generate", total=n * len(spec.doc_types))
                docs = generated_documents(
                    spec.doc_types, n, seed, advance=lambda: progress.advance(task)
                )
            about: dict[str, object] = {
                "data": f"generated clean pages, seeds {seed}..{seed + n - 1}, dpi 100"
            }
        else:
            folder = Path(dataset)
            if not folder.is_dir():
                raise UsageError(
                    f"{dataset!r} is neither 'generated' nor a folder of generated pages"
                )
            docs = list(iter_synthetic(folder, spec.doc_types))
            about = {"data": f"generated pages of {folder}"}
        if exclude_template:
            docs = [d for d in docs if d.template != exclude_template]
            about["excluded_template"] = exclude_template
        about["command"] = (
            f"ocrxtract train fields --schema {schema} --dataset {dataset} --n {n} --seed {seed}"
        )
        model = train_fields(spec, docs, about=about)
        model_path, card_path = model.save(out, spec.name)
    except OcrxtractError as exc:
        raise fail(exc) from exc
    console.print(
        f"{spec.name}: {model.card['documents']} documents, {model.card['rows']} rows -> "
        f"{model_path}, {card_path}"
    )


def _train_form(schema: str, folder: Path, out: Path) -> None:
    """Train a form schema's entity labeller on the FUNSD-style annotations of ``folder``."""
    import datetime
    import platform

    from ocrxtract.extract.forms.annotations import read_forms
    from ocrxtract.extract.forms.labelling import train_form_model

    forms = read_forms(folder)
    card = {
        "schema": schema,
        "data": f"labelled forms of {folder} (FUNSD JSON): {len(forms)} forms",
        "forms": [f.name for f in forms],
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "command": f"ocrxtract train fields --schema {schema} --dataset {folder}",
        "scores": "not scored here: benchmarks/fields_funsd.py cross-validates by form",
    }
    model = train_form_model([f.entities for f in forms], card)
    model_path, card_path = model.save(out, schema)
    console.print(
        f"{schema}: {len(forms)} forms, {model.card['entities']} entities -> {model_path}, "
        f"{card_path}"
    )


def register(app: typer.Typer) -> None:
    """Add the commands to the ``ocrxtract`` app."""
    from ocrxtract.cli import htr

    app.command("extract")(extract)
    htr.register(train_app)
    app.add_typer(train_app, name="train")
