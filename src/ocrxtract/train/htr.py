"""``ocrxtract train htr``: fine-tune PP-OCRv6's recogniser on French handwritten lines.

One call of :func:`train_htr` does everything the shipped model needs, in ``out``:

1. split each dataset by page (:mod:`.htr_data`; the committed split when the registry has
   one), crop the lines of the training and validation pages;
2. decide the character set from the training lines, convert the base model to PyTorch with
   its classifier cut to that set (:mod:`.htr_model`);
3. train with the CTC loss (AdamW, warm-up then cosine decay, augmentation), evaluate the
   validation lines every ``eval_every`` steps, keep the best weights, stop early after
   ``patience`` evaluations without progress, or at ``max_steps`` / ``max_minutes``;
   ``checkpoint.pt`` is written at every evaluation, and a new call with the same ``out``
   resumes from it;
4. export the best weights to ONNX (``htr-fr.onnx``), count the character n-grams of the
   training lines (``htr-fr.lm.json``) and tune their weight on the validation lines;
5. score the validation and test lines of every dataset (greedy and with the language model)
   and write ``metrics.json`` and ``MODEL_CARD.md``.

Everything runs on CPU; ``threads`` sets torch's thread count.
"""

from __future__ import annotations

import json
import logging
import math
import platform
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ocrxtract.engines.htr_lm import CharLM, beam_decode
from ocrxtract.engines.htr_runtime import (
    LM_FILE,
    MODEL_FILE,
    Recognizer,
    batch_tensor,
    frames,
    greedy_decode,
    line_tensor,
)
from ocrxtract.errors import UsageError
from ocrxtract.metrics.text import TextScore, score_text
from ocrxtract.stamp import machine
from ocrxtract.train.htr_data import (
    SPLITS,
    TEST,
    TRAIN,
    VAL,
    LineCrop,
    augment,
    build_charset,
    encode,
    page_split,
    read_lines,
    width_batches,
)

log = logging.getLogger(__name__)

CHECKPOINT = "checkpoint.pt"
BEST = "best.pt"
HISTORY = "history.jsonl"
METRICS = "metrics.json"
CARD = "MODEL_CARD.md"
SPLIT_FILE = "splits.yml"


def reproduce_command(options: dict[str, Any]) -> str:
    """The ``ocrxtract train htr`` command line of a run's options (defaults left out)."""
    defaults = HtrTrainOptions(datasets=("x",), out=Path("x")).model_dump(mode="json")
    words = ["ocrxtract train htr", "--dataset", ",".join(options["datasets"])]
    if options.get("held_out"):
        words += ["--held-out", ",".join(options["held_out"])]
    words += ["--out", "DIR"]
    for key, value in options.items():
        if key in {"datasets", "held_out", "out", "base_model"} or value == defaults.get(key):
            continue
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            words.append(flag if value else "--no-" + key.replace("_", "-"))
        elif value is not None:
            words += [flag, str(value)]
    return " ".join(words)


def split_file_text(splits: dict[str, dict[str, str]], command: str = "") -> str:
    """The page split of a run as a split file (``split_file`` in ``datasets.yml``): dataset ->
    split -> sample ids, sorted, so that benchmarks can score the pages a model never saw."""
    import yaml

    body: dict[str, dict[str, list[str]]] = {}
    for dataset, assigned in sorted(splits.items()):
        by_split: dict[str, list[str]] = {}
        for sample_id, split in sorted(assigned.items()):
            by_split.setdefault(split, []).append(sample_id)
        body[dataset] = {split: by_split[split] for split in SPLITS if split in by_split}
    header = (
        "# Page split of the handwriting recogniser (models/htr-fr): htr-train pages trained it,\n"
        "# htr-val pages chose its best step and language model weight, htr-test pages never\n"
        "# touched it (datasets held out of training are htr-test whole).\n"
        + (f"# Written by: {command}\n" if command else "")
    )
    return header + yaml.safe_dump({"datasets": body}, allow_unicode=True, sort_keys=False)


