"""Export the handwriting recogniser's training and validation lines for kraken's trainer.

The `htr` engine's model (models/htr-fr) is PP-OCRv6's recogniser fine-tuned on the htr-train
pages. The issue asks for one alternative trained on the same split; kraken's trainer (``ketos
train``) is the one French HTR projects use. This script writes the same pages' ground-truth
lines as kraken's ``path`` format (a PNG per line, its transcription beside it in ``.gt.txt``)
plus one manifest per split, and prints the ``ketos train`` command to run in an environment
with kraken (see ``make install-kraken``). The crops are the ground-truth line boxes at the scan's
own resolution, in grey, as the benchmark's line CER crops them.

    python benchmarks/htr_kraken_export.py --out runs/htr-kraken

Only htr-train pages go to ``train.txt`` and htr-val pages to ``val.txt``; htr-test pages and the
held-out dataset are never written, so the model kraken trains is scored on the same unseen
pages as ours (``benchmarks/htr-kraken.yml``).
"""

from __future__ import annotations

import argparse
import shlex
import unicodedata
from pathlib import Path

from ocrxtract.datasets import load_dataset

#: The datasets and split of models/htr-fr (benchmarks/splits/htr-fr.yml).
TRAINING_DATASETS = (
    "lectaurep-repertoires",
    "fr-handwritten-testaments-poilus",
    "celestine-doniau-danest",
    "fr-handwritten-tables-lectaurep-mariages",
)
EXPORTED_SPLITS = {"htr-train": "train.txt", "htr-val": "val.txt"}


def export(out: Path) -> dict[str, int]:
    """Write every line of the htr-train and htr-val pages; return the line count per split."""
    manifests: dict[str, list[str]] = {split: [] for split in EXPORTED_SPLITS}
    for dataset in TRAINING_DATASETS:
        for sample in load_dataset(dataset):
            if sample.split not in EXPORTED_SPLITS or not sample.scorable_lines:
                continue
            folder = out / sample.split / dataset
            folder.mkdir(parents=True, exist_ok=True)
            for page_index, page in enumerate(sample.iter_pages()):
                grey = page.image.convert("L")
                lines = [ln for ln in sample.scorable_lines if ln.page_index == page_index]
                for number, line in enumerate(lines):
                    box = line.bbox
                    if box.x1 - box.x0 < 2 or box.y1 - box.y0 < 2:
                        continue
                    stem = folder / f"{sample.sample_id.replace('/', '_')}-{page_index}-{number}"
                    grey.crop((box.x0, box.y0, box.x1, box.y1)).save(stem.with_suffix(".png"))
                    text = unicodedata.normalize("NFC", line.text)
                    stem.with_suffix(".gt.txt").write_text(text, "utf-8")
                    manifests[sample.split].append(str(stem.with_suffix(".png")))
    for split, name in EXPORTED_SPLITS.items():
        (out / name).write_text("\n".join(manifests[split]) + "\n", "utf-8")
    return {split: len(paths) for split, paths in manifests.items()}


def ketos_command(out: Path, model: Path, minutes: int) -> str:
    """The ``ketos train`` run of the comparison (kraken's default VGSL network, from scratch)."""
    return (
        f"timeout {minutes}m ketos --threads 2 --workers 1 --device cpu -s 42 train -f path "
        f"-t {shlex.quote(str(out / 'train.txt'))} -e {shlex.quote(str(out / 'val.txt'))} "
        f"-u NFC -B 16 --augment -o {shlex.quote(str(model))} --lag 5"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the lines to")
    parser.add_argument("--minutes", type=int, default=67, help="training time of the printed run")
    args = parser.parse_args()
    counts = export(args.out)
    print(", ".join(f"{split}: {count} lines" for split, count in counts.items()))
    print(ketos_command(args.out, args.out / "model", args.minutes))


if __name__ == "__main__":
    main()
