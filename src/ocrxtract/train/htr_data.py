"""Training data of the handwriting recogniser: the page split, line crops, character set and
augmentation.

Split by page, never by line: lines of one page share a hand, an ink and a scan, so a line-level
split would score the model on pages it has seen. The rule (:func:`page_split`) is deterministic:
a dataset's pages are ordered by the SHA-256 of ``"<dataset>/<sample id>"``; the first 20 % are
``htr-test``, the next 10 % ``htr-val``, the rest ``htr-train`` (datasets kept out of training
entirely go to ``htr-test`` whole). The split of the shared datasets is committed
(``benchmarks/splits/htr-fr.yml``, read by the dataset registry, so benchmarks can score the
test pages alone); a dataset the file does not cover is split by the same rule on the fly.

Lines are cropped once, with a margin, in grey, scaled so that the line box is
:data:`STORE_HEIGHT` pixels high; :func:`augment` then draws the box again with jittered edges
and distorts it (slant, scale, elastic, ink and paper noise) at every presentation.
"""

from __future__ import annotations

import hashlib
import logging
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ocrxtract.engines.htr_runtime import to_grey

log = logging.getLogger(__name__)

TRAIN, VAL, TEST = "htr-train", "htr-val", "htr-test"
SPLITS = (TRAIN, VAL, TEST)
TEST_SHARE, VAL_SHARE = 0.2, 0.1
#: Height of the stored line box (crops are scaled to it, margins around it).
STORE_HEIGHT = 64
#: Margins kept around the box, in box heights (vertical, horizontal), for augmentation.
MARGIN_Y, MARGIN_X = 0.3, 0.6
#: Symbols every model can write, whether the training lines hold them or not: the French
#: alphabet (accents, ligatures), digits and the punctuation of administrative text.
FRENCH_SYMBOLS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
    "!\"#$%&'()*+,-./:;<=>?@[]_|~°§€£«»’‘“”–—…"
)
#: A symbol of the training lines outside FRENCH_SYMBOLS joins the alphabet when it occurs
#: at least this often (rarer ones: their lines are left out of training).
MIN_SYMBOL_COUNT = 3

GreyImage = npt.NDArray[np.uint8]


def page_split(
    dataset: str, sample_ids: Iterable[str], *, held_out: bool = False
) -> dict[str, str]:
    """The split of each page of ``dataset`` by the rule of this module (see its docstring).

    Args:
        dataset: Dataset name (part of the hash, so datasets are split independently).
        sample_ids: Its pages' sample ids.
        held_out: The dataset is kept out of training: every page is ``htr-test``.
    """
    ids = sorted(set(sample_ids))
    if held_out:
        return dict.fromkeys(ids, TEST)
    ordered = sorted(ids, key=lambda i: hashlib.sha256(f"{dataset}/{i}".encode()).hexdigest())
    count = len(ordered)
    tests = math.ceil(count * TEST_SHARE) if count >= 2 else 0
    vals = math.ceil(count * VAL_SHARE) if count >= 3 else 0
    split = {}
    for rank, sample_id in enumerate(ordered):
        split[sample_id] = TEST if rank < tests else VAL if rank < tests + vals else TRAIN
    return split


@dataclass(frozen=True)
class LineCrop:
    """One ground-truth line, cropped with a margin, in grey.

    Attributes:
        dataset: Dataset name.
        sample_id: The page's sample id.
        text: The transcription (NFC).
        image: The crop, scaled so that the line box is :data:`STORE_HEIGHT` pixels high.
        box: The line box inside ``image`` (x0, y0, x1, y1).
    """

    dataset: str
    sample_id: str
    text: str
    image: GreyImage
    box: tuple[int, int, int, int]

    def exact(self) -> GreyImage:
        """The line box alone, as the benchmark crops it."""
        x0, y0, x1, y1 = self.box
        return self.image[y0:y1, x0:x1]


def crop_lines(page: Any, lines: Sequence[Any], dataset: str, sample_id: str) -> list[LineCrop]:
    """Crop ``lines`` (scorable lines: ``bbox``, ``text``) of one page image (a PIL image)."""
    import cv2

    grey = to_grey(np.asarray(page.convert("L")))
    height, width = grey.shape
    crops = []
    for line in lines:
        box = line.bbox
        h = max(1, box.y1 - box.y0)
        my, mx = round(MARGIN_Y * h), round(MARGIN_X * h)
        x0, y0 = max(0, box.x0 - mx), max(0, box.y0 - my)
        x1, y1 = min(width, box.x1 + mx), min(height, box.y1 + my)
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        scale = STORE_HEIGHT / h
        region = grey[y0:y1, x0:x1]
        size = (max(2, round((x1 - x0) * scale)), max(2, round((y1 - y0) * scale)))
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        image: GreyImage = np.asarray(
            cv2.resize(region, size, interpolation=interpolation), dtype=np.uint8
        )
        inner = (
            round((box.x0 - x0) * scale),
            round((box.y0 - y0) * scale),
            min(size[0], round((box.x1 - x0) * scale)),
            min(size[1], round((box.y1 - y0) * scale)),
        )
        if inner[2] - inner[0] < 2 or inner[3] - inner[1] < 2:
            continue
        text = unicodedata.normalize("NFC", line.text)
        crops.append(LineCrop(dataset, sample_id, text, image, inner))
    return crops


