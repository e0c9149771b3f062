"""What the ``htr`` recogniser does around its ONNX model: line images in, character
probabilities out (batched on ONNX Runtime), greedy CTC decoding, and where the shipped model is.

The model follows the PP-OCR recognition convention, so rapidocr reads it unchanged too:
input ``[N, 3, 48, W]`` (BGR, ``(x / 255 - 0.5) / 0.5``, right-padded with zeros), output
``[N, W / 8, C]`` probabilities (softmax applied), ``C = 1 + len(dictionary) + 1``: the CTC blank
first, the dictionary (ONNX metadata key ``character``, one symbol per line), the space last.
Handwriting is read in grey: the line is converted to grey and copied to the three channels, in
training and at inference alike (:func:`line_tensor`).

Training (:mod:`ocrxtract.train.htr`) imports :func:`line_tensor` and :func:`greedy_decode` from
here, so that the model is trained on exactly what inference feeds it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ocrxtract.errors import ModelNotFoundError

log = logging.getLogger(__name__)

#: Height of the model's input, in pixels.
LINE_HEIGHT = 48
#: Widest input (pixels at height 48): wider lines are squeezed to it (about 200 characters).
MAX_LINE_WIDTH = 2400
#: Narrowest input: PP-OCR's recogniser needs a few frames.
MIN_LINE_WIDTH = 32
#: Horizontal downsampling of the recogniser: one output frame per 8 input columns.
FRAME_WIDTH = 8
#: ONNX metadata keys: the dictionary (rapidocr's key) and ocrxtract's own description.
CHARACTER_KEY = "character"
INFO_KEY = "ocrxtract_htr"
#: The shipped model: ``models/htr-fr/`` (or ``$OCRXTRACT_MODELS_DIR/htr-fr``);
#: ``$OCRXTRACT_HTR_MODEL`` (an ONNX file) replaces it.
MODEL_NAME = "htr-fr"
MODEL_FILE = "htr-fr.onnx"
LM_FILE = "htr-fr.lm.json"
ENV_MODEL = "OCRXTRACT_HTR_MODEL"
#: The repository root when the package is used from a checkout (src layout).
REPO_ROOT = Path(__file__).resolve().parents[3]

FloatArray = npt.NDArray[np.float32]


def shipped_model_dir() -> Path:
    """The folder of the shipped model: ``$OCRXTRACT_MODELS_DIR/htr-fr`` when it exists, else
    the repository's ``models/htr-fr`` (as for the fields models; it may be missing:
    :func:`find_model` says so)."""
    if os.environ.get("OCRXTRACT_MODELS_DIR"):
        configured = Path(os.environ["OCRXTRACT_MODELS_DIR"]).expanduser() / MODEL_NAME
        if configured.is_dir():
            return configured
    return REPO_ROOT / "models" / MODEL_NAME


def find_model(path: Path | None = None) -> Path:
    """The recognition model to read: ``path``, else ``$OCRXTRACT_HTR_MODEL``, else the shipped one.

    Raises:
        ModelNotFoundError: the file is not there.
    """
    if path is None and os.environ.get(ENV_MODEL):
        path = Path(os.environ[ENV_MODEL]).expanduser()
    if path is None:
        path = shipped_model_dir() / MODEL_FILE
    if not path.is_file():
        raise ModelNotFoundError(
            "htr",
            f"recognition model {path} not found",
            "reinstall ocrxtract (the model ships with it) or train one: ocrxtract train htr",
        )
    return path


def to_grey(image: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """An RGB, RGBA or grey image as a grey ``uint8`` array."""
    pixels = np.asarray(image)
    if pixels.ndim == 3:
        pixels = pixels[..., :3].astype(np.float32) @ np.array(
            [0.299, 0.587, 0.114], dtype=np.float32
        )
    grey: npt.NDArray[np.uint8] = np.clip(pixels, 0, 255).astype(np.uint8)
    return grey


def line_width(height: int, width: int) -> int:
    """Width of a ``height`` x ``width`` line once scaled to the model's height (clamped)."""
    scaled = int(np.ceil(width * LINE_HEIGHT / max(1, height)))
    return min(MAX_LINE_WIDTH, max(MIN_LINE_WIDTH, scaled))


