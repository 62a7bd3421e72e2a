"""/docs and /redoc in a real headless Chromium with every outside request blocked: they still render."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loadtest.server import LocalServer
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, guarded_pages, needs_chromium

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]' installs it)"
)
expect = playwright_api.expect

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """``newsdesk serve`` over an empty index (the docs need no articles)."""
    root = tmp_path_factory.mktemp("docs")
    with LocalServer(root / "data", root / "server.log", env={"NEWSDESK_READER": "none"}) as local:
        local.wait_until_healthy(120.0)
        yield local


@pytest.mark.parametrize(("path", "rendered"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_docs_render_with_no_request_outside_the_server(server: LocalServer, path: str, rendered: str) -> None:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with guarded_pages(browser, server.url, allow=("data:", "blob:")) as open_page:
                page = open_page(path)
                expect(page.locator(rendered).first).to_be_attached(timeout=30_000)
                assert "POST /ask" in page.content().replace("\n", " ") or "/ask" in page.content()
        finally:
            browser.close()
