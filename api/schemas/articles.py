"""``/articles``: articles sent in, and what is stored, listed and deleted."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, StringConstraints, Tag

from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas.common import STATES_NOT_BLANK_TEXT, NewsDate, StrictRequest
from newsdesk.qa.ids import ARTICLE_ID_PATTERN

__all__ = [
    "AddArticlesResponse",
    "AddedArticle",
    "ArticleIn",
    "ArticleListOut",
    "ArticleOut",
    "ArticleSummaryOut",
    "ArticlesBody",
    "ArticlesIn",
    "DeletedArticle",
]


class ArticleIn(StrictRequest):
    title: Annotated[str, StringConstraints(min_length=1, max_length=BOUNDS.max_title_chars), STATES_NOT_BLANK_TEXT]
    text: Annotated[str, StringConstraints(min_length=1, max_length=BOUNDS.max_article_chars), STATES_NOT_BLANK_TEXT]
    url: Annotated[str, StringConstraints(max_length=BOUNDS.max_url_chars)] | None = None
    published: NewsDate | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    source: Annotated[str, StringConstraints(max_length=BOUNDS.max_source_chars)] | None = None
    id: Annotated[str, StringConstraints(pattern=ARTICLE_ID_PATTERN)] | None = None
    format: Literal["text", "html"] = Field(
        default="text",
        description="How `text` is written: `text` (plain text; HTML markup in it is refused with 422) or `html` "
        "(a page or fragment: the article text is extracted from it, as from an .html file).",
    )


ArticlesIn = Annotated[list[ArticleIn], Field(min_length=1, max_length=BOUNDS.max_articles_per_request)]


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
