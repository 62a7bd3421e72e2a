"""Storage: the SQLite article store, the FAISS vector index, and the conversation store."""

from index.conversations import ConversationStore, StoredTurn
from index.store import ArticleStore, ArticleSummary, StoredPassage
from index.vectors import VectorIndex

__all__ = ["ArticleStore", "ArticleSummary", "ConversationStore", "StoredPassage", "StoredTurn", "VectorIndex"]
