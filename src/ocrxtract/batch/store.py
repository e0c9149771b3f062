"""The output store of a batch run: a JSON (and the chosen exports) per document, a Parquet
dataset of pages, the run manifest.

::

    OUT/<relative folder>/<stem>.json        the document (ocrxtract's lossless JSON)
    OUT/<relative folder>/<stem>.txt|.hocr|.xml   the exports asked for, beside it
    OUT/_batch/manifest.sqlite               the run manifest (:mod:`.manifest`)
    OUT/_batch/pages/part-000001.parquet     page rows, appended part by part
    OUT/_batch/summary.json                  the last run's summary, stamped

Every file is written atomically (a temporary file, then a rename), so a reader never sees half
of one. Page rows are staged in the manifest with their document's status, then written in
parts of ``part_rows`` rows (or after ``part_seconds``): each part is a complete Parquet file,
readable with pandas, pyarrow or DuckDB while the run goes on::

    pandas.read_parquet("OUT/_batch/pages")
    duckdb.sql("select engine, avg(confidence) from 'OUT/_batch/pages/*.parquet' group by 1")

A part is recorded in the manifest after it is written; a part that a killed run wrote but did
not record is removed when the run is resumed, and its rows are written again: every page is in
the dataset exactly once.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from ocrxtract.batch.manifest import RunManifest
from ocrxtract.batch.work import Outcome, output_name
from ocrxtract.errors import MissingDependencyError
from ocrxtract.io.atomic import atomic_path, write_text_atomically

log = logging.getLogger(__name__)

RUN_FOLDER = "_batch"
MANIFEST_FILE = "manifest.sqlite"
PAGES_FOLDER = "pages"
SUMMARY_FILE = "summary.json"

#: The page dataset's columns: (name, pyarrow type name).
PAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("input_id", "string"),
    ("path", "string"),
    ("document", "string"),
    ("page", "int32"),
    ("engine", "string"),
    ("engine_version", "string"),
    ("text", "string"),
    ("confidence", "float64"),
    ("words", "int32"),
    ("width", "int32"),
    ("height", "int32"),
    ("dpi", "float64"),
    ("seconds", "float64"),
    ("fields", "string"),
    ("tables", "int32"),
    ("metadata", "string"),
)


def require_pyarrow() -> Any:
    """The ``pyarrow`` module.

    Raises:
        MissingDependencyError: pyarrow is missing (with the install command).
    """
    try:
        import pyarrow
    except ImportError as exc:
        raise MissingDependencyError(
            "pyarrow", "write the page dataset of a batch run", "pip install 'ocrxtract[batch]'"
        ) from exc
    return pyarrow


def page_schema() -> Any:
    pa = require_pyarrow()
    return pa.schema([(name, getattr(pa, kind)()) for name, kind in PAGE_COLUMNS])


class OutputStore:
    """Writes documents and page parts under ``out`` and keeps the manifest in step.

    Args:
        out: The output folder.
        manifest: The run manifest.
        part_rows: Page rows per Parquet part.
        part_seconds: A part is also written when the oldest staged row waited this long.
    """

    def __init__(
        self,
        out: Path,
        manifest: RunManifest,
        *,
        part_rows: int = 5000,
        part_seconds: float = 60.0,
    ) -> None:
        self.out = out
        self.manifest = manifest
        self.part_rows = max(1, part_rows)
        self.part_seconds = part_seconds
        self.pages_dir = out / RUN_FOLDER / PAGES_FOLDER
        self.pages_dir.mkdir(parents=True, exist_ok=True)
        self._staged = manifest.staged_count()
        self._since = time.monotonic()
        self.remove_orphan_parts()

    def remove_orphan_parts(self) -> list[Path]:
        """Parts on disk that the manifest does not record (a run killed between writing one
        and recording it): removed, their rows are still staged."""
        recorded = set(self.manifest.parts())
        orphans = [p for p in self.pages_dir.glob("part-*.parquet") if p.name not in recorded]
        orphans += list(self.pages_dir.glob(".part-*.tmp"))  # a write killed halfway
        for orphan in orphans:
            log.warning("removing %s: written by a run that stopped before recording it", orphan)
            orphan.unlink(missing_ok=True)
        return orphans

    def write_document(self, outcome: Outcome) -> list[Path]:
        """Write the document's JSON and exports (atomically); returns the files."""
        written = []
        for fmt, text in outcome.exports.items():
            target = self.out / output_name(outcome.output, fmt)
            write_text_atomically(target, text)
            written.append(target)
        return written

    def staged(self, rows: int) -> None:
        """``rows`` page rows were staged; write a part when enough are waiting."""
        if not self._staged:
            self._since = time.monotonic()
        self._staged += rows
        if self._staged >= self.part_rows or (
            self._staged and time.monotonic() - self._since >= self.part_seconds
        ):
            self.flush()

    def flush(self) -> Path | None:
        """Write every staged page row as one new part (none staged: nothing)."""
        last_id, rows = self.manifest.staged()
        if not rows:
            self._staged = 0
            return None
        pa = require_pyarrow()
        import pyarrow.parquet as pq

        schema = page_schema()
        table = pa.Table.from_pylist(rows, schema=schema)
        number = len(self.manifest.parts()) + 1
        name = f"part-{number:06d}.parquet"
        while (self.pages_dir / name).exists():  # never overwrite a recorded part
            number += 1
            name = f"part-{number:06d}.parquet"
        target = self.pages_dir / name
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp, compression="zstd")
        self.manifest.commit_part(name, len(rows), last_id)
        self._staged = 0
        self._since = time.monotonic()
        log.info("wrote %s (%d page rows)", target, len(rows))
        return target
