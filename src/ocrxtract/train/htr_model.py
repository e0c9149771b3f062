"""PP-OCRv6's recogniser as a trainable PyTorch module, and back to ONNX.

The starting point is ``PP-OCRv6_rec_small.onnx`` from the rapidocr wheel (Apache-2.0): 5.3 M
weights, batch-norm folded into the convolutions, softmax at the end. :func:`torch_model`
converts it with onnx2torch after three fixes (lab notes, 2026-12-05):

1. three nodes (two convolutions and a max-pool, 2x2 kernels) use ``auto_pad="SAME_UPPER"``,
   which onnx2torch does not implement: they get the equivalent explicit pads;
2. onnx2torch stores the weights of ``MatMul``/``Add``/``Mul`` nodes (the classifier, the
   folded batch norms, the layer norms) as frozen buffers: they become parameters, or only half
   of the model would train;
3. the final softmax is dropped, so the module returns logits for the CTC loss.

The 18 710-way classifier (18 708 symbols, mostly Chinese) is cut down to the character set
the training data needs (:func:`ocrxtract.train.htr_data.build_charset`): the rows of symbols
the model knows are kept, symbols it lacks get new rows. The model shrinks from 21 to 11 MB
and the classifier no longer spends time on 18 000 symbols a French manuscript never holds.

:func:`export_onnx` writes the trained module back in the same convention (softmax restored,
dictionary in the ``character`` metadata), so rapidocr reads the exported file unchanged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ocrxtract.engines.htr_runtime import CHARACTER_KEY, INFO_KEY, LINE_HEIGHT
from ocrxtract.errors import MissingDependencyError, ModelNotFoundError

log = logging.getLogger(__name__)

INSTALL = "pip install 'ocrxtract[htr-train]' (CPU torch first: see the Makefile's TORCH_PINS)"
BASE_MODEL = "PP-OCRv6_rec_small.onnx"


def require_training_packages() -> None:
    """Check that torch and onnx2torch import.

    Raises:
        MissingDependencyError: one is missing, with the install command.
    """
    from importlib.util import find_spec

    for package in ("torch", "onnx", "onnx2torch"):
        if find_spec(package) is None:
            raise MissingDependencyError(package, "train the handwriting recogniser", INSTALL)


def base_model_path() -> Path:
    """PP-OCRv6's recognition model inside the rapidocr wheel.

    Raises:
        ModelNotFoundError: rapidocr is not installed or its wheel lacks the file.
    """
    from ocrxtract.engines.rapidocr_engine import models_dir

    folder = models_dir()
    path = folder / BASE_MODEL if folder is not None else None
    if path is None or not path.is_file():
        raise ModelNotFoundError(
            "htr", f"{BASE_MODEL} not found (rapidocr wheel)", "pip install 'ocrxtract[rapidocr]'"
        )
    return path


def read_alphabet(model: Any) -> list[str]:
    """The output symbols of an ONNX recognition model: blank (``""``), dictionary, space."""
    metadata = {prop.key: prop.value for prop in model.metadata_props}
    if CHARACTER_KEY not in metadata:
        raise ModelNotFoundError("htr", f"the model has no '{CHARACTER_KEY}' metadata")
    return ["", *metadata[CHARACTER_KEY].split("\n"), " "]


def _explicit_pads(model: Any) -> int:
    """Replace ``auto_pad="SAME_UPPER"`` (stride 1) by explicit pads; returns the count."""
    from onnx import helper

    fixed = 0
    for node in model.graph.node:
        attributes = {a.name: a for a in node.attribute}
        auto_pad = attributes.get("auto_pad")
        if auto_pad is None or auto_pad.s != b"SAME_UPPER":
            continue
        kernel = list(attributes["kernel_shape"].ints)
        strides = list(attributes["strides"].ints) if "strides" in attributes else [1] * 2
        if any(s != 1 for s in strides):
            raise ValueError(f"{node.name}: SAME_UPPER with strides {strides} is not handled")
        begin = [(k - 1) // 2 for k in kernel]
        end = [k - 1 - b for k, b in zip(kernel, begin, strict=True)]
        kept = [a for a in node.attribute if a.name != "auto_pad"]
        del node.attribute[:]
        node.attribute.extend([*kept, helper.make_attribute("pads", begin + end)])
        fixed += 1
    return fixed


def _drop_softmax(model: Any) -> None:
    last = model.graph.node[-1]
    if last.op_type != "Softmax":
        raise ValueError(f"expected the model to end with a Softmax, not {last.op_type}")
    source, output = last.input[0], model.graph.output[0].name
    model.graph.node.remove(last)
    for node in model.graph.node:
        for i, name in enumerate(node.output):
            if name == source:
                node.output[i] = output


def _trainable(module: Any) -> int:
    """Turn onnx2torch's floating-point weight buffers into parameters; returns their count."""
    import torch

    count = 0
    for owner in module.modules():
        if isinstance(owner, torch.nn.modules.batchnorm._BatchNorm):
            continue  # running statistics stay buffers (see train_mode)
        for name, buffer in list(owner.named_buffers(recurse=False)):
            if buffer is None or not buffer.is_floating_point() or buffer.numel() <= 1:
                continue
            del owner._buffers[name]
            owner.register_parameter(name, torch.nn.Parameter(buffer.detach().clone()))
            count += buffer.numel()
    return count


