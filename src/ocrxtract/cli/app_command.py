"""``ocrxtract app``: start the Streamlit app (local only, no usage statistics)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocrxtract.cli.console import console, fail
from ocrxtract.errors import OcrxtractError, UsageError


def run_app(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on (local by default).")] = (
        "127.0.0.1"
    ),
) -> None:
    """Start the Streamlit app comparing engines side by side (from a checkout)."""
    import importlib.util
    import subprocess
    import sys

    from ocrxtract.errors import MissingDependencyError

    try:
        if importlib.util.find_spec("streamlit") is None:
            raise MissingDependencyError("streamlit", "run the app", "pip install 'ocrxtract[app]'")
        script = Path(__file__).resolve().parents[3] / "app" / "streamlit_app.py"
        if not script.is_file():
            raise UsageError(
                f"the app is not here ({script}); run `ocrxtract app` from a checkout of ocrxtract"
            )
    except OcrxtractError as exc:
        raise fail(exc) from exc
    console.print(f"Starting the app on http://{address}:{port} (Ctrl+C stops it)", highlight=False)
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", address, "--browser.gatherUsageStats", "false"]  # fmt: skip
    raise typer.Exit(code=subprocess.call(command))


def register(app: typer.Typer) -> None:
    """Add ``app`` to the main app."""
    app.command("app")(run_app)
