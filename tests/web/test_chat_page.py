"""The chat page in a real headless Chromium, against a real ``newsdesk serve`` over a copy of the seed index.

The server runs with an API key, so the article panel's writes go through the
same 401 path a protected deployment has. Every page also checks, on the way
out, that it raised no JavaScript error and asked nothing of any host but the
server.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from loadtest.server import LocalServer
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, guarded_pages, needs_chromium

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]' installs it)"
)
Browser = playwright_api.Browser
Locator = playwright_api.Locator
Page = playwright_api.Page
expect = playwright_api.expect

pytestmark = needs_chromium
API_KEY = "web-test-key"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
STARTUP_TIMEOUT_S = 120.0
ANSWER_TIMEOUT_MS = 60_000

AMBASSADOR_QUESTION = "Who is Russia's new ambassador to the United States?"
FOLLOW_UP = "Where did he serve before Washington?"
UNRELATED_QUESTION = "Which team won the 1998 World Cup final?"

XSS = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "<script>window.__xss=1</script>"


@pytest.fixture(scope="module")
def server(seed_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """``newsdesk serve`` on a free loopback port over a private copy of the seed index, started once."""
    root = tmp_path_factory.mktemp("web")
    data_dir = root / "data"
    shutil.copytree(seed_index_dir, data_dir, ignore=shutil.ignore_patterns("write.lock"))
    with LocalServer(data_dir, root / "server.log", env={"NEWSDESK_API_KEY": API_KEY}) as local:
        local.wait_until_healthy(STARTUP_TIMEOUT_S)
        yield local


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser, server: LocalServer) -> Iterator[Callable[[dict[str, int]], Page]]:
    """Open the chat page at a viewport size, with its article list loaded."""
    with guarded_pages(browser, server.url) as open_guarded:

        def opener(viewport: dict[str, int]) -> Page:
            page = open_guarded(viewport=viewport)
            expect(page.locator(".article-item").first).to_be_attached()
            return page

        yield opener


@pytest.fixture
def page(open_page: Callable[[dict[str, int]], Page]) -> Page:
    return open_page(DESKTOP)


def ask(page: Page, question: str) -> Locator:
    """Type a question, press Enter, and return its turn once the answer has finished streaming."""
    turns = page.locator(".turn")
    before = turns.count()
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")
    turn = turns.nth(before)
    expect(turn.locator(".user-text")).to_have_text(question)
    expect(turn.locator(".reply")).not_to_have_attribute("aria-busy", "true", timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("button", name="Send the question")).to_be_enabled()
    return turn


def enter_api_key(page: Page) -> None:
    section = page.locator("#api-key-section")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    page.locator("#api-key").fill(API_KEY)


def open_add_form(page: Page) -> None:
    page.get_by_text("Add an article", exact=True).click()
    expect(page.get_by_label("Title", exact=True)).to_be_visible()


def article_item(page: Page, title: str) -> Locator:
    return page.locator(".article-item").filter(has=page.locator(".article-title", has_text=title))


def border_style(locator: Locator) -> str:
    return str(locator.evaluate("element => getComputedStyle(element).borderTopStyle"))


def test_question_gets_an_answer_with_quote_cards(page: Page) -> None:
    reply = ask(page, AMBASSADOR_QUESTION).locator(".reply")

    expect(reply).to_have_class(re.compile(r"\bhas-answer\b"))
    expect(reply.locator(".answer-text")).to_contain_text("Darchiev")
    expect(reply.locator(".answer-text mark.short-answer")).to_contain_text("Darchiev")
    assert border_style(reply) == "solid"
    cards = reply.locator(".quote-card")
    assert cards.count() >= 1
    assert all(title.strip() for title in cards.locator(".quote-title").all_inner_texts())
    expect(reply.locator(".quote-card mark.short-answer").first).to_contain_text("Darchiev")

    first = cards.first
    quote = first.locator(".quote-sentence").inner_text()
    toggle = first.locator(".quote-text")
    first.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    context = first.locator(".quote-context")
    expect(context.locator("mark.context-quote")).to_have_text(quote)
    passage = context.locator(".context-text").inner_text()
    assert len(passage) > len(quote) + 100, "the card should show the text around the quote"
    toggle.press("Enter")  # the card is a keyboard control too
    expect(context).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")


def test_follow_up_is_read_against_the_conversation(page: Page) -> None:
    first = ask(page, AMBASSADOR_QUESTION)
    expect(first.locator(".answer-text")).to_contain_text("Darchiev")
    expect(first.locator(".searched")).to_be_hidden()

    second = ask(page, FOLLOW_UP)
    searched = second.locator(".searched")
    expect(searched).to_be_visible()
    expect(searched).to_have_text(re.compile(r"^Searched: .*Darchiev.*\?$"))
    expect(second.locator(".reply")).to_have_class(re.compile(r"\bhas-answer\b"))
    expect(second.locator(".answer-text")).not_to_be_empty()
    assert second.locator(".quote-card").count() >= 1

    # the conversation scrolls inside its column; the page itself stays put, top bar in view
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    expect(page.locator(".topbar")).to_be_in_viewport()
    expect(second.locator(".user-text")).to_be_in_viewport()

    shot_dir = Path(os.environ.get("NEWSDESK_SCREENSHOT_DIR") or tempfile.gettempdir())
    shot_dir.mkdir(parents=True, exist_ok=True)
    shot = shot_dir / "newsdesk-chat-two-turns.png"
    page.screenshot(path=str(shot))
    print(f"screenshot of a two-turn chat: {shot}")

    page.get_by_role("button", name="Start a new chat").click()
    expect(page.locator(".turn")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Your question")).to_be_focused()
    fresh = ask(page, FOLLOW_UP)  # a new conversation: nothing to read "he" against
    expect(fresh.locator(".searched")).to_be_hidden()


def test_enter_sends_shift_enter_adds_a_line_and_focus_stays(page: Page) -> None:
    box = page.get_by_role("textbox", name="Your question")
    expect(box).to_be_focused()
    box.press_sequentially("Who is Russia's new ambassador")
    box.press("Shift+Enter")
    box.press_sequentially("to the United States?")
    expect(box).to_have_value("Who is Russia's new ambassador\nto the United States?")
    expect(page.locator(".turn")).to_have_count(0)

    box.press("Enter")
    expect(page.locator(".turn")).to_have_count(1)
    expect(page.locator(".user-text")).to_have_text("Who is Russia's new ambassador\nto the United States?")
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    expect(page.locator(".reply")).not_to_have_attribute("aria-busy", "true", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(".answer-text")).to_contain_text("Darchiev")
    expect(box).to_be_focused()

    box.press("Tab")
    expect(page.get_by_role("button", name="Send the question")).to_be_focused()


def test_unrelated_question_gets_the_no_answer_style(page: Page) -> None:
    reply = ask(page, UNRELATED_QUESTION).locator(".reply")

    expect(reply).to_have_class(re.compile(r"\bno-answer\b"))
    expect(reply).not_to_have_class(re.compile(r"\bhas-answer\b"))
    expect(reply.locator(".badge")).to_have_text("No supported answer")
    expect(reply.locator(".answer-text")).to_contain_text("No supported answer")
    assert border_style(reply) == "dashed"
    expect(reply.locator(".quotes-heading")).to_contain_text("Closest quotes")
    assert reply.locator(".quote-card").count() >= 1


def test_server_and_network_errors_show_in_the_chat(page: Page) -> None:
    page.route(
        "**/chat/stream",
        lambda route: route.fulfill(
            status=500, content_type="application/json", body='{"detail": "the index is on fire"}'
        ),
    )
    reply = ask(page, AMBASSADOR_QUESTION).locator(".reply")
    expect(reply).to_have_class(re.compile(r"\bis-error\b"))
    expect(reply.get_by_role("alert")).to_have_text("The server said: the index is on fire (HTTP 500)")

    page.unroute("**/chat/stream")
    page.route("**/chat/stream", lambda route: route.abort("connectionrefused"))
    reply = ask(page, AMBASSADOR_QUESTION).locator(".reply")
    expect(reply.get_by_role("alert")).to_contain_text("Could not reach the server")
    expect(page.get_by_role("textbox", name="Your question")).to_be_focused()


def test_add_article_through_the_panel_then_ask_about_it(page: Page) -> None:
    title = "Harbourview lighthouse gets a new keeper"
    open_add_form(page)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Text", exact=True).fill(
        "Marisol Quenby was appointed keeper of the Harbourview lighthouse on Monday, the Tobermory Cove "
        "harbour trust said.\n\nQuenby, a former merchant navy officer, succeeds Angus Pell, who kept the light "
        "for 31 years. She plans to open the tower to visitors in the summer."
    )
    page.get_by_label("Date (optional)").fill("2025-06-21")
    page.get_by_label("Source (optional)").fill("Coastal Courier")
    page.get_by_label("Link (optional)").fill("https://example.org/harbourview")
    status = page.locator("#article-form-status")

    page.get_by_role("button", name="Add article").click()  # no key yet: the server says 401
    expect(status).to_contain_text("API key needed: a valid API key is required")
    expect(status).to_have_attribute("data-kind", "error")
    expect(page.locator("#api-key")).to_be_visible()
    expect(article_item(page, title)).to_have_count(0)

    enter_api_key(page)
    page.get_by_role("button", name="Add article").click()
    expect(status).to_have_text(f"Added “{title}” (1 passage).")
    item = article_item(page, title)
    expect(item).to_have_count(1)
    expect(item.locator(".article-meta")).to_have_text("Jun 21, 2025 · Coastal Courier")
    expect(page.get_by_label("Title", exact=True)).to_have_value("")

    reply = ask(page, "Who was appointed keeper of the Harbourview lighthouse?").locator(".reply")
    expect(reply.locator(".answer-text")).to_contain_text("Quenby")
    card = reply.locator(".quote-card").filter(has=page.locator(".quote-title", has_text=title)).first
    link = card.locator("a.quote-link")
    expect(link).to_have_attribute("href", "https://example.org/harbourview")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")


def test_article_file_is_read_in_the_browser_and_can_be_removed(page: Page, server: LocalServer) -> None:
    title = "Night ferry to Skellig Bay returns"
    open_add_form(page)
    page.locator("#article-file").set_input_files(
        files=[{
            "name": "ferry.md",
            "mimeType": "text/markdown",
            "buffer": (
                f"# {title}\n\nThe night ferry to Skellig Bay sails again from Thursday.\nTickets cost 12 euros.\n"
            ).encode(),
        }]
    )
    expect(page.get_by_label("Title", exact=True)).to_have_value(title)
    expect(page.get_by_label("Text", exact=True)).to_have_value(
        "The night ferry to Skellig Bay sails again from Thursday.\nTickets cost 12 euros."
    )
    enter_api_key(page)
    page.get_by_role("button", name="Add article").click()
    item = article_item(page, title)
    expect(item).to_have_count(1)
    article_id = item.get_attribute("data-article-id")
    remove = item.get_by_role("button", name=f"Remove article: {title}")

    prompts: list[str] = []
    page.once("dialog", lambda dialog: (prompts.append(dialog.message), dialog.dismiss()))
    remove.click()
    assert prompts == [f"Remove “{title}” from the index?"]
    expect(item).to_have_count(1)
    assert httpx.get(f"{server.url}/articles/{article_id}").status_code == 200

    page.once("dialog", lambda dialog: dialog.accept())
    remove.click()
    expect(item).to_have_count(0)
    expect(page.locator("#article-list-status")).to_have_text(f"Removed “{title}”.")
    assert httpx.get(f"{server.url}/articles/{article_id}").status_code == 404


def test_untrusted_article_shows_as_text_and_runs_nothing(page: Page, server: LocalServer) -> None:
    title = f"Zorblat lantern festival {XSS}{XSS_SCRIPT}"
    article = {
        "title": title,
        # Markup in the text itself is refused at the door (qa/ingest/input_checks.py, tested below);
        # the title, source and link still carry it to the page.
        "text": (
            "The Zorblat lantern festival was founded in 1987 by the potter Ilse Varnow. "
            "Organisers said more than 4,000 lanterns were released over the river in Pellingham."
        ),
        "url": "javascript:window.__xss=1",
        "source": '<b onmouseover="window.__xss=1">Evil</b> Gazette',
        "published": "2025-06-20",
    }
    marked_up = {**article, "text": f"{article['text']} {XSS_SCRIPT} {XSS}"}
    refused = httpx.post(f"{server.url}/articles", json=marked_up, headers={"X-API-Key": API_KEY})
    assert refused.status_code == 422 and "HTML markup" in refused.text
    added = httpx.post(f"{server.url}/articles", json=article, headers={"X-API-Key": API_KEY})
    assert added.status_code == 201, added.text

    page.get_by_role("button", name="Reload the article list").click()
    item = article_item(page, "Zorblat lantern festival")
    expect(item.locator(".article-title")).to_have_text(title)
    expect(item.locator(".article-meta")).to_have_text(f"Jun 20, 2025 · {article['source']}")

    reply = ask(page, "Who founded the Zorblat lantern festival?").locator(".reply")
    expect(reply.locator(".answer-text")).to_contain_text("Ilse Varnow")
    cards = reply.locator(".quote-card").filter(has=page.locator(".quote-title", has_text="Zorblat"))
    expect(cards.first.locator(".quote-title")).to_have_text(title)
    expect(cards.first.locator("a")).to_have_count(0)  # the javascript: link is dropped
    cards.first.click()
    expect(cards.first.locator(".context-text")).to_contain_text("Ilse Varnow")

    assert page.locator("img, b, #messages script, #side-panel script").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_phone_width_collapses_the_panel(open_page: Callable[[dict[str, int]], Page]) -> None:
    page = open_page(PHONE)
    panel = page.get_by_role("complementary", name="Articles")
    toggle = page.get_by_role("button", name="Show the articles panel")
    expect(panel).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Close the articles panel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(toggle).to_be_focused()

    ask(page, AMBASSADOR_QUESTION)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.quote-card')].map(card => card.getBoundingClientRect().right))"
    )
    assert widest <= PHONE["width"]
