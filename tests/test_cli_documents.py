"""What the per-document commands share: files, formats, a loop that goes on after failures."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from ocrxtract.cli.documents import Done, document_files, finish, for_each_document, parse_formats
from ocrxtract.errors import CorruptInputError, UnknownFormatError, UsageError


def test_formats_are_checked_against_what_the_command_writes():
    assert parse_formats(" csv, json ,", ["json", "csv"]) == ["csv", "json"]
    with pytest.raises(UnknownFormatError, match="unknown format 'xls'; known formats: json, csv"):
        parse_formats("csv,xls", ["json", "csv"])
    with pytest.raises(UnknownFormatError, match="unknown format ''"):
        parse_formats(" , ", ["json"])


def test_folders_are_walked_for_documents_and_what_else_is_admitted(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    for name in ("b.pdf", "sub/a.PNG", "notes.md", "sub/x.structure.json"):
        (tmp_path / name).write_bytes(b"")
    named = tmp_path / "notes.md"
    assert document_files([tmp_path]) == [tmp_path / "b.pdf", tmp_path / "sub/a.PNG"]
    assert document_files([tmp_path], also=lambda p: p.name.endswith(".structure.json"))[-1] == (
        tmp_path / "sub/x.structure.json"
    )
    assert document_files([named]) == [named]  # a file named on the command line is taken
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no document found"):
        document_files([tmp_path / "empty"])


def test_a_failing_document_is_reported_and_the_others_are_processed(tmp_path: Path, capsys):
    paths = [tmp_path / "good.pdf", tmp_path / "bad.pdf", tmp_path / "also-good.pdf"]
    seen = []

    def work(path: Path) -> Done:
        seen.append(path.name)
        if path.name == "bad.pdf":
            raise CorruptInputError(path, "not a PDF", "re-export it")
        return Done("read", ["a warning"])

    failures = for_each_document(paths, "test", tmp_path, work)
    assert seen == ["good.pdf", "bad.pdf", "also-good.pdf"]
    assert len(failures) == 1
    with pytest.raises(typer.Exit) as exit_info:
        finish(paths, failures)
    assert exit_info.value.exit_code == failures[0].exit_code != 0
    out = capsys.readouterr()
    assert "2 document(s) read; 1 failure(s)" in out.out


def test_an_output_folder_that_cannot_be_written_stops_the_run(tmp_path: Path):
    def work(path: Path) -> Done:
        raise PermissionError("read-only")

    with pytest.raises(typer.Exit) as exit_info:
        for_each_document([tmp_path / "a.pdf", tmp_path / "b.pdf"], "test", tmp_path, work)
    assert exit_info.value.exit_code == 3
