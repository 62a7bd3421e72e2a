"""Feeds and web pages as a source of articles: reading them once, and following feeds.

- :mod:`.config`: how often feeds are checked, backoff, caps, and how pages are fetched;
- :mod:`.registry`: a followed feed's record and the interface each storage backend meets;
- :mod:`.sources`: adding the articles of a URL (page or feed), a feed file or its content;
- :mod:`.polling`: checking one feed (conditional GET, only new or changed entries) and the
  background poller that checks every due feed, one server at a time.

Parsing and fetching themselves are ingest steps (:mod:`newsdesk.qa.ingest.feeds`,
:mod:`~newsdesk.qa.ingest.fetching`, :mod:`~newsdesk.qa.ingest.pages`).
"""

from newsdesk.qa.feeds.config import FeedConfig, parse_every
from newsdesk.qa.feeds.registry import Feed, FeedRegistry, FeedState, feed_id_for

__all__ = ["Feed", "FeedConfig", "FeedRegistry", "FeedState", "feed_id_for", "parse_every"]
