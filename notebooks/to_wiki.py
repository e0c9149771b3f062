"""The notebooks as wiki pages, with their outputs: ``.venv/bin/python notebooks/to_wiki.py wiki/``.

A script, not part of the library (which never imports notebook frameworks).

The notebooks are stored without outputs (``notebooks/``); this step executes each one top to
bottom (nbclient, as the tests do) and writes ``wiki/notebooks/<name>.md``: its Markdown cells as
they are, its code in ``python`` blocks, and what each cell printed or drew (text, tables as
HTML, figures as PNG or JPEG files under ``wiki/img/notebooks/``), so that a reader sees the results
without running anything. The pages are committed; run the step again after changing a
notebook (a test compares each page's code with its notebook's).
"""

from __future__ import annotations

import base64
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ocrxtract.datasets.registry import REPO_ROOT
from ocrxtract.wiki.common import write_if_changed

NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
PAGES_DIR = "notebooks"
IMAGES_DIR = "img/notebooks"
#: Longest text output shown, in lines (the rest is cut, and says so).
MAX_OUTPUT_LINES = 40
#: Widest figure kept, in pixels (a page image drawn at full size weighs megabytes).
FIGURE_WIDTH = 900
#: Largest figure kept as PNG; a larger one (a page image) is written as a JPEG.
MAX_PNG_BYTES = 150_000
#: Seconds a notebook may take (2 cores: 15-60 s each).
TIMEOUT = 600


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _fenced(text: str, language: str = "text") -> list[str]:
    """A fenced block; an output (``text``) longer than :data:`MAX_OUTPUT_LINES` is cut, code
    never."""
    lines = text.rstrip("\n").split("\n")
    if language == "text" and len(lines) > MAX_OUTPUT_LINES:
        cut = len(lines) - MAX_OUTPUT_LINES
        lines = [*lines[:MAX_OUTPUT_LINES], f"… ({cut} ligne(s) de plus)"]
    return [f"```{language}", *lines, "```", ""]


def _save_figure(png: bytes, path: Path) -> str:
    """A figure at most :data:`FIGURE_WIDTH` pixels wide, small in git: a palette PNG (plots),
    or a JPEG when the PNG would pass :data:`MAX_PNG_BYTES` (page images). Returns the file's
    name (``path``'s stem and the suffix used)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > FIGURE_WIDTH:
        height = round(image.height * FIGURE_WIDTH / image.width)
        image = image.resize((FIGURE_WIDTH, height), Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    image.quantize(colors=256).save(buffer, format="PNG", optimize=True)
    if buffer.tell() <= MAX_PNG_BYTES:
        target = path.with_suffix(".png")
        target.write_bytes(buffer.getvalue())
    else:
        target = path.with_suffix(".jpg")
        image.save(target, format="JPEG", quality=80, optimize=True)
    return target.name


def _output(output: dict[str, Any], image: Path, link: str) -> list[str]:
    """One cell output as Markdown; a figure is written to ``image`` (its suffix chosen
    here) and shown from the folder ``link``."""
    kind = output.get("output_type")
    if kind == "stream":  # warnings of libraries (stderr) are left out
        text = _text(output.get("text", ""))
        return _fenced(text.replace(f"{REPO_ROOT}/", "")) if output.get("name") != "stderr" else []
    if kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        if "image/png" in data:
            name = _save_figure(base64.b64decode(_text(data["image/png"])), image)
            return [f"![Figure]({link}/{name})", ""]
        if "text/html" in data:
            return [_text(data["text/html"]).strip(), ""]
        if "text/markdown" in data:
            return [_text(data["text/markdown"]).strip(), ""]
        if "text/plain" in data:
            return _fenced(_text(data["text/plain"]).replace(f"{REPO_ROOT}/", ""))
    if kind == "error":
        return _fenced("\n".join(output.get("traceback", [])))
    return []


def notebook_markdown(notebook: dict[str, Any], stem: str, wiki: Path) -> str:
    """An executed notebook (nbformat's dict) as a wiki page; its figures are written under
    ``wiki/img/notebooks/<stem>-<n>.png`` (or ``.jpg``, :func:`_save_figure`)."""
    out = [
        f"<!-- Page générée par `.venv/bin/python notebooks/to_wiki.py wiki/` depuis "
        f"`notebooks/{stem}.ipynb`, exécuté : ne pas la modifier à la main, modifier le "
        "notebook puis régénérer. -->",
        "",
        f"> Le notebook `notebooks/{stem}.ipynb` du dépôt, exécuté de haut en bas sur la machine "
        "de référence, avec ce que chaque cellule a affiché ; pour le relancer : "
        "`.venv/bin/jupyter lab notebooks/`.",
        "",
    ]
    figures = 0
    for cell in notebook.get("cells", []):
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            out += [source.strip(), ""]
        elif cell.get("cell_type") == "code" and source.strip():
            out += _fenced(source, "python")
            for output in cell.get("outputs", []):
                figures += 1
                out += _output(output, wiki / IMAGES_DIR / f"{stem}-{figures}", f"../{IMAGES_DIR}")
    return "\n".join(out).rstrip() + "\n"


def code_cells(notebook: dict[str, Any]) -> list[str]:
    """The sources of a notebook's non-empty code cells (what a rendered page must show)."""
    return [
        _text(c.get("source", "")).rstrip("\n")
        for c in notebook.get("cells", [])
        if c.get("cell_type") == "code" and _text(c.get("source", "")).strip()
    ]


def execute(path: Path) -> dict[str, Any]:
    """Run notebook ``path`` top to bottom in its folder (figures without a display, a cache of
    its own) and return it with its outputs (needs ``pip install 'ocrxtract[notebooks]'``)."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as cache:
        saved = {k: os.environ.get(k) for k in ("MPLBACKEND", "OCRXTRACT_CACHE_DIR")}
        os.environ.update(MPLBACKEND="Agg", OCRXTRACT_CACHE_DIR=cache)
        try:
            client = nbclient.NotebookClient(
                notebook,
                timeout=TIMEOUT,
                kernel_name="python3",
                resources={"metadata": {"path": str(path.parent)}},
            )
            client.execute()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return dict(notebook)


def render_notebooks(wiki: Path, paths: Iterable[Path] | None = None) -> list[Path]:
    """Execute each notebook and write its page; returns the pages written."""
    written = []
    for path in sorted(paths if paths is not None else NOTEBOOKS_DIR.glob("*.ipynb")):
        for old in (wiki / IMAGES_DIR).glob(f"{path.stem}-*.*"):
            old.unlink()
        page = notebook_markdown(execute(path), path.stem, wiki)
        written.append(write_if_changed(wiki / PAGES_DIR / f"{path.stem}.md", page))
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    wiki = Path(args[0]) if args else Path("wiki")
    for page in render_notebooks(wiki):
        print(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