class HtrTrainOptions(BaseModel):
    """What ``ocrxtract train htr`` is asked to do.

    Attributes:
        datasets: Datasets whose training pages train the model (and whose validation and
            test pages score it).
        held_out: Datasets kept out of training entirely: all their pages are test pages.
        out: Folder of the run (checkpoints, model, card); resumed when it holds a checkpoint.
        base_model: The ONNX recogniser to start from (default: PP-OCRv6 small, rapidocr).
        max_steps: Optimiser steps at most (also the length of the cosine schedule).
        max_minutes: Stop (with a checkpoint) after this much training time in this call.
        batch_size: Lines per step.
        learning_rate: Peak learning rate (AdamW).
        weight_decay: AdamW weight decay.
        warmup_steps: Linear warm-up steps.
        eval_every: Steps between validations (and checkpoints).
        patience: Validations without a better CER before stopping.
        val_lines: Validation lines scored during training (a fixed, spread subset).
        augment: Distort training lines (slant, scale, elastic, ink and paper noise).
        lines_per_dataset: Read at most this many lines of each split of each dataset
            (smoke runs); ``None``: all.
        lm_order: Order of the character language model.
        seed: Seed of every random draw.
        threads: torch threads.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    datasets: tuple[str, ...] = Field(min_length=1)
    held_out: tuple[str, ...] = ()
    out: Path
    base_model: Path | None = None
    max_steps: int = Field(default=4000, ge=1)
    max_minutes: float | None = Field(default=None, gt=0)
    batch_size: int = Field(default=8, ge=1)
    learning_rate: float = Field(default=3e-4, gt=0)
    weight_decay: float = Field(default=0.01, ge=0)
    warmup_steps: int = Field(default=100, ge=0)
    eval_every: int = Field(default=200, ge=1)
    patience: int = Field(default=5, ge=1)
    val_lines: int = Field(default=400, ge=1)
    augment: bool = True
    lines_per_dataset: int | None = Field(default=None, ge=1)
    lm_order: int = Field(default=6, ge=1, le=10)
    seed: int = 0
    threads: int = Field(default=2, ge=1)


class TrainEvent(BaseModel):
    """Progress of a run, for a console: a step, a validation or a phase."""

    kind: str
    step: int = 0
    loss: float | None = None
    val_cer: float | None = None
    message: str = ""


Progress = Callable[[TrainEvent], None]


def _split_lines(
    options: HtrTrainOptions, progress: Progress
) -> tuple[dict[str, list[LineCrop]], dict[str, dict[str, str]]]:
    """Lines by split, and each dataset's page split (sample id -> split)."""
    from ocrxtract.datasets import load_dataset

    lines: dict[str, list[LineCrop]] = {TRAIN: [], VAL: [], TEST: []}
    splits: dict[str, dict[str, str]] = {}
    for name in (*options.datasets, *options.held_out):
        held_out = name in options.held_out
        samples = list(load_dataset(name))
        rule = page_split(name, [s.sample_id for s in samples], held_out=held_out)
        assigned = {
            s.sample_id: TEST if held_out else (s.split if s.split in SPLITS else rule[s.sample_id])
            for s in samples
        }
        splits[name] = assigned
        for split in SPLITS:
            pages = [s for s in samples if assigned[s.sample_id] == split]
            chosen = read_lines(pages)
            if options.lines_per_dataset is not None:
                chosen = chosen[: options.lines_per_dataset]
            lines[split] += chosen
        counts = {k: sum(v == k for v in assigned.values()) for k in SPLITS}
        progress(TrainEvent(kind="data", message=f"{name}: pages {counts}"))
    return lines, splits


def _spread(items: Sequence[Any], count: int) -> list[Any]:
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _rate(step: int, options: HtrTrainOptions) -> float:
    if step < options.warmup_steps:
        return (step + 1) / options.warmup_steps
    progress = (step - options.warmup_steps) / max(1, options.max_steps - options.warmup_steps)
    return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def _torch_cer(module: Any, lines: Sequence[LineCrop], alphabet: Sequence[str], size: int) -> float:
    """Greedy CER of the torch module on ``lines`` (evaluation mode, no augmentation)."""
    import torch

    from ocrxtract.train.htr_model import train_mode

    module.eval()
    total = TextScore()
    order = sorted(range(len(lines)), key=lambda i: lines[i].image.shape[1])
    with torch.no_grad():
        for start in range(0, len(order), size):
            chunk = [lines[i] for i in order[start : start + size]]
            batch, widths = batch_tensor([line_tensor(line.exact()) for line in chunk])
            probs = torch.softmax(module(torch.from_numpy(batch)), dim=2).numpy()
            for row, line in enumerate(chunk):
                text, _ = greedy_decode(probs[row], alphabet, frames(widths[row]))
                total += score_text(line.text, text)
    train_mode(module)
    return total.cer


