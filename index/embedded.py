"""The embedded backend: SQLite (the source of truth) and a FAISS snapshot in one data directory.

Every sentence vector lives in SQLite, so the FAISS file can always be rebuilt
or brought back in step from it when the directory is opened. Writes take a
lock on the directory, so one process writes while others may only read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from newsdesk.index.datadir import STORE_FILE, VECTORS_FILE, WriteLock
from newsdesk.index.store import ArticleStore, fts_match
from newsdesk.index.vectors import APPROXIMATE_ABOVE, VectorIndex
from newsdesk.qa.embedding.base import pool_mean
from newsdesk.qa.errors import IndexLockedError
from newsdesk.qa.pipeline.storage import ArticleWrite, SearchRequest, SentenceRows
from newsdesk.qa.retrieval.fusion import Candidate, fuse_rankings
from newsdesk.qa.types import Article, ArticleSummary, StoredPassage

__all__ = ["EmbeddedConfig", "EmbeddedStore"]

log = logging.getLogger("newsdesk")


@dataclass(frozen=True)
class EmbeddedConfig:
    """The embedded backend's settings.

    Attributes:
        approximate_above: Passages above which the vector index becomes approximate (IVF).
        nprobe: Inverted lists an approximate index searches per question.
        filtered_widening: How many times more candidates a filtered search takes, so that
            passages the filters drop do not crowd out the rest.
    """

    approximate_above: int = APPROXIMATE_ABOVE
    nprobe: int = 48
    filtered_widening: int = 8


class EmbeddedStore:
    """The default :class:`~newsdesk.qa.pipeline.storage.Store`: one data directory on this machine.

    Thread-safe. Writes are serialised; a search runs against the vector index
    under a lock that a write holds only while it swaps an article's vectors,
    so a search never sees half an article.
    """

    def __init__(
        self, data_dir: Path, dimension: int, config: EmbeddedConfig = EmbeddedConfig(), writer: bool = True
    ) -> None:
        """Open (or create) the store in ``data_dir``; call :meth:`check_model` before using it.

        Raises:
            IndexLockedError: ``writer`` and another process holds the directory's lock.
            IndexStateError: The SQLite file is of another format.
        """
        self.data_dir = data_dir
        self.dimension = dimension
        self.config = config
        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = WriteLock(data_dir) if writer else None
        self._index_lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._dirty = False
        self._generation = 0
        self.vectors = VectorIndex(dimension)
        try:
            self.articles = ArticleStore(data_dir / STORE_FILE)
        except BaseException:
            self._release()
            raise

    @property
    def writable(self) -> bool:
        return self._lock is not None

    def check_model(self, model: str, dimension: int) -> None:
        """Record or check the model, then load the FAISS snapshot and bring it in step with SQLite."""
        self.articles.check_model(model, dimension)
        self.vectors = self._open_vectors()

    # -- opening: the snapshot and its reconciliation ----------------------

    def _open_vectors(self) -> VectorIndex:
        path = self.data_dir / VECTORS_FILE
        config = self.config
        index = None
        if path.exists():
            try:
                index = VectorIndex.load(path, self.dimension, nprobe=config.nprobe)
            except ValueError as exc:
                log.warning("rebuilding the vector index from the store: %s", exc)
        if index is None:
            ids, vectors = self._pooled_vectors(None)
            index = VectorIndex.build(self.dimension, ids, vectors, config.approximate_above, config.nprobe)
            if len(ids):
                log.warning("rebuilt the vector index from %d stored passages", len(ids))
            self._dirty = bool(len(ids))
            return index
        stored = self.articles.passage_ids()
        present = index.ids()
        missing = np.setdiff1d(stored, present)
        extra = np.setdiff1d(present, stored)
        if len(missing) or len(extra):
            log.warning(
                "vector index was behind the store: adding %d and removing %d passages", len(missing), len(extra)
            )
            index.remove(extra)
            ids, vectors = self._pooled_vectors(missing.tolist())
            index.add(ids, vectors)
            self._dirty = True
        if not index.approximate and len(index) > config.approximate_above:
            log.warning("%d passages: switching to an approximate (IVF) vector index", len(index))
            ids, vectors = index.vectors()
            index = VectorIndex.build(self.dimension, ids, vectors, config.approximate_above, config.nprobe)
            self._dirty = True
        return index

    def _pooled_vectors(self, ids: list[int] | None) -> tuple[np.ndarray, np.ndarray]:
        """Passage vectors pooled from the stored sentence vectors."""
        rows = self.articles.passage_sentence_vectors(ids)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dimension), dtype=np.float32)
        return np.array([pid for pid, _ in rows], dtype=np.int64), np.vstack([pool_mean(m) for _, m in rows])

    # -- writes --------------------------------------------------------------

    def _check_writable(self) -> None:
        if self._lock is None:
            raise IndexLockedError("this index was opened read-only")

    def content_hash(self, article_id: str) -> str | None:
        return self.articles.content_hash(article_id)

    def vectors_for_hashes(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return self.articles.vectors_for_hashes(hashes)

    def write_article(self, write: ArticleWrite) -> bool:
        """One SQLite transaction, then the article's vectors swapped in under the index lock."""
        self._check_writable()
        with self._write_lock:
            existed = self.articles.content_hash(write.article.id) is not None
            added, removed = self.articles.replace_article(
                write.article, write.sentences, write.sentence_vectors, write.sentence_hashes, write.passages
            )
            with self._index_lock:
                self.vectors.remove(np.array(removed, dtype=np.int64))
                self.vectors.add(np.array(added, dtype=np.int64), write.passage_vectors)
                self._changed()
        return existed

    def remove_article(self, article_id: str) -> int | None:
        self._check_writable()
        with self._write_lock:
            removed = self.articles.remove_article(article_id)
            if removed is None:
                return None
            with self._index_lock:
                self.vectors.remove(np.array(removed, dtype=np.int64))
                self._changed()
        return len(removed)

    def _changed(self) -> None:
        self._dirty = True
        self._generation += 1

    def generation(self) -> int:
        # Only this process writes (the directory lock), so an in-memory counter sees every write.
        return self._generation

    # -- reads ---------------------------------------------------------------

    def search(self, request: SearchRequest) -> list[tuple[Candidate, StoredPassage]]:
        """FAISS and FTS5 candidates fused by rank; filters applied to the fused list."""
        retrieval = request.retrieval
        widening = self.config.filtered_widening if request.filters.active else 1
        if widening > 1:
            retrieval = replace(retrieval, dense_k=retrieval.dense_k * widening, lexical_k=retrieval.lexical_k * widening)
        with self._index_lock:
            dense = self.vectors.search(request.vector, retrieval.dense_k)
        lexical = self.articles.lexical_search(fts_match(request.terms), retrieval.lexical_k) if retrieval.lexical_k > 0 else []
        candidates = fuse_rankings(dense, lexical, retrieval)
        passages = self.articles.passages([c.passage_id for c in candidates[: request.limit * widening]])
        ranked = [(c, passages[c.passage_id]) for c in candidates if c.passage_id in passages]
        return [pair for pair in ranked if request.filters.admits(pair[1])][: request.limit]

    def sentences_of_passages(self, ids: Sequence[int]) -> dict[int, SentenceRows]:
        return self.articles.sentences_of_passages(ids)

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        return self.articles.document_frequencies(terms)

    def get_article(self, article_id: str) -> Article | None:
        return self.articles.get_article(article_id)

    def list_articles(self, limit: int, offset: int) -> list[ArticleSummary]:
        return self.articles.list_articles(limit, offset)

    def counts(self) -> tuple[int, int]:
        return self.articles.counts()

    def vector_count(self) -> int:
        with self._index_lock:
            return len(self.vectors)

    # -- lifecycle -----------------------------------------------------------

    def save(self) -> bool:
        """Write the FAISS snapshot if anything changed (writers only); returns whether it wrote."""
        if self._lock is None:
            return False
        with self._index_lock:
            if not self._dirty:
                return False
            self.vectors.save(self.data_dir / VECTORS_FILE)
            self._dirty = False
        return True

    def close(self) -> None:
        self.save()
        self.articles.close()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
