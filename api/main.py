"""The FastAPI application: opens the index and loads the model once, at start-up."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from newsdesk.api.auth import keyring_from
from newsdesk.api.errors import install_error_handlers
from newsdesk.api.limits import RequestLimits
from newsdesk.api.routers import articles, ask, chat, docs, feeds, health, openai, page, timeline, uploads
from newsdesk.desk import Newsdesk
from newsdesk.index.factory import describe_storage, open_conversations, open_feeds, open_store
from newsdesk.qa.embedding import Embedder, load_embedder
from newsdesk.qa.feeds.polling import FeedPoller
from newsdesk.qa.ingest.fetching import Fetcher
from newsdesk.qa.ingest.files import add_paths
from newsdesk.qa.reader.reader import ExtractiveReader
from newsdesk.settings import Settings

__all__ = ["create_app"]

log = logging.getLogger("newsdesk")


def _seed_if_empty(desk: Newsdesk, settings: Settings) -> None:
    if settings.seed_dir is None or desk.counts()[0] > 0:
        return
    outcomes = add_paths(desk, [str(settings.seed_dir)])
    added = sum(len(o.results) for o in outcomes)
    for outcome in outcomes:
        if outcome.error:
            log.warning("seed not added: %s", outcome.error)
    desk.save()
    log.info("indexed %d seed articles from %s", added, settings.seed_dir)


def _snapshot_periodically(desk: Newsdesk, every: float, stop: threading.Event) -> None:
    """Write the FAISS snapshot now and then; the store stays the source of truth.

    A PostgreSQL backend holds nothing in memory: its ``save`` does nothing.
    """
    while not stop.wait(every):
        try:
            desk.save()
        except OSError:
            log.exception("could not write the vector snapshot; will retry")


def create_app(settings: Settings | None = None, embedder: Embedder | None = None, reader: ExtractiveReader | None = None) -> FastAPI:
    """Build the app.

    Args:
        settings: Configuration; read from the environment when omitted.
        embedder: An already loaded embedding model (tests share one); loaded
            from ``settings`` at start-up when omitted.
        reader: An already loaded reading model (tests share one); loaded from
            ``settings`` at start-up when omitted.
    """
    settings = settings or Settings.from_env()
    keyring = keyring_from(settings)  # a bad key entry is an error now, not at the first request

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        model = embedder or load_embedder(settings.embedder_config())
        postgres = settings.postgres_config() if settings.database_url else None
        store = open_store(
            model.dimension, settings.data_dir, settings.database_url,
            read_database_url=settings.read_database_url, postgres=postgres,
        )
        desk = Newsdesk.over(store, model, reader=reader or settings.load_reader())
        _seed_if_empty(desk, settings)
        try:
            conversations = open_conversations(
                settings.data_dir, settings.conversation_ttl_seconds, settings.database_url, postgres
            )
        except BaseException:
            desk.close()
            raise
        try:
            feed_registry = open_feeds(settings.data_dir, settings.database_url)
        except BaseException:
            conversations.close()
            desk.close()
            raise
        app.state.desk = desk
        app.state.conversations = conversations
        app.state.settings = settings
        feed_config = settings.feed_config()
        app.state.fetcher = fetcher = Fetcher(feed_config.fetch)
        app.state.feeds = feed_registry
        # Followed feeds are checked in the background; only one server at a time checks a feed.
        app.state.poller = poller = FeedPoller(feed_registry, desk, fetcher, feed_config)
        poller.start()
        stop = threading.Event()
        saver = threading.Thread(target=_snapshot_periodically, args=(desk, settings.snapshot_seconds, stop), daemon=True)
        saver.start()
        articles_count, passages_count = desk.counts()
        where = describe_storage(settings.data_dir, settings.database_url)
        log.info("serving %d articles (%d passages) from %s", articles_count, passages_count, where)
        try:
            yield
        finally:
            poller.stop()
            feed_registry.close()
            fetcher.close()
            stop.set()
            saver.join(timeout=5)
            conversations.close()
            desk.close()

    app = FastAPI(
        title="newsdesk",
        description="Ask questions about news articles; every answer comes with verbatim, linked quotes.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by newsdesk.api.routers.docs, without a CDN
        redoc_url=None,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["*"], allow_headers=["*"]
        )
    app.state.keyring = keyring
    app.add_middleware(RequestLimits, max_body_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    app.include_router(ask.router)
    app.include_router(uploads.router)
    app.include_router(articles.router)
    app.include_router(feeds.router)
    app.include_router(chat.router)
    app.include_router(timeline.router)
    app.include_router(openai.router)
    app.include_router(health.router)
    app.include_router(page.router)
    app.include_router(docs.router)
    return app
