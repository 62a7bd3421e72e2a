"""The reader as an int8 ONNX file, built from the shipped torch weights on first use.

The file is not shipped (the model folder stays small): :func:`cached_int8_model`
exports the reader with ``torch.onnx.export``, quantises it to int8 with
onnxruntime, and keeps the result in a cache folder
named after the weights and the onnxruntime version, so a new model or a new
onnxruntime never reuses a stale file. Files are written under a temporary name
and renamed into place: two processes building at once both end with a whole file.

The int8 recipe is blockwise: every MatMul's weights are stored as int8 in blocks
of 32 values with a scale each, and at run time activations are quantised to
int8 per block too (``MatMulNBits``, ``accuracy_level`` 4). On held-out windows it
picks the torch reader's span 98.8% of the time. Plain ``quantize_dynamic``
(one activation scale per matrix, per-channel weights) was faster still but
agreed on only about 81% of windows, too few (``python -m bench.reader_backends``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from newsdesk.qa.errors import IndexStateError
from newsdesk.qa.reader.network import WEIGHTS_FILE, load_network

__all__ = ["INPUT_NAMES", "INT8_FILE", "OPSET", "RECIPE", "cache_key", "cached_int8_model", "default_cache_dir", "export_int8"]

log = logging.getLogger("newsdesk.reader.onnx")

INT8_FILE = "reader-int8.onnx"
#: The inputs the exported graph takes (int64, batch x tokens), as ``encode_pairs`` gives them.
INPUT_NAMES = ("input_ids", "token_type_ids", "attention_mask")
#: Opset of the classic (TorchScript) exporter; onnxruntime 1.17 and later run it.
OPSET = 17
#: Bumped whenever the export or quantisation recipe changes, so old cached files are not reused.
RECIPE = f"v1-opset{OPSET}-matmul-int8-block32-acc4"
BLOCK_SIZE = 32
#: MatMulNBits' "compute in int8" level: activations are quantised per block at run time.
ACCURACY_LEVEL = 4
INSTALL_HINT = "pip install -e '.[int8]'"


def default_cache_dir() -> Path:
    """``~/.cache/newsdesk/reader-onnx``."""
    return Path.home() / ".cache" / "newsdesk" / "reader-onnx"


def cache_key(directory: Path, runtime_version: str) -> str:
    """``<sha256 of the weights and recipe, 16 hex>-ort<version>``: the cache folder of one reader."""
    digest = hashlib.sha256(RECIPE.encode())
    with (directory / WEIGHTS_FILE).open("rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    return f"{digest.hexdigest()[:16]}-ort{runtime_version}"


def _span_logits(model: Any) -> Any:
    """The span model as a module returning two plain tensors, not a model output object."""
    import torch

    class SpanLogits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, token_type_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
            output = self.model(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
            return output.start_logits, output.end_logits

    return SpanLogits().eval()


def _export_fp32(directory: Path, target: Path) -> None:
    import warnings

    import torch

    model, _ = load_network(directory)
    example = torch.ones((2, 16), dtype=torch.int64)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUT_NAMES, "start_logits", "end_logits")}
    # The tracer warns about Python branches on shapes (padding, causal masks) that are
    # constant for an encoder reading its whole input; the exported file is checked by the tests.
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _span_logits(model), (example, torch.zeros_like(example), example), str(target),
            input_names=list(INPUT_NAMES), output_names=["start_logits", "end_logits"],
            dynamic_axes=axes, opset_version=OPSET, dynamo=False, do_constant_folding=True,
        )


def export_int8(directory: Path, target: Path) -> Path:
    """Export the reader in ``directory`` to an int8 ONNX file at ``target`` (replaced atomically).

    Raises:
        IndexStateError: If the weights cannot be loaded, or onnx/onnxruntime are missing or fail.
    """
    try:
        import onnx
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    except ImportError as exc:
        raise IndexStateError(
            f"the onnx-int8 reader needs onnxruntime, onnx and onnx-ir ({exc.name} is missing): {INSTALL_HINT}"
        ) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".export-", dir=target.parent) as work:
        fp32, int8 = Path(work) / "reader-fp32.onnx", Path(work) / INT8_FILE
        try:
            _export_fp32(directory, fp32)
            quantizer = MatMulNBitsQuantizer(
                onnx.load(str(fp32)), bits=8, block_size=BLOCK_SIZE, is_symmetric=True, accuracy_level=ACCURACY_LEVEL
            )
            quantizer.process()
            quantizer.model.save_model_to_file(str(int8), False)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise IndexStateError(f"cannot export the reading model in {directory} to ONNX: {exc}") from exc
        os.replace(int8, target)
    return target


def cached_int8_model(directory: Path, cache_dir: Path | None = None, rebuild: bool = False) -> Path:
    """The int8 ONNX file of the reader in ``directory``, exported into the cache on first use.

    Args:
        directory: A reader folder (``reader.safetensors``, ``config.json``, ``reader.json``).
        cache_dir: Where exported files are kept (default :func:`default_cache_dir`).
        rebuild: Export again even if a file is cached (the cached one would not load).

    Raises:
        IndexStateError: If onnxruntime is missing, or the export fails.
    """
    try:
        import onnxruntime
    except ImportError as exc:
        raise IndexStateError(f"the onnx-int8 reader needs onnxruntime ({exc.name} is missing): {INSTALL_HINT}") from exc
    if not (directory / WEIGHTS_FILE).is_file():
        raise IndexStateError(f"no reading model in {directory} (train one with: newsdesk train-reader)")
    target = (cache_dir or default_cache_dir()) / cache_key(directory, onnxruntime.__version__) / INT8_FILE
    if rebuild or not target.is_file():
        log.warning("building the int8 reading model in %s (once, under a minute)", target.parent)
        export_int8(directory, target)
    return target
