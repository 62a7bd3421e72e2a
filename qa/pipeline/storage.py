"""What the pipeline needs of storage: one interface, met by each backend in :mod:`newsdesk.index`.

The pipeline never knows which backend it talks to. A backend keeps articles,
their sentences (with vectors) and passages (with offsets), searches them by
meaning and by words, and applies each article in one step that searches never
see half of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import Candidate, RetrievalConfig
from newsdesk.qa.types import Article, ArticleSummary, Passage, StoredPassage

__all__ = ["ArticleWrite", "SearchRequest", "SentenceRows", "Store"]

#: ``(start, end, vector)`` of each sentence of a passage, in order.
SentenceRows = list[tuple[int, int, np.ndarray]]


@dataclass(frozen=True)
class ArticleWrite:
    """One cleaned, split and embedded article, ready to be stored in one step.

    Attributes:
        article: The cleaned article.
        sentences: ``(start, end)`` of each sentence in ``article.text``.
        sentence_vectors: One normalised row per sentence.
        sentence_hashes: Each sentence's embedding-text hash (reused on re-adds).
        passages: The passages, with their sentence ranges and offsets.
        passage_vectors: One pooled, normalised row per passage.
    """

    article: Article
    sentences: list[tuple[int, int]]
    sentence_vectors: np.ndarray
    sentence_hashes: list[str]
    passages: list[Passage]
    passage_vectors: np.ndarray


@dataclass(frozen=True)
class SearchRequest:
    """One hybrid search: the question's vector and words, filters, and how many passages to return.

    Attributes:
        vector: The question's normalised embedding.
        terms: The question's words to match lexically (common words already left out).
        filters: Date range and source the passages must meet.
        limit: Passages to return at most.
        retrieval: Candidate counts per retriever and the fusion constants.
    """

    vector: np.ndarray
    terms: tuple[str, ...]
    filters: PassageFilter
    limit: int
    retrieval: RetrievalConfig


class Store(Protocol):
    """A backend that stores articles and finds their passages."""

    @property
    def writable(self) -> bool:
        """False when this store may only be read (a read-only open, a database replica)."""

    def check_model(self, model: str, dimension: int) -> None:
        """Record the embedding model on first use; raise ModelMismatchError for another one."""

    # -- writes ----------------------------------------------------------

    def content_hash(self, article_id: str) -> str | None:
        """The stored article's content hash, or None when it is not stored."""

    def vectors_for_hashes(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored sentence vectors by embedding-text hash, so unchanged sentences are not re-embedded."""

    def write_article(self, write: ArticleWrite) -> bool:
        """Store an article (replacing one with its id) atomically; True when it replaced one."""

    def remove_article(self, article_id: str) -> int | None:
        """Remove an article atomically; its passage count, or None when it was not stored."""

    def generation(self) -> int:
        """A number that changes whenever any article is written or removed (by any process)."""

    # -- reads -----------------------------------------------------------

    def search(self, request: SearchRequest) -> list[tuple[Candidate, StoredPassage]]:
        """Hybrid search: dense and lexical candidates fused by rank, filtered, best first."""

    def sentences_of_passages(self, ids: Sequence[int]) -> dict[int, SentenceRows]:
        """The sentences of passages by id; a passage replaced meanwhile has none."""

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        """How many passages hold each term."""

    def get_article(self, article_id: str) -> Article | None:
        """The stored article, or None."""

    def list_articles(self, limit: int, offset: int) -> list[ArticleSummary]:
        """Article metadata, newest first."""

    def counts(self) -> tuple[int, int]:
        """``(articles, passages)``."""

    def vector_count(self) -> int:
        """Passages in the vector index (equal to the passage count when in step)."""

    # -- lifecycle -------------------------------------------------------

    def save(self) -> bool:
        """Persist anything held in memory; True when something was written."""

    def close(self) -> None:
        """Save and release every resource."""
