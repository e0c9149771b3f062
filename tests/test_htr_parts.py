"""The handwriting recogniser's parts that need no model: the page split, the character set,
augmentation, batching, CTC decoding and the character language model."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from ocrxtract.engines.htr_lm import CharLM, beam_decode
from ocrxtract.engines.htr_runtime import (
    LINE_HEIGHT,
    MAX_LINE_WIDTH,
    batch_tensor,
    frames,
    greedy_decode,
    line_tensor,
    to_grey,
)
from ocrxtract.train.htr import split_file_text
from ocrxtract.train.htr_data import (
    STORE_HEIGHT,
    TEST,
    TRAIN,
    VAL,
    LineCrop,
    augment,
    build_charset,
    encode,
    page_split,
    width_batches,
)


def test_page_split_is_by_page_deterministic_and_shares_pages_out() -> None:
    ids = [f"page-{i}" for i in range(30)]
    split = page_split("poilus", ids)
    assert split == page_split("poilus", list(reversed(ids)))  # order of the ids is irrelevant
    counts = {name: sum(v == name for v in split.values()) for name in (TRAIN, VAL, TEST)}
    assert counts == {TRAIN: 21, VAL: 3, TEST: 6}  # ceil(20 %) test, ceil(10 %) validation
    # another dataset with the same ids is split independently
    assert page_split("lectaurep", ids) != split


def test_held_out_dataset_is_all_test_and_tiny_ones_still_train() -> None:
    assert set(page_split("timeus", ["a", "b", "c"], held_out=True).values()) == {TEST}
    assert list(page_split("one", ["only"]).values()) == [TRAIN]
    assert sorted(page_split("three", ["a", "b", "c"]).values()) == sorted([TRAIN, VAL, TEST])


def test_split_file_round_trips_through_the_registry_reader(tmp_path: Path) -> None:
    from ocrxtract.datasets.registry import read_split_file

    splits = {"poilus": page_split("poilus", [f"p{i}" for i in range(10)])}
    path = tmp_path / "split.yml"
    path.write_text(split_file_text(splits, "ocrxtract train htr ..."), encoding="utf-8")
    assert read_split_file(path) == splits


def test_charset_keeps_french_symbols_and_frequent_extras() -> None:
    alphabet = build_charset(["ſoit ſoit ſoit", "rare ¤"])
    assert alphabet[0] == "" and alphabet[-1] == " "
    assert {"é", "œ", "Œ", "€", "ſ"} <= set(alphabet)
    assert "¤" not in alphabet  # seen once: its line is left out of training instead
    index = {s: i for i, s in enumerate(alphabet)}
    assert encode("rare ¤", index) is None
    assert encode("été", index) == [index["é"], index["t"], index["é"]]


def _crop(width: int = 300) -> LineCrop:
    rng = np.random.default_rng(0)
    image = np.full((STORE_HEIGHT + 40, width + 80), 230, np.uint8)
    image[30 : 30 + STORE_HEIGHT, 40 : 40 + width] = rng.integers(0, 120, (STORE_HEIGHT, width))
    return LineCrop("set", "page", "texte", image, (40, 20, 40 + width, 20 + STORE_HEIGHT))


def test_augment_gives_a_grey_line_of_plausible_size() -> None:
    line = _crop()
    rng = np.random.default_rng(1)
    for _ in range(20):
        out = augment(line, rng)
        assert out.dtype == np.uint8 and out.ndim == 2
        assert 0.5 * STORE_HEIGHT <= out.shape[0] <= 2 * STORE_HEIGHT
        assert 0.5 * 300 <= out.shape[1] <= 2 * 380
    assert line.exact().shape == (STORE_HEIGHT, 300)


def test_width_batches_cover_every_line_once_with_similar_widths() -> None:
    widths = list(np.random.default_rng(2).integers(50, 2000, 100))
    batches = width_batches(widths, 8, np.random.default_rng(3), pool=4)
    flat = sorted(i for batch in batches for i in batch)
    assert flat == list(range(100))
    assert all(len(batch) <= 8 for batch in batches)


def test_line_tensor_scales_to_the_model_height_and_clamps_width() -> None:
    grey = np.zeros((96, 400), np.uint8)
    tensor = line_tensor(grey)
    assert tensor.shape == (LINE_HEIGHT, 200) and tensor.dtype == np.float32
    assert float(tensor.min()) == -1.0
    assert line_tensor(np.zeros((10, 100_000), np.uint8)).shape[1] == MAX_LINE_WIDTH
    batch, widths = batch_tensor([tensor, line_tensor(np.zeros((48, 64), np.uint8))])
    assert batch.shape == (2, 3, LINE_HEIGHT, 200) and widths == [200, 64]
    assert frames(64) == 8 and frames(65) == 9
    assert to_grey(np.full((2, 2, 3), 255, np.uint8)).tolist() == [[255, 255], [255, 255]]


def _probs(path: list[int], classes: int) -> np.ndarray:
    probs = np.full((len(path), classes), 0.01, np.float32)
    for t, c in enumerate(path):
        probs[t, c] = 1.0
    return probs / probs.sum(axis=1, keepdims=True)


def test_greedy_and_beam_decoding_collapse_repeats_and_blanks() -> None:
    alphabet = ["", "a", "b", " "]
    probs = _probs([1, 1, 0, 1, 2, 0, 3, 2], 4)
    assert greedy_decode(probs, alphabet)[0] == "aab b"
    assert beam_decode(probs, alphabet) == "aab b"
    assert greedy_decode(probs, alphabet, length=2)[0] == "a"


def test_language_model_prefers_seen_text_and_breaks_ties(tmp_path: Path) -> None:
    alphabet = ["m", "a", "i", "r", "e", " "]
    lm = CharLM.train(["maire", "maire de", "le maire"] * 5, alphabet, order=4)
    assert lm.text_logprob("maire") > lm.text_logprob("mairi")
    path = lm.save(tmp_path / "lm.json")
    again = CharLM.load(path)
    assert math.isclose(again.text_logprob("maire"), lm.text_logprob("maire"))
    # last frame: "e" and "i" equally likely for the recogniser; the model decides
    classes = ["", *alphabet]
    probs = _probs([1, 2, 3, 4, 0], len(classes))
    probs = np.vstack([probs, np.full((1, len(classes)), 0.02, np.float32)])
    probs[-1, classes.index("e")] = probs[-1, classes.index("i")] = 0.45
    assert beam_decode(probs, classes, again, weight=1.0, bonus=0.0) == "maire"
    with pytest.raises(ValueError, match="not an ocrxtract character n-gram model"):
        (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
        CharLM.load(tmp_path / "bad.json")
