"""Followed feeds: follow one, list them with their last check, stop following one."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, status

from newsdesk.api.auth import require_read
from newsdesk.api.deps import get_settings, require_api_key
from newsdesk.api.errors import JSON_BODY_ERRORS, READ_KEY_ERRORS, STORAGE_ERRORS, WRITE_KEY_ERRORS, error_responses
from newsdesk.api.schemas.feeds import DeletedFeed, FeedIn, FeedListOut, FeedOut
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.feeds.config import parse_every
from newsdesk.qa.feeds.polling import FeedPoller
from newsdesk.qa.feeds.registry import FeedRegistry
from newsdesk.qa.ingest.fetching import check_address
from newsdesk.settings import Settings

router = APIRouter(prefix="/feeds", tags=["feeds"], responses=error_responses(*STORAGE_ERRORS))


def get_feeds(request: Request) -> FeedRegistry:
    registry: FeedRegistry = request.app.state.feeds
    return registry


def get_poller(request: Request) -> FeedPoller:
    poller: FeedPoller = request.app.state.poller
    return poller


@router.post(
    "",
    response_model=FeedOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_api_key)],
    responses=error_responses(*JSON_BODY_ERRORS, *WRITE_KEY_ERRORS),
)
def follow_feed(
    body: Annotated[FeedIn, Body()],
    registry: FeedRegistry = Depends(get_feeds),
    poller: FeedPoller = Depends(get_poller),
    settings: Settings = Depends(get_settings),
) -> FeedOut:
    """Follow a feed: it is checked at once, in the background, then every `every`
    (conditional GET; new and changed entries become articles). Following the same URL
    again changes its interval. A URL whose host does not resolve, or resolves to a
    loopback, private or link-local address (unless the server allows them), is refused (422)."""
    config = settings.feed_config()
    url = check_address(body.url, config.fetch.allow_private)
    every = config.clamp_every(parse_every(body.every) if body.every else None)
    feed, _ = registry.add_feed(url, every, time.time())
    poller.wake()
    return FeedOut.of(feed)


@router.get(
    "", response_model=FeedListOut, dependencies=[Depends(require_read)], responses=error_responses(*READ_KEY_ERRORS)
)
def list_feeds(registry: FeedRegistry = Depends(get_feeds)) -> FeedListOut:
    """Every followed feed, with its last check, last new entry and last error."""
    return FeedListOut(feeds=[FeedOut.of(f) for f in registry.list_feeds()])


@router.delete(
    "/{feed_id}",
    response_model=DeletedFeed,
    dependencies=[Depends(require_api_key)],
    responses=error_responses(*WRITE_KEY_ERRORS, 404),
)
def unfollow_feed(feed_id: str, registry: FeedRegistry = Depends(get_feeds)) -> DeletedFeed:
    """Stop following a feed; the articles it brought stay."""
    if not registry.remove_feed(feed_id):
        raise NotFoundError(f"no feed with id {feed_id!r}")
    return DeletedFeed(id=feed_id, deleted=True)