def build_charset(texts: Iterable[str], min_count: int = MIN_SYMBOL_COUNT) -> list[str]:
    """The model's alphabet: CTC blank, the French symbols, the data's frequent others, space."""
    counts = Counter(symbol for text in texts for symbol in text)
    extra = sorted(s for s, n in counts.items() if n >= min_count and s not in FRENCH_SYMBOLS)
    symbols = [s for s in FRENCH_SYMBOLS if s != " "] + [s for s in extra if s != " "]
    return ["", *symbols, " "]


# --- augmentation -----------------------------------------------------------------------------


def augment(line: LineCrop, rng: np.random.Generator) -> GreyImage:
    """A distorted copy of the line: jittered box edges, slant, width scale, elastic warp,
    thinner or thicker ink, blur, contrast, noise and uneven paper (each with a probability)."""
    import cv2

    x0, y0, x1, y1 = line.box
    height, width = line.image.shape
    h = y1 - y0
    top = int(np.clip(y0 + rng.uniform(-0.15, 0.12) * h, 0, y0 + h // 3))
    bottom = int(np.clip(y1 + rng.uniform(-0.12, 0.15) * h, y1 - h // 3, height))
    left = int(np.clip(x0 + rng.uniform(-0.4, 0.3) * h, 0, max(0, x1 - 4)))
    right = int(np.clip(x1 + rng.uniform(-0.3, 0.4) * h, min(width, left + 4), width))
    image: Any = line.image[top:bottom, left:right].astype(np.float32)
    rows, cols = image.shape
    if rows < 4 or cols < 4:
        return line.exact()
    border = float(np.median(image))
    if rng.random() < 0.6:  # slant
        shear = rng.uniform(-0.35, 0.35)
        extra = int(abs(shear) * rows)
        # x' = x + shear * (y - rows / 2), shifted by extra / 2 so that nothing falls out
        matrix = np.array([[1, shear, extra / 2 - shear * rows / 2], [0, 1, 0]], np.float32)
        image = cv2.warpAffine(
            image, matrix, (cols + extra, rows), borderMode=cv2.BORDER_CONSTANT, borderValue=border
        )
    if rng.random() < 0.5:  # horizontal scale
        factor = rng.uniform(0.75, 1.25)
        image = cv2.resize(image, (max(4, round(image.shape[1] * factor)), image.shape[0]))
    if rng.random() < 0.3:  # elastic
        image = _elastic(image, rng, amplitude=rng.uniform(0.5, 2.0) * rows / STORE_HEIGHT)
    if rng.random() < 0.3:  # ink: min filter thickens dark strokes, max filter thins them
        kernel = np.ones((2, 2), np.uint8)
        image = cv2.erode(image, kernel) if rng.random() < 0.6 else cv2.dilate(image, kernel)
    if rng.random() < 0.2:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.4, 1.2))
    if rng.random() < 0.6:  # contrast and brightness
        mean = float(image.mean())
        image = (image - mean) * rng.uniform(0.6, 1.3) + mean + rng.uniform(-30, 30)
    if rng.random() < 0.25:  # uneven paper
        shade = cv2.resize(
            rng.normal(0, 18, (2, 4)).astype(np.float32),
            (image.shape[1], image.shape[0]),
            interpolation=cv2.INTER_CUBIC,
        )
        image = image + shade
    if rng.random() < 0.3:
        image = image + rng.normal(0, rng.uniform(3, 12), image.shape)
    distorted: GreyImage = np.clip(image, 0, 255).astype(np.uint8)
    return distorted


def _elastic(image: npt.NDArray[np.float32], rng: np.random.Generator, amplitude: float) -> Any:
    import cv2

    rows, cols = image.shape
    grid = (max(2, cols // 32), 3)
    dx = cv2.resize(rng.normal(0, amplitude, grid[::-1]).astype(np.float32), (cols, rows))
    dy = cv2.resize(rng.normal(0, amplitude, grid[::-1]).astype(np.float32), (cols, rows))
    xs, ys = np.meshgrid(np.arange(cols, dtype=np.float32), np.arange(rows, dtype=np.float32))
    return cv2.remap(image, xs + dx, ys + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def width_batches(
    widths: Sequence[int], batch_size: int, rng: np.random.Generator, pool: int = 32
) -> list[list[int]]:
    """Indices in batches of similar widths, in random order (one epoch).

    The indices are shuffled, cut into pools of ``pool`` batches, each pool sorted by width
    and cut into batches; the batches are shuffled again.
    """
    order = list(rng.permutation(len(widths)))
    batches: list[list[int]] = []
    step = batch_size * pool
    for start in range(0, len(order), step):
        chunk = sorted(order[start : start + step], key=lambda i: widths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def encode(text: str, index: dict[str, int]) -> list[int] | None:
    """The label of ``text`` (``None`` when it holds a symbol outside the alphabet)."""
    try:
        return [index[symbol] for symbol in text]
    except KeyError:
        return None


def read_lines(
    samples: Iterable[Any], keep: Callable[[Any], bool] = lambda sample: True
) -> list[LineCrop]:
    """Crop the scorable lines of ``samples`` (dataset samples) that ``keep`` accepts."""
    crops: list[LineCrop] = []
    for sample in samples:
        if not keep(sample) or not sample.scorable_lines:
            continue
        for page_index, page in enumerate(sample.iter_pages()):
            lines = [ln for ln in sample.scorable_lines if ln.page_index == page_index]
            crops += crop_lines(page.image, lines, sample.dataset, sample.sample_id)
    return crops
