"""The read path: check a question, retrieve passages from the store, and answer from them."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from newsdesk.qa.answering.reading import Reader, SentenceLookup, answer_by_reading
from newsdesk.qa.answering.scoring import ScoredSentence, answer_from_passages, score_sentences, term_weights
from newsdesk.qa.embedding.base import Embedder
from newsdesk.qa.errors import QueryError
from newsdesk.qa.pipeline.config import PipelineConfig
from newsdesk.qa.pipeline.storage import SearchRequest, Store
from newsdesk.qa.retrieval.filters import PassageFilter, as_date
from newsdesk.qa.retrieval.fusion import Candidate, RetrievalConfig, query_terms
from newsdesk.qa.retrieval.timeframe import TimeWindow, window_in_question
from newsdesk.qa.story.compose import compose_answer
from newsdesk.qa.story.figures import follow_figures
from newsdesk.qa.story.question_kinds import wants_composed_answer
from newsdesk.qa.story.reports import Evidence, RememberingReader
from newsdesk.qa.text import STOPWORDS, tokens
from newsdesk.qa.types import Answer, StoredPassage

__all__ = ["Candidates", "QuestionAnswerer", "TermStatistics"]


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


@dataclass(frozen=True)
class Candidates:
    """What retrieval and sentence scoring found for a question, before reading.

    Attributes:
        question: The checked question.
        day: The day it is asked on (``as_of``, else today).
        window: The time the question is about, if it says or ``as_of`` implies one.
        vector: The question's embedding.
        weights: Idf weights of its words.
        ranked: Fused passages, best first.
        scored: Candidate sentences, best first (empty without a reader).
        sentences_of: The stored sentences of a ranked passage.
        timings_ms: Milliseconds spent embedding and retrieving.
    """

    question: str
    day: date
    window: TimeWindow | None
    vector: np.ndarray
    weights: dict[str, float]
    ranked: list[tuple[Candidate, StoredPassage]]
    scored: list[ScoredSentence]
    sentences_of: SentenceLookup
    timings_ms: dict[str, float]


class QuestionAnswerer:
    """Answers questions with verbatim quotes from a store, or abstains with the closest ones."""

    def __init__(self, store: Store, embedder: Embedder, config: PipelineConfig, reader: Reader | None) -> None:
        self._store = store
        self._embedder = embedder
        self._config = config
        self._reader = reader
        self._terms = TermStatistics(store, config.retrieval)

    @property
    def terms(self) -> TermStatistics:
        """The document-frequency cache of this store, for other readers of it (timelines)."""
        return self._terms

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

    def candidates(
        self,
        text: str,
        k: int,
        *,
        as_of: date | str | None = None,
        since: date | str | None = None,
        until: date | str | None = None,
        source: str | None = None,
    ) -> Candidates:
        """Retrieve and score the candidate sentences of a checked question (no reading yet)."""
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
        # One query for every candidate passage's sentences; a passage replaced meanwhile has none.
        considered = [stored.passage.id for _, stored in ranked[: answering.passages_considered]]
        sentences = self._store.sentences_of_passages([i for i in considered if i is not None])
        sentences_of = lambda p: sentences.get(p.id or -1, [])  # noqa: E731
        scored = score_sentences(text, vector, ranked, sentences_of, answering, window, weights) if self._reader else []
        retrieved = time.perf_counter()
        timings = {"embed": round((embedded - started) * 1000, 2), "retrieve": round((retrieved - embedded) * 1000, 2)}
        return Candidates(text, day, window, vector, weights, ranked, scored, sentences_of, timings)

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
        found = self.candidates(text, k, as_of=as_of, since=since, until=until, source=source)
        started = time.perf_counter()
        answering = self._config.answering
        if self._reader is None:
            answer = answer_from_passages(
                text, found.vector, found.ranked, found.sentences_of, k, answering, found.window, found.weights
            )
        else:
            reader = RememberingReader(self._reader)  # the story stage re-reads nothing the answer read
            answer = answer_by_reading(text, found.scored, found.sentences_of, reader, k, answering)
            evidence = Evidence(text, found.scored, found.sentences_of, reader, found.weights)
            answer = follow_figures(answer, evidence, answering, self._config.story, found.day)
        if wants_composed_answer(text):  # lists, summaries, whys, comparisons: several cited sentences
            scored = found.scored or score_sentences(
                text, found.vector, found.ranked, found.sentences_of, answering, found.window, found.weights
            )
            answer = compose_answer(answer, scored, found.weights, self._config.story.compose, answering)
        finished = time.perf_counter()
        answer.timings_ms.update(found.timings_ms, answer=round((finished - started) * 1000, 2))
        return answer
