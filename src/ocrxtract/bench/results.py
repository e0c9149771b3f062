"""The results store: one row per (engine, dataset, sample), a journal, Parquet and a summary.

* While a campaign runs, each finished row is appended to ``rows.partial.jsonl`` (one JSON
  object per line, flushed at once): a run killed at any moment keeps every row it finished,
  and a torn last line is ignored when read back. A restarted run keeps the rows whose task
  is still planned (:func:`read_journal`) and computes only the others.
* When the run completes, the rows go to ``rows.parquet`` (pyarrow, schema :func:`columns`),
  the summary to ``summary.json`` (stamped: :mod:`ocrxtract.stamp`) and the journal is
  removed.

Every metric is stored as counts *and* as a per-sample rate; a column that does not apply to a
sample (no line-level ground truth, inexact word boxes, an error) is null. The columns are those
of the registered scorers (:func:`columns`), between the identity and the timing columns; an
extractor's findings are scored in rows of their own (``extractor`` set).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ocrxtract.bench.scorers import scorer_classes
from ocrxtract.errors import CorruptInputError, InputNotFoundError, MissingDependencyError
from ocrxtract.io.atomic import atomic_path

log = logging.getLogger(__name__)

ENV_RESULTS_DIR = "OCRXTRACT_RESULTS_DIR"
ROWS_FILE = "rows.parquet"
JOURNAL_FILE = "rows.partial.jsonl"
SUMMARY_FILE = "summary.json"
LEADERBOARD_FILE = "leaderboard.md"
JOURNAL_FORMAT = 1


#: Identity and status columns, first in every row.
IDENTITY_COLUMNS: tuple[tuple[str, str], ...] = (
    # what was run on what
    ("engine", "str"),  # the campaign's label for the engine configuration
    ("engine_name", "str"),
    ("engine_version", "str"),
    ("options", "str"),  # JSON of the validated options that enter cache keys
    ("extractor", "str"),  # the extractor's label (null: the engine's reading alone)
    ("task", "str"),  # hash of engine, version, options, extractors, dataset, sample, scorers
    ("dataset", "str"),
    ("split", "str"),
    ("sample_id", "str"),
    ("doc_type", "str"),  # what the sample is, when the dataset says (payslip, receipt...)
    ("difficulty", "str"),  # how degraded it is, when the dataset says (clean, scan...)
    ("status", "str"),  # "ok" or "error"
    ("error_type", "str"),
    ("error", "str"),
    ("pages", "int"),
)
#: Time and memory columns, last in every row; engine seconds are those measured when the page
#: was recognised.
TIMING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seconds", "float"),
    ("cold_pages", "int"),
    ("cold_seconds", "float"),
    ("line_seconds", "float"),
    ("extract_seconds", "float"),
    ("pages_cached", "int"),
    ("pages_recognized", "int"),
    ("line_sets_cached", "int"),
    ("line_sets_recognized", "int"),
    ("peak_rss_bytes", "int"),
    ("task_seconds", "float"),  # wall time of this row in this run (loading, cache, scoring)
)
#: Columns written by earlier versions under another name.
RENAMED_COLUMNS = {
    "pages_recognised": "pages_recognized",
    "line_sets_recognised": "line_sets_recognized",
}


def columns() -> tuple[tuple[str, str], ...]:
    """Every column of a result row, in order, with its type (``str``, ``int``, ``float``):
    identity, then each registered scorer's (:mod:`ocrxtract.bench.scorers`), then timing."""
    seen = {name for name, _ in IDENTITY_COLUMNS + TIMING_COLUMNS}
    scored: list[tuple[str, str]] = []
    for cls in scorer_classes():
        for name, kind in cls.columns:
            if name not in seen:
                seen.add(name)
                scored.append((name, kind))
    return (*IDENTITY_COLUMNS, *scored, *TIMING_COLUMNS)


def column_names() -> tuple[str, ...]:
    return tuple(name for name, _ in columns())


_CASTS = {"str": str, "int": int, "float": float}


def new_row(**values: Any) -> dict[str, Any]:
    """A row with every column, null unless given.

    Raises:
        KeyError: a value for a column that does not exist.
    """
    known = columns()
    names = {name for name, _ in known}
    unknown = set(values) - names
    if unknown:
        raise KeyError(f"unknown result column(s): {', '.join(sorted(unknown))}")
    row: dict[str, Any] = {}
    for name, kind in known:
        value = values.get(name)
        row[name] = None if value is None else _CASTS[kind](value)
    return row


def known_values(record: dict[str, Any]) -> dict[str, Any]:
    """The values of ``record`` that are columns (older names renamed, unknown ones dropped)."""
    names = set(column_names())
    renamed = {RENAMED_COLUMNS.get(k, k): v for k, v in record.items()}
    return {k: v for k, v in renamed.items() if k in names}


