"""``/ask``: the question, and the answer with its quotes (the answer fields ``/chat`` shares)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas.common import (
    QUOTE_COUNT_HELP,
    STATES_NOT_BLANK,
    NewsDate,
    QuoteCount,
    StrictRequest,
)
from newsdesk.qa.types import Answer, Citation, Disagreement, Quote, ShortAnswer, ValueReport

__all__ = [
    "AnswerOut", "AskRequest", "AskResponse", "CitationOut", "DisagreementOut", "QuoteOut", "ShortAnswerOut",
    "ValueReportOut",
]


class AskRequest(StrictRequest):
    question: Annotated[str, StringConstraints(min_length=1, max_length=BOUNDS.max_question_chars), STATES_NOT_BLANK]
    top_k: QuoteCount | None = Field(default=None, description=QUOTE_COUNT_HELP)
    as_of: NewsDate | None = Field(
        default=None,
        description="The date the question is asked on (default today): 'this week' or 'yesterday' are read "
        "against it, and articles from around it are favoured.",
    )
    since: NewsDate | None = Field(default=None, description="Only articles published on or after this date.")
    until: NewsDate | None = Field(
        default=None, description="Only articles published on or before this date (not before `since`)."
    )
    source: Annotated[str, StringConstraints(max_length=BOUNDS.max_source_chars)] | None = Field(
        default=None, description="Only articles from this source."
    )


class QuoteOut(BaseModel):
    text: str
    article_id: str
    title: str
    url: str | None
    published: str | None
    source: str | None
    start: int
    end: int
    score: float
    also_reported_by: list[str] = []

    @classmethod
    def of(cls, quote: Quote) -> QuoteOut:
        return cls(
            text=quote.text, article_id=quote.article_id, title=quote.title, url=quote.url,
            published=quote.published, source=quote.source, start=quote.start, end=quote.end,
            score=quote.score, also_reported_by=list(quote.also_reported_by),
        )


class ShortAnswerOut(BaseModel):
    text: str
    article_id: str
    start: int
    end: int
    date: str | None = Field(
        default=None, description="The day a relative span ('Wednesday evening', 'yesterday') names, read "
        "against the article's date (YYYY-MM-DD)."
    )

    @classmethod
    def of(cls, short: ShortAnswer | None) -> ShortAnswerOut | None:
        if short is None:
            return None
        return cls(text=short.text, article_id=short.article_id, start=short.start, end=short.end, date=short.date)


class CitationOut(BaseModel):
    """One sentence of a composed answer: ``answer[start:end]`` is ``quotes[quote].text``."""

    quote: int
    start: int
    end: int

    @classmethod
    def of(cls, citation: Citation) -> CitationOut:
        return cls(quote=citation.quote, start=citation.start, end=citation.end)


class ValueReportOut(BaseModel):
    """An earlier value another article gave for the answer: the value as written, its quote and day."""

    value: str
    quote: QuoteOut
    published: str | None

    @classmethod
    def of(cls, report: ValueReport) -> ValueReportOut:
        return cls(value=report.value, quote=QuoteOut.of(report.quote), published=report.published)


class DisagreementOut(BaseModel):
    """One of the values sources gave at the same time, with the quotes (source and date) that give it."""

    value: str
    quotes: list[QuoteOut]

    @classmethod
    def of(cls, disagreement: Disagreement) -> DisagreementOut:
        return cls(value=disagreement.value, quotes=[QuoteOut.of(q) for q in disagreement.quotes])


class AnswerOut(BaseModel):
    """The fields every answer carries, in /ask and in /chat."""

    answer: str | None
    confidence: float
    quotes: list[QuoteOut]
    short_answer: ShortAnswerOut | None = None
    message: str | None = None
    answer_kind: str = Field(
        default="span", description="'span' (short_answer inside the answer sentence), 'sentence' (a sentence "
        "answers a why/how/yes-no question), 'composed' (cited sentences), 'none' (no supported answer)."
    )
    citations: list[CitationOut] = []
    changes: list[ValueReportOut] = Field(
        default=[], description="Earlier values other articles gave for this answer, oldest first (the answer "
        "is the newest at or before `as_of`)."
    )
    disagreements: list[DisagreementOut] = Field(
        default=[], description="Values that different sources gave within a few days of each other, the "
        "answer's value first; syndicated copies count as one source."
    )

    @staticmethod
    def fields_of(answer: Answer) -> dict[str, object]:
        return {
            "answer": answer.answer,
            "confidence": answer.confidence,
            "quotes": [QuoteOut.of(q) for q in answer.quotes],
            "short_answer": ShortAnswerOut.of(answer.short_answer),
            "message": answer.message,
            "answer_kind": answer.answer_kind,
            "citations": [CitationOut.of(c) for c in answer.citations],
            "changes": [ValueReportOut.of(c) for c in answer.changes],
            "disagreements": [DisagreementOut.of(d) for d in answer.disagreements],
        }


class AskResponse(AnswerOut):
    question: str

    @classmethod
    def of(cls, answer: Answer) -> AskResponse:
        return cls(question=answer.question, **cls.fields_of(answer))
