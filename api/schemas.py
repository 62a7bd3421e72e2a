"""Request and response models of the HTTP API (pydantic lives only at this edge)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

from newsdesk.api.limits import BOUNDS
from newsdesk.index.conversations import StoredTurn
from newsdesk.qa.ids import ARTICLE_ID_PATTERN
from newsdesk.qa.ingest.cleaning import BLANK_TEXT
from newsdesk.qa.types import Answer, Quote, ShortAnswer
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

MAX_QUESTION_CHARS = BOUNDS.max_question_chars
MAX_ARTICLE_CHARS = BOUNDS.max_article_chars
MAX_ARTICLES_PER_REQUEST = BOUNDS.max_articles_per_request
MAX_CHAT_MESSAGES = BOUNDS.max_chat_messages
MAX_CHAT_MESSAGE_CHARS = BOUNDS.max_chat_message_chars
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
# A question or message must hold more than white space: the pipeline strips it and refuses an empty
# one in its own words ("the question is empty"), and the schema states the rule as this pattern. It
# spells out what str.strip() removes, because \s means different things to different regex engines.
NOT_BLANK = r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_STATES_NOT_BLANK = Field(json_schema_extra={"minLength": 1, "pattern": NOT_BLANK})
# The pipeline refuses a title or text that cleans to nothing. Stated with "not" rather than a
# pattern: schema-driven generators cannot fill a pattern up to the 2,000,000 characters of a text.
_STATES_NOT_BLANK_TEXT = Field(json_schema_extra={"not": {"pattern": BLANK_TEXT}})


def digit_range_pattern(low: int, high: int) -> str:
    """A regular expression matching exactly the integers ``low..high`` written with the same number of digits.

    Args:
        low: The smallest number.
        high: The largest; as many digits as ``low``.

    Returns:
        The pattern, without anchors.
    """
    first, last = str(low), str(high)
    if len(first) != len(last) or low > high:
        raise ValueError(f"{low}..{high} is not a range of numbers of one length")

    def alternatives(lo: str, hi: str) -> list[str]:
        if lo == hi:
            return [lo]
        rest = len(lo) - 1
        if lo == "0" * len(lo) and hi == "9" * len(hi):
            return ["\\d" * len(lo)]
        if lo[0] == hi[0]:
            return [lo[0] + tail for tail in alternatives(lo[1:], hi[1:])]
        parts = [lo[0] + tail for tail in alternatives(lo[1:], "9" * rest)]
        if int(hi[0]) - int(lo[0]) > 1:
            parts.append(f"[{int(lo[0]) + 1}-{int(hi[0]) - 1}]" + "\\d" * rest)
        return parts + [hi[0] + tail for tail in alternatives("0" * rest, hi[1:])]

    return "(?:" + "|".join(alternatives(first, last)) + ")"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_DATES = BOUNDS.news_dates


def _date_from_iso(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic alone would also read 0 or "86400" as a Unix time."""
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError("a date is written YYYY-MM-DD")
        return date.fromisoformat(value)
    return value


def _news_date(day: date) -> date:
    if not _DATES.contains(day):
        raise ValueError(f"the date must be between {_DATES.earliest} and {_DATES.latest}")
    return day


NewsDate = Annotated[
    date,
    BeforeValidator(_date_from_iso),
    AfterValidator(_news_date),
    Field(
        # JSON Schema has no bounds for dates: a pattern on the year states them to validators and
        # generators; formatMinimum/formatMaximum (a draft keyword some validators know) say them plainly.
        json_schema_extra={
            "pattern": f"^{digit_range_pattern(_DATES.first_year, _DATES.last_year)}-",
            "formatMinimum": _DATES.earliest.isoformat(),
            "formatMaximum": _DATES.latest.isoformat(),
        },
    ),
]
"""A date written YYYY-MM-DD, from ``BOUNDS.news_dates.earliest`` to ``latest``."""