class _Run:
    """The state of one training run: model, optimiser, schedule, counters, and its files."""

    def __init__(
        self,
        options: HtrTrainOptions,
        lines: dict[str, list[LineCrop]],
        checkpoint: dict[str, Any] | None,
        report: Progress,
    ) -> None:
        import torch

        from ocrxtract.train.htr_model import base_model_path, torch_model

        self.options, self.report = options, report
        alphabet = (
            checkpoint["alphabet"]
            if checkpoint
            else build_charset(line.text for line in lines[TRAIN])
        )
        index = {symbol: i for i, symbol in enumerate(alphabet)}
        self.examples = [
            (line, label) for line in lines[TRAIN] if (label := encode(line.text, index))
        ]
        if not self.examples:
            raise UsageError("no training line: check --dataset (held-out datasets do not train)")
        dropped = len(lines[TRAIN]) - len(self.examples)
        report(
            TrainEvent(
                kind="data",
                message=f"{len(self.examples)} training lines ({dropped} left out: "
                f"symbols outside the alphabet), {len(lines[VAL])} validation lines, "
                f"{len(lines[TEST])} test lines; alphabet of {len(alphabet) - 1} symbols",
            )
        )
        base = options.base_model or base_model_path()
        self.module, self.alphabet, self.counts = torch_model(base, alphabet)
        self.parameters = [p for p in self.module.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(
            self.parameters, lr=options.learning_rate, weight_decay=options.weight_decay
        )
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lambda s: _rate(s, options)
        )
        self.state: dict[str, Any] = {
            "step": 0,
            "best_cer": math.inf,
            "best_step": 0,
            "stale": 0,
            "seconds": 0.0,
            "epoch": 0,
        }
        if checkpoint is not None:
            self.module.load_state_dict(checkpoint["model"])
            self.optimizer.load_state_dict(checkpoint["optimizer"])
            self.scheduler.load_state_dict(checkpoint["scheduler"])
            self.state = checkpoint["state"]
            report(
                TrainEvent(
                    kind="resume",
                    step=self.state["step"],
                    message=f"resumed at step {self.state['step']} "
                    f"(best CER {self.state['best_cer']:.4f})",
                )
            )
        self.val = _spread(lines[VAL], options.val_lines)
        self.ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
        self.widths = [t[0].image.shape[1] for t in self.examples]
        self.started = time.monotonic()
        self.seconds_before = self.state["seconds"]
        self.running = 0.0

    def done(self) -> bool:
        state, options = self.state, self.options
        return bool(state["step"] >= options.max_steps or state["stale"] >= options.patience)

    def step(self, batch_indices: Sequence[int], rng: np.random.Generator) -> None:
        """One optimiser step on the lines ``batch_indices`` (augmented when asked)."""
        import torch

        options = self.options
        items = [self.examples[i] for i in batch_indices]
        images = [augment(line, rng) if options.augment else line.exact() for line, _ in items]
        batch, batch_widths = batch_tensor([line_tensor(image) for image in images])
        logits = self.module(torch.from_numpy(batch))
        log_probs = torch.log_softmax(logits, dim=2).permute(1, 0, 2)
        targets = torch.tensor([s for _, label in items for s in label], dtype=torch.long)
        target_lengths = torch.tensor([len(label) for _, label in items], dtype=torch.long)
        input_lengths = torch.tensor(
            [min(logits.shape[1], frames(w)) for w in batch_widths], dtype=torch.long
        )
        loss = self.ctc(log_probs, targets, input_lengths, target_lengths)
        self.optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.parameters, 5.0)
        self.optimizer.step()
        self.scheduler.step()
        self.state["step"] += 1
        value = float(loss.detach())
        self.running = 0.9 * self.running + 0.1 * value if self.state["step"] > 1 else value
        self.report(TrainEvent(kind="step", step=self.state["step"], loss=self.running))

    def evaluate(self) -> None:
        """Score the validation lines; keep the best weights; checkpoint; log the history."""
        options, state = self.options, self.state
        cer = (
            _torch_cer(self.module, self.val, self.alphabet, options.batch_size * 2)
            if self.val
            else 0.0
        )
        if cer < state["best_cer"]:
            state.update(best_cer=cer, best_step=state["step"], stale=0)
            self.save(options.out / BEST)
        else:
            state["stale"] += 1
        self.save(options.out / CHECKPOINT)
        entry = {
            "step": state["step"],
            "loss": self.running,
            "val_cer": cer,
            "lr": self.scheduler.get_last_lr()[0],
            "seconds": state["seconds"],
        }
        with (options.out / HISTORY).open("a", encoding="utf-8") as history:
            history.write(json.dumps(entry) + "\n")
        self.report(TrainEvent(kind="eval", step=state["step"], loss=self.running, val_cer=cer))

    def out_of_time(self) -> bool:
        elapsed = (time.monotonic() - self.started) / 60
        return self.options.max_minutes is not None and elapsed >= self.options.max_minutes

    def save(self, path: Path) -> None:
        """Write the run's state to ``path`` atomically."""
        import torch

        self.state["seconds"] = self.seconds_before + time.monotonic() - self.started
        payload = {
            "model": self.module.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "state": self.state,
            "alphabet": self.alphabet,
            "options": self.options.model_dump(mode="json"),
        }
        partial = path.with_name(path.name + ".partial")
        torch.save(payload, partial)
        partial.replace(path)

    def train(self) -> bool:
        """Train until done (``True``) or out of time (``False``, checkpoint written)."""
        options, state = self.options, self.state
        while not self.done():
            rng = np.random.default_rng(options.seed + 1000 * state["epoch"] + state["step"])
            for batch_indices in width_batches(self.widths, options.batch_size, rng):
                self.step(batch_indices, rng)
                out_of_time = self.out_of_time()
                last = state["step"] >= options.max_steps
                if state["step"] % options.eval_every == 0 or last or out_of_time:
                    self.evaluate()
                    if self.done():
                        return True
                    if out_of_time:
                        return False
            state["epoch"] += 1
        return True


