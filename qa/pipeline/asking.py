"""The read path: check a question, retrieve passages from the store, and answer from them."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

from newsdesk.qa.answering.reading import Reader, answer_by_reading
from newsdesk.qa.answering.scoring import answer_from_passages, score_sentences, term_weights
from newsdesk.qa.embedding.base import Embedder
from newsdesk.qa.errors import QueryError
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.pipeline.storage import SearchRequest, Store
from newsdesk.qa.retrieval.filters import PassageFilter, as_date
from newsdesk.qa.retrieval.fusion import RetrievalConfig, query_terms
from newsdesk.qa.retrieval.timeframe import TimeWindow, window_in_question
from newsdesk.qa.text import STOPWORDS, tokens
from newsdesk.qa.types import Answer

__all__ = ["QuestionAnswerer", "TermStatistics"]


class TermStatistics:
    """Document frequencies of question words, cached until the store changes.

    The cache is keyed on the store's generation, so a write by this process
    or (for a shared database) by any other one empties it; a lock keeps
    concurrent questions from filling it while it is being emptied.
    """

    def __init__(self, store: Store, config: RetrievalConfig) -> None:
        self._store = store
        self._config = config
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._frequencies: dict[str, int] = {}
        self._passages = 0

    def weights(self, question: str) -> tuple[dict[str, float], frozenset[str]]:
        """Idf weights of the question's words, and the words too common to search for."""
        words = [t for t in dict.fromkeys(tokens(question)) if t not in STOPWORDS]
        generation = self._store.generation()
        with self._lock:
            if generation != self._generation:
                self._frequencies, self._passages = {}, self._store.counts()[1]
                self._generation = generation
            missing = [w for w in words if w not in self._frequencies]
            if missing:
                self._frequencies.update(self._store.document_frequencies(missing))
            frequencies, total = dict(self._frequencies), self._passages
        limit = max(self._config.common_share * total, self._config.common_floor)
        common = frozenset(w for w in words if frequencies.get(w, 0) > limit)
        return term_weights(question, frequencies, total), common


class QuestionAnswerer:
    """Answers questions with verbatim quotes from a store, or abstains with the closest ones."""

    def __init__(self, store: Store, embedder: Embedder, config: PipelineConfig, reader: Reader | None) -> None:
        self._store = store
        self._embedder = embedder
        self._config = config
        self._reader = reader
        self._terms = TermStatistics(store, config.retrieval)

    def check_question(self, question: str, top_k: int | None) -> tuple[str, int]:
        """The stripped question and the number of quotes to return.

        Raises:
            QueryError: The question is empty or too long, or top_k is out of range.
        """
        config = self._config
        text = question.strip()
        if not text:
            raise QueryError("the question is empty")
        if len(text) > config.max_question_chars:
            raise QueryError(f"the question is longer than {config.max_question_chars} characters")
        k = config.default_top_k if top_k is None else top_k
        if not 1 <= k <= config.max_top_k:
            raise QueryError(f"top_k must be between 1 and {config.max_top_k}")
        return text, k

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
        """Answer a question (see :meth:`newsdesk.desk.Newsdesk.ask` for the arguments)."""
        text, k = self.check_question(question, top_k)
        filters = PassageFilter.build(since, until, source)
        day = as_date(as_of, "as_of") or date.today()
        window = window_in_question(text, day, self._config.time_frame)
        if window is None and as_of is not None:
            window = TimeWindow(day - timedelta(days=self._config.as_of_days), day)
        started = time.perf_counter()
        vector = self._embedder.embed_query(text)
        embedded = time.perf_counter()
        weights, common = self._terms.weights(text)
        answering = self._config.answering
        wanted = max(answering.passages_considered, k)
        request = SearchRequest(vector, query_terms(text, common), filters, wanted, self._config.retrieval)
        ranked = self._store.search(request)
        retrieved = time.perf_counter()
        # One query for every candidate passage's sentences; a passage replaced meanwhile has none.
        considered = [stored.passage.id for _, stored in ranked[: answering.passages_considered]]
        sentences = self._store.sentences_of_passages([i for i in considered if i is not None])
        sentences_of = lambda p: sentences.get(p.id or -1, [])  # noqa: E731
        if self._reader is None:
            answer = answer_from_passages(text, vector, ranked, sentences_of, k, answering, window, weights)
        else:
            scored = score_sentences(text, vector, ranked, sentences_of, answering, window, weights)
            answer = answer_by_reading(
                text, scored, sentences_of, self._reader, k, answering.reading_budget, answering.reader_abstain_below,
                answering.reading_neighbours, answering.reading_evidence_weight,
            )
        finished = time.perf_counter()
        answer.timings_ms.update(
            embed=round((embedded - started) * 1000, 2),
            retrieve=round((retrieved - embedded) * 1000, 2),
            answer=round((finished - retrieved) * 1000, 2),
        )
        return answer
