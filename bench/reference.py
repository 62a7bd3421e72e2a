"""The bare reference: the same model and passages, embedded whole into a flat FAISS index.

It mirrors ``shared/peers/bench_baseline.py``: ``model.encode`` with batch size
32 and normalised outputs, ``IndexIDMap(IndexFlatIP)``, top-10 search, one
FAISS thread. What newsdesk adds on top (sentence embedding and pooling,
cleaning, SQLite, lexical retrieval, answering) is what the ratios measure.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import faiss
import numpy as np

__all__ = ["TOP_K", "ReferenceIndex", "build_reference_index", "search_reference"]

TOP_K = 10
BATCH_SIZE = 32

# As newsdesk does (index/vectors.py): FAISS's OpenMP pool and torch's contend on few cores.
faiss.omp_set_num_threads(1)


@dataclass(frozen=True)
class ReferenceIndex:
    """A built reference index and what building it cost.

    Attributes:
        model: The sentence-transformers model (the object newsdesk uses).
        index: Passage vectors keyed by newsdesk's passage ids.
        seconds: Wall time of embedding plus adding.
        passages: How many passages were embedded.
    """

    model: Any
    index: faiss.Index
    seconds: float
    passages: int


def _encode(model: Any, texts: list[str]) -> np.ndarray:
    vectors = model.encode(
        texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)  # a half-precision GPU model returns float16


def build_reference_index(model: Any, texts: Sequence[str], ids: Sequence[int]) -> ReferenceIndex:
    """Embed each passage whole and add it to a flat inner-product index, timed.

    Args:
        model: A loaded ``SentenceTransformer``.
        texts: Passage texts.
        ids: Their ids, in the same order.

    Raises:
        ValueError: If there are no passages or the lengths differ.
    """
    if not texts or len(texts) != len(ids):
        raise ValueError(f"need as many ids as passages, and some passages (got {len(texts)} and {len(ids)})")
    started = time.perf_counter()
    vectors = _encode(model, list(texts))
    index = faiss.IndexIDMap(faiss.IndexFlatIP(vectors.shape[1]))
    index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
    return ReferenceIndex(model, index, time.perf_counter() - started, len(texts))


def search_reference(reference: ReferenceIndex, question: str) -> list[int]:
    """Embed a question and return the ids of the top-10 passages, best first."""
    vector = _encode(reference.model, [question])
    _, found = reference.index.search(vector, TOP_K)
    return [int(i) for i in found[0] if i >= 0]
