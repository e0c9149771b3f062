"""The dataset registry: datasets.yml, data roots, load_dataset/info, and the generated set."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import pytest
from PIL import Image

from ocrxtract.datasets import (
    DatasetNotAvailableError,
    UnknownDatasetError,
    dataset_info,
    get_spec,
    load_dataset,
    load_sample,
)
from ocrxtract.datasets.registry import FORMATS, REPO_ROOT, data_dir, find_root, load_registry
from ocrxtract.errors import CorruptInputError, UsageError

#: The folders of ../shared/datasets (its README), each declared under its own name.
SHARED_FOLDERS = {
    "sroie", "funsd-test", "fr-typed-tapuscorpus", "fr-handwritten-testaments-poilus",
    "fr-mixed-timeus-prudhommes", "lectaurep-repertoires", "celestine-doniau-danest",
    "fr-handwritten-tables-lectaurep-mariages", "icdar2013-tables", "pubtabnet-samples",
    "fr-invoices-facturx-fnfe", "dsa-systemic-risk-reports",
}  # fmt: skip

ALTO = """<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout>
<Page WIDTH="100" HEIGHT="40"><PrintSpace><TextBlock ID="b">
<TextLine HPOS="0" VPOS="0" WIDTH="50" HEIGHT="10"><String CONTENT="{text}" HPOS="0" VPOS="0"
 WIDTH="50" HEIGHT="10"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>"""

TINY_REGISTRY = """datasets:
  - name: tiny-alto
    folder: tiny-alto
    kind: typed
    language: fra
    format: alto
    tasks: [ocr]
    splits: {dev: "everything"}
    default_split: dev
    license: test
    headline: {metric: line_cer}
    source:
      files: [{url: "https://example.invalid/tiny.zip", extract: true}]
"""


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A registry with one ALTO dataset; data dir and shared dir in tmp_path."""
    registry = tmp_path / "datasets.yml"
    registry.write_text(TINY_REGISTRY, encoding="utf-8")
    monkeypatch.setenv("OCRXTRACT_DATASETS_FILE", str(registry))
    monkeypatch.setenv("OCRXTRACT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OCRXTRACT_SHARED_DATASETS", str(tmp_path / "shared"))
    return tmp_path


def add_page(root: Path, stem: str, text: str = "Bonjour") -> None:
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "gt").mkdir(parents=True, exist_ok=True)
    Image.new("L", (100, 40), 255).save(root / "images" / f"{stem}.png")
    (root / "gt" / f"{stem}.xml").write_text(ALTO.format(text=text), encoding="utf-8")


def test_repository_registry_declares_every_dataset():
    specs = load_registry(REPO_ROOT / "datasets.yml")
    assert set(specs) >= SHARED_FOLDERS
    assert {"sample-fr", "cord-v2"} <= set(specs)
    for name in SHARED_FOLDERS | {"cord-v2"}:
        spec = specs[name]
        assert spec.folder == name
        assert spec.source.files, f"{name} declares no download"
        assert all(f.url.startswith("https://") for f in spec.source.files)
        assert spec.quirks, f"{name} declares no quirk"
        assert spec.citation and spec.license
    for spec in specs.values():
        module = importlib.import_module(FORMATS[spec.format])
        assert callable(module.discover) and callable(module.load)
        assert spec.default_split is None or spec.default_split in spec.splits
    assert specs["funsd-test"].dpi == 100
    assert specs["sroie"].headline.normalization == "folded"
    assert {"upper-case", "commas-in-text", "column-order"} <= {q.id for q in specs["sroie"].quirks}
    assert {"entity-order", "split-tokens", "dpi-100"} <= {q.id for q in specs["funsd-test"].quirks}
    assert "segmentation-not-gt" in {q.id for q in specs["fr-mixed-timeus-prudhommes"].quirks}
    assert "placeholder-tilde" in {q.id for q in specs["fr-typed-tapuscorpus"].quirks}
    assert {"two-layouts", "bad-quads"} <= {q.id for q in specs["cord-v2"].quirks}
    funsd_zip = specs["funsd-test"].source.files[0]
    assert funsd_zip.sha256 == "c31735649e4f441bcbb4fd0f379574f7520b42286e80b01d80b445649d54761f"


