"""Generated dataset folders: same seed same bytes, the page plan, reading back through the
registry loader, the default set made once and atomically, and the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocrxtract.cli.datasets import datasets_app
from ocrxtract.datasets import registry
from ocrxtract.datasets.synthetic import (
    DOCUMENT_TYPES,
    LEVELS,
    ensure_default_set,
    generate_dataset,
    iter_folder,
    read_truth,
    render_page,
)
from ocrxtract.datasets.synthetic.writer import MANIFEST, page_seed, plan
from ocrxtract.errors import InputError, UsageError

DPI = 60
SMALL = ["ticket-de-caisse", "carte-identite"]  # the two smallest pages: fast to generate

#: The ``synthetic-fr`` entry of datasets.yml (as proposed for the shared registry).
ENTRY = """
datasets:
  - name: synthetic-fr
    title: Synthetic French administrative documents
    folder: synthetic-fr-default
    kind: administrative
    language: fra
    format: synthetic
    tasks: [ocr, fields, tables]
    splits: {clean: c, scan: s, fax: f, lowdpi: l, photo: p}
    license: MIT
    headline: {metric: cer, normalisation: exact}
    render_dpi: 60
    source: {generator: ocrxtract.datasets.synthetic, count: 7}
"""


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_plan_covers_every_type_and_difficulty_first():
    pages = plan(35, seed=0)
    assert {(p.doc_type, p.difficulty) for p in pages} == {
        (t, lv) for t in DOCUMENT_TYPES for lv in LEVELS
    }
    assert pages[0].sample_id == "0000-bulletin-de-salaire-clean"
    assert pages[8].sample_id == "0008-quittance-de-loyer-scan"
    assert [p.seed for p in plan(3, seed=0)] == [p.seed for p in pages[:3]]  # stable prefix
    assert page_seed(0, 1) != page_seed(1, 1)
    with pytest.raises(UsageError, match="known: clean, scan"):
        plan(3, difficulties=["noisy"])
    with pytest.raises(UsageError, match="at least 1"):
        plan(0)


def test_same_seed_same_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    args = {"n": 10, "seed": 5, "dpi": DPI, "types": SMALL}
    generate_dataset(first, **args)
    generate_dataset(second, **args, jobs=2)
    assert files(first) == files(second)
    names = set(files(first))
    assert "images/0002-ticket-de-caisse-scan.jpg" in names  # JPEG for scans and photos
    assert "images/0004-ticket-de-caisse-fax.png" in names
    other = tmp_path / "c"
    generate_dataset(other, **{**args, "seed": 6})
    assert (
        files(other)["truth/0000-ticket-de-caisse-clean.json"]
        != files(first)["truth/0000-ticket-de-caisse-clean.json"]
    )


def test_manifest_and_pages_match_the_in_memory_render(tmp_path):
    generate_dataset(tmp_path, n=4, seed=2, dpi=DPI, types=SMALL, difficulties=["clean", "photo"])
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["count"] == 4 and manifest["seed"] == 2 and manifest["dpi"] == DPI
    assert set(manifest["generator"]) == {"ocrxtract", "faker", "pillow", "numpy"}
    entry = manifest["samples"][3]
    assert entry["sample_id"] == "0003-carte-identite-photo"
    truth = read_truth(tmp_path / entry["truth"])
    again = render_page("carte-identite", entry["seed"], "photo", DPI, entry["sample_id"])
    assert truth.image == entry["image"]
    assert truth.document == again.truth.document and truth.fields == again.truth.fields


def test_refuses_to_overwrite_without_force(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty"):
        generate_dataset(tmp_path, n=1, dpi=DPI)
    with pytest.raises(UsageError, match=r"holds no manifest\.json"):
        generate_dataset(tmp_path, n=1, dpi=DPI, force=True)
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.fixture
def synthetic_registry(tmp_path, monkeypatch):
    """A registry holding the synthetic-fr entry; the format registered as the lead will."""
    (tmp_path / "datasets.yml").write_text(ENTRY, encoding="utf-8")
    monkeypatch.setenv("OCRXTRACT_DATASETS_FILE", str(tmp_path / "datasets.yml"))
    monkeypatch.setenv("OCRXTRACT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OCRXTRACT_SHARED_DATASETS", str(tmp_path / "no-shared"))
    monkeypatch.setitem(registry.FORMATS, "synthetic", "ocrxtract.datasets.synthetic.loader")
    return tmp_path


def test_every_document_type_round_trips_through_the_registry_loader(synthetic_registry):
    folder = synthetic_registry / "data" / "synthetic-fr-default"
    generate_dataset(folder, n=7, seed=3, dpi=DPI)
    samples = list(registry.load_dataset("synthetic-fr"))
    assert [s.truth.metadata["doc_type"] for s in samples] == list(DOCUMENT_TYPES)
    for sample in samples:
        truth = read_truth(folder / "truth" / f"{sample.sample_id}.json")
        again = render_page(truth.doc_type, truth.seed, "clean", DPI, sample.sample_id)
        assert sample.truth == again.truth.document
        assert sample.text == again.text and sample.text
        assert dict(sample.fields) == {k: f.value for k, f in again.truth.fields.items()}
        assert list(sample.tables) == again.truth.tables
        assert sample.split == "clean" and sample.dpi == DPI
        assert len(sample.scorable_lines) == len(list(sample.truth.pages[0].lines()))
        image = sample.load_pages()[0]
        assert image.image.size == again.image.size and image.dpi == DPI
        assert image.image.convert("RGB").tobytes() == again.image.tobytes()
    assert [s.sample_id for s in registry.load_dataset("synthetic-fr", split="clean", limit=2)] == [
        "0000-bulletin-de-salaire-clean",
        "0001-quittance-de-loyer-clean",
    ]


def test_registry_generates_the_default_set_on_first_use(synthetic_registry):
    from ocrxtract.datasets.synthetic import loader

    spec = registry.get_spec("synthetic-fr")
    found = loader.discover(None, spec)  # what the registry calls when no folder is found
    root = synthetic_registry / "data" / "synthetic-fr-default"
    assert found.root == root and len(found.items) == 7
    assert json.loads((root / MANIFEST).read_text())["dpi"] == DPI
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".")]  # no temp folder left
    assert len(list(registry.load_dataset("synthetic-fr"))) == 7  # now found as a folder


def test_default_set_is_made_once_then_reused(tmp_path):
    root = tmp_path / "default"
    calls = []
    assert ensure_default_set(root, n=2, dpi=DPI, progress=lambda *a: calls.append(a)) == root
    assert len(calls) == 2
    stamp = (root / MANIFEST).stat().st_mtime_ns
    assert ensure_default_set(root, n=2, dpi=DPI, progress=lambda *a: calls.append(a)) == root
    assert len(calls) == 2 and (root / MANIFEST).stat().st_mtime_ns == stamp
    # a folder made from another seed is not passed off as the set asked for
    with pytest.raises(InputError, match="seed 0; this dataset asks for seed 7"):
        ensure_default_set(root, n=2, dpi=DPI, seed=7)
    # nor a set an older generator drew (its manifest has no revision)
    manifest = json.loads((root / MANIFEST).read_text())
    older = tmp_path / "older"
    shutil.copytree(root, older)
    del manifest["revision"]
    (older / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="generator's revision 1; this ocrxtract draws revision 2"):
        ensure_default_set(older, n=2, dpi=DPI)
    assert [s.sample_id for s in iter_folder(root)] == [
        "0000-bulletin-de-salaire-clean",
        "0001-quittance-de-loyer-clean",
    ]
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "x.txt").write_text("x")
    with pytest.raises(InputError, match=r"holds no manifest\.json"):
        ensure_default_set(stranger, n=1, dpi=DPI)


def test_failed_generation_leaves_nothing_behind(tmp_path, monkeypatch):
    from ocrxtract.datasets.synthetic import writer

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "_render", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        ensure_default_set(tmp_path / "default", n=1, dpi=DPI)
    assert list(tmp_path.iterdir()) == []


def test_cli_generate_and_contact_sheet(tmp_path):
    runner = CliRunner()
    out = tmp_path / "set"
    result = runner.invoke(
        datasets_app,
        [
            "generate",
            "synthetic-fr",
            "--n",
            "3",
            "--seed",
            "1",
            "--dpi",
            str(DPI),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "3 pages in" in result.output
    assert len(list((out / "truth").glob("*.json"))) == 3
    again = runner.invoke(datasets_app, ["generate", "synthetic-fr", "--n", "1", "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    unknown = runner.invoke(
        datasets_app, ["generate", "synthetic-de", "--out", str(tmp_path / "x")]
    )
    assert unknown.exit_code == 2 and "known: synthetic-fr" in unknown.output
    sheet = tmp_path / "sheet.png"
    result = runner.invoke(
        datasets_app,
        ["contact-sheet", "--out", str(sheet), "--dpi", "30", "--type", "ticket-de-caisse",
         "--difficulty", "clean", "--difficulty", "photo"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from PIL import Image

    with Image.open(sheet) as image:
        assert image.format == "PNG" and image.width > image.height / 2
    bad = runner.invoke(datasets_app, ["contact-sheet", "--out", str(sheet), "--type", "x"])
    assert bad.exit_code == 2 and "unknown document type" in bad.output
