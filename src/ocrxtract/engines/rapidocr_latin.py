"""PP-OCRv6's recogniser with its classifier cut to the symbols of Latin-script pages.

The shipped recognition model scores all 18 708 symbols of its dictionary at every time step;
on a French page ``latin_only`` masks all but a few hundred of them before decoding anyway. A
copy of the model whose last layer keeps only those columns (and whose embedded dictionary
keeps only those symbols) does less work: the classifier's matrix product, the softmax and the
decoder's search shrink ~10-fold with the reject pool below (18 710 classes -> 1 915; cut to
the Latin symbols alone, the copy saved 12 % of a line's recognition time,
``benchmarks/rapidocr_variants.py``; the pool's columns give part of it back, not measured
alone). The text of a clean line is the same; its score would
not be if only the Latin columns were kept: the softmax would share the probability among Latin
symbols only, so a stray mark that the whole model half-read as a Chinese character would score
higher and pass ``text_score`` more often (measured on Tapuscorpus pages: more ditto marks and
stamps read as text). Hence the **reject pool** (:func:`reject_pool`): the 1 000 non-Latin
symbols that take the most probability on real pages keep their columns (80 % of the non-Latin
probability on pages the benchmarks do not score, ``benchmarks/rapidocr_reject_pool.py``);
decoding masks them like every non-Latin symbol, but they keep their share of the softmax.

The copy is derived once from the wheel's file and cached under a name holding the file's
content hash and the pool's (``$OCRXTRACT_CACHE_DIR/models`` or ``~/.cache/ocrxtract/models``),
written atomically: a new rapidocr wheel or a new pool gives a new copy, never a stale one.
Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

#: The cache root shared with the benchmark's output cache (``ocrxtract.bench.cache``).
ENV_CACHE_DIR = "OCRXTRACT_CACHE_DIR"


#: Code point ranges kept for Latin-script languages: Latin letters (with their extensions and
#: combining accents), general punctuation, currency, letter-like symbols, number forms,
#: arrows and mathematical operators.
LATIN_RANGES = (
    (0x0000, 0x024F),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x22FF),
)


#: Version of :func:`cut_to_latin`'s output, in the cached copy's name: a copy written by an
#: older ocrxtract is derived again, not reused.
CUT_FORMAT = 2


def latin_symbol(symbol: str) -> bool:
    """Whether a dictionary symbol may be decoded on a Latin-script page."""
    return all(any(lo <= ord(c) <= hi for lo, hi in LATIN_RANGES) for c in symbol)


def models_cache_dir() -> Path:
    """``$OCRXTRACT_CACHE_DIR/models``, or ``models`` in the user cache folder."""
    root = os.environ.get(ENV_CACHE_DIR)
    if root:
        return Path(root).expanduser() / "models"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "ocrxtract" / "models"


@lru_cache(maxsize=8)
def _content_hash(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cut_to_latin(source: Path, target: Path, pool: Collection[str] = ()) -> int:
    """Write ``source`` with its classifier and dictionary cut to the Latin symbols.

    Args:
        pool: Other symbols whose columns are kept too (see :func:`reject_pool`): decoding
            masks them, but the softmax still shares the probability with them.

    Returns:
        How many classes the cut model scores (the CTC blank and the space included).

    Raises:
        ValueError: the model has no embedded dictionary or no final matrix product + bias.
    """
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(source))
    metadata = {p.key: p for p in model.metadata_props}
    if "character" not in metadata:
        raise ValueError(f"{source}: no 'character' dictionary in the model's metadata")
    characters = metadata["character"].value.splitlines()
    labels = ["", *characters, " "]  # rapidocr's classes: blank, the dictionary, the space
    extra = set(pool)
    keep = np.array([i == 0 or latin_symbol(c) or c in extra for i, c in enumerate(labels)])
    keep[-1] = True  # the space stays the last class, as rapidocr appends it
    initialisers = {i.name: i for i in model.graph.initializer}
    matmuls = [n for n in model.graph.node if n.op_type == "MatMul"]
    if not matmuls or matmuls[-1].input[1] not in initialisers:
        raise ValueError(f"{source}: no final matrix product with constant weights")
    last = matmuls[-1]
    weight = initialisers[last.input[1]]
    add = next((n for n in model.graph.node if last.output[0] in n.input), None)
    bias_name = next((i for i in add.input if i in initialisers), None) if add else None
    weights = numpy_helper.to_array(weight)
    if bias_name is None or weights.shape[1] != len(labels):
        raise ValueError(f"{source}: its classifier does not match its dictionary")
    bias = initialisers[bias_name]
    weight.CopyFrom(numpy_helper.from_array(weights[:, keep], weight.name))
    bias.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(bias)[keep], bias.name))
    # Every tensor declared with the classifier's width (its product, the bias sum, the
    # softmax) gets the cut width: onnxruntime warns at each load about declared shapes it
    # cannot merge otherwise.
    for declared in [*model.graph.value_info, *model.graph.output]:
        dims = declared.type.tensor_type.shape.dim
        if dims and dims[-1].dim_value == len(labels):
            dims[-1].dim_value = int(keep.sum())
    kept = [c for c, k in zip(characters, keep[1:-1], strict=True) if k]
    metadata["character"].value = "\n".join(kept)
    onnx.save(model, str(target))
    return int(keep.sum())


def latin_model(source: Path, cache: Path | None = None, pool: Sequence[str] = ()) -> Path:
    """The cached Latin copy of ``source`` (with the columns of ``pool`` kept), derived on
    first use.

    Raises:
        OSError: the cache folder cannot be written.
        ValueError, ImportError: the model cannot be cut (see :func:`cut_to_latin`).
    """
    folder = cache or models_cache_dir()
    stat = source.stat()
    digest = _content_hash(str(source), stat.st_size, stat.st_mtime_ns)
    name = f"{source.stem}.latin-{digest[:16]}-v{CUT_FORMAT}"
    if pool:
        name += "-pool-" + hashlib.sha256("\n".join(pool).encode()).hexdigest()[:8]
    target = folder / f"{name}.onnx"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".onnx.part")
    os.close(handle)
    try:
        classes = cut_to_latin(source, Path(temporary), pool)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    log.info("%s: Latin recogniser written to %s (%d classes)", source.name, target, classes)
    return target


#: The shipped reject pool: non-Latin symbols kept in the cut classifier, one per line.
REJECT_POOL = Path(__file__).with_name("rapidocr_reject_pool.txt")


@lru_cache(maxsize=4)
def reject_pool(path: Path = REJECT_POOL) -> tuple[str, ...]:
    """The non-Latin symbols whose columns the cut recogniser keeps, most probable first."""
    return tuple(line for line in path.read_text(encoding="utf-8").split("\n") if line)
