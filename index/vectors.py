"""A FAISS inner-product index of passage vectors keyed by passage id.

Small and medium collections use exact search (``IndexFlatIP`` in an
``IndexIDMap2``). Large ones use an inverted-file index (``IndexIVFFlat``,
about 4·√n lists, probed ``nprobe`` at a time): it keeps ids and supports
removal like the exact one, and answers in milliseconds at a million passages.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import faiss
import numpy as np

__all__ = ["APPROXIMATE_ABOVE", "VectorIndex"]

# torch and FAISS each start an OpenMP pool; on few cores FAISS's idle threads
# fight torch's and roughly double single-query latency.
faiss.omp_set_num_threads(1)

APPROXIMATE_ABOVE = 250_000
_TRAINING_POINTS_PER_LIST = 40


class VectorIndex:
    """Adds, removes, searches, saves and loads normalised vectors by id.

    Vectors are normalised, so scores are cosine similarities. Not
    thread-safe: the caller serialises mutations against searches.
    """

    def __init__(self, dimension: int, index: faiss.Index | None = None, nprobe: int = 48) -> None:
        self.dimension = dimension
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self.nprobe = nprobe
        if self.approximate:
            faiss.extract_index_ivf(self._index).nprobe = nprobe

    @classmethod
    def build(
        cls, dimension: int, ids: np.ndarray, vectors: np.ndarray, approximate_above: int = APPROXIMATE_ABOVE, nprobe: int = 48
    ) -> VectorIndex:
        """An index holding ``vectors``: exact up to ``approximate_above`` of them, else IVF."""
        if len(ids) <= approximate_above:
            index = cls(dimension, nprobe=nprobe)
            index.add(ids, vectors)
            return index
        lists = int(4 * math.sqrt(len(ids)))
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, lists, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).choice(len(ids), min(len(ids), lists * _TRAINING_POINTS_PER_LIST), replace=False)
        # Training and bulk assignment are batch work: use every core, then restore the setting
        # (torch may share this OpenMP runtime, so it is put back as it was, not forced to one).
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            ivf.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
            ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # fast remove_ids by id
            index = cls(dimension, ivf, nprobe=nprobe)
            index.add(ids, vectors)
        finally:
            faiss.omp_set_num_threads(previous)
        return index

    @property
    def approximate(self) -> bool:
        return not isinstance(self._index, faiss.IndexIDMap2)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        """Return the ids of all stored vectors (int64)."""
        if not self.approximate:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)
        lists = self._index.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
            for i in range(lists.nlist)
            if lists.list_size(i)
        ]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors) of an exact index, e.g. to build an approximate one from it."""
        ids = self.ids()
        flat = faiss.downcast_index(self._index.index)
        return ids, faiss.rev_swig_ptr(flat.get_xb(), len(ids) * self.dimension).reshape(len(ids), self.dimension).copy()

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
        # OpenMP's thread count is per calling thread: a server's worker threads start
        # with every core, and one question gains nothing from a pool that spins idle.
        faiss.omp_set_num_threads(1)
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
    def load(cls, path: Path, dimension: int, nprobe: int = 48) -> VectorIndex:
        """Read an index written by :meth:`save` (memory-mapped when approximate).

        Raises:
            ValueError: If the file is unreadable or of another dimension.
        """
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise ValueError(f"unreadable FAISS file {path}: {exc}") from exc
        if index.d != dimension or not isinstance(index, (faiss.IndexIDMap2, faiss.IndexIVFFlat)):
            raise ValueError(f"FAISS file {path} has dimension {index.d}, expected {dimension}")
        if isinstance(index, faiss.IndexIVFFlat):
            index.set_direct_map_type(faiss.DirectMap.Hashtable)
        return cls(dimension, index, nprobe=nprobe)
