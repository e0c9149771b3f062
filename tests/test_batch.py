"""Batch runs: inputs found, documents and page rows written once, bad inputs listed with their
reason, resume by content hash, extractors by name, exit codes (in this process and a pool)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from batch_kit import BatchTestEngine, make_bad_inputs, make_pages
from ocrxtract.batch import (
    EXIT_ALL_DONE,
    EXIT_WITH_FAILURES,
    BatchSettings,
    Selection,
    discover,
    execution_for,
    run_batch,
)
from ocrxtract.batch.sources import output_paths
from ocrxtract.cli import app
from ocrxtract.document import (
    Document,
    KeyField,
    Page,
    Word,
    block_from_lines,
    line_from_words,
)
from ocrxtract.engines import get_engine_class, register, unregister
from ocrxtract.errors import InputNotFoundError, MissingDependencyError, UsageError
from ocrxtract.extract import Extractor, register_extractor, unregister_extractor
from ocrxtract.fr.lexicon import ENV_WORDLIST
from ocrxtract.io import PageImage

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")


class FirstWordExtractor(Extractor):
    """A stand-in for the fields, tables and structure bricks: the first word of each page."""

    name = "test-first-word"
    produces: ClassVar[frozenset[str]] = frozenset({"fields"})

    def _extract(self, document: Document) -> Document:
        for page in document.pages:
            word = next(page.words(), None)
            if word is not None:
                document.fields.append(KeyField(name="first", value=word.text, page=page.index))
        return document


@pytest.fixture
def engine():
    register(BatchTestEngine)
    register_extractor(FirstWordExtractor)
    yield BatchTestEngine.name
    unregister(BatchTestEngine.name)
    unregister_extractor(FirstWordExtractor.name)


def _manifest(out: Path) -> list[dict[str, object]]:
    with sqlite3.connect(out / "_batch" / "manifest.sqlite") as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM inputs ORDER BY path")]


def _pages(out: Path):  # type: ignore[no-untyped-def]
    return pd.read_parquet(out / "_batch" / "pages")


# --- inputs ----------------------------------------------------------------------------------


def test_folders_globs_lists_and_manifests_are_found_once_in_a_stable_order(tmp_path):
    scans = tmp_path / "scans"
    make_pages(scans, 2)
    make_pages(scans, 1, start=2, sub="2024")
    (scans / ".hidden.png").write_bytes(b"x")
    (scans / "notes.docx").write_bytes(b"PK")
    out = scans / "out"  # an output folder inside the inputs is never read back
    make_pages(out, 1)
    found = discover([scans], exclude=[out])
    names = [s.path.relative_to(scans).as_posix() for s in found]
    assert names == ["notes.docx", "page-000.png", "page-001.png", "2024/page-002.png"]
    assert "not a type ocrxtract reads (.docx" in (found[0].skip or "")
    # Filters chosen by the user leave the other files out without listing them.
    only = discover([scans], selection=Selection(types=("png",)), exclude=[out])
    assert [s.path.name for s in only] == ["page-000.png", "page-001.png", "page-002.png"]
    globbed = discover([f"{scans}/**/page-00[12].png"])  # sorted by path: 2024/ first
    assert [s.path.name for s in globbed] == ["page-002.png", "page-001.png"]
    listing = tmp_path / "list.txt"
    listing.write_text("# my files\nscans/page-000.png\n\nscans/2024/page-002.png\n", "utf-8")
    table = tmp_path / "manifest.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["fichier", "service", "cote"])
        writer.writerow(["scans/page-000.png", "INSEE", "A-12"])
    both = discover([], list_file=listing, manifest=table, path_column="fichier")
    assert [s.path.name for s in both] == ["page-000.png", "page-002.png"]
    assert dict(both[0].metadata) == {"service": "INSEE", "cote": "A-12"}  # the manifest's row
    with pytest.raises(UsageError, match="--path-column"):
        discover([], manifest=table)
    with pytest.raises(InputNotFoundError, match="neither a file nor a folder"):
        discover([tmp_path / "nowhere"])


def test_a_parquet_manifest_carries_its_columns(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    make_pages(tmp_path / "in", 1)
    table = pa.table({"path": ["in/page-000.png"], "lot": [7]})
    pq.write_table(table, tmp_path / "m.parquet")
    (source,) = discover([], manifest=tmp_path / "m.parquet")
    assert dict(source.metadata) == {"lot": "7"}


def test_inputs_that_would_share_an_output_keep_their_whole_name():
    from pathlib import PurePosixPath as P

    outputs = output_paths([P("a/x.png"), P("a/x.pdf"), P("a/y.tif"), P("b/x.png")])
    assert outputs == ["a/x.png.json", "a/x.pdf.json", "a/y.json", "b/x.json"]


# --- a run -----------------------------------------------------------------------------------


def test_a_run_writes_each_document_its_exports_its_page_rows_and_its_record(tmp_path, engine):
    make_pages(tmp_path / "in", 2)
    make_pages(tmp_path / "in", 1, start=2, sub="lot-2")
    table = tmp_path / "in" / "manifest.csv"
    table.write_text(
        "path,service\npage-000.png,INSEE\npage-001.png,SSM\nlot-2/page-002.png,INSEE\n", "utf-8"
    )
    out = tmp_path / "out"
    settings = BatchSettings(
        engine=engine, workers=0, formats=("txt", "alto"), extractors=("test-first-word",)
    )
    summary = run_batch(discover([], manifest=table), out, settings)
    assert summary.exit_code == EXIT_ALL_DONE and summary.outcome == "all done"
    assert summary.counts == {"done": 3} and summary.pages == 3
    document = Document.from_json((out / "lot-2" / "page-002.json").read_text("utf-8"))
    assert document.source == "lot-2/page-002.png"  # relative: no absolute path in results
    assert document.text() == "102x60"
    assert document.metadata["service"] == "INSEE"  # carried from the manifest
    assert document.field("first").value == "102x60"  # the extractor ran
    assert (out / "lot-2" / "page-002.txt").read_text("utf-8") == "102x60"
    assert (out / "lot-2" / "page-002.xml").is_file()
    pages = _pages(out).sort_values("path")
    assert list(pages["path"]) == ["lot-2/page-002.png", "page-000.png", "page-001.png"]
    assert list(pages["text"]) == ["102x60", "100x60", "101x60"]
    row = pages.iloc[0]
    assert (row["engine"], row["engine_version"], row["page"], row["words"]) == (
        "batch-test",
        "1.0",
        0,
        1,
    )
    assert row["confidence"] == pytest.approx(0.9)
    assert json.loads(row["fields"])[0]["value"] == "102x60"
    assert json.loads(row["metadata"]) == {"service": "INSEE"}
    records = _manifest(out)
    assert {r["status"] for r in records} == {"done"}
    assert all(len(str(r["sha256"])) == 64 and r["engine"] == "batch-test" for r in records)
    assert all(r["engine_version"] == "1.0" and r["pages"] == 1 for r in records)
    saved = json.loads((out / "_batch" / "summary.json").read_text("utf-8"))
    assert saved["outcome"] == "all done" and saved["stamp"]["versions"]["ocrxtract"]


def test_bad_inputs_are_listed_with_their_reason_and_every_good_one_is_done(tmp_path, engine):
    folder = tmp_path / "in"
    good = make_pages(folder, 76)
    expected = make_bad_inputs(folder / "bad")  # 4 of 80 inputs: 5 %
    out = tmp_path / "out"
    settings = BatchSettings(engine=engine, workers=2)
    summary = run_batch(discover([folder]), out, settings)
    assert summary.exit_code == EXIT_WITH_FAILURES and summary.outcome == "done with failures"
    assert summary.counts == {"done": 76, "failed": 4}
    records = {Path(str(r["path"])).name: r for r in _manifest(out)}
    assert all(records[p.name]["status"] == "done" for p in good)
    assert {name: records[name]["reason"] for name in expected} == expected
    for name in expected:
        assert name in str(records[name]["error"])  # every error names its file
        assert records[name]["fix"]  # ... and the fix
    assert sorted(summary.reasons.values()) == [1, 1, 1, 1]
    assert len(_pages(out)) == 76
    assert len(list(out.glob("*.json"))) == 76  # documents (the summary is under _batch)


def test_resume_reads_only_what_is_new_and_a_renamed_file_is_not_read_twice(
    tmp_path, engine, monkeypatch
):
    counter = tmp_path / "reads.txt"
    monkeypatch.setenv("OCRXTRACT_TEST_COUNTER", str(counter))
    folder = tmp_path / "in"
    make_pages(folder, 3)
    out = tmp_path / "out"
    settings = BatchSettings(engine=engine, workers=0)
    assert run_batch(discover([folder]), out, settings).counts == {"done": 3}
    with pytest.raises(UsageError, match="--resume"):
        run_batch(discover([folder]), out, settings)
    other = BatchSettings(engine=engine, workers=0, dpi=200)
    with pytest.raises(UsageError, match="other settings \\(dpi\\)"):
        run_batch(discover([folder]), out, other, resume=True)
    (folder / "page-001.png").rename(folder / "renamed.png")
    make_pages(folder, 1, start=3)
    counter.write_text("", "utf-8")
    summary = run_batch(discover([folder]), out, settings, resume=True)
    assert summary.counts == {"already": 2, "skipped": 1, "done": 1}
    (read,) = counter.read_text("utf-8").splitlines()
    assert read.endswith("page-003.png")  # only the new file was read
    records = {Path(str(r["path"])).name: r for r in _manifest(out)}
    assert records["renamed.png"]["status"] == "skipped"
    assert "same content as" in str(records["renamed.png"]["error"])
    assert len(_pages(out)) == 4  # each content once


def test_the_engine_runs_as_the_benchmark_measured_it():
    class Threaded(BatchTestEngine):
        parallel = "threads"
        thread_option = "threads"

    class Single(BatchTestEngine):
        thread_option = "threads"

    threads = execution_for(Threaded, 2, {})
    assert (threads.processes, threads.options, threads.env) == (
        1,
        {"threads": 2},
        {"OMP_NUM_THREADS": "2"},
    )
    processes = execution_for(Single, 2, {})
    assert (processes.processes, processes.options) == (2, {"threads": 1})
    assert processes.env["OMP_THREAD_LIMIT"] == "1"
    assert execution_for(get_engine_class("tesseract"), 0, {}).processes == 0


# --- the command -----------------------------------------------------------------------------


def test_the_command_tells_all_done_from_done_with_failures(tmp_path, engine):
    make_pages(tmp_path / "in", 2)
    runner = CliRunner()
    done = runner.invoke(
        app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "a"), "-e", engine, "-j", "0"]
    )
    assert done.exit_code == 0, done.output
    assert "all done" in done.output and "pages/min" in done.output
    (tmp_path / "in" / "empty.png").write_bytes(b"")
    failed = runner.invoke(
        app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "b"), "-e", engine, "-j", "0"]
    )
    assert failed.exit_code == 1, failed.output
    assert "EmptyInputError" in failed.output and "done with failures" in failed.output
    again = runner.invoke(
        app, ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "b"), "-e", engine, "-j", "0"]
    )
    assert again.exit_code == 2 and "--resume" in again.output
    wrong = runner.invoke(app, ["batch", str(tmp_path / "in"), "--dask", "remote"])
    assert wrong.exit_code == 2 and "--scheduler" in wrong.output


class MisspellingEngine(BatchTestEngine):
    """Reads ``Les numéos`` on every page."""

    name = "batch-misspelling"

    def _recognize(self, page: PageImage) -> tuple[Page, list[str]]:
        read, notes = super()._recognize(page)
        box = next(read.words()).bbox
        words = [Word(text="Les", bbox=box), Word(text="numéos", bbox=box)]
        return read.model_copy(
            update={"blocks": [block_from_lines([line_from_words(words)])]}
        ), notes


def test_post_correction_in_a_batch_is_noted_and_part_of_the_run_s_settings(tmp_path, monkeypatch):
    words = tmp_path / "mots.txt"
    words.write_text("les\nnuméros\n", encoding="utf-8")
    monkeypatch.setenv(ENV_WORDLIST, str(words))
    register(MisspellingEngine)
    try:
        make_pages(tmp_path / "in", 1)
        out = tmp_path / "out"
        corrected = BatchSettings(engine=MisspellingEngine.name, workers=0, post_correct=True)
        assert run_batch(discover([tmp_path / "in"]), out, corrected).counts == {"done": 1}
        document = Document.from_json((out / "page-000.json").read_text("utf-8"))
        assert document.text() == "Les numéros"
        provenance = document.pages[0].provenance
        assert provenance is not None and provenance.notes[-1].startswith("post-correction:")
        as_read = BatchSettings(engine=MisspellingEngine.name, workers=0)
        with pytest.raises(UsageError, match="other settings \\(post_correct\\)"):
            run_batch(discover([tmp_path / "in"]), out, as_read, resume=True)
        monkeypatch.setenv(ENV_WORDLIST, str(tmp_path / "nowhere.txt"))
        with pytest.raises(MissingDependencyError, match="wfrench"):
            run_batch(discover([tmp_path / "in"]), tmp_path / "out2", corrected)
        assert not (tmp_path / "out2" / "page-000.json").exists()
    finally:
        unregister(MisspellingEngine.name)
