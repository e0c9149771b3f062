"""The ``htr`` engine with its shipped model, and ``ocrxtract train htr`` end to end (a few steps).

The shipped model is scored on a small fixed set of lines from pages it never trained on (the
``htr-test`` split of ``benchmarks/splits/htr-fr.yml``); the full figures come from
``ocrxtract bench benchmarks/htr.yml`` (see the model card).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocrxtract.cli import app
from ocrxtract.engines import create_engine, get_engine_class
from ocrxtract.errors import ModelNotFoundError
from ocrxtract.metrics.detection import score_line_boxes
from ocrxtract.metrics.text import TextScore, score_text

pytestmark = pytest.mark.engine("htr")


def _test_samples(dataset: str, count: int) -> list:  # type: ignore[type-arg]
    from ocrxtract.datasets import load_dataset

    return list(load_dataset(dataset, split="htr-test"))[:count]


def _line_cer(engine, samples, max_lines: int) -> float:  # type: ignore[no-untyped-def]
    total, used = TextScore(), 0
    for sample in samples:
        for page_index, page in enumerate(sample.iter_pages()):
            lines = [ln for ln in sample.scorable_lines if ln.page_index == page_index]
            lines = lines[: max_lines - used]
            texts = engine.recognize_lines(page, [ln.bbox for ln in lines])
            for line, text in zip(lines, texts, strict=True):
                total += score_text(line.text, text)
            used += len(lines)
    assert used > 0
    return total.cer


@pytest.mark.shared_data
@pytest.mark.slow
def test_shipped_model_reads_unseen_poilus_lines(shared_datasets: Path) -> None:
    engine = create_engine("htr", {"language_model": False, "threads": 1})
    cer = _line_cer(engine, _test_samples("fr-handwritten-testaments-poilus", 2), 40)
    # The shipped model: 13.7 % on these 40 lines (greedy); PP-OCRv6 (rapidocr) reads the
    # lines of these test pages at 26.3 % (benchmarks/results/htr).
    assert cer < 0.18, f"line CER {cer:.2%} on 40 unseen Poilus lines"


@pytest.mark.shared_data
@pytest.mark.slow
def test_whole_page_finds_the_lines_and_keeps_their_polygons(shared_datasets: Path) -> None:
    (sample,) = _test_samples("fr-handwritten-testaments-poilus", 1)
    page = next(iter(sample.iter_pages()))
    result = create_engine("htr", {"threads": 1}).recognize(page)
    lines = list(result.lines())
    assert len(lines) >= 5
    assert all(line.polygon and len(line.polygon) == 4 for line in lines)
    counts = score_line_boxes(sample.truth.pages[0], result)
    assert counts.f1 > 0.5, counts
    assert result.provenance is not None and result.provenance.engine == "htr"
    assert any("proportion" in note for note in result.provenance.notes)


def test_missing_model_says_how_to_get_one(tmp_path: Path) -> None:
    engine = create_engine("htr", {"model": tmp_path / "none.onnx"})
    with pytest.raises(ModelNotFoundError, match="ocrxtract train htr"):
        engine.recognizer()
    check = engine.check()
    assert not check.available and "none.onnx" in (check.reason or "")
    assert create_engine("htr").check().available  # the shipped model is there


def test_version_names_the_model_and_the_detector() -> None:
    version = get_engine_class("htr").version()
    assert version.startswith("htr-fr (") and "PP-OCRv6_det_small" in version


@pytest.mark.shared_data
@pytest.mark.slow
def test_train_htr_smoke_run_resumes_exports_and_is_read_by_the_engine(
    shared_datasets: Path, tmp_path: Path
) -> None:
    pytest.importorskip("torch", reason="training needs torch: make install-deep")
    pytest.importorskip("onnx2torch", reason="training needs the htr-train extra")
    out = tmp_path / "run"
    command = [
        "train", "htr", "--dataset", "celestine-doniau-danest", "--out", str(out),
        "--eval-every", "1", "--lines-per-dataset", "3", "--val-lines", "3", "--threads", "1",
    ]  # fmt: skip
    first = CliRunner().invoke(app, [*command, "--max-steps", "1"])
    assert first.exit_code == 0, first.output
    assert "Line CER" in first.output
    second = CliRunner().invoke(app, [*command, "--max-steps", "2"])
    assert second.exit_code == 0, second.output
    assert "resumed at step 1" in second.output
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["steps"] == 2
    assert set(metrics["scores"]) == {"htr-val", "htr-test"}
    assert (out / "MODEL_CARD.md").read_text(encoding="utf-8").startswith("# Model card")
    assert "celestine-doniau-danest" in (out / "splits.yml").read_text(encoding="utf-8")
    engine = create_engine("htr", {"model": out / "htr-fr.onnx", "threads": 1})
    (sample,) = _test_samples("celestine-doniau-danest", 1)
    page = next(iter(sample.iter_pages()))
    boxes = [ln.bbox for ln in sample.scorable_lines[:3]]
    texts = engine.recognize_lines(page, boxes)
    assert len(texts) == 3 and all(isinstance(t, str) for t in texts)
    assert any(texts)