def test_unknown_dataset_lists_the_known_ones(tiny):
    with pytest.raises(UnknownDatasetError, match="known datasets: tiny-alto") as info:
        get_spec("nope")
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "  - {name: a, kind: typed, language: fra, format: nope, tasks: [ocr], license: x,"
            " headline: {metric: cer}}",
            "unknown format 'nope'",
        ),
        (
            "  - {name: a, kind: typed, language: fra, format: alto, tasks: [ocr], license: x,"
            " headline: {metric: cer}, source: {files: [{url: u, sha256: ABC}]}}",
            "sha256",
        ),
        (
            "  - {name: a, kind: novel, language: fra, format: alto, tasks: [ocr], license: x,"
            " headline: {metric: cer}}",
            "kind",
        ),
        (
            "  - {name: tiny-alto, kind: typed, language: fra, format: alto, tasks: [ocr],"
            " license: x, headline: {metric: cer}}",
            "declared twice",
        ),
    ],
)
def test_registry_validation_names_the_problem(tiny, entry, message):
    path = tiny / "datasets.yml"
    path.write_text(TINY_REGISTRY + entry + "\n", encoding="utf-8")
    with pytest.raises(CorruptInputError, match=message):
        load_registry(path)


def test_data_dir_default_is_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("OCRXTRACT_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data_dir() == tmp_path / "ocrxtract" / "datasets"
    monkeypatch.setenv("OCRXTRACT_DATA_DIR", str(tmp_path / "mine"))
    assert data_dir() == tmp_path / "mine"


def test_absent_dataset_says_how_to_get_it(tiny):
    with pytest.raises(DatasetNotAvailableError) as info:
        list(load_dataset("tiny-alto"))
    message = str(info.value)
    assert "ocrxtract datasets fetch tiny-alto" in message
    assert "https://example.invalid/tiny.zip" in message
    assert str(tiny / "data" / "tiny-alto") in message
    described = dataset_info("tiny-alto")
    assert described["available"] is False and described["count"] == 0
    assert "fetch tiny-alto" in described["problem"]


def test_data_dir_wins_over_shared(tiny):
    add_page(tiny / "shared" / "tiny-alto", "a")
    assert find_root(get_spec("tiny-alto")) == (tiny / "shared" / "tiny-alto").resolve()
    add_page(tiny / "data" / "tiny-alto", "b")
    assert find_root(get_spec("tiny-alto")) == tiny / "data" / "tiny-alto"
    assert [s.sample_id for s in load_dataset("tiny-alto")] == ["b"]


def test_load_dataset_split_limit_info_and_sample(tiny):
    root = tiny / "shared" / "tiny-alto"
    for stem in ("a", "b", "c"):
        add_page(root, stem, text=f"texte {stem}")
    (root / "images" / "lonely.png").write_bytes((root / "images" / "a.png").read_bytes())
    assert [s.sample_id for s in load_dataset("tiny-alto", limit=2)] == ["a", "b"]
    assert [s.text for s in load_dataset("tiny-alto", split="dev")] == [
        "texte a", "texte b", "texte c",
    ]  # fmt: skip
    assert list(load_dataset("tiny-alto", limit=0)) == []
    with pytest.raises(UsageError, match="no split 'test'; its splits: dev"):
        load_dataset("tiny-alto", split="test")
    with pytest.raises(UsageError, match="limit"):
        load_dataset("tiny-alto", limit=-1)
    info = dataset_info("tiny-alto")
    assert info["available"] and info["count"] == 3
    assert info["splits"] == {"dev": {"description": "everything", "count": 3}}
    assert info["skipped"] == [("lonely", "no ground truth gt/lonely.xml")]
    assert load_sample("tiny-alto", "b").text == "texte b"
    with pytest.raises(UsageError, match="no sample 'z'"):
        load_sample("tiny-alto", "z")


def test_strict_raises_lenient_logs_and_goes_on(tiny, caplog):
    root = tiny / "shared" / "tiny-alto"
    add_page(root, "a")
    add_page(root, "b")
    (root / "gt" / "a.xml").write_text("<alto><Layout>", encoding="utf-8")  # truncated
    with pytest.raises(CorruptInputError, match=r"a\.xml"):
        list(load_dataset("tiny-alto"))
    with caplog.at_level(logging.WARNING, logger="ocrxtract.datasets.registry"):
        assert [s.sample_id for s in load_dataset("tiny-alto", strict=False)] == ["b"]
    assert "tiny-alto/a skipped" in caplog.text


def test_generated_sample_pages():
    from ocrxtract.sample import render_sample_page

    (sample,) = load_dataset("sample-fr", limit=1)
    expected = render_sample_page(seed=0, dpi=300)
    assert sample.sample_id == "seed-0000" and sample.split == "generated"
    assert sample.text == expected.text
    assert sample.dpi == 300.0
    assert len(sample.scorable_lines) == 10
    assert sample.scorable_lines[0].text == "RÉPUBLIQUE FRANÇAISE"
    (page,) = sample.load_pages()
    assert (page.width, page.height) == (sample.truth.pages[0].width, sample.truth.pages[0].height)
    assert sample.image_paths == ()
    assert dataset_info("sample-fr")["count"] == 5
