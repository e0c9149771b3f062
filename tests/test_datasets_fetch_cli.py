"""Explicit downloads (file:// URLs and a refused connection: no internet needed) and the
``ocrxtract datasets list|info|fetch`` sub-app."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ocrxtract.cli.datasets import datasets_app
from ocrxtract.datasets import DatasetDownloadError, fetch_dataset
from ocrxtract.datasets.fetch import extract_archive
from ocrxtract.errors import UsageError

#: Nothing listens on the discard port of the loopback: the connection is refused at once.
OFFLINE_URL = "http://127.0.0.1:9/pack.zip"


def make_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, text in members.items():
            bundle.writestr(name, text)
    return path


def registry(tmp_path: Path, monkeypatch, url: str, sha256: str | None) -> None:
    sha = f'"{sha256}"' if sha256 else "null"
    (tmp_path / "datasets.yml").write_text(
        "datasets:\n"
        "  - {name: net, folder: net, kind: typed, language: fra, format: alto, tasks: [ocr],\n"
        "     license: test, headline: {metric: cer},\n"
        f'     source: {{files: [{{url: "{url}", sha256: {sha}, extract: true}}]}}}}\n'
        "  - {name: gen, kind: typed, language: fra, format: generated, tasks: [ocr],\n"
        "     license: test, headline: {metric: cer}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("OCRXTRACT_DATASETS_FILE", str(tmp_path / "datasets.yml"))
    monkeypatch.setenv("OCRXTRACT_DATA_DIR", str(tmp_path / "data"))


def test_fetch_checks_sha256_reports_progress_and_unpacks(tmp_path, monkeypatch):
    archive = make_zip(tmp_path / "pack.zip", {"pack/gt/a.xml": "<alto/>", "pack/README": "x"})
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    registry(tmp_path, monkeypatch, archive.as_uri(), digest)
    calls = []
    result = fetch_dataset("net", on_progress=lambda *args: calls.append(args))
    folder = tmp_path / "data" / "net"
    assert result.folder == folder
    assert result.downloaded == [folder / "pack.zip"]
    assert (folder / "pack" / "gt" / "a.xml").read_text() == "<alto/>"
    size = archive.stat().st_size
    assert calls[0] == ("pack.zip", 0, size) and calls[-1] == ("pack.zip", size, size)
    assert not list(folder.glob("*.part"))
    again = fetch_dataset("net")
    assert again.downloaded == [] and again.already_present == [folder / "pack.zip"]


def test_fetch_refuses_a_checksum_mismatch(tmp_path, monkeypatch):
    archive = make_zip(tmp_path / "pack.zip", {"a.txt": "a"})
    registry(tmp_path, monkeypatch, archive.as_uri(), "0" * 64)
    with pytest.raises(DatasetDownloadError, match="does not match the declared 0000"):
        fetch_dataset("net")
    folder = tmp_path / "data" / "net"
    assert not (folder / "pack.zip").exists() and (folder / "pack.zip.bad").exists()
    assert not (folder / "a.txt").exists()


def test_fetch_without_checksum_says_so(tmp_path, monkeypatch):
    archive = make_zip(tmp_path / "pack.zip", {"a.txt": "a"})
    registry(tmp_path, monkeypatch, archive.as_uri(), None)
    assert fetch_dataset("net", dest=tmp_path / "elsewhere").unverified == [archive.as_uri()]
    assert (tmp_path / "elsewhere" / "net" / "a.txt").exists()


def test_fetch_offline_names_the_url_and_the_folder(tmp_path, monkeypatch):
    registry(tmp_path, monkeypatch, OFFLINE_URL, "a" * 64)
    with pytest.raises(DatasetDownloadError) as info:
        fetch_dataset("net", timeout=5)
    message = str(info.value)
    assert OFFLINE_URL in message
    assert f"by hand and put it in {tmp_path / 'data' / 'net'}" in message
    assert "sha256 " + "a" * 64 in message
    assert info.value.exit_code == 6
    assert not list((tmp_path / "data" / "net").iterdir())  # no partial file left


def test_fetch_generated_dataset_is_a_usage_error(tmp_path, monkeypatch):
    registry(tmp_path, monkeypatch, OFFLINE_URL, None)
    with pytest.raises(UsageError, match="generated"):
        fetch_dataset("gen")


def test_archive_members_cannot_escape(tmp_path):
    archive = make_zip(tmp_path / "evil.zip", {"../evil.txt": "x"})
    (tmp_path / "out").mkdir()
    with pytest.raises(DatasetDownloadError, match="outside"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()
    (tmp_path / "plain.bin").write_bytes(b"not an archive")
    with pytest.raises(DatasetDownloadError, match="neither a zip nor a tar"):
        extract_archive(tmp_path / "plain.bin", tmp_path / "out")


app = typer.Typer()
app.add_typer(datasets_app, name="datasets")


@app.callback()
def _root() -> None:
    """Test host for the sub-app."""


runner = CliRunner()


def test_cli_list_and_info(monkeypatch):
    from rich.console import Console

    import ocrxtract.cli.datasets as cli_datasets

    monkeypatch.setattr(cli_datasets, "console", Console(width=200))
    listed = runner.invoke(app, ["datasets", "list"])
    assert listed.exit_code == 0, listed.output
    for name in ("sample-fr", "sroie", "cord-v2"):
        assert name in listed.output
    info = runner.invoke(app, ["datasets", "info", "sample-fr", "--json"])
    assert info.exit_code == 0, info.output
    data = json.loads(info.output)
    assert data["count"] == 5 and data["tasks"] == ["ocr"]
    shown = runner.invoke(app, ["datasets", "info", "sroie"])
    assert shown.exit_code == 0 and "upper-case" in shown.output


def test_cli_errors_become_exit_codes(tmp_path, monkeypatch):
    unknown = runner.invoke(app, ["datasets", "info", "nope"])
    assert unknown.exit_code == 2 and "unknown dataset 'nope'" in unknown.output
    registry(tmp_path, monkeypatch, OFFLINE_URL, None)
    fetched = runner.invoke(app, ["datasets", "fetch", "net", "--timeout", "5"])
    assert fetched.exit_code == 6
    assert OFFLINE_URL in fetched.output and "by hand" in fetched.output


def test_install_hints_in_dataset_errors_keep_their_square_brackets(monkeypatch):
    import ocrxtract.datasets as datasets
    from ocrxtract.errors import MissingDependencyError

    def missing(name: str) -> None:
        raise MissingDependencyError("pyarrow", "read it", "pip install 'ocrxtract[datasets]'")

    monkeypatch.setattr(datasets, "dataset_info", missing)
    result = runner.invoke(app, ["datasets", "info", "sroie"])
    assert result.exit_code == 5
    assert "pip install 'ocrxtract[datasets]'" in result.output