def _whole_number(value: object) -> object:
    """JSON Schema counts 3.0 as an integer; strict pydantic alone would refuse it."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
"""An integer, also when written 3.0 (but never "3" or true)."""
# Bounds go before the validator, where pydantic can state them as JSON Schema minimum and maximum.
QuoteCount = Annotated[int, Field(ge=1, le=BOUNDS.max_top_k), BeforeValidator(_whole_number)]


class _Strict(BaseModel):
    """Request bodies: no unknown fields, and JSON types as the schema states them (no "5" for 5, no 0 for a date)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class AskRequest(_Strict):
    question: Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS), _STATES_NOT_BLANK]
    top_k: QuoteCount | None = Field(default=None, description="How many quotes to return (default 5).")
    as_of: NewsDate | None = Field(
        default=None,
        description="The date the question is asked on (default today): 'this week' or 'yesterday' are read "
        "against it, and articles from around it are favoured.",
    )
    since: NewsDate | None = Field(default=None, description="Only articles published on or after this date.")
    until: NewsDate | None = Field(
        default=None, description="Only articles published on or before this date (not before `since`)."
    )
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
    title: Annotated[str, StringConstraints(min_length=1, max_length=1000), _STATES_NOT_BLANK_TEXT]
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ARTICLE_CHARS), _STATES_NOT_BLANK_TEXT]
    url: Annotated[str, StringConstraints(max_length=2000)] | None = None
    published: NewsDate | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    source: Annotated[str, StringConstraints(max_length=200)] | None = None
    id: Annotated[str, StringConstraints(pattern=ARTICLE_ID_PATTERN)] | None = None


ArticlesIn = Annotated[list[ArticleIn], Field(min_length=1, max_length=MAX_ARTICLES_PER_REQUEST)]


def _one_or_many(body: Any) -> str:
    return "list[ArticleIn]" if isinstance(body, list) else "ArticleIn"


# One article or a list: validated as the shape the client sent, so a 422 lists only that shape's errors.
ArticlesBody = Annotated[
    Annotated[ArticleIn, Tag("ArticleIn")] | Annotated[ArticlesIn, Tag("list[ArticleIn]")],
    Discriminator(_one_or_many),
]


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
    message: Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS), _STATES_NOT_BLANK] = Field(
        description="The question as typed; follow-ups such as 'Where did he serve before?' are read against the "
        "conversation's earlier turns."
    )
    top_k: QuoteCount | None = Field(default=None, description="How many quotes to return (default 5).")
    as_of: NewsDate | None = Field(default=None, description="The date the question is asked on (default today).")


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


class TextPartIn(_Strict):
    """A text part of a message's content, as OpenAI clients send it."""

    type: Literal["text"]
    text: Annotated[str, StringConstraints(max_length=MAX_CHAT_MESSAGE_CHARS)]


class OpenAIMessage(_Strict):
    role: Literal["system", "developer", "user", "assistant"] = Field(
        description="system and developer messages are accepted and ignored."
    )
    content: (
        Annotated[str, StringConstraints(max_length=MAX_CHAT_MESSAGE_CHARS), _STATES_NOT_BLANK]
        | Annotated[list[TextPartIn], Field(min_length=1, max_length=100)]
    ) = Field(description="A string, or a list of text parts whose texts are joined.")
    name: Annotated[str, StringConstraints(max_length=200)] | None = None

    @property
    def text(self) -> str:
        """The content as one string."""
        return self.content if isinstance(self.content, str) else "\n".join(part.text for part in self.content)


class ChatCompletionRequest(_Strict):
    """An OpenAI chat-completions request; sampling options are accepted and ignored."""

    model: Annotated[str, StringConstraints(max_length=200)] | None = None
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=MAX_CHAT_MESSAGES)
    stream: bool = False
    temperature: float | None = None
    top_p: float | None = None
    n: WholeNumber | None = None
    max_tokens: WholeNumber | None = None
    max_completion_tokens: WholeNumber | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    logit_bias: dict[str, float] | None = None
    logprobs: bool | None = None
    top_logprobs: WholeNumber | None = None
    seed: WholeNumber | None = None
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
            if not message.text.strip():
                raise ValueError(f"messages[{i}] has empty content")
            if len(message.text) > MAX_CHAT_MESSAGE_CHARS:
                raise ValueError(f"messages[{i}] is longer than {MAX_CHAT_MESSAGE_CHARS} characters")
        if self.messages[-1].role != "user":
            raise ValueError("the last message must be a user message (the question to answer)")
        if len(self.messages[-1].text) > MAX_QUESTION_CHARS:
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
    usage: UsageOut | None = Field(
        default=None, description='Only in the last chunk, when `stream_options` has `"include_usage": true`.'
    )


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelListOut(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


class FieldProblemOut(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is, e.g. [\"body\", \"top_k\"].")
    msg: str
    type: str


class ErrorOut(BaseModel):
    detail: str | list[FieldProblemOut] = Field(
        description="What is wrong: a sentence, or for a malformed request one entry per wrong field."
    )
