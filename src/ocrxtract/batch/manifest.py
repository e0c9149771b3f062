"""The run manifest: one SQLite file recording every input of a batch run, and what became of it.

``OUT/_batch/manifest.sqlite`` holds, for each input (by path): its size, modification time and
content hash (SHA-256, its identity), its status, the error, its kind and the fix, the engine
and its version, pages and timings, the worker that read it and that worker's peak memory. It
also holds the run's settings and root, each run's stamp and summary, the page rows not yet in
a Parquet part (``staged_pages``) and the parts written (``parts``).

Statuses: ``pending`` (sent to a worker, not finished: a killed run leaves these), ``done``,
``failed``, ``skipped`` (a type ocrxtract does not read, or the same content as another input),
``timed_out``. Only the client writes, one transaction per input: a document is ``done`` in the
same transaction that stages its page rows, so a run killed at any moment (SIGKILL included)
has every finished input recorded with its pages, and nothing else (WAL journal).

Read it with any SQLite client::

    sqlite3 OUT/_batch/manifest.sqlite "select status, reason, count(*) from inputs group by 1, 2"
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocrxtract.stamp import now_iso

log = logging.getLogger(__name__)

#: Statuses that end an input's work (``pending`` does not).
FINAL = ("done", "failed", "skipped", "timed_out")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY,
    relative TEXT,
    output TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    sha256 TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    error TEXT,
    fix TEXT,
    engine TEXT,
    engine_version TEXT,
    pages INTEGER,
    text_layer_pages INTEGER,
    seconds REAL,
    engine_seconds REAL,
    render_seconds REAL,
    extract_seconds REAL,
    worker TEXT,
    peak_rss INTEGER,
    warnings TEXT,
    metadata TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    run INTEGER,
    updated TEXT
);
CREATE INDEX IF NOT EXISTS inputs_sha256 ON inputs (sha256);
CREATE INDEX IF NOT EXISTS inputs_status ON inputs (status);
CREATE TABLE IF NOT EXISTS staged_pages (id INTEGER PRIMARY KEY, input_id TEXT, row TEXT);
CREATE TABLE IF NOT EXISTS parts (name TEXT PRIMARY KEY, rows INTEGER, created TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT, finished TEXT, outcome TEXT, stamp TEXT, summary TEXT
);
"""

#: Columns an input's record may set.
COLUMNS = frozenset(
    {
        "relative", "output", "size", "mtime_ns", "sha256", "status", "reason", "error", "fix",
        "engine", "engine_version", "pages", "text_layer_pages", "seconds", "engine_seconds",
        "render_seconds", "extract_seconds", "worker", "peak_rss", "warnings", "metadata",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Known:
    """What the manifest knows of an input path."""

    path: str
    size: int | None
    mtime_ns: int | None
    sha256: str | None
    status: str
    output: str | None


class RunManifest:
    """The SQLite run manifest of one output folder (see the module doc)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.run_id: int | None = None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RunManifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- settings and runs -----------------------------------------------------------------

    def setting(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_setting(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            (key, json.dumps(value, sort_keys=True)),
        )

    @property
    def empty(self) -> bool:
        return self.setting("fingerprint") is None

    def start_run(self, stamp: dict[str, Any]) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (started, stamp) VALUES (?, ?)", (now_iso(), json.dumps(stamp))
        )
        self.run_id = int(cursor.lastrowid or 0)
        return self.run_id

    def finish_run(self, outcome: str, summary: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE runs SET finished = ?, outcome = ?, summary = ? WHERE id = ?",
            (now_iso(), outcome, json.dumps(summary, default=str), self.run_id),
        )

    # --- inputs ----------------------------------------------------------------------------

    def known(self) -> dict[str, Known]:
        """Every input recorded, by path."""
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, status, output FROM inputs"
        ).fetchall()
        return {row[0]: Known(*row) for row in rows}

    def done_hashes(self) -> dict[str, str]:
        """Content hash -> path of every input done."""
        rows = self.db.execute(
            "SELECT sha256, path FROM inputs WHERE status = 'done' AND sha256 IS NOT NULL"
        ).fetchall()
        return {sha: path for sha, path in rows}

    def record(self, path: str, status: str, **values: Any) -> None:
        """Insert or update the input ``path`` (one transaction)."""
        with self._transaction():
            self._record(path, status, values)

    def _record(self, path: str, status: str, values: dict[str, Any]) -> None:
        unknown = set(values) - COLUMNS
        if unknown:
            raise ValueError(f"unknown manifest columns: {sorted(unknown)}")
        values = {k: _cell(v) for k, v in values.items()}
        values.update(status=status, run=self.run_id, updated=now_iso())
        names = list(values)
        assignments = ", ".join(f"{n} = excluded.{n}" for n in names)
        bump = ", attempts = attempts + 1" if status == "pending" else ""
        self.db.execute(
            f"INSERT INTO inputs (path, {', '.join(names)}, attempts) "
            f"VALUES (?, {', '.join('?' for _ in names)}, {int(status == 'pending')}) "
            f"ON CONFLICT(path) DO UPDATE SET {assignments}{bump}",
            (path, *values.values()),
        )

    def finish(
        self,
        path: str,
        status: str,
        page_rows: list[dict[str, Any]],
        input_id: str,
        **values: Any,
    ) -> None:
        """Record an input's end and stage its page rows, in one transaction."""
        with self._transaction():
            self._record(path, status, values)
            self.db.executemany(
                "INSERT INTO staged_pages (input_id, row) VALUES (?, ?)",
                [(input_id, json.dumps(row, ensure_ascii=False)) for row in page_rows],
            )

    def statuses(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM inputs GROUP BY status").fetchall()
        return dict(rows)

    def failures(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Inputs failed or timed out: path, status, reason, error, fix."""
        query = (
            "SELECT path, status, reason, error, fix FROM inputs "
            "WHERE status IN ('failed', 'timed_out') ORDER BY path"
        )
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        names = ("path", "status", "reason", "error", "fix")
        return [dict(zip(names, row, strict=True)) for row in self.db.execute(query)]

    def rows(self, run: int | None = None) -> list[dict[str, Any]]:
        """Every input's record (of one run, when given)."""
        cursor = self.db.execute(
            "SELECT * FROM inputs" + (" WHERE run = ?" if run is not None else ""),
            (() if run is None else (run,)),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    # --- staged page rows and parts ----------------------------------------------------------

    def staged(self) -> tuple[int, list[dict[str, Any]]]:
        """The last staged row id and every staged page row, in order."""
        rows = self.db.execute("SELECT id, row FROM staged_pages ORDER BY id").fetchall()
        if not rows:
            return 0, []
        return rows[-1][0], [json.loads(row) for _, row in rows]

    def staged_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM staged_pages").fetchone()[0])

    def commit_part(self, name: str, rows: int, last_id: int) -> None:
        """A part holding the staged rows up to ``last_id`` is written: record it, unstage them."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO parts (name, rows, created) VALUES (?, ?, ?)", (name, rows, now_iso())
            )
            self.db.execute("DELETE FROM staged_pages WHERE id <= ?", (last_id,))

    def parts(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT name FROM parts ORDER BY name")]

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
