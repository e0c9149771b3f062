"""The model card of a trained handwriting recogniser (Markdown, from ``metrics.json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Licences and sources of the datasets the card may name (from ``datasets.yml``).
_LICENSE_FALLBACK = "see datasets.yml"


def _license(name: str) -> str:
    try:
        from ocrxtract.datasets import get_spec

        spec = get_spec(name)
    except Exception:  # an unknown or user dataset: the card still gets written
        return _LICENSE_FALLBACK
    return f"{spec.license}; {spec.source.homepage or spec.citation or ''}".strip("; ")


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def _table(scores: dict[str, dict[str, Any]]) -> list[str]:
    rows = [
        "| dataset | lines | characters | CER greedy | CER with the language model |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in scores.items():
        rows.append(
            f"| {name} | {s['lines']} | {s['characters']} | {_percent(s['cer_greedy'])} | "
            f"{_percent(s['cer_lm'])} |"
        )
    return rows


def write_card(path: Path, metrics: dict[str, Any]) -> Path:
    """Write the model card of a run to ``path``."""
    options = metrics["options"]
    datasets = [*options["datasets"], *options["held_out"]]
    minutes = metrics["train_seconds"] / 60
    escaped = metrics["alphabet"].replace("`", "\\`")
    lines = [
        f"# Model card: {metrics['model']}",
        "",
        "French handwritten text line recogniser for the `htr` engine of ocrxtract: PP-OCRv6's "
        "small recogniser (rapidocr wheel, Apache-2.0) fine-tuned with a CTC loss on French "
        "manuscript lines, its classifier cut to the character set below.",
        "",
        "## Training",
        "",
        f"- Trained: {metrics['trained']}; {metrics['steps']} steps, best validation CER at "
        f"step {metrics['best_step']} ({_percent(metrics['best_val_cer'])}, greedy, on up to "
        f"{options['val_lines']} validation lines).",
        f"- Training time: {minutes:.0f} minutes on {metrics['hardware']}; no GPU.",
        f"- Training lines: {metrics['train_lines']}; batch {options['batch_size']}, AdamW "
        f"lr {options['learning_rate']} (warm-up {options['warmup_steps']} steps, cosine), "
        f"augmentation {'on' if options['augment'] else 'off'}; "
        f"{metrics['parameters']:,} weights.",
        f"- Character set ({len(metrics['alphabet'])} symbols, the space included): `{escaped}`",
        f"- Language model: character {metrics['lm']['order']}-grams of the training lines, "
        f"weight {metrics['lm']['weight']}, length bonus {metrics['lm']['bonus']} "
        "(tuned on the validation lines).",
        "",
        "## Data and licences",
        "",
        "| dataset | role | licence and source |",
        "|---|---|---|",
    ]
    for name in datasets:
        role = "test only (never trained on)" if name in options["held_out"] else "train/val/test"
        lines.append(f"| {name} | {role} | {_license(name)} |")
    lines += [
        "",
        "Split by page, never by line: pages ordered by SHA-256 of `<dataset>/<sample id>`, "
        "first 20 % test, next 10 % validation, the rest training "
        "(`ocrxtract.train.htr_data.page_split`; the shared datasets' split is committed in "
        "`benchmarks/splits/htr-fr.yml`).",
        "",
        "## Line CER (ground-truth line boxes)",
        "",
        "Test pages:",
        "",
        *_table(metrics["scores"].get("htr-test", {})),
        "",
        "Validation pages:",
        "",
        *_table(metrics["scores"].get("htr-val", {})),
        "",
        "Whole pages (each engine's own line detection), and the same lines read by PP-OCRv6 "
        "and Tesseract: `ocrxtract bench benchmarks/htr.yml` (results in "
        "`benchmarks/results/htr/`).",
        "",
        "## Reproduce",
        "",
        "```",
        metrics.get("command") or "(not recorded)",
        "```",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
