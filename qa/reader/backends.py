"""Which network reads: the torch reader or its int8 ONNX copy, picked in one place.

``onnx-int8`` (:mod:`newsdesk.qa.reader.onnx_reader`) reads on the CPU 1.5-2.8
times faster but picks the torch reader's span on 97.1% of held-out news
windows with the shipped reader, under the 98% it must reach to be the
default; torch trains, runs on GPUs, and is what reads when nothing is chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.qa.errors import IndexStateError
from newsdesk.qa.reader.config import ReaderConfig

if TYPE_CHECKING:
    from newsdesk.qa.reader.onnx_reader import OnnxReader
    from newsdesk.qa.reader.reader import ExtractiveReader

__all__ = ["READER_BACKENDS", "load_reader_backend"]

#: ``torch`` (fp32 on a CPU, fp16 on a GPU) or ``onnx-int8`` (onnxruntime, CPU only).
READER_BACKENDS = ("torch", "onnx-int8")


def load_reader_backend(
    backend: str | None, directory: Path | None = None, config: ReaderConfig | None = None, device: str | None = None
) -> ExtractiveReader | OnnxReader:
    """Load a saved reader (the shipped one by default) with the given backend.

    Args:
        backend: One of :data:`READER_BACKENDS`, or None for torch (see the module docstring).
        directory: The reader folder; None for the shipped reader.
        config: How to read (default :class:`ReaderConfig`).
        device: ``cpu`` or ``cuda``; None picks CUDA when present.

    Raises:
        IndexStateError: If the backend is unknown, cannot run on ``device``, is not installed, or
            the model cannot be loaded.
    """
    from newsdesk.qa.reader.onnx_reader import load_onnx_reader
    from newsdesk.qa.reader.reader import load_reader

    if backend is not None and backend not in READER_BACKENDS:
        raise IndexStateError(f"unknown reader backend {backend!r}: expected one of {', '.join(READER_BACKENDS)}")
    backend = backend or "torch"
    if backend == "torch":
        return load_reader(directory, config, device)
    if device not in (None, "cpu"):
        raise IndexStateError(f"the onnx-int8 reader runs on the CPU only, not {device!r}")
    return load_onnx_reader(directory, config)
