"""Adding a feed: one feed of N summary-only entries whose pages are served on loopback, added in one call.

Every entry holds only a summary, so each page is fetched and its article extracted
(trafilatura), then all are embedded and stored: the whole path of ``newsdesk add FEED_URL``.
Prints entries per second and where the time went (fetching and extracting pages,
embedding and storing)::

    python -m bench.feeds --entries 500 [--data-dir DIR] [--backend torch]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsdesk.desk import Newsdesk
from newsdesk.qa.embedding import EmbedderConfig, load_embedder
from newsdesk.qa.feeds.config import FeedConfig
from newsdesk.qa.feeds.sources import add_url
from newsdesk.qa.ingest.fetching import FetchConfig, Fetcher

__all__ = ["main", "make_site"]

_PLACES = ["Port Ellis", "Holm", "Varne", "Skellig Bay", "Harbourview", "Karsk", "Lindow", "Marrow Point"]
_THINGS = ["harbour", "bridge", "school", "library", "tram line", "hospital wing", "ferry service", "market hall"]
_PEOPLE = ["Ines Calder", "Tomas Reyes", "Maria Osei", "Orla Quenby", "Jonas Berg", "Amal Haddad", "Lena Fischer"]


def _article(number: int, rng: random.Random) -> tuple[str, list[str]]:
    place, thing, person = rng.choice(_PLACES), rng.choice(_THINGS), rng.choice(_PEOPLE)
    title = f"{place} {thing} plan {number} approved"
    paragraphs = [
        f"The council of {place} approved plan {number} for the {thing} on Monday, after a debate that lasted {rng.randint(2, 9)} hours.",
        f"{person}, who chairs the works committee, said construction would start in {rng.choice(['March', 'June', 'October'])} and cost about {rng.randint(2, 90)} million euros.",
        f"Residents had asked for the {thing} for years, and a petition gathered {rng.randint(500, 9000)} signatures last spring.",
        f"Opponents said the money should go to roads instead, and {rng.randint(2, 8)} councillors voted against the plan.",
        f"The first phase is expected to finish within {rng.randint(1, 4)} years, according to a statement from the council.",
    ]
    return title, paragraphs


def make_site(entries: int, seed: int = 7) -> dict[str, tuple[str, bytes]]:
    """Routes of a site with ``entries`` article pages and one RSS feed of them at ``/feed``: path -> (type, body)."""
    rng = random.Random(seed)
    routes: dict[str, tuple[str, bytes]] = {}
    items = []
    for number in range(entries):
        title, paragraphs = _article(number, rng)
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
                f"<meta property='article:published_time' content='2026-03-{1 + number % 28:02d}'></head>"
                f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
                f"<footer>Valley Courier</footer></body></html>")  # fmt: skip
        routes[f"/news/{number}"] = ("text/html; charset=utf-8", page.encode())
        items.append(f"<item><title>{title}</title><link>LINK/news/{number}</link><guid>v-{number}</guid>"
                     f"<description>{paragraphs[0]}</description></item>")  # fmt: skip
    feed = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Valley Courier</title>{''.join(items)}</channel></rss>"
    routes["/feed"] = ("application/rss+xml", feed.encode())
    return routes


def _serve(routes: dict[str, tuple[str, bytes]]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def do_GET(self) -> None:
            kind, body = routes.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feed_type, feed = routes["/feed"]
    routes["/feed"] = (feed_type, feed.replace(b"LINK", base.encode()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


class _TimedDesk:
    """The desk, timing its add calls (embedding and storing)."""

    def __init__(self, desk: Newsdesk) -> None:
        self.desk, self.seconds = desk, 0.0

    def add_batch(self, items: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.desk.add_batch(items)
        finally:
            self.seconds += time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--data-dir", type=Path, help="an empty folder for the index (default: a temporary one)")
    parser.add_argument("--backend", default="torch", help="torch or onnx-int8")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    routes = make_site(args.entries)
    server, base = _serve(routes)
    embedder = load_embedder(EmbedderConfig(backend=args.backend))
    embedder.embed(["warm up"])
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="newsdesk-bench-feeds-"))
    desk = Newsdesk(data_dir, embedder)
    timed = _TimedDesk(desk)
    config = FeedConfig(fetch=FetchConfig(allow_private=True))
    try:
        with Fetcher(config.fetch) as fetcher:
            start = time.perf_counter()
            items = add_url(timed, fetcher, base + "/feed", config)
            total = time.perf_counter() - start
    finally:
        desk.close()
        server.shutdown()
    added = sum(1 for i in items if i.result is not None and i.result.status == "added")
    failed = [i.error for i in items if i.error]
    figures = {
        "entries": args.entries, "added": added, "failed": len(failed), "seconds": round(total, 2),
        "entries_per_second": round(args.entries / total, 2),
        "fetch_and_extract_seconds": round(total - timed.seconds, 2), "embed_and_store_seconds": round(timed.seconds, 2),
        "backend": args.backend,
    }  # fmt: skip
    print(f"{args.entries} entries in {total:.1f} s: {args.entries / total:.1f} entries/s; "
          f"fetching and extracting pages {total - timed.seconds:.1f} s, embedding and storing {timed.seconds:.1f} s; "
          f"{added} added, {len(failed)} failed")  # fmt: skip
    for error in failed[:5]:
        print(f"  {error}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
