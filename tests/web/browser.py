"""The system Chromium the browser tests drive (never `playwright install`), how they start it, and pages kept to the server."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "guarded_pages", "needs_chromium"]

CHROMIUM = next(
    (
        path
        for path in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if path and Path(path).exists()
    ),
    None,
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium at /usr/bin/chromium or on PATH (apt-get install -y chromium; .ci/run does)"
)
# The background-networking flags keep a closed network from refusing Chromium's own connections.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def guarded_pages(browser: Any, server_url: str, allow: tuple[str, ...] = ()) -> Iterator[Callable[..., Any]]:
    """Open pages of the server that may ask nothing of any other host.

    Yields ``open(path="", viewport=None)``, which opens ``server_url + path`` in a new
    context (en-US, the given viewport) and returns the page; requests to another host are
    aborted unless they start with one of ``allow`` (``"data:"``). On the way out every
    context is closed, and no page may have raised a JavaScript error or asked another host.
    """
    contexts: list[Any] = []
    js_errors: list[str] = []
    outside: list[str] = []
    host = urlsplit(server_url).netloc

    def loopback_only(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == host or (allow and url.startswith(allow)):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def open_page(path: str = "", viewport: dict[str, int] | None = None) -> Any:
        options = {"viewport": viewport} if viewport else {}
        context = browser.new_context(locale="en-US", **options)
        contexts.append(context)
        context.route("**/*", loopback_only)
        page = context.new_page()
        page.on("pageerror", lambda error: js_errors.append(str(error)))
        page.goto(server_url + path)
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
    assert js_errors == [], "the page raised JavaScript errors"
    assert outside == [], "the page requested something from another host"
