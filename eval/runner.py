"""Running an eval set against newsdesk, in-process or over HTTP, and scoring it."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

import httpx

from newsdesk.desk import Newsdesk
from newsdesk.qa.chat.conversation import Conversation
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.types import ChatTurn

from .metrics import QuestionScore, aggregate, contains_answer, exact_match, f1_score, first_hit_rank
from .questions import EvalConversation, EvalQuestion

__all__ = ["AskTarget", "HttpTarget", "InProcessTarget", "run_conversation_eval", "run_eval", "score_response"]

QUOTES_ASKED = 20  # enough for quote recall@1..20


class AskTarget(Protocol):
    """Something that answers questions the way ``POST /ask`` does."""

    def ask(self, question: str, top_k: int, as_of: str | None) -> dict[str, Any]: ...

    def article_text(self, article_id: str) -> str | None: ...


class InProcessTarget:
    """Asks a pipeline directly, and returns the same JSON shape as the API."""

    def __init__(self, desk: Newsdesk) -> None:
        self.desk = desk

    def ask(self, question: str, top_k: int, as_of: str | None) -> dict[str, Any]:
        # The fields of /ask's JSON are the Answer's own (timings aside), so both targets score alike.
        response = asdict(self.desk.ask(question, top_k, as_of=as_of))
        response.pop("timings_ms", None)
        return response

    def article_text(self, article_id: str) -> str | None:
        try:
            return self.desk.get_article(article_id).text
        except NotFoundError:
            return None


class HttpTarget:
    """Asks a running newsdesk server."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 60.0) -> None:
        headers = {"X-API-Key": api_key} if api_key else {}
        self._client = httpx.Client(base_url=url.rstrip("/"), timeout=timeout, headers=headers)
        self._texts: dict[str, str | None] = {}

    def ask(self, question: str, top_k: int, as_of: str | None) -> dict[str, Any]:
        payload: dict[str, Any] = {"question": question, "top_k": top_k}
        if as_of:
            payload["as_of"] = as_of
        response = self._client.post("/ask", json=payload)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def article_text(self, article_id: str) -> str | None:
        if article_id not in self._texts:
            response = self._client.get(f"/articles/{article_id}")
            self._texts[article_id] = response.json()["text"] if response.status_code == 200 else None
        return self._texts[article_id]


@dataclass(frozen=True)
class ScoredQuestion:
    """One question's outcome: the score and the record that goes in results.json."""

    score: QuestionScore
    record: dict[str, Any]


def score_response(question: EvalQuestion, response: dict[str, Any], latency_ms: float, target: AskTarget) -> ScoredQuestion:
    """Score one answer against the gold answers (pure apart from reading article texts)."""
    answer = response.get("answer")
    short = (response.get("short_answer") or {}).get("text")
    quotes = response.get("quotes") or []
    verbatim = sum(1 for q in quotes if (target.article_text(q["article_id"]) or "")[q["start"] : q["end"]] == q["text"])
    golds = question.answers
    rank = first_hit_rank([q["text"] for q in quotes], golds) if golds else None
    score = QuestionScore(
        answerable=bool(golds),
        abstained=answer is None,
        answer_hit=contains_answer(answer, golds),
        exact_match=exact_match(short or answer, golds),
        f1=f1_score(short or answer, golds),
        hit_rank=rank,
        quotes_verbatim=verbatim,
        quotes_total=len(quotes),
        latency_ms=latency_ms,
    )
    record = {
        "id": question.id,
        "question": question.question,
        "as_of": question.as_of,
        "gold": list(golds),
        "answerable": score.answerable,
        "answer": answer,
        "short_answer": short,
        "confidence": response.get("confidence"),
        "abstained": score.abstained,
        "answer_hit": score.answer_hit,
        "exact_match": score.exact_match,
        "f1": score.f1,
        "hit_rank": rank,
        "latency_ms": round(latency_ms, 2),
        "quotes": [
            {k: q.get(k) for k in ("text", "article_id", "title", "published", "url", "start", "end", "score")} for q in quotes
        ],
    }
    return ScoredQuestion(score, record)


def run_eval(
    questions: Sequence[EvalQuestion],
    target: AskTarget,
    settings: dict[str, Any],
    on_question: Callable[[ScoredQuestion], None] | None = None,
) -> dict[str, Any]:
    """Ask every question, score the answers, and aggregate the metrics.

    Returns:
        The results document: ``metrics``, ``settings``, ``created`` and one
        record per question.
    """
    scored = []
    for question in questions:
        started = time.perf_counter()
        response = target.ask(question.question, QUOTES_ASKED, question.as_of)
        latency_ms = (time.perf_counter() - started) * 1000
        outcome = score_response(question, response, latency_ms, target)
        scored.append(outcome)
        if on_question:
            on_question(outcome)
    return {
        "metrics": aggregate([s.score for s in scored]),
        "settings": settings,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "questions": [s.record for s in scored],
    }


def _turn_of(question: str, response: dict[str, Any]) -> ChatTurn:
    """What the next turn's follow-up resolution sees of an answered one."""
    quotes = response.get("quotes") or []
    short = (response.get("short_answer") or {}).get("text")
    return ChatTurn(question, response.get("answer"), short, tuple(dict.fromkeys(q["title"] for q in quotes)))


def run_conversation_eval(
    conversations: Sequence[EvalConversation],
    target: AskTarget,
    settings: dict[str, Any],
    resolve_followups: bool = True,
    on_question: Callable[[ScoredQuestion], None] | None = None,
) -> dict[str, Any]:
    """Ask every turn of every conversation as chat does, and score each turn like a question.

    Each turn is rewritten from the earlier turns' questions and answers
    (:func:`newsdesk.qa.chat.followup.resolve_followup`, the rule ``/chat`` applies) and then
    asked; with ``resolve_followups=False`` it is asked as written, which
    shows what resolution adds.

    Returns:
        The results document of :func:`run_eval`, its records also holding
        ``conversation``, ``turn`` and ``interpreted_question``; ``metrics``
        add ``conversations``, ``followup_turns``, ``first_turn_answer_hit``
        and ``followup_answer_hit`` (answerable turns after the first).
    """
    scored: list[ScoredQuestion] = []
    first_scores: list[QuestionScore] = []
    followup_scores: list[QuestionScore] = []
    for conversation in conversations:
        chat = Conversation()
        for number, question in enumerate(conversation.turns, start=1):
            asked = chat.interpret(question.question) if resolve_followups else question.question
            started = time.perf_counter()
            response = target.ask(asked, QUOTES_ASKED, question.as_of)
            latency_ms = (time.perf_counter() - started) * 1000
            outcome = score_response(question, response, latency_ms, target)
            outcome.record.update(conversation=conversation.id, turn=number, interpreted_question=asked)
            chat.record(_turn_of(asked, response))
            scored.append(outcome)
            (first_scores if number == 1 else followup_scores).append(outcome.score)
            if on_question:
                on_question(outcome)
    metrics = aggregate([s.score for s in scored])
    metrics.update(
        conversations=len(conversations),
        followup_turns=len(followup_scores),
        first_turn_answer_hit=aggregate(first_scores)["answer_hit"],
        followup_answer_hit=aggregate(followup_scores)["answer_hit"],
    )
    return {
        "metrics": metrics,
        "settings": {**settings, "resolve_followups": resolve_followups},
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "questions": [s.record for s in scored],
    }