def line_tensor(grey: npt.NDArray[np.uint8]) -> FloatArray:
    """A grey line image as the model's ``[48, W]`` input (normalised; channels added later)."""
    import cv2

    height, width = grey.shape[:2]
    target = line_width(height, width)
    if height == 0 or width == 0:
        return np.zeros((LINE_HEIGHT, target), dtype=np.float32)
    interpolation = cv2.INTER_AREA if height > LINE_HEIGHT else cv2.INTER_LINEAR
    resized = cv2.resize(grey, (target, LINE_HEIGHT), interpolation=interpolation)
    return (resized.astype(np.float32) / 255.0 - 0.5) / 0.5


def batch_tensor(lines: Sequence[FloatArray]) -> tuple[FloatArray, list[int]]:
    """Lines of one batch as ``[N, 3, 48, W]`` (right-padded with zeros) and their widths."""
    widths = [line.shape[1] for line in lines]
    batch = np.zeros((len(lines), 3, LINE_HEIGHT, max(widths)), dtype=np.float32)
    for i, line in enumerate(lines):
        batch[i, :, :, : line.shape[1]] = line[None]
    return batch, widths


def frames(width: int) -> int:
    """Output frames that belong to a line of ``width`` input columns (the rest is padding)."""
    return max(1, -(-width // FRAME_WIDTH))


def greedy_decode(
    probs: FloatArray, alphabet: Sequence[str], length: int | None = None
) -> tuple[str, float]:
    """Best path CTC decoding of one line: ``[T, C]`` probabilities -> text and confidence.

    The confidence is the mean probability of the characters kept (1.0 for an empty line).
    """
    if length is not None:
        probs = probs[:length]
    best = probs.argmax(axis=1)
    scores = probs.max(axis=1)
    keep = (best != 0) & np.concatenate(([True], best[1:] != best[:-1]))
    text = "".join(alphabet[i] for i in best[keep])
    confidence = float(scores[keep].mean()) if keep.any() else 1.0
    return text.strip(), confidence


@dataclass
class Recognizer:
    """An ONNX recognition model on ONNX Runtime, read once, for batches of line images.

    Attributes:
        path: The ONNX file.
        threads: ONNX Runtime intra-op threads (``0``: one per core).
        batch_size: Lines per forward pass (lines of similar width are batched together).
    """

    path: Path
    threads: int = 0
    batch_size: int = 16
    alphabet: list[str] = field(init=False)
    info: dict[str, Any] = field(init=False)
    _session: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(self.path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        metadata = self._session.get_modelmeta().custom_metadata_map
        if CHARACTER_KEY not in metadata:
            raise ModelNotFoundError(
                "htr", f"{self.path} holds no '{CHARACTER_KEY}' metadata (not a PP-OCR rec model)"
            )
        self.alphabet = ["", *metadata[CHARACTER_KEY].split("\n"), " "]
        self.info = json.loads(metadata.get(INFO_KEY, "{}"))

    def probabilities(self, lines: Sequence[npt.NDArray[np.uint8]]) -> list[FloatArray]:
        """Per line (grey images), its ``[T, C]`` character probabilities, padding cut off.

        Lines are sorted by width and read ``batch_size`` at a time, so padding stays small.
        """
        tensors = [line_tensor(line) for line in lines]
        order = sorted(range(len(tensors)), key=lambda i: tensors[i].shape[1])
        out: list[FloatArray | None] = [None] * len(tensors)
        name = self._session.get_inputs()[0].name
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            batch, widths = batch_tensor([tensors[i] for i in chunk])
            probs = self._session.run(None, {name: batch})[0]
            for row, i in enumerate(chunk):
                out[i] = np.asarray(probs[row, : frames(widths[row])], dtype=np.float32)
        return [p for p in out if p is not None]
