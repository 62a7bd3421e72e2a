"""The newsdesk pipeline: cleaning, chunking, embedding, retrieval, answering."""

from qa.errors import ArticleError, NewsdeskError, NotFoundError, QueryError
from qa.pipeline import AddResult, Newsdesk, PipelineConfig
from qa.types import Answer, Article, ArticleDraft, Passage, Quote

__all__ = [
    "AddResult",
    "Answer",
    "Article",
    "ArticleDraft",
    "ArticleError",
    "Newsdesk",
    "NewsdeskError",
    "NotFoundError",
    "Passage",
    "PipelineConfig",
    "Quote",
    "QueryError",
]
