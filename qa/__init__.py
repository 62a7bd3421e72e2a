"""The newsdesk pipeline: cleaning, chunking, embedding, retrieval, answering (and chat follow-ups)."""

from qa.chat import resolve_followup
from qa.errors import ArticleError, NewsdeskError, NotFoundError, QueryError
from qa.pipeline import AddResult, Newsdesk, PipelineConfig
from qa.types import Answer, Article, ArticleDraft, ChatTurn, Passage, Quote

__all__ = [
    "AddResult",
    "Answer",
    "Article",
    "ArticleDraft",
    "ArticleError",
    "ChatTurn",
    "Newsdesk",
    "NewsdeskError",
    "NotFoundError",
    "Passage",
    "PipelineConfig",
    "Quote",
    "QueryError",
    "resolve_followup",
]
