"""A small news site on 127.0.0.1 for the tests: pages, feeds, robots.txt, redirects, slow and huge answers.

Routes are set by the test (``site.page(...)``, ``site.feed(...)``, ``site.route(...)``);
every response carries an ``ETag`` made from its body, and a request whose
``If-None-Match`` matches it gets 304, as a real feed host answers.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Route", "Site", "article_html", "atom_feed", "rss_feed"]


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: bool = True


def article_html(title: str, paragraphs: list[str], *, date: str | None = None, canonical: str | None = None) -> str:
    """A news article page as sites make them: head metadata, navigation, the article, a footer."""
    meta = f'<meta property="article:published_time" content="{date}T09:00:00Z">' if date else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)} | Harbour Times</title>
{meta}{link}<meta property="og:title" content="{escape(title)}"><meta property="og:site_name" content="Harbour Times"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{escape(title)}</h1>{body}</article></main>
<footer><p>Copyright Harbour Times. All rights reserved.</p></footer></body></html>"""


def _rfc822(day: str) -> str:
    return format_datetime(datetime.fromisoformat(day).replace(hour=9, tzinfo=timezone.utc))


def rss_feed(title: str, entries: list[dict[str, Any]], link: str = "http://example.invalid/") -> str:
    """An RSS 2.0 feed; an entry is ``{title, link, guid?, date?, summary?, content?}``."""
    items = []
    for e in entries:
        parts = [f"<title>{escape(e['title'])}</title>"]
        if e.get("link"):
            parts.append(f"<link>{escape(e['link'])}</link>")
        if e.get("guid"):
            parts.append(f'<guid isPermaLink="false">{escape(e["guid"])}</guid>')
        if e.get("date"):
            parts.append(f"<pubDate>{_rfc822(e['date'])}</pubDate>")
        if e.get("summary"):
            parts.append(f"<description>{escape(e['summary'])}</description>")
        if e.get("content"):
            parts.append(f"<content:encoded><![CDATA[{e['content']}]]></content:encoded>")
        items.append("<item>" + "".join(parts) + "</item>")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>{escape(title)}</title><link>{escape(link)}</link><description>News</description>
{''.join(items)}</channel></rss>"""


def atom_feed(title: str, entries: list[dict[str, Any]]) -> str:
    """An Atom 1.0 feed; an entry is ``{title, link, id, date, summary?, content?}``."""
    items = []
    for e in entries:
        content = f'<content type="html">{escape(e["content"])}</content>' if e.get("content") else ""
        summary = f"<summary>{escape(e['summary'])}</summary>" if e.get("summary") else ""
        items.append(
            f"<entry><title>{escape(e['title'])}</title><link href=\"{escape(e['link'])}\"/><id>{escape(e['id'])}</id>"
            f"<updated>{e['date']}T09:00:00Z</updated>{summary}{content}</entry>"
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title><id>urn:test:{escape(title)}</id>
<updated>2026-01-01T00:00:00Z</updated>{''.join(items)}</feed>"""


class Site:
    """The site: start it with ``with Site() as site``; ``site.url(path)`` names a route."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.agents: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.hits[self.path] += 1
                site.agents.append(self.headers.get("User-Agent", ""))
                route = site.routes.get(self.path) or Route(b"not found", 404, "text/plain")
                if route.delay:
                    time.sleep(route.delay)
                tag = '"' + hashlib.sha1(route.body).hexdigest()[:12] + '"'
                if route.etag and route.status == 200 and self.headers.get("If-None-Match") == tag:
                    site.not_modified[self.path] += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", str(len(route.body)))
                    if route.etag:
                        self.send_header("ETag", tag)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a size limit): nothing to do

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: str | bytes, **options: Any) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def page(self, path: str, title: str, paragraphs: list[str], **options: Any) -> str:
        return self.route(path, article_html(title, paragraphs, **options))

    def feed(self, path: str, title: str, entries: list[dict[str, Any]], kind: str = "rss") -> str:
        body = rss_feed(title, entries) if kind == "rss" else atom_feed(title, entries)
        content_type = "application/rss+xml" if kind == "rss" else "application/atom+xml"
        return self.route(path, body, content_type=content_type)