def row_key(row: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """What identifies a row: engine label, extractor label, dataset, sample and task hash."""
    return (
        row["engine"],
        row.get("extractor") or "",
        row["dataset"],
        row["sample_id"],
        row["task"],
    )


def default_results_dir() -> Path:
    """Where a user's benchmark results go: ``$OCRXTRACT_RESULTS_DIR``, else ``ocrxtract/results``
    in the user's data folder (``$XDG_DATA_HOME``, default ``~/.local/share``).

    Never the repository's ``benchmarks/results``: those committed results are refreshed on
    purpose (``make results``), so a newcomer's first ``make bench`` leaves the clone clean.
    """
    import os

    root = os.environ.get(ENV_RESULTS_DIR)
    if root:
        return Path(root).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data).expanduser() / "ocrxtract" / "results"


# --- the journal ------------------------------------------------------------------------------


class Journal:
    """The append-only file of finished rows of a running campaign.

    Args:
        path: ``<results>/rows.partial.jsonl``.
        header: Written as the first line of a new journal (campaign name, fingerprint...).
    """

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path = path
        self.header = header
        self._handle: Any = None

    def __enter__(self) -> Journal:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        self._handle = self.path.open("a", encoding="utf-8")
        if new:
            self._write({"journal": JOURNAL_FORMAT, **self.header})
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _write(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
        self._handle.flush()

    def append(self, row: dict[str, Any]) -> None:
        """Append one finished row (flushed to the operating system at once)."""
        self._write(row)


def read_journal(path: Path) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The header and rows of a journal; a damaged line (torn by a kill) is skipped.

    Returns:
        ``(None, [])`` when the file does not exist.
    """
    if not path.exists():
        return None, []
    header: dict[str, Any] | None = None
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                log.warning(
                    "%s line %d is damaged (a run was killed mid-write): skipped", path, number
                )
                continue
            if not isinstance(record, dict):
                continue
            if "journal" in record:
                header = record
            elif set(record) >= {"engine", "dataset", "sample_id", "task"}:
                rows.append(new_row(**known_values(record)))
    return header, rows


# --- Parquet ----------------------------------------------------------------------------------


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # the submodule is what is used
    except ImportError as exc:
        raise MissingDependencyError(
            "pyarrow", "write benchmark results (Parquet)", "pip install 'ocrxtract[datasets]'"
        ) from exc
    return pyarrow


def require_pyarrow() -> None:
    """Check up front that results can be written.

    Raises:
        MissingDependencyError: pyarrow is not installed (with the install command).
    """
    _pyarrow()


def _schema(pa: Any) -> Any:
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    return pa.schema([pa.field(name, types[kind], nullable=True) for name, kind in columns()])


def write_rows(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    """Write rows to a Parquet file atomically, sorted by engine, dataset and sample.

    Raises:
        MissingDependencyError: pyarrow is missing.
    """
    pa = _pyarrow()
    ordered = sorted(
        rows, key=lambda r: (r["engine"], r.get("extractor") or "", r["dataset"], r["sample_id"])
    )
    table = pa.Table.from_pylist([new_row(**r) for r in ordered], schema=_schema(pa))
    with atomic_path(path) as tmp:
        pa.parquet.write_table(table, str(tmp), compression="zstd")
    return path


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a Parquet results file (columns it lacks are null).

    Raises:
        InputNotFoundError: no such file.
        CorruptInputError: not a readable Parquet file.
        MissingDependencyError: pyarrow is missing.
    """
    pa = _pyarrow()
    if not path.is_file():
        raise InputNotFoundError(path, "no results file", "run `ocrxtract bench` first")
    try:
        records = pa.parquet.read_table(path).to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise CorruptInputError(path, f"cannot read the results ({exc})") from exc
    return [new_row(**known_values(r)) for r in records]


# --- summary ------------------------------------------------------------------------------------


def write_json(path: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` as indented UTF-8 JSON, atomically."""
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return write_text(path, text)


def write_text(path: Path, text: str) -> Path:
    """Write a text file (UTF-8) atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def read_summary(path: Path) -> dict[str, Any]:
    """A summary JSON file.

    Raises:
        InputNotFoundError: no such file.
        CorruptInputError: not a JSON object.
    """
    if not path.is_file():
        raise InputNotFoundError(path, "no summary file", "run `ocrxtract bench` first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptInputError(path, f"cannot read the summary ({exc})") from exc
    if not isinstance(data, dict):
        raise CorruptInputError(path, "a summary is a JSON object")
    return data
