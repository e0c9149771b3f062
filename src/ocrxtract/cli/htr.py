"""``ocrxtract train htr``: fine-tune the handwriting recogniser on French handwritten lines.

Everything happens in :func:`ocrxtract.train.htr.train_htr`; this command parses the options,
shows progress (steps, loss, validation CER) and prints the scores of the finished model. A run
stopped by ``--max-minutes`` (or killed) resumes from its checkpoint when the same command is
run again with the same ``--out``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ocrxtract.cli.console import console, escape, fail, print_table
from ocrxtract.errors import OcrxtractError, UsageError


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (value or "").split(",") if name.strip())


def train_htr_command(
    dataset: Annotated[
        str,
        typer.Option(
            help="Datasets (comma-separated) whose training pages train the model, e.g. "
            "lectaurep-repertoires,fr-handwritten-testaments-poilus."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Run folder (resumed if it holds a checkpoint).")
    ],
    held_out: Annotated[
        str | None,
        typer.Option(help="Datasets kept out of training entirely (scored as unseen hands)."),
    ] = None,
    max_steps: Annotated[int, typer.Option(help="Optimiser steps at most.")] = 4000,
    max_minutes: Annotated[
        float | None, typer.Option(help="Pause (with a checkpoint) after this many minutes.")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Lines per step.")] = 8,
    learning_rate: Annotated[float, typer.Option(help="Peak learning rate (AdamW).")] = 3e-4,
    eval_every: Annotated[int, typer.Option(help="Steps between validations.")] = 200,
    patience: Annotated[
        int, typer.Option(help="Validations without progress before stopping.")
    ] = 5,
    val_lines: Annotated[int, typer.Option(help="Validation lines scored during training.")] = 400,
    lines_per_dataset: Annotated[
        int | None, typer.Option(help="At most this many lines per split and dataset (smoke runs).")
    ] = None,
    augment: Annotated[bool, typer.Option(help="Distort the training lines.")] = True,
    threads: Annotated[int, typer.Option(help="torch threads.")] = 2,
    seed: Annotated[int, typer.Option(help="Seed of every random draw.")] = 0,
) -> None:
    """Fine-tune PP-OCRv6's recogniser on French handwriting; writes htr-fr.onnx, its language
    model, metrics.json and MODEL_CARD.md in --out (copy them to models/htr-fr to ship them)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ocrxtract.train.htr import HtrTrainOptions, TrainEvent, train_htr

    try:
        datasets = _names(dataset)
        if not datasets:
            raise UsageError("--dataset names no dataset")
        options = HtrTrainOptions(
            datasets=datasets,
            held_out=_names(held_out),
            out=out,
            max_steps=max_steps,
            max_minutes=max_minutes,
            batch_size=batch_size,
            learning_rate=learning_rate,
            eval_every=eval_every,
            patience=patience,
            val_lines=val_lines,
            lines_per_dataset=lines_per_dataset,
            augment=augment,
            threads=threads,
            seed=seed,
        )
    except OcrxtractError as exc:
        raise fail(exc) from exc
    except ValueError as exc:  # pydantic: an option out of range
        raise fail(UsageError(f"invalid option: {exc}")) from exc

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps {task.fields[status]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("train htr", total=options.max_steps, status="")
        best: dict[str, Any] = {"cer": None}

        def report(event: TrainEvent) -> None:
            if event.kind == "step":
                loss = f"loss {event.loss:.3f}" if event.loss is not None else ""
                cer = f", best val CER {best['cer']:.2%}" if best["cer"] is not None else ""
                progress.update(task, completed=event.step, status=loss + cer)
            elif event.kind == "eval" and event.val_cer is not None:
                if best["cer"] is None or event.val_cer < best["cer"]:
                    best["cer"] = event.val_cer
                progress.console.print(
                    f"step {event.step}: validation CER {event.val_cer:.2%} (loss {event.loss:.3f})"
                )
            elif event.message:
                progress.console.print(escape(event.message), highlight=False)
            if event.kind == "resume":
                progress.update(task, completed=event.step)

        try:
            metrics = train_htr(options, report)
        except OcrxtractError as exc:
            raise fail(exc) from exc
    if metrics.get("paused"):
        console.print(f"paused at step {metrics['step']}: run the same command to resume")
        return
    rows = []
    for split, by_set in metrics["scores"].items():
        for name, score in by_set.items():
            rows.append(
                [
                    split,
                    name,
                    str(score["lines"]),
                    f"{score['cer_greedy']:.2%}",
                    f"{score['cer_lm']:.2%}",
                ]
            )
    print_table(
        f"Line CER of {out / metrics['model']}",
        ["split", "dataset", "lines", "CER greedy", "CER with LM"],
        rows,
    )
    console.print(f"model card: {out / 'MODEL_CARD.md'}")


def register(train_app: typer.Typer) -> None:
    """Add ``htr`` to the ``ocrxtract train`` group."""
    train_app.command("htr")(train_htr_command)
