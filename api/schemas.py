"""Request and response models of the HTTP API (pydantic lives only at this edge)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from index.conversations import StoredTurn
from qa.ids import ARTICLE_ID_PATTERN
from qa.types import Answer, Quote, ShortAnswer

MAX_QUESTION_CHARS = 1000
MAX_ARTICLE_CHARS = 2_000_000
MAX_ARTICLES_PER_REQUEST = 100
MAX_CHAT_MESSAGES = 200
MAX_CHAT_MESSAGE_CHARS = 20_000
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


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

    @classmethod
    def of(cls, short: ShortAnswer | None) -> ShortAnswerOut | None:
        return cls(text=short.text, article_id=short.article_id, start=short.start, end=short.end) if short else None


class _AnswerOut(BaseModel):
    """The fields every answer carries, in /ask and in /chat."""

    answer: str | None
    confidence: float
    quotes: list[QuoteOut]
    short_answer: ShortAnswerOut | None = None
    message: str | None = None

    @staticmethod
    def fields_of(answer: Answer) -> dict[str, object]:
        return {
            "answer": answer.answer,
            "confidence": answer.confidence,
            "quotes": [QuoteOut.of(q) for q in answer.quotes],
            "short_answer": ShortAnswerOut.of(answer.short_answer),
            "message": answer.message,
        }


class AskResponse(_AnswerOut):
    question: str

    @classmethod
    def of(cls, answer: Answer) -> AskResponse:
        return cls(question=answer.question, **cls.fields_of(answer))


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


class ChatRequest(_Strict):
    conversation_id: Annotated[str, StringConstraints(pattern=CONVERSATION_ID_PATTERN)] | None = Field(
        default=None, description="Continue this conversation; leave out to start a new one."
    )
    message: Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS)] = Field(
        description="The question as typed; follow-ups such as 'Where did he serve before?' are read against the "
        "conversation's earlier turns."
    )
    top_k: int | None = Field(default=None, ge=1, le=50, description="How many quotes to return (default 5).")
    as_of: date | None = Field(default=None, description="The date the question is asked on (default today).")


class ChatResponse(_AnswerOut):
    conversation_id: str
    interpreted_question: str = Field(description="The self-contained question that was answered.")

    @classmethod
    def of(cls, conversation_id: str, answer: Answer) -> ChatResponse:
        return cls(conversation_id=conversation_id, interpreted_question=answer.question, **cls.fields_of(answer))


class ChatTurnOut(BaseModel):
    message: str
    interpreted_question: str
    answer: str | None
    confidence: float
    quotes: list[QuoteOut]
    created_at: str

    @classmethod
    def of(cls, turn: StoredTurn) -> ChatTurnOut:
        return cls(
            message=turn.message,
            interpreted_question=turn.interpreted_question,
            answer=turn.answer,
            confidence=turn.confidence,
            quotes=[QuoteOut.of(q) for q in turn.quotes],
            created_at=datetime.fromtimestamp(turn.created_at, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )


class ConversationOut(BaseModel):
    conversation_id: str
    turns: list[ChatTurnOut]


class DeletedConversation(BaseModel):
    conversation_id: str
    deleted: bool


class OpenAIMessage(_Strict):
    role: Literal["system", "user", "assistant"]
    content: Annotated[str, StringConstraints(max_length=MAX_CHAT_MESSAGE_CHARS)]
    name: Annotated[str, StringConstraints(max_length=200)] | None = None


class ChatCompletionRequest(_Strict):
    """An OpenAI chat-completions request; sampling options are accepted and ignored."""

    model: Annotated[str, StringConstraints(max_length=200)] | None = None
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=MAX_CHAT_MESSAGES)
    stream: bool = False
    temperature: float | None = None
    top_p: float | None = None
    n: int | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    logit_bias: dict[str, float] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    seed: int | None = None
    user: str | None = None
    stream_options: dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    metadata: dict[str, str] | None = None
    store: bool | None = None
    service_tier: str | None = None
    parallel_tool_calls: bool | None = None

    @model_validator(mode="after")
    def _check_turns(self) -> ChatCompletionRequest:
        for i, message in enumerate(self.messages):
            if not message.content.strip():
                raise ValueError(f"messages[{i}] has empty content")
        if self.messages[-1].role != "user":
            raise ValueError("the last message must be a user message (the question to answer)")
        if len(self.messages[-1].content) > MAX_QUESTION_CHARS:
            raise ValueError(f"the last user message is longer than {MAX_QUESTION_CHARS} characters")
        return self


class CompletionMessageOut(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class CompletionChoiceOut(BaseModel):
    index: int = 0
    message: CompletionMessageOut
    finish_reason: str = "stop"


class UsageOut(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class ChatCompletionOut(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[CompletionChoiceOut]
    usage: UsageOut


class ChunkChoiceOut(BaseModel):
    index: int = 0
    delta: dict[str, str]
    finish_reason: str | None = None


class ChatCompletionChunkOut(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoiceOut]


class ErrorOut(BaseModel):
    detail: str | list[dict[str, object]]
