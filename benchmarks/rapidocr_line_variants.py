"""Line CER of RapidOCR settings side by side, on the ground-truth line crops of one dataset.

Each configuration reads every scorable ground-truth line of the chosen samples with the
engine's line recogniser (``recognize_lines``: the crop of the line's box, no detection, as the
benchmark's line CER does) and prints the corpus line CER (exact). The configurations are JSON
options on top of the engine's defaults; rapidocr's own settings are ``accurate``'s.

Usage::

    .venv/bin/python benchmarks/rapidocr_line_variants.py [--dataset synthetic-fr]
        [--suffix photo] [--config NAME='{"rec_min_width": 320}' ...]

``--suffix`` keeps the samples whose id ends with it (the generated set's ids end with their
difficulty: ``clean``, ``scan``, ``fax``, ``lowdpi``, ``photo``).
"""

from __future__ import annotations

import argparse
import json

from ocrxtract.datasets.registry import load_dataset
from ocrxtract.engines import create_engine
from ocrxtract.metrics.text import TextScore, score_text

CONFIGS = {
    "accurate": '{"latin_recognizer": false, "rec_min_width": 320, "rec_narrow_ratio": 0}',
    "default": "{}",
    "default-320": '{"rec_min_width": 320}',
    "default-full-recogniser": '{"latin_recognizer": false}',
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="synthetic-fr")
    parser.add_argument("--suffix", default="", help="keep the samples whose id ends with this")
    parser.add_argument("--config", action="append", default=[], metavar="NAME=JSON")
    args = parser.parse_args()
    configs = dict(item.split("=", 1) for item in args.config) if args.config else CONFIGS
    samples = [s for s in load_dataset(args.dataset) if s.sample_id.endswith(args.suffix)]
    for name, raw in configs.items():
        engine = create_engine("rapidocr", {"threads": 1, **json.loads(raw)})
        total = TextScore()
        lines = 0
        for sample in samples:
            for index, page in enumerate(sample.iter_pages()):
                truth = [line for line in sample.scorable_lines if line.page_index == index]
                texts = engine.recognize_lines(page, [line.bbox for line in truth])
                for line, text in zip(truth, texts, strict=True):
                    total = total + score_text(line.text, text, "exact")
                    lines += 1
        cer = 100 * total.char_edits / max(1, total.char_reference)
        print(f"{name}: {len(samples)} samples, {lines} lines, line CER {cer:.2f} %", flush=True)


if __name__ == "__main__":
    main()
