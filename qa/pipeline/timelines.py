"""The timeline read path: retrieve and score a query's sentences, then draw its timeline."""

from __future__ import annotations

from datetime import date

from newsdesk.qa.answering.scoring import score_sentences
from newsdesk.qa.embedding.base import Embedder
from newsdesk.qa.errors import QueryError
from newsdesk.qa.pipeline.asking import TermStatistics
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.pipeline.storage import SearchRequest, Store
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import query_terms
from newsdesk.qa.story.compose import topic_weights
from newsdesk.qa.story.timeline import Timeline, TimelineConfig, timeline_from_sentences

__all__ = ["TimelineFinder"]


class TimelineFinder:
    """Finds the dated quotes most about a query and orders them (see :mod:`newsdesk.qa.story.timeline`)."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        config: PipelineConfig,
        timeline: TimelineConfig,
        terms: TermStatistics | None = None,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._config = config
        self._timeline = timeline
        # The question answerer's cache when given: one set of document frequencies per store.
        self._terms = terms or TermStatistics(store, config.retrieval)

    def timeline(
        self,
        query: str,
        since: date | str | None = None,
        until: date | str | None = None,
        source: str | None = None,
        limit: int | None = None,
    ) -> Timeline:
        """See :meth:`newsdesk.desk.Newsdesk.timeline`."""
        text = query.strip()
        if not text:
            raise QueryError("the query is empty")
        if len(text) > self._config.max_question_chars:
            raise QueryError(f"the query is longer than {self._config.max_question_chars} characters")
        wanted = self._timeline.default_limit if limit is None else limit
        if not 1 <= wanted <= self._timeline.max_limit:
            raise QueryError(f"limit must be between 1 and {self._timeline.max_limit}")
        filters = PassageFilter.build(since, until, source)
        vector = self._embedder.embed_query(text)
        weights, common = self._terms.weights(text)
        # "What happened with the Istanbul talks?" is about the Istanbul talks: asking words are not the topic.
        weights = topic_weights(weights) or weights
        considered = self._timeline.passages_considered
        request = SearchRequest(vector, query_terms(text, common), filters, considered, self._config.retrieval)
        ranked = self._store.search(request)[:considered]
        sentences = self._store.sentences_of_passages([s.passage.id for _, s in ranked if s.passage.id is not None])
        answering = self._config.answering
        scored = score_sentences(
            text, vector, ranked, lambda p: sentences.get(p.id or -1, []), answering, None, weights
        )
        return timeline_from_sentences(text, scored, wanted, self._timeline, answering)
