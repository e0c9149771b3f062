"""The notebooks: stored without outputs, and executed top to bottom (nbclient) in well under a
few minutes each. A cell that raises fails the test, with the cell's error."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from conftest import REPO_ROOT, require_engine

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
#: Budget per notebook (2 cores); they take 15-40 s on the reference machine.
MAX_SECONDS = 240


def test_the_five_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.ipynb",
        "02_benchmark_analysis.ipynb",
        "03_add_your_own_engine.ipynb",
        "04_your_documents.ipynb",
        "05_fields_and_tables.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell"
    for cell in code:
        assert cell["outputs"] == [], f"{path.name} cell {cell.get('id')} stores outputs"
        assert cell["execution_count"] is None, f"{path.name} cell {cell.get('id')} was executed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_uses_only_the_public_api(path: Path) -> None:
    """No private module or name of ocrxtract (``ocrxtract._x`` or ``from ... import _x``)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    for line in source.splitlines():
        if "ocrxtract" in line and line.lstrip().startswith(("import ", "from ")):
            assert "._" not in line and " _" not in line.split("import", 1)[1], line


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nbformat = pytest.importorskip("nbformat", reason="pip install 'ocrxtract[notebooks]'")
    nbclient = pytest.importorskip("nbclient", reason="pip install 'ocrxtract[notebooks]'")
    pytest.importorskip("ipykernel", reason="pip install 'ocrxtract[notebooks]'")
    pytest.importorskip("matplotlib", reason="pip install 'ocrxtract[notebooks]'")
    if path.name.startswith(("04", "05")):  # they read their documents with both engines
        require_engine("tesseract")
        require_engine("rapidocr")
    if path.name.startswith("03"):  # its example adapter drives the tesseract program
        require_engine("tesseract")
        if shutil.which("tesseract") is None:
            pytest.skip("the tesseract program is absent (apt-get install tesseract-ocr)")
        pytest.importorskip("pytesseract", reason="pip install 'ocrxtract[tesseract]'")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("OCRXTRACT_CACHE_DIR", str(tmp_path / "cache"))
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=MAX_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, naming the cell, when one fails
    elapsed = time.perf_counter() - start
    assert elapsed < MAX_SECONDS, f"{path.name} took {elapsed:.0f} s"
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code_cells)


def _to_wiki():  # type: ignore[no-untyped-def]
    """``notebooks/to_wiki.py``, the script that renders the notebooks as wiki pages."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("to_wiki", NOTEBOOKS_DIR / "to_wiki.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_wiki_shows_each_notebook_with_its_current_code(path: Path) -> None:
    """The rendered page (notebooks/to_wiki.py) holds the notebook's code cells as they are now:
    a notebook changed without rendering it again fails here."""
    import re

    page = REPO_ROOT / "wiki" / "notebooks" / f"{path.stem}.md"
    assert page.is_file(), f"run: .venv/bin/python notebooks/to_wiki.py wiki/ ({page} missing)"
    shown = re.findall(r"```python\n(.*?)\n```", page.read_text(encoding="utf-8"), re.S)
    cells = _to_wiki().code_cells(json.loads(path.read_text(encoding="utf-8")))
    assert shown == cells, f"{page.name} is stale: .venv/bin/python notebooks/to_wiki.py wiki/"


def test_outputs_become_markdown_text_tables_and_small_figures(tmp_path: Path) -> None:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2000, 100), "white").save(buffer, format="PNG")
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": "## Titre"},
            {
                "cell_type": "code",
                "source": "print(1)",
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": f"{REPO_ROOT}/a.png\n"},
                    {"output_type": "stream", "name": "stderr", "text": "UserWarning: noise\n"},
                    {"output_type": "execute_result", "data": {"text/html": "<table></table>"}},
                    {
                        "output_type": "display_data",
                        "data": {"image/png": base64.b64encode(buffer.getvalue()).decode()},
                    },
                ],
            },
        ]
    }
    page = _to_wiki().notebook_markdown(notebook, "demo", tmp_path)
    assert "Page générée" in page.splitlines()[0]  # left out of the spelling check
    assert "## Titre" in page and "```python\nprint(1)\n```" in page
    assert "```text\na.png\n```" in page  # the repository's path taken off
    assert "noise" not in page  # library warnings (stderr) left out
    assert "<table></table>" in page
    assert "![Figure](../img/notebooks/demo-4.png)" in page
    with Image.open(tmp_path / "img" / "notebooks" / "demo-4.png") as figure:
        assert figure.width == 900  # scaled down
