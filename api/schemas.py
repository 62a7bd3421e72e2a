"""Request and response models of the HTTP API (pydantic lives only at this edge)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qa.ids import ARTICLE_ID_PATTERN
from qa.types import Answer, Quote

MAX_QUESTION_CHARS = 1000
MAX_ARTICLE_CHARS = 2_000_000
MAX_ARTICLES_PER_REQUEST = 100


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AskRequest(_Strict):
    question: Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS)]
    top_k: int | None = Field(default=None, ge=1, le=50, description="How many quotes to return (default 5).")
    as_of: date | None = Field(
        default=None,
        description="The date the question is asked on (default today): 'this week' or 'yesterday' are read "
        "against it, and articles from around it are favoured.",
    )
    since: date | None = Field(default=None, description="Only articles published on or after this date.")
    until: date | None = Field(default=None, description="Only articles published on or before this date.")
    source: Annotated[str, StringConstraints(max_length=200)] | None = Field(
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


class AskResponse(BaseModel):
    question: str
    answer: str | None
    confidence: float
    quotes: list[QuoteOut]
    short_answer: ShortAnswerOut | None = None
    message: str | None = None

    @classmethod
    def of(cls, answer: Answer) -> AskResponse:
        short = answer.short_answer
        return cls(
            question=answer.question,
            answer=answer.answer,
            confidence=answer.confidence,
            quotes=[QuoteOut.of(q) for q in answer.quotes],
            short_answer=ShortAnswerOut(text=short.text, article_id=short.article_id, start=short.start, end=short.end)
            if short else None,
            message=answer.message,
        )


class ArticleIn(_Strict):
    title: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ARTICLE_CHARS)]
    url: Annotated[str, StringConstraints(max_length=2000)] | None = None
    published: date | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    source: Annotated[str, StringConstraints(max_length=200)] | None = None
    id: Annotated[str, StringConstraints(pattern=ARTICLE_ID_PATTERN)] | None = None


class AddedArticle(BaseModel):
    id: str
    status: str = Field(description="added, replaced or unchanged")
    passages: int
    title: str


class AddArticlesResponse(BaseModel):
    articles: list[AddedArticle]


class ArticleSummaryOut(BaseModel):
    id: str
    title: str
    url: str | None
    published: str | None
    source: str | None
    passages: int
    added_at: str


class ArticleListOut(BaseModel):
    articles: list[ArticleSummaryOut]
    total: int
    limit: int
    offset: int


class ArticleOut(BaseModel):
    id: str
    title: str
    url: str | None
    published: str | None
    source: str | None
    text: str = Field(description="The cleaned text that quote offsets point into.")
    content_hash: str


class DeletedArticle(BaseModel):
    id: str
    deleted: bool
    passages: int


class HealthOut(BaseModel):
    status: str
    model: str
    dimension: int
    device: str
    articles: int
    passages: int
    vectors: int


class ErrorOut(BaseModel):
    detail: str | list[dict[str, object]]
