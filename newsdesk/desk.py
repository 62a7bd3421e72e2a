"""``Newsdesk``: the one object users hold, indexing articles and answering questions.

It opens a storage backend and wires the write path and the read path of
:mod:`newsdesk.qa.pipeline` over it; the pipeline does not know which backend it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from newsdesk.index.embedded import EmbeddedConfig, EmbeddedStore
from newsdesk.qa.answering.reading import Reader
from newsdesk.qa.chat.conversation import Conversation
from newsdesk.qa.embedding.base import Embedder
from newsdesk.qa.errors import IndexLockedError, NewsdeskError, NotFoundError
from newsdesk.qa.pipeline.asking import Candidates, QuestionAnswerer
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.pipeline.storage import Store
from newsdesk.qa.pipeline.timelines import TimelineFinder
from newsdesk.qa.pipeline.writing import ArticleWriter
from newsdesk.qa.story.timeline import Timeline
from newsdesk.qa.types import AddResult, Answer, Article, ArticleDraft, ArticleSummary, ChatTurn

__all__ = ["AddResult", "Newsdesk", "PipelineConfig"]


class Newsdesk:
    """Indexes articles and answers questions over them, with verbatim quotes.

    Thread-safe: questions and writes may come from many threads; questions
    keep being answered during a bulk ingest and never see half an article.
    """

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder,
        config: PipelineConfig = PipelineConfig(),
        writer: bool = True,
        reader: Reader | None = None,
        storage: EmbeddedConfig = EmbeddedConfig(),
    ) -> None:
        """Open (or create) the embedded index in ``data_dir``.

        Args:
            data_dir: Folder holding the SQLite store and FAISS snapshot.
            embedder: The embedding model; must match the one the index was built with.
            config: Pipeline settings.
            writer: Take the data directory's write lock (needed to add or remove).
            reader: The reading model that picks answer spans; without one,
                answers come from sentence scoring alone.
            storage: The embedded backend's settings.

        Raises:
            ModelMismatchError: The index was built with another model.
            IndexLockedError: ``writer`` and another process holds the lock.
        """
        self.data_dir: Path | None = data_dir
        self._setup(EmbeddedStore(data_dir, embedder.dimension, storage, writer), embedder, config, reader, writer)

    @classmethod
    def over(
        cls,
        store: Store,
        embedder: Embedder,
        config: PipelineConfig = PipelineConfig(),
        reader: Reader | None = None,
        writer: bool = True,
    ) -> Newsdesk:
        """A newsdesk over an already opened backend (it takes ownership and closes it)."""
        desk = cls.__new__(cls)
        desk.data_dir = None
        desk._setup(store, embedder, config, reader, writer)
        return desk

    def _setup(
        self, store: Store, embedder: Embedder, config: PipelineConfig, reader: Reader | None, writer: bool
    ) -> None:
        try:
            store.check_model(embedder.name, embedder.dimension)
        except BaseException:
            store.close()
            raise
        self.embedder = embedder
        self.reader = reader
        self._store = store
        self._writable = writer
        self._config = config
        self._writer = ArticleWriter(store, embedder, config)
        self._answerer = QuestionAnswerer(store, embedder, config, reader)
        self._timelines = TimelineFinder(store, embedder, config, config.story.timeline, self._answerer.terms)

    # -- writes ---------------------------------------------------------

    def _check_writable(self) -> None:
        if not self._writable:
            raise IndexLockedError("this index was opened read-only")

    def check_article(self, draft: ArticleDraft, name: str | None = None) -> Article:
        """Clean and validate an article without storing it.

        Raises:
            ArticleError: It would be refused by :meth:`add_article`.
        """
        return self._writer.prepare(draft, name)

    def add_article(self, draft: ArticleDraft, name: str | None = None) -> AddResult:
        """Clean, split, embed and store one article.

        Re-adding an identical article changes nothing; an article with an id
        already stored replaces it (old passages and vectors go).

        Args:
            draft: The article as read.
            name: A file stem to derive the id from when the draft has none.

        Raises:
            ArticleError: The article is empty, too long or has a bad id.
            IndexLockedError: This newsdesk was opened read-only.
        """
        outcome = self.add_batch([(draft, name)])[0]
        if isinstance(outcome, NewsdeskError):
            raise outcome
        return outcome

    def add_articles(self, drafts: Iterable[ArticleDraft]) -> list[AddResult]:
        """Add several articles, raising the first article's error if any fails."""
        results = []
        for outcome in self.add_batch([(d, None) for d in drafts]):
            if isinstance(outcome, NewsdeskError):
                raise outcome
            results.append(outcome)
        return results

    def add_batch(self, items: Sequence[tuple[ArticleDraft, str | None]]) -> list[AddResult | NewsdeskError]:
        """Add articles, embedding their new sentences together (see :meth:`ArticleWriter.add_batch`).

        Raises:
            IndexLockedError: This newsdesk was opened read-only.
        """
        self._check_writable()
        return self._writer.add_batch(items)

    def remove_article(self, article_id: str) -> int:
        """Remove an article, its passages and vectors; returns the passage count.

        Raises:
            NotFoundError: No article has that id.
            IndexLockedError: This newsdesk was opened read-only.
        """
        self._check_writable()
        return self._writer.remove(article_id)

    # -- reads ----------------------------------------------------------

    def ask(
        self,
        question: str,
        top_k: int | None = None,
        *,
        as_of: date | str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        source: str | None = None,
    ) -> Answer:
        """Answer a question with verbatim quotes, or abstain with the closest ones.

        Args:
            question: The question.
            top_k: Quotes to return (default 5).
            as_of: The date the question is asked on (default today); relative
                times in the question ("this week") are read against it, and
                when given, articles from around it are favoured.
            since: Only articles published on or after this date.
            until: Only articles published on or before this date.
            source: Only articles from this source.

        Raises:
            QueryError: The question is empty or too long, top_k is out of
                range, or a date is malformed.
        """
        return self._answerer.ask(question, top_k, as_of=as_of, since=since, until=until, source=source)

    def candidates(
        self,
        question: str,
        top_k: int | None = None,
        *,
        as_of: date | str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        source: str | None = None,
    ) -> Candidates:
        """What retrieval and sentence scoring find for a question, before reading (for measuring what is read).

        Raises:
            QueryError: The question or an argument is invalid.
        """
        text, k = self._answerer.check_question(question, top_k)
        return self._answerer.candidates(text, k, as_of=as_of, since=since, until=until, source=source)

    def timeline(
        self,
        query: str,
        since: date | str | None = None,
        until: date | str | None = None,
        source: str | None = None,
        limit: int | None = None,
    ) -> Timeline:
        """The dated quotes most about ``query`` (an entity or a story), one per event, by day in date order.

        Args:
            query: What the timeline is about ("the Istanbul talks").
            since: Only articles published on or after this date.
            until: Only articles published on or before this date.
            source: Only articles from this source.
            limit: Entries at most (default 20).

        Raises:
            QueryError: The query is empty or too long, the limit is out of
                range, or a date is malformed.
        """
        return self._timelines.timeline(query, since, until, source, limit)

    def conversation(self, history: Iterable[ChatTurn] = ()) -> Conversation:
        """A conversation over these articles, continuing ``history`` (oldest turn first)."""
        return Conversation(history, self._config.max_question_chars)

    def get_article(self, article_id: str) -> Article:
        """The stored article.

        Raises:
            NotFoundError: No article has that id.
        """
        article = self._store.get_article(article_id)
        if article is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        return article

    def list_articles(self, limit: int = 100, offset: int = 0) -> list[ArticleSummary]:
        """Article metadata, newest first."""
        return self._store.list_articles(limit, offset)

    def counts(self) -> tuple[int, int]:
        """``(articles, passages)``."""
        return self._store.counts()

    def vector_count(self) -> int:
        """Passages the vector index holds."""
        return self._store.vector_count()

    # -- lifecycle ------------------------------------------------------

    def save(self) -> bool:
        """Persist what the backend holds in memory; returns whether it wrote."""
        return self._store.save()

    def close(self) -> None:
        """Save, close the backend and release its locks."""
        self._store.close()
