"""Which network reads: the torch reader or its int8 ONNX copy, picked in one place.

``onnx-int8`` (:mod:`newsdesk.qa.reader.onnx_reader`) reads on the CPU several
times faster and picks the torch reader's span on about 99% of held-out
windows; torch trains, runs on GPUs, and reads where onnxruntime is not
installed. Left unset, the backend is ``onnx-int8`` on a CPU when onnxruntime
is importable and torch otherwise.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.qa.errors import IndexStateError
from newsdesk.qa.reader.config import ReaderConfig

if TYPE_CHECKING:
    from newsdesk.qa.reader.onnx_reader import OnnxReader
    from newsdesk.qa.reader.reader import ExtractiveReader

__all__ = ["READER_BACKENDS", "load_reader_backend"]

log = logging.getLogger("newsdesk.reader")

#: ``torch`` (fp32 on a CPU, fp16 on a GPU) or ``onnx-int8`` (onnxruntime, CPU only).
READER_BACKENDS = ("torch", "onnx-int8")


def _on_cpu(device: str | None) -> bool:
    if device is not None:
        return device == "cpu"
    import torch

    return not torch.cuda.is_available()


def load_reader_backend(
    backend: str | None, directory: Path | None = None, config: ReaderConfig | None = None, device: str | None = None
) -> ExtractiveReader | OnnxReader:
    """Load a saved reader (the shipped one by default) with the given backend.

    Args:
        backend: One of :data:`READER_BACKENDS`, or None to pick: ``onnx-int8`` on a CPU when
            onnxruntime is installed, else torch (saying why in one log line).
        directory: The reader folder; None for the shipped reader.
        config: How to read (default :class:`ReaderConfig`).
        device: ``cpu`` or ``cuda``; None picks CUDA when present.

    Raises:
        IndexStateError: If the backend is unknown, cannot run on ``device``, is not installed, or
            the model cannot be loaded.
    """
    from newsdesk.qa.reader.onnx_reader import load_onnx_reader, onnx_available
    from newsdesk.qa.reader.reader import load_reader

    if backend is not None and backend not in READER_BACKENDS:
        raise IndexStateError(f"unknown reader backend {backend!r}: expected one of {', '.join(READER_BACKENDS)}")
    if backend is None:
        if not _on_cpu(device):
            backend = "torch"
        elif onnx_available():
            backend = "onnx-int8"
        else:
            log.info("reading with torch: onnxruntime is not installed (pip install -e '.[int8]' reads faster)")
            backend = "torch"
    if backend == "torch":
        return load_reader(directory, config, device)
    if device not in (None, "cpu"):
        raise IndexStateError(f"the onnx-int8 reader runs on the CPU only, not {device!r}")
    return load_onnx_reader(directory, config)
