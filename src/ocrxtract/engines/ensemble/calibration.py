"""Calibrated word confidences: the chance that a word an engine read is right.

Engines' confidences are not comparable (Tesseract's word confidence and RapidOCR's line score
mean different things), so the ensemble votes with calibrated ones: for each engine, a table
gives, by situation (whether the other engines read nothing there, the same letters or
something else), kind of word (:func:`word_class`) and confidence bin, the share of such words
that were right on the calibration pages (a word is right when the reference line it lies on
holds the same word). A word alone is right less often than the same word read by two engines:
that is what lets the vote drop the stray marks one engine reads. The table is fitted by
``benchmarks/ensemble_calibration.py`` and stored as JSON beside this module
(``calibration.json``); a word of an engine or kind the table does not know gets its raw
confidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ocrxtract.errors import InputError
from ocrxtract.fr.lexicon import Lexicon

#: The calibration shipped with ocrxtract.
DEFAULT_CALIBRATION = Path(__file__).with_name("calibration.json")

#: Upper edges of the confidence bins (the first bin starts at 0).
BIN_EDGES: tuple[float, ...] = (0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0)

_LETTERS = re.compile(r"[^\W\d_]+")
_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")

#: Pseudo-counts pulling a sparse bin towards its class's overall rate.
PRIOR_WEIGHT = 4.0


def _stripped(text: str) -> str:
    return _PUNCTUATION.sub("", text)


def word_class(text: str, lexicon: Lexicon | None) -> str:
    """The kind of word ``text`` is, calibrated apart: ``known`` (in the French word list,
    :meth:`Lexicon.knows`), ``unknown`` (a lower-case word that is not), ``name`` (a
    capitalised word that is not: names, places), ``number`` (a digit in it), ``other``
    (punctuation, symbols); ``alpha`` for the three first when no word list is installed
    (``lexicon`` ``None``)."""
    core = _stripped(text)
    if not core:
        return "other"
    if any(ch.isdigit() for ch in core):
        return "number"
    if not _LETTERS.fullmatch(core.replace("'", "").replace("’", "").replace("-", "")):
        return "other"
    if lexicon is None:
        return "alpha"
    if all(lexicon.knows(part) for part in re.split(r"['’-]", core.lower()) if part):
        return "known"
    return "name" if core[0].isupper() else "unknown"


def confidence_bin(confidence: float | None) -> int:
    """The bin of ``confidence`` (``None`` counts as the middle)."""
    value = 0.5 if confidence is None else min(max(confidence, 0.0), 1.0)
    for index, edge in enumerate(BIN_EDGES):
        if value <= edge:
            return index
    return len(BIN_EDGES) - 1


@dataclass(frozen=True)
class Calibration:
    """Per engine, situation and word class, the share of right words in each confidence bin.

    Attributes:
        rates: ``{engine: {"situation:class": [rate per bin]}}``.
        counts: The number of calibration words behind each rate (same shape).
        source: What the table was fitted on (pages, seeds, command).
    """

    rates: Mapping[str, Mapping[str, tuple[float, ...]]]
    counts: Mapping[str, Mapping[str, tuple[int, ...]]]
    source: str = ""

    def engines(self) -> list[str]:
        return sorted(self.rates)

    def probability(
        self, engine: str, confidence: float | None, kind: str, situation: str
    ) -> float:
        """The chance that a word of ``kind`` (:func:`word_class`), read by ``engine`` with
        ``confidence``, is right, in ``situation`` (``alone``, ``agree`` or ``differ``: what the
        other engines read there, :mod:`.vote`)."""
        table = self.rates.get(engine, {}).get(f"{situation}:{kind}")
        if table is None:
            return 0.5 if confidence is None else float(confidence)
        return table[confidence_bin(confidence)]

    def to_json(self) -> dict[str, Any]:
        return {
            "bin_edges": list(BIN_EDGES),
            "source": self.source,
            "rates": {e: {k: list(v) for k, v in t.items()} for e, t in self.rates.items()},
            "counts": {e: {k: list(v) for k, v in t.items()} for e, t in self.counts.items()},
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n")


def fit_calibration(
    observations: Iterable[tuple[str, str, float | None, bool]], source: str = ""
) -> Calibration:
    """A calibration from ``(engine, "situation:word class", confidence, right)``
    observations: each bin's rate of right words, smoothed towards its row's overall rate by
    :data:`PRIOR_WEIGHT`."""
    bins = len(BIN_EDGES)
    right: dict[str, dict[str, list[int]]] = {}
    seen: dict[str, dict[str, list[int]]] = {}
    for engine, kind, confidence, ok in observations:
        index = confidence_bin(confidence)
        r = right.setdefault(engine, {}).setdefault(kind, [0] * bins)
        s = seen.setdefault(engine, {}).setdefault(kind, [0] * bins)
        s[index] += 1
        r[index] += int(ok)
    rates: dict[str, dict[str, tuple[float, ...]]] = {}
    for engine, kinds in seen.items():
        for kind, counts in kinds.items():
            hits = right[engine][kind]
            overall = (sum(hits) + 1) / (sum(counts) + 2)
            rates.setdefault(engine, {})[kind] = tuple(
                round((h + PRIOR_WEIGHT * overall) / (n + PRIOR_WEIGHT), 4)
                for h, n in zip(hits, counts, strict=True)
            )
    counts_out = {e: {k: tuple(v) for k, v in t.items()} for e, t in seen.items()}
    return Calibration(rates=rates, counts=counts_out, source=source)


_REFIT = (
    "refit it with python benchmarks/ensemble_calibration.py, or pass another with "
    "-O calibration=FILE"
)


def load_calibration(path: Path = DEFAULT_CALIBRATION) -> Calibration:
    """The calibration stored at ``path`` (read again when the file changes).

    Raises:
        InputError: the file is missing or not a calibration table.
    """
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise InputError(path, f"no calibration table here ({exc.strerror})", _REFIT) from exc
    return _load(path, stamp)


@lru_cache(maxsize=4)
def _load(path: Path, stamp: int) -> Calibration:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if list(raw["bin_edges"]) != list(BIN_EDGES):
            raise ValueError(f"bin edges {raw['bin_edges']} differ from {list(BIN_EDGES)}")
        rates = {
            e: {k: tuple(map(float, v)) for k, v in t.items()} for e, t in raw["rates"].items()
        }
        counts = {
            e: {k: tuple(map(int, v)) for k, v in t.items()} for e, t in raw["counts"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(path, f"not an ensemble calibration table ({exc})", _REFIT) from exc
    return Calibration(rates=rates, counts=counts, source=str(raw.get("source", "")))
