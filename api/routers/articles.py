"""Articles: add (one or many), list, read, remove."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, status

from newsdesk.api.auth import require_read, require_write
from newsdesk.api.deps import get_desk
from newsdesk.api.errors import JSON_BODY_ERRORS, READ_KEY_ERRORS, STORAGE_ERRORS, WRITE_KEY_ERRORS, error_responses
from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas import (
    AddArticlesResponse,
    AddedArticle,
    ArticleIn,
    ArticleListOut,
    ArticleOut,
    ArticlesBody,
    ArticleSummaryOut,
    DeletedArticle,
)
from newsdesk.desk import Newsdesk
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.ingest.input_checks import HTML_HINT, article_text_from_html, looks_like_html
from newsdesk.qa.types import ArticleDraft

router = APIRouter(prefix="/articles", tags=["articles"], responses=error_responses(*STORAGE_ERRORS))


def _text_of(article: ArticleIn) -> str:
    """The article's plain text: HTML is extracted when the article says so, refused when it does not.

    Raises:
        ArticleError: The text holds HTML markup without ``"format": "html"``, or the markup holds no article.
    """
    if article.format == "html":
        return article_text_from_html(article.text, article.title, "the article's HTML")
    if looks_like_html(article.text):
        raise ArticleError(HTML_HINT)
    return article.text


def _draft(article: ArticleIn) -> ArticleDraft:
    return ArticleDraft(
        title=article.title,
        text=_text_of(article),
        url=article.url,
        published=article.published.isoformat() if article.published else None,
        source=article.source,
        id=article.id,
    )


@router.post(
    "",
    response_model=AddArticlesResponse,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_write)],
    responses=error_responses(*JSON_BODY_ERRORS, *WRITE_KEY_ERRORS, 409),
)
def add_articles(
    body: Annotated[ArticlesBody, Body()], desk: Newsdesk = Depends(get_desk)
) -> AddArticlesResponse:
    """Add one article or a list of them. An identical article is left unchanged;
    an article whose `id` is already stored replaces it. If any article of a
    list is refused, none is stored. Text that is mostly not letters (binary
    data, control characters) is refused, as is HTML markup in `text` unless
    `"format": "html"` asks for the article to be extracted from it."""
    articles = body if isinstance(body, list) else [body]
    drafts = []
    for number, article in enumerate(articles):  # all or nothing: refuse before storing any
        try:
            drafts.append(_draft(article))
            desk.check_article(drafts[-1])
        except ArticleError as exc:
            raise ArticleError(f"article {number}: {exc}" if len(articles) > 1 else str(exc)) from exc
    results = desk.add_articles(drafts)
    return AddArticlesResponse(articles=[AddedArticle(id=r.id, status=r.status, passages=r.passages, title=r.title) for r in results])


@router.get(
    "", response_model=ArticleListOut, dependencies=[Depends(require_read)], responses=error_responses(*READ_KEY_ERRORS, 422)
)
def list_articles(
    limit: int = Query(BOUNDS.default_page_size, ge=1, le=BOUNDS.max_page_size),
    offset: int = Query(0, ge=0, le=BOUNDS.max_offset),
    desk: Newsdesk = Depends(get_desk),
) -> ArticleListOut:
    """List stored articles, newest first."""
    total, _ = desk.counts()
    summaries = desk.list_articles(limit, offset)
    return ArticleListOut(
        articles=[ArticleSummaryOut(**s.__dict__) for s in summaries], total=total, limit=limit, offset=offset
    )


@router.get(
    "/{article_id}",
    response_model=ArticleOut,
    dependencies=[Depends(require_read)],
    responses=error_responses(*READ_KEY_ERRORS, 404),
)
def get_article(article_id: str, desk: Newsdesk = Depends(get_desk)) -> ArticleOut:
    """An article's metadata and cleaned text (the text quote offsets point into)."""
    article = desk.get_article(article_id)
    return ArticleOut(
        id=article.id, title=article.title, url=article.url, published=article.published,
        source=article.source, text=article.text, content_hash=article.content_hash,
    )


@router.delete(
    "/{article_id}",
    response_model=DeletedArticle,
    dependencies=[Depends(require_write)],
    responses=error_responses(*WRITE_KEY_ERRORS, 404, 409),
)
def delete_article(article_id: str, desk: Newsdesk = Depends(get_desk)) -> DeletedArticle:
    """Remove an article with its passages and vectors."""
    return DeletedArticle(id=article_id, deleted=True, passages=desk.remove_article(article_id))
