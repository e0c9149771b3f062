"""Ways to run PP-OCRv6's two models faster, measured on this CPU against the models as shipped.

Each variant runs the same inputs as the shipped model on ONNX Runtime (one thread unless
``--threads``) and is reported with its time and how far its output moves:

* recognition, on the line crops rapidocr cuts from real pages (Tapuscorpus, SROIE, FUNSD,
  ``--pages`` of each): batch sizes 1, 6 (rapidocr's) and 12; the classifier cut to the symbols
  of Latin-script pages (what ``latin_only`` decodes anyway); dynamic int8 quantisation of the
  matrix products (``onnxruntime.quantization.quantize_dynamic``); OpenVINO when it is
  installed. Output moved = CER of the variant's text against the shipped model's text.
* detection, on generated A4 pages scaled as rapidocr scales them (2000 px): static int8
  quantisation (QDQ, per channel, calibrated on generated pages of other seeds); OpenVINO when
  installed. Output moved = share of probability-map pixels on the other side of rapidocr's
  0.3 threshold.

Quantised files are written to a temporary folder, never next to the shipped models.

Usage::

    .venv/bin/python benchmarks/rapidocr_variants.py [--pages 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable
from glob import glob
from pathlib import Path
from typing import Any

import numpy as np

from ocrxtract.engines.rapidocr_engine import (
    DET_MODEL,
    REC_MODEL,
    RapidOcrEngine,
    latin_symbol,
    models_dir,
)
from ocrxtract.io import iter_pages

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
Runner = Callable[[Any], Any]


def ort_runner(path: Path, threads: int) -> Runner:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return lambda x: session.run(None, {name: x})[0]


def openvino_runner(path: Path, threads: int) -> Runner | None:
    try:
        import openvino as ov
    except ImportError:
        return None
    core = ov.Core()
    core.set_property("CPU", {"INFERENCE_NUM_THREADS": threads})
    request = core.compile_model(str(path), "CPU").create_infer_request()
    return lambda x: request.infer([x])[0].copy()


def line_crops(pages: int) -> list[Any]:
    """rapidocr's own line crops (BGR) of the first pages of three real sets."""
    import cv2

    ocr = RapidOcrEngine({"threads": 1})._engine()
    crops: list[Any] = []
    for pattern in ("fr-typed-tapuscorpus/images/*", "sroie/images/*", "funsd-test/images/*"):
        for file in sorted(glob(str(SHARED / pattern)))[:pages]:
            page = next(iter(iter_pages(Path(file))))
            bgr = cv2.cvtColor(np.asarray(page.image.convert("RGB")), cv2.COLOR_RGB2BGR)
            image, record = ocr.preprocess_img(ocr.load_img(bgr))
            crops += ocr.detect_and_crop(image, record)[0]
    return crops


def recognise(run: Runner, crops: list[Any], batch: int, keep: Any, decoder: Any) -> list[str]:
    """rapidocr's batching (sorted by width, padded to the widest) and masked CTC decoding."""
    import cv2

    ratios = [c.shape[1] / c.shape[0] for c in crops]
    order = np.argsort(ratios)
    texts = [""] * len(crops)
    for start in range(0, len(crops), batch):
        ids = order[start : start + batch]
        widest = max(320 / 48, *(ratios[i] for i in ids))
        width = int(48 * widest)
        x = np.zeros((len(ids), 3, 48, width), np.float32)
        for row, i in enumerate(ids):
            w = min(width, math.ceil(48 * ratios[i]))
            resized = cv2.resize(crops[i], (w, 48)).astype(np.float32).transpose(2, 0, 1)
            x[row, :, :, :w] = (resized / 255 - 0.5) / 0.5
        probs = run(x)
        if keep is not None:  # a cut classifier: its columns back in the full dictionary
            full = np.zeros((*probs.shape[:2], len(keep)), probs.dtype)
            full[:, :, keep] = probs
            probs = full
        lines, _ = decoder(
            probs, False, wh_ratio_list=[ratios[i] for i in ids], max_wh_ratio=widest
        )
        for i, (text, _score) in zip(ids, lines, strict=True):
            texts[i] = text
    return texts