def train_htr(options: HtrTrainOptions, progress: Progress | None = None) -> dict[str, Any]:
    """Train, export and score a handwriting recogniser (see the module docstring).

    Returns:
        The content of ``metrics.json``, or ``{"paused": True, "step": N}`` when
        ``max_minutes`` ran out first (run again to resume).

    Raises:
        MissingDependencyError: torch or onnx2torch is not installed.
        UsageError: no training line.
    """
    from ocrxtract.train.htr_model import require_training_packages, train_mode

    require_training_packages()
    import torch

    report = progress or (lambda event: None)
    torch.set_num_threads(options.threads)
    torch.manual_seed(options.seed)
    options.out.mkdir(parents=True, exist_ok=True)
    lines, splits = _split_lines(options, report)
    checkpoint_path = options.out / CHECKPOINT
    checkpoint = (
        torch.load(checkpoint_path, weights_only=False) if checkpoint_path.exists() else None
    )
    run = _Run(options, lines, checkpoint, report)
    if not run.train():
        message = "time limit reached: run the same command again to resume"
        report(TrainEvent(kind="paused", step=run.state["step"], message=message))
        return {"paused": True, "step": run.state["step"]}
    best_path = options.out / BEST
    if best_path.exists():
        run.module.load_state_dict(torch.load(best_path, weights_only=False)["model"])
    train_mode(run.module)
    return finish(
        options,
        run.module,
        run.alphabet,
        lines=lines,
        splits=splits,
        state=run.state,
        counts=run.counts,
        report=report,
    )


