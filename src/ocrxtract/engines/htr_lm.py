"""A French character n-gram language model and CTC prefix beam search for the ``htr`` engine.

The model counts character n-grams of training transcriptions (:meth:`CharLM.train`) and
smooths them by Witten-Bell interpolation down to a uniform distribution over the alphabet;
lines start and end with a boundary symbol. It is small (a JSON file of pruned counts) and
pure Python, so decoding needs nothing beyond numpy.

Decoding (:func:`beam_decode`) is the CTC prefix beam search (Hannun et al. 2014) with shallow
fusion: a prefix scores ``log P_ctc + weight * log P_lm + bonus * length``. ``weight`` and
``bonus`` are tuned on validation lines when the model is trained and stored with the counts.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

#: Marks the start and the end of a line in the counts (never in a transcription).
BOUNDARY = "\n"
NEG_INF = -math.inf


@dataclass
class CharLM:
    """Character n-gram counts with Witten-Bell smoothing.

    Attributes:
        order: n (the longest n-gram counted; contexts have ``order - 1`` characters).
        alphabet: Symbols the model may emit (the boundary is added).
        counts: Context -> next symbol -> count, for every context length below ``order``.
        weight: Language model weight in beam search.
        bonus: Per-character bonus in beam search (counters the model's preference for
            short outputs).
    """

    order: int
    alphabet: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    weight: float = 0.5
    bonus: float = 0.5
    _cache: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)
    _totals: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def train(
        cls, texts: Iterable[str], alphabet: Sequence[str], order: int = 6, min_count: int = 2
    ) -> CharLM:
        """Count the n-grams of ``texts`` (lines); n-grams longer than 3 seen fewer than
        ``min_count`` times are pruned (they rarely help and make the file large)."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        known = set(alphabet)
        for text in texts:
            if not text or any(symbol not in known for symbol in text):
                continue
            padded = BOUNDARY * (order - 1) + text + BOUNDARY
            for i in range(order - 1, len(padded)):
                symbol = padded[i]
                for n in range(order):
                    counts[padded[i - n : i]][symbol] += 1
        pruned = {
            context: {s: c for s, c in nexts.items() if len(context) < 3 or c >= min_count}
            for context, nexts in counts.items()
        }
        return cls(order, list(alphabet), {k: v for k, v in pruned.items() if v})

    def logprob(self, context: str, symbol: str) -> float:
        """``log P(symbol | context)`` (natural log); the context may hold boundaries."""
        context = context[-(self.order - 1) :] if self.order > 1 else ""
        key = (context, symbol)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = math.log(self._prob(context, symbol))
        return cached

    def _prob(self, context: str, symbol: str) -> float:
        probability = 1.0 / (len(self.alphabet) + 1)
        for n in range(len(context) + 1):
            history = context[len(context) - n :]
            nexts = self.counts.get(history)
            if not nexts:
                break
            total, types = self._totals.get(history) or self._total(history, nexts)
            probability = (nexts.get(symbol, 0) + types * probability) / (total + types)
        return probability

    def _total(self, history: str, nexts: dict[str, int]) -> tuple[int, int]:
        self._totals[history] = (sum(nexts.values()), len(nexts))
        return self._totals[history]

    def text_logprob(self, text: str) -> float:
        """Log probability of a whole line (boundaries included)."""
        context, total = BOUNDARY * (self.order - 1), 0.0
        for symbol in [*text, BOUNDARY]:
            total += self.logprob(context, symbol)
            context = (context + symbol)[-(self.order - 1) :]
        return total

    def save(self, path: Path) -> Path:
        """Write the model as JSON (UTF-8)."""
        payload = {
            "format": "ocrxtract-char-ngram/1",
            "order": self.order,
            "weight": self.weight,
            "bonus": self.bonus,
            "alphabet": self.alphabet,
            "counts": self.counts,
        }
        path.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> CharLM:
        """Read a model written by :meth:`save`.

        Raises:
            ValueError: not such a file.
        """
        payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("format") != "ocrxtract-char-ngram/1":
            raise ValueError(f"{path} is not an ocrxtract character n-gram model")
        return cls(
            order=int(payload["order"]),
            alphabet=list(payload["alphabet"]),
            counts={k: dict(v) for k, v in payload["counts"].items()},
            weight=float(payload["weight"]),
            bonus=float(payload["bonus"]),
        )