def latin_classifier(source: Path, target: Path) -> Any:
    """The recognition model with its classifier cut to the Latin symbols; their mask."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(source))
    characters = {p.key: p.value for p in model.metadata_props}["character"].splitlines()
    labels = ["", *characters, " "]
    keep = np.array([i == 0 or latin_symbol(c) for i, c in enumerate(labels)])
    initialisers = {i.name: i for i in model.graph.initializer}
    last_matmul = [n for n in model.graph.node if n.op_type == "MatMul"][-1]
    weight = initialisers[last_matmul.input[1]]
    add = next(n for n in model.graph.node if last_matmul.output[0] in n.input)
    bias = initialisers[next(i for i in add.input if i in initialisers)]
    weight.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(weight)[:, keep], weight.name))
    bias.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(bias)[keep], bias.name))
    model.graph.output[0].type.tensor_type.shape.dim[2].dim_value = int(keep.sum())
    onnx.save(model, str(target))
    return keep


def opset13(source: Path, target: Path) -> Path:
    import onnx
    from onnx import version_converter

    onnx.save(version_converter.convert_version(onnx.load(str(source)), 13), str(target))
    return target


def cer(reference: list[str], hypothesis: list[str]) -> float:
    import jiwer

    return float(jiwer.cer("\n".join(reference), "\n".join(hypothesis)))


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    function()  # warm-up
    began = time.perf_counter()
    result = function()
    return result, time.perf_counter() - began


def recognition(args: argparse.Namespace, folder: Path, work: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    crops = line_crops(args.pages)
    ocr = RapidOcrEngine({"threads": 1})._engine()
    decoder = ocr._load_rec_model().postprocess_op
    source = folder / REC_MODEL
    print(f"\nrecognition: {len(crops)} line crops, {args.threads} thread(s)")
    base_run = ort_runner(source, args.threads)
    reference, base = timed(lambda: recognise(base_run, crops, 6, None, decoder))
    print(f"{'shipped, batch 6':34s} {1000 * base / len(crops):6.1f} ms/line")
    variants: list[tuple[str, Runner | None, int, Any]] = [
        ("shipped, batch 1", base_run, 1, None),
        ("shipped, batch 12", base_run, 12, None),
    ]
    keep = latin_classifier(source, work / "rec-latin.onnx")
    variants.append(
        ("Latin classifier, batch 6", ort_runner(work / "rec-latin.onnx", args.threads), 6, keep)
    )
    quantize_dynamic(opset13(source, work / "rec13.onnx"), work / "rec-int8.onnx",
                     op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8)  # fmt: skip
    variants.append(
        (
            "int8 MatMul (dynamic), batch 6",
            ort_runner(work / "rec-int8.onnx", args.threads),
            6,
            None,
        )
    )
    variants.append(("OpenVINO, batch 6", openvino_runner(source, args.threads), 6, None))
    for label, run, batch, mask in variants:
        if run is None:
            print(f"{label:34s} not measured (pip install openvino)")
            continue
        texts, seconds = timed(
            lambda run=run, batch=batch, mask=mask: recognise(run, crops, batch, mask, decoder)
        )
        print(f"{label:34s} {1000 * seconds / len(crops):6.1f} ms/line  x{base / seconds:4.2f}"
              f"  output moved: CER {100 * cer(reference, texts):.2f} %")  # fmt: skip


def detection(args: argparse.Namespace, folder: Path, work: Path) -> None:
    import cv2
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    from ocrxtract.sample import render_sample_page

    def page_tensor(seed: int) -> Any:
        rgb = np.asarray(render_sample_page(seed).page.image.convert("RGB"))
        scale = 2000 / max(rgb.shape[:2])
        size = (round(rgb.shape[1] * scale / 32) * 32, round(rgb.shape[0] * scale / 32) * 32)
        x = (cv2.resize(rgb, size).astype(np.float32) / 255 - 0.5) / 0.5
        return x.transpose(2, 0, 1)[None]

    source = folder / DET_MODEL
    base_run = ort_runner(source, args.threads)
    pages = [page_tensor(seed) for seed in range(args.pages)]
    print(f"\ndetection: {len(pages)} generated A4 pages at 2000 px, {args.threads} thread(s)")
    reference, base = timed(lambda: [base_run(x) for x in pages])
    print(f"{'shipped':34s} {1000 * base / len(pages):6.0f} ms/page")

    class Calibration(CalibrationDataReader):
        def __init__(self) -> None:
            self.items = iter([{"x": page_tensor(seed)} for seed in range(100, 104)])

        def get_next(self) -> Any:
            return next(self.items, None)

    prepared = work / "det-pre.onnx"
    quant_pre_process(
        str(opset13(source, work / "det13.onnx")), str(prepared), skip_symbolic_shape=True
    )
    quantize_static(str(prepared), str(work / "det-int8.onnx"), Calibration(),
                    quant_format=QuantFormat.QDQ, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, per_channel=True)  # fmt: skip
    variants = [
        ("int8 static (QDQ, per channel)", ort_runner(work / "det-int8.onnx", args.threads)),
        ("OpenVINO", openvino_runner(source, args.threads)),
    ]
    for label, run in variants:
        if run is None:
            print(f"{label:34s} not measured (pip install openvino)")
            continue
        maps, seconds = timed(lambda run=run: [run(x) for x in pages])
        moved = np.mean(
            [((a > 0.3) != (b > 0.3)).mean() for a, b in zip(reference, maps, strict=True)]
        )
        print(f"{label:34s} {1000 * seconds / len(pages):6.0f} ms/page  x{base / seconds:4.2f}"
              f"  output moved: {100 * moved:.2f} % of map pixels")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=3, help="pages of each set")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    folder = models_dir()
    if folder is None or not SHARED.is_dir():
        print("needs rapidocr and ../shared/datasets", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        recognition(args, folder, Path(tmp))
        detection(args, folder, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
