"""Adding from the web on the chat page, in a real headless Chromium against a real ``newsdesk serve``.

The server fetches the page from a local test site (private addresses allowed for the
test), and the browser talks to the server alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadtest.server import LocalServer
from tests.ingest_web.pdfs import text_pdf
from tests.ingest_web.site import Site
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, guarded_pages, needs_chromium

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]' installs it)"
)
Page = playwright_api.Page
expect = playwright_api.expect

pytestmark = needs_chromium
API_KEY = "add-page-key"
ANSWER_TIMEOUT_MS = 60_000
LIGHTHOUSE = [
    "Orla Quenby was appointed keeper of the restored Harbourview lighthouse on Saturday, the coast trust said.",
    "Quenby, who grew up on the island, will live in the keeper's cottage and run guided tours in the summer.",
]
FERRY = [
    "The night ferry to Skellig Bay returns on Thursday after two years out of service, the operator said.",
    "A single ticket will cost 12 euros, and the crossing takes a little under three hours.",
]


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture(scope="module")
def server(seed_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    root = tmp_path_factory.mktemp("add-page")
    data_dir = root / "data"
    shutil.copytree(seed_index_dir, data_dir, ignore=shutil.ignore_patterns("write.lock"))
    env = {"NEWSDESK_API_KEY": API_KEY, "NEWSDESK_FETCH_ALLOW_PRIVATE": "1"}
    with LocalServer(data_dir, root / "server.log", env=env) as local:
        local.wait_until_healthy(120.0)
        yield local


@pytest.fixture
def page(server: LocalServer) -> Iterator[Page]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with guarded_pages(browser, server.url) as open_page:
            opened = open_page(viewport={"width": 1280, "height": 900})
            expect(opened.locator(".article-item").first).to_be_attached()
            opened.get_by_text("Add an article", exact=True).click()
            section = opened.locator("#api-key-section")
            section.locator("summary").click()
            opened.locator("#api-key").fill(API_KEY)
            yield opened
        browser.close()


def _ask(page: Page, question: str) -> object:
    turns = page.locator(".turn")
    before = turns.count()
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")
    reply = turns.nth(before).locator(".reply")
    expect(reply).not_to_have_attribute("aria-busy", "true", timeout=ANSWER_TIMEOUT_MS)
    return reply


def test_a_url_added_from_the_page_is_answered_from(page: Page, site: Site) -> None:
    url = site.page("/lighthouse", "Harbourview lighthouse gets a keeper", LIGHTHOUSE, date="2026-05-02")
    page.get_by_label("From a web page or feed").fill(url)
    page.get_by_role("button", name="Fetch").click()
    expect(page.locator("#fetch-status")).to_have_text("Added “Harbourview lighthouse gets a keeper”.")
    expect(page.locator(".article-item .article-title", has_text="Harbourview lighthouse gets a keeper")).to_have_count(1)
    reply = _ask(page, "Who was appointed keeper of the Harbourview lighthouse?")
    expect(reply.locator(".answer-text")).to_contain_text("Quenby")  # type: ignore[attr-defined]
    card = reply.locator(".quote-card").first  # type: ignore[attr-defined]
    expect(card.locator("a.quote-link")).to_have_attribute("href", url)


def test_a_refused_url_says_why_and_a_pdf_is_uploaded(page: Page, site: Site) -> None:
    page.get_by_label("From a web page or feed").fill(site.url("/nothing-here"))
    page.get_by_role("button", name="Fetch").click()
    expect(page.locator("#fetch-status")).to_contain_text("Skipped 1:")
    expect(page.locator("#fetch-status")).to_contain_text("HTTP 404")
    page.locator("#article-file").set_input_files(files=[{
        "name": "ferry.pdf", "mimeType": "application/pdf", "buffer": text_pdf("Night ferry to Skellig Bay returns", FERRY),
    }])  # fmt: skip
    expect(page.locator("#article-form-status")).to_have_text("Added “Night ferry to Skellig Bay returns”.")
    expect(page.locator(".article-item .article-title", has_text="Night ferry to Skellig Bay returns")).to_have_count(1)
