"""A FAISS inner-product index of passage vectors keyed by passage id."""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

__all__ = ["VectorIndex"]

# torch and FAISS each start an OpenMP pool; on few cores FAISS's idle threads
# fight torch's and roughly double single-query latency.
faiss.omp_set_num_threads(1)


class VectorIndex:
    """Adds, removes, searches, saves and loads normalised vectors by id.

    Exact inner-product search (``IndexFlatIP`` inside an ``IndexIDMap2``):
    vectors are normalised, so scores are cosine similarities. Not
    thread-safe: the caller serialises mutations against searches.
    """

    def __init__(self, dimension: int, index: faiss.Index | None = None) -> None:
        self.dimension = dimension
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        """Return the ids of all stored vectors (int64)."""
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under the given ids (ids must not be present yet)."""
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        """Remove the vectors with these ids; returns how many were removed."""
        if not len(ids):
            return 0
        return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Return up to ``k`` ``(id, score)`` pairs, best first."""
        if k <= 0 or len(self) == 0:
            return []
        scores, ids = self._index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def save(self, path: Path) -> None:
        """Write the index atomically: temp file, fsync, rename, fsync the folder."""
        temporary = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(temporary))
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    @classmethod
    def load(cls, path: Path, dimension: int) -> VectorIndex:
        """Read an index written by :meth:`save`.

        Raises:
            ValueError: If the file is unreadable or of another dimension.
        """
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise ValueError(f"unreadable FAISS file {path}: {exc}") from exc
        if index.d != dimension or not isinstance(index, faiss.IndexIDMap2):
            raise ValueError(f"FAISS file {path} has dimension {index.d}, expected {dimension}")
        return cls(dimension, index)