def finish(
    options: HtrTrainOptions,
    module: Any,
    alphabet: list[str],
    *,
    lines: dict[str, list[LineCrop]],
    splits: dict[str, dict[str, str]],
    state: dict[str, Any],
    counts: dict[str, int],
    report: Progress,
) -> dict[str, Any]:
    """Export, build the language model, score every split and write the card."""
    from ocrxtract.train.htr_card import write_card
    from ocrxtract.train.htr_model import export_onnx

    out = options.out
    trained_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    info = {
        "name": "htr-fr",
        "base": "PP-OCRv6_rec_small (rapidocr wheel, Apache-2.0)",
        "trained": trained_at,
        "steps": state["best_step"],
        "datasets": list(options.datasets),
        "held_out": list(options.held_out),
    }
    model_path = export_onnx(module, alphabet, out / MODEL_FILE, info)
    report(TrainEvent(kind="phase", message=f"exported {model_path}"))
    lm = CharLM.train((line.text for line in lines[TRAIN]), alphabet[1:], order=options.lm_order)
    recognizer = Recognizer(model_path, threads=options.threads)
    probabilities = {
        split: recognizer.probabilities([line.exact() for line in lines[split]]) for split in SPLITS
    }
    lm.weight, lm.bonus = tune_lm(lm, alphabet, lines[VAL], probabilities[VAL])
    lm.save(out / LM_FILE)
    report(TrainEvent(kind="phase", message=f"language model weight {lm.weight}, bonus {lm.bonus}"))
    scores: dict[str, dict[str, dict[str, Any]]] = {}
    for split in (VAL, TEST):
        by_set: dict[str, dict[str, TextScore]] = defaultdict(
            lambda: {"greedy": TextScore(), "lm": TextScore()}
        )
        for line, probs in zip(lines[split], probabilities[split], strict=True):
            greedy, _ = greedy_decode(probs, alphabet)
            by_set[line.dataset]["greedy"] += score_text(line.text, greedy)
            by_set[line.dataset]["lm"] += score_text(line.text, beam_decode(probs, alphabet, lm))
        scores[split] = {
            name: {
                "lines": sum(1 for ln in lines[split] if ln.dataset == name),
                "cer_greedy": s["greedy"].cer,
                "cer_lm": s["lm"].cer,
                "characters": s["greedy"].char_reference,
            }
            for name, s in sorted(by_set.items())
        }
    metrics = {
        "model": str(model_path.name),
        "trained": trained_at,
        "steps": state["step"],
        "best_step": state["best_step"],
        "best_val_cer": state["best_cer"],
        "train_seconds": round(state["seconds"], 1),
        "hardware": f"{machine()['cpu']} ({machine()['usable_cores']} cores), CPU, "
        f"{options.threads} threads (torch), {platform.system()}",
        "train_lines": len(lines[TRAIN]),
        "alphabet": "".join(alphabet[1:]),
        "parameters": counts["parameters"],
        "lm": {"order": lm.order, "weight": lm.weight, "bonus": lm.bonus},
        "scores": scores,
        "splits": splits,
        "options": options.model_dump(mode="json"),
        "command": reproduce_command(options.model_dump(mode="json")),
    }
    (out / METRICS).write_text(json.dumps(metrics, ensure_ascii=False, indent=1), "utf-8")
    (out / SPLIT_FILE).write_text(split_file_text(splits), "utf-8")
    write_card(out / CARD, metrics)
    report(TrainEvent(kind="phase", message=f"wrote {out / METRICS} and {out / CARD}"))
    return metrics


def tune_lm(
    lm: CharLM,
    alphabet: Sequence[str],
    lines: Sequence[LineCrop],
    probabilities: Sequence[Any],
    *,
    grid: Sequence[tuple[float, float]] = (
        (0.0, 0.0),
        (0.3, 0.0),
        (0.3, 0.5),
        (0.5, 0.5),
        (0.5, 1.0),
        (0.8, 1.0),
        (0.8, 1.5),
    ),
    limit: int = 300,
) -> tuple[float, float]:
    """The (weight, bonus) pair of ``grid`` with the lowest CER on (up to ``limit``)
    validation lines; ``(0.5, 0.5)`` when there are none."""
    chosen = _spread(list(zip(lines, probabilities, strict=True)), limit)
    if not chosen:
        return 0.5, 0.5
    best, best_cer = (0.5, 0.5), math.inf
    for weight, bonus in grid:
        total = TextScore()
        for line, probs in chosen:
            text = beam_decode(probs, alphabet, lm, weight=weight, bonus=bonus)
            total += score_text(line.text, text)
        log.info("language model weight %s bonus %s: CER %.4f", weight, bonus, total.cer)
        if total.cer < best_cer:
            best, best_cer = (weight, bonus), total.cer
    return best
