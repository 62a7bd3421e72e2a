"""Storage: the SQLite article store and the FAISS vector index."""

from index.store import ArticleStore, ArticleSummary, StoredPassage
from index.vectors import VectorIndex

__all__ = ["ArticleStore", "ArticleSummary", "StoredPassage", "VectorIndex"]
