"""Request and response models of the HTTP API (pydantic lives only at this edge), one module per resource.

Every bound they state is read from :data:`newsdesk.api.limits.BOUNDS`.
"""

from __future__ import annotations

from newsdesk.api.schemas.articles import (
    AddArticlesResponse,
    AddedArticle,
    ArticleIn,
    ArticleListOut,
    ArticleOut,
    ArticlesBody,
    ArticlesIn,
    ArticleSummaryOut,
    DeletedArticle,
)
from newsdesk.api.schemas.ask import AnswerOut, AskRequest, AskResponse, QuoteOut, ShortAnswerOut
from newsdesk.api.schemas.chat import (
    CONVERSATION_ID_PATTERN,
    ChatRequest,
    ChatResponse,
    ChatTurnOut,
    ConversationOut,
    DeletedConversation,
)
from newsdesk.api.schemas.common import (
    NOT_BLANK,
    ErrorOut,
    FieldProblemOut,
    HealthOut,
    NewsDate,
    QuoteCount,
    StrictRequest,
    WholeNumber,
    digit_range_pattern,
)
from newsdesk.api.schemas.openai import (
    ChatCompletionChunkOut,
    ChatCompletionOut,
    ChatCompletionRequest,
    ChunkChoiceOut,
    CompletionChoiceOut,
    CompletionMessageOut,
    ModelListOut,
    ModelOut,
    OpenAIMessage,
    TextPartIn,
    UsageOut,
)
from newsdesk.api.schemas.timeline import TimelineDayOut, TimelineResponse

__all__ = [
    "CONVERSATION_ID_PATTERN",
    "NOT_BLANK",
    "AddArticlesResponse",
    "AddedArticle",
    "AnswerOut",
    "ArticleIn",
    "ArticleListOut",
    "ArticleOut",
    "ArticleSummaryOut",
    "ArticlesBody",
    "ArticlesIn",
    "AskRequest",
    "AskResponse",
    "ChatCompletionChunkOut",
    "ChatCompletionOut",
    "ChatCompletionRequest",
    "ChatRequest",
    "ChatResponse",
    "ChatTurnOut",
    "ChunkChoiceOut",
    "CompletionChoiceOut",
    "CompletionMessageOut",
    "ConversationOut",
    "DeletedArticle",
    "DeletedConversation",
    "ErrorOut",
    "FieldProblemOut",
    "HealthOut",
    "ModelListOut",
    "ModelOut",
    "NewsDate",
    "OpenAIMessage",
    "QuoteCount",
    "QuoteOut",
    "ShortAnswerOut",
    "StrictRequest",
    "TextPartIn",
    "TimelineDayOut",
    "TimelineResponse",
    "UsageOut",
    "WholeNumber",
    "digit_range_pattern",
]
