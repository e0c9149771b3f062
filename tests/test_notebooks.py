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


def test_the_four_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.ipynb",
        "02_benchmark_analysis.ipynb",
        "03_add_your_own_engine.ipynb",
        "04_key_fields.ipynb",
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
    if path.name.startswith("04"):  # it reads its receipts with tesseract
        require_engine("tesseract")
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