def _logaddexp(a: float, b: float) -> float:
    if a == NEG_INF:
        return b
    if b == NEG_INF:
        return a
    high, low = (a, b) if a > b else (b, a)
    return high + math.log1p(math.exp(low - high))


def beam_decode(
    probs: npt.NDArray[np.float32],
    alphabet: Sequence[str],
    lm: CharLM | None = None,
    *,
    beam: int = 8,
    prune: float = 1e-3,
    weight: float | None = None,
    bonus: float | None = None,
) -> str:
    """CTC prefix beam search over ``[T, C]`` probabilities (index 0: blank).

    Args:
        probs: Character probabilities of one line, padding cut off.
        alphabet: Symbol of each class (``""`` for the blank).
        lm: Character language model fused with weight ``weight`` (``None``: none).
        beam: Prefixes kept after each frame.
        prune: Classes below this probability in a frame are not extended.
        weight, bonus: Override the language model's tuned values.
    """
    weight = (lm.weight if lm else 0.0) if weight is None else weight
    bonus = (lm.bonus if lm else 0.0) if bonus is None else bonus
    start = BOUNDARY * ((lm.order - 1) if lm else 1)
    logp = np.log(np.maximum(probs, 1e-12))
    # prefix -> (log P ending in blank, log P ending in non-blank), and its fused LM score
    beams: dict[str, tuple[float, float]] = {"": (0.0, NEG_INF)}
    lm_score: dict[str, float] = {"": 0.0}

    def extend_score(prefix: str, symbol: str) -> float:
        key = prefix + symbol
        if key not in lm_score:
            lm_part = lm.logprob(start + prefix, symbol) if lm is not None else 0.0
            lm_score[key] = lm_score[prefix] + weight * lm_part + bonus
        return lm_score[key]

    for t in range(logp.shape[0]):
        frame = logp[t]
        candidates = np.nonzero(probs[t] >= prune)[0]
        if candidates.size == 0:
            candidates = np.array([int(probs[t].argmax())])
        following: dict[str, tuple[float, float]] = defaultdict(lambda: (NEG_INF, NEG_INF))
        for prefix, (p_blank, p_char) in beams.items():
            total = _logaddexp(p_blank, p_char)
            for index in candidates:
                p = float(frame[index])
                if index == 0:
                    b, c = following[prefix]
                    following[prefix] = (_logaddexp(b, total + p), c)
                    continue
                symbol = alphabet[int(index)]
                extended = prefix + symbol
                extend_score(prefix, symbol)
                b, c = following[extended]
                if prefix and prefix[-1] == symbol:
                    # a repeated symbol needs a blank in between; without one it collapses
                    following[extended] = (b, _logaddexp(c, p_blank + p))
                    b0, c0 = following[prefix]
                    following[prefix] = (b0, _logaddexp(c0, p_char + p))
                else:
                    following[extended] = (b, _logaddexp(c, total + p))
        ranked = sorted(
            following.items(),
            key=lambda item: _logaddexp(*item[1]) + lm_score[item[0]],
            reverse=True,
        )
        beams = dict(ranked[:beam])

    def final(item: tuple[str, tuple[float, float]]) -> float:
        prefix, (p_blank, p_char) = item
        end = weight * lm.logprob(start + prefix, BOUNDARY) if lm is not None else 0.0
        return _logaddexp(p_blank, p_char) + lm_score[prefix] + end

    best = max(beams.items(), key=final)[0]
    return " ".join(best.split())
