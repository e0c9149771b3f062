"""``ocrxtract fetch ENGINE MODEL``: download a model for an opt-in engine, on explicit request.

ocrxtract never downloads a model on its own: the engines that read published models (``trocr``
from the Hugging Face hub, ``kraken`` from its Zenodo repository) load local files only. This
command is the one step that goes online, run once by the user; it prints where the model went
and the option that uses it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ocrxtract.cli.console import console, escape, fail
from ocrxtract.errors import OcrxtractError, UsageError

FETCHERS = ("trocr", "kraken")


def fetch(
    engine: Annotated[str, typer.Argument(help=f"Engine the model is for: {', '.join(FETCHERS)}.")],
    model: Annotated[
        str,
        typer.Argument(
            help="trocr: a Hugging Face model name (microsoft/trocr-base-handwritten); kraken: "
            "a model DOI of kraken's repository (10.5281/zenodo.…)."
        ),
    ],
    revision: Annotated[
        str | None, typer.Option(help="trocr: a branch, tag or commit of the model.")
    ] = None,
) -> None:
    """Download a model for the trocr or kraken engine (the only time ocrxtract goes online for
    them); print where it went and how to use it."""
    try:
        if engine == "trocr":
            from ocrxtract.engines.trocr_engine import fetch_model as fetch_trocr

            with console.status(f"fetching {model} from the Hugging Face hub…"):
                where = fetch_trocr(model, revision)
        elif engine == "kraken":
            from ocrxtract.engines.kraken_engine import fetch_model as fetch_kraken

            with console.status(f"fetching {model} from kraken's model repository…"):
                where = fetch_kraken(model)
        else:
            raise UsageError(
                f"no model to fetch for engine {engine!r}; fetch works for: {', '.join(FETCHERS)}"
            )
    except OcrxtractError as exc:
        raise fail(exc) from exc
    console.print(f"Fetched {escape(model)} into {escape(str(where))}", highlight=False)
    console.print(
        f"Use it with: ocrxtract ocr FILE -e {engine} -O {engine}.model={escape(str(where))}",
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``fetch`` to the main app."""
    app.command()(fetch)