def _classifier(module: Any, classes: int) -> tuple[Any, str, str]:
    """The owner and names of the classifier's weight ``[hidden, classes]`` and bias."""
    weight = bias = None
    for owner in module.modules():
        for name, param in owner.named_parameters(recurse=False):
            if param.ndim == 2 and param.shape[1] == classes:
                weight = (owner, name)
            elif param.ndim == 1 and param.shape[0] == classes:
                bias = (owner, name)
    if weight is None or bias is None or weight[0] is not bias[0]:
        raise ValueError(f"no classifier with {classes} outputs found in the converted model")
    return weight[0], weight[1], bias[1]


def torch_model(
    onnx_path: Path, alphabet: Sequence[str] | None = None
) -> tuple[Any, list[str], dict[str, int]]:
    """The ONNX recogniser as a PyTorch module returning logits ``[N, W/8, len(alphabet)]``.

    Args:
        onnx_path: A PP-OCR recognition model (the base model, or one exported here).
        alphabet: Output symbols wanted (blank first, space last); ``None``: the model's own.
            Symbols the model knows keep their classifier row; new ones start from the mean
            row with a low bias, so that they are rare until trained.

    Returns:
        The module (in training mode), its alphabet, and counts (``parameters``, ``new``
        symbols, ``pads`` fixed).
    """
    require_training_packages()
    import onnx
    import torch
    from onnx2torch import convert

    model = onnx.load(str(onnx_path))
    old = read_alphabet(model)
    pads = _explicit_pads(model)
    _drop_softmax(model)
    module = convert(model)
    _trainable(module)
    new_symbols = 0
    if alphabet is not None and list(alphabet) != old:
        alphabet = list(alphabet)
        if alphabet[0] != "" or alphabet[-1] != " ":
            raise ValueError("an alphabet starts with the CTC blank and ends with the space")
        owner, weight_name, bias_name = _classifier(module, len(old))
        weight, bias = getattr(owner, weight_name).detach(), getattr(owner, bias_name).detach()
        index = {symbol: i for i, symbol in enumerate(old)}
        rows = [index.get(symbol) for symbol in alphabet]
        new_weight = torch.empty(weight.shape[0], len(alphabet))
        new_bias = torch.empty(len(alphabet))
        mean_weight, low_bias = weight.mean(dim=1), torch.quantile(bias, 0.1)
        for column, row in enumerate(rows):
            if row is None:
                new_weight[:, column], new_bias[column] = mean_weight, low_bias
                new_symbols += 1
            else:
                new_weight[:, column], new_bias[column] = weight[:, row], bias[row]
        owner.register_parameter(weight_name, torch.nn.Parameter(new_weight))
        owner.register_parameter(bias_name, torch.nn.Parameter(new_bias))
    else:
        alphabet = old
    parameters = sum(p.numel() for p in module.parameters())
    train_mode(module)
    return module, list(alphabet), {"parameters": parameters, "new": new_symbols, "pads": pads}


def train_mode(module: Any) -> None:
    """Training mode, except the three batch norms left unfolded: they keep their running
    statistics (batches of a few padded lines would give them wrong ones)."""
    import torch

    module.train()
    for child in module.modules():
        if isinstance(child, torch.nn.modules.batchnorm._BatchNorm):
            child.eval()


class _WithSoftmax:
    """Factory of a module that applies softmax over the classes (built lazily: torch)."""

    @staticmethod
    def wrap(module: Any) -> Any:
        import torch

        class WithSoftmax(torch.nn.Module):  # type: ignore[misc]  # Any where torch is absent
            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, x: Any) -> Any:
                return torch.softmax(self.inner(x), dim=2)

        return WithSoftmax(module)


def _onnx2torch_export_shim() -> None:
    """onnx2torch's modules ask ``torch.onnx.symbolic_helper.GLOBALS`` for the opset while they
    are exported; torch 2.10+ keeps it in the TorchScript exporter's own module, and the
    backward-compatible ``symbolic_helper`` re-exports it or not depending on import order (it
    failed inside the test suite, not alone): point it at the exporter's object."""
    from torch.onnx import symbolic_helper

    if not hasattr(symbolic_helper, "GLOBALS"):
        from torch.onnx._internal.torchscript_exporter._globals import GLOBALS

        symbolic_helper.GLOBALS = GLOBALS  # type: ignore[attr-defined]


def export_onnx(
    module: Any, alphabet: Sequence[str], path: Path, info: dict[str, Any] | None = None
) -> Path:
    """Write ``module`` as a PP-OCR recognition ONNX model (softmax, ``character`` metadata).

    The batch and width dimensions stay dynamic (opset 17, TorchScript exporter); ``info``
    is stored as JSON under the ``ocrxtract_htr`` metadata key (what trained it, on what).
    """
    import onnx
    import torch

    if alphabet[0] != "" or alphabet[-1] != " ":
        raise ValueError("an alphabet starts with the CTC blank and ends with the space")
    _onnx2torch_export_shim()
    module.eval()
    wrapped = _WithSoftmax.wrap(module).eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.zeros(1, 3, LINE_HEIGHT, 320)
    partial = path.with_name(path.name + ".partial")
    with torch.no_grad():
        torch.onnx.export(
            wrapped,
            (dummy,),
            str(partial),
            input_names=["x"],
            output_names=["fetch_name_0"],
            dynamic_axes={"x": {0: "batch", 3: "width"}, "fetch_name_0": {0: "batch", 1: "frames"}},
            opset_version=17,
            dynamo=False,
        )
    model = onnx.load(str(partial))
    del model.metadata_props[:]
    for key, value in (
        (CHARACTER_KEY, "\n".join(alphabet[1:-1])),
        (INFO_KEY, json.dumps(info or {}, ensure_ascii=False, sort_keys=True)),
    ):
        prop = model.metadata_props.add()
        prop.key, prop.value = key, value
    onnx.save(model, str(partial))
    partial.replace(path)
    return path
