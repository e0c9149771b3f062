"""The results store: rows with every column, the journal (torn lines survive), Parquet with
null columns, and the provenance stamp."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from ocrxtract.bench.results import (
    Journal,
    column_names,
    new_row,
    read_journal,
    read_rows,
    read_summary,
    write_json,
    write_rows,
)
from ocrxtract.errors import CorruptInputError
from ocrxtract.stamp import VECTOR_EXTENSIONS, git_state, machine, stamp, versions


def test_a_new_row_has_every_column_typed():
    row = new_row(engine="e", dataset="d", sample_id="s", task="t", pages=2.0, seconds=1)
    assert list(row) == list(column_names())
    assert row["pages"] == 2 and isinstance(row["pages"], int)
    assert row["seconds"] == 1.0 and isinstance(row["seconds"], float)
    assert row["cer_exact"] is None
    with pytest.raises(KeyError, match="unknown result column"):
        new_row(engine="e", cer=0.1)


def test_the_journal_keeps_finished_rows_and_skips_a_torn_line(tmp_path):
    path = tmp_path / "rows.partial.jsonl"
    rows = [new_row(engine="e", dataset="d", sample_id=s, task="t", status="ok") for s in "ab"]
    with Journal(path, {"campaign": "c"}) as journal:
        journal.append(rows[0])
    with Journal(path, {"campaign": "c"}) as journal:  # reopened: appends, no second header
        journal.append(rows[1])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"engine": "e", "dataset": "d", "sam')  # killed mid-write
    header, kept = read_journal(path)
    assert header == {"journal": 1, "campaign": "c"}
    assert kept == rows
    assert sum(1 for line in path.read_text().splitlines() if '"journal"' in line) == 1


def test_no_journal_reads_as_nothing(tmp_path):
    assert read_journal(tmp_path / "none.jsonl") == (None, [])


def test_parquet_round_trip_with_null_columns(tmp_path):
    rows = [
        new_row(engine="e", dataset="d", sample_id="b", task="t", status="ok", cer_exact=0.25),
        new_row(engine="e", dataset="d", sample_id="a", task="t", status="error", error="é ✗"),
    ]
    path = write_rows(tmp_path / "rows.parquet", rows)
    back = read_rows(path)
    assert [r["sample_id"] for r in back] == ["a", "b"]  # sorted
    assert back[0]["error"] == "é ✗" and back[0]["cer_exact"] is None
    assert back[1]["cer_exact"] == 0.25
    assert [p.name for p in tmp_path.iterdir()] == ["rows.parquet"]  # no temporary file left


def test_a_damaged_parquet_file_is_named(tmp_path):
    (tmp_path / "rows.parquet").write_bytes(b"not parquet")
    with pytest.raises(CorruptInputError, match=r"rows\.parquet: cannot read the results"):
        read_rows(tmp_path / "rows.parquet")


def test_summary_json_round_trip(tmp_path):
    write_json(tmp_path / "summary.json", {"a": [1, 2.5, None], "é": "ü"})
    assert read_summary(tmp_path / "summary.json") == {"a": [1, 2.5, None], "é": "ü"}
    (tmp_path / "bad.json").write_text("[1]")
    with pytest.raises(CorruptInputError, match="a summary is a JSON object"):
        read_summary(tmp_path / "bad.json")


def test_the_stamp_names_commit_versions_machine_and_time():
    data = stamp()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", data["time"])
    commit = git_state()["commit"]
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)
    assert versions()["ocrxtract"] and versions()["python"].count(".") == 2
    box = machine()
    assert box["cores"] >= 1 and 1 <= box["usable_cores"] <= box["cores"]
    assert box["ram_bytes"] is None or box["ram_bytes"] > 1 << 20
    assert set(box["vector_extensions"]) <= set(VECTOR_EXTENSIONS)
    json.dumps(data)  # serialisable as is


def test_without_pyarrow_the_package_imports_and_the_run_says_what_to_install():
    probe = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "import ocrxtract.bench, ocrxtract.cli.bench\n"
        "from ocrxtract.bench.results import require_pyarrow\n"
        "from ocrxtract.errors import MissingDependencyError\n"
        "try:\n"
        "    require_pyarrow()\n"
        "except MissingDependencyError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "pyarrow is needed to write benchmark results (Parquet)" in done.stdout
    assert "pip install 'ocrxtract[datasets]'" in done.stdout
