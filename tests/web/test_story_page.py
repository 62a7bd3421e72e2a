"""Following a story on the chat page, in a real headless Chromium against a real ``newsdesk serve``.

The data directory holds the seeds and two written reports of one strike, on the
same day, from different sources that give different figures. The page shows a
timeline grouped by day ("Show timeline"), a composed answer whose [n] marks
link to their quote cards, and a disagreement side by side with each value's
source and date.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadtest.server import LocalServer
from newsdesk.desk import Newsdesk
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.types import ArticleDraft
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, guarded_pages, needs_chromium

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]' installs it)"
)
Browser = playwright_api.Browser
Locator = playwright_api.Locator
Page = playwright_api.Page
expect = playwright_api.expect

pytestmark = needs_chromium
DESKTOP = {"width": 1280, "height": 900}
STARTUP_TIMEOUT_S = 120.0
ANSWER_TIMEOUT_MS = 60_000

STRIKE = [
    ArticleDraft(
        title="Dock workers walk out at Harbor Point",
        text="HARBOR POINT: Dock workers at Harbor Point walked off the job on Monday in a dispute over pay and "
        "shift lengths.\n\nThe union said 3,200 workers joined the Harbor Point strike, halting cargo traffic at "
        "three terminals.\n\nPort managers said talks would resume later in the week.",
        url="https://wire.example/strike", published="2025-11-10", source="Northern Wire", id="strike-wire",
    ),
    ArticleDraft(
        title="Port strike halts cargo at Harbor Point",
        text="HARBOR POINT: A strike closed the cargo terminals at Harbor Point on Monday as dock workers demanded "
        "higher pay.\n\nPolice said 4,100 workers joined the Harbor Point strike, the largest walkout there in a "
        "decade.\n\nShipping companies said vessels were being diverted to other ports.",
        url="https://herald.example/strike", published="2025-11-10", source="Evening Herald", id="strike-herald",
    ),
]


@pytest.fixture(scope="module")
def server(
    seed_index_dir: Path, embedder: SentenceTransformerEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalServer]:
    """``newsdesk serve`` over a copy of the seed index with the two strike reports added."""
    root = tmp_path_factory.mktemp("story-web")
    data_dir = root / "data"
    shutil.copytree(seed_index_dir, data_dir, ignore=shutil.ignore_patterns("write.lock"))
    desk = Newsdesk(data_dir, embedder)
    desk.add_articles(STRIKE)
    desk.close()
    with LocalServer(data_dir, root / "server.log") as local:
        local.wait_until_healthy(STARTUP_TIMEOUT_S)
        yield local


@pytest.fixture
def page(server: LocalServer) -> Iterator[Page]:
    with playwright_api.sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with guarded_pages(browser, server.url) as open_page:
            yield open_page(viewport=DESKTOP)
        browser.close()


def ask(page: Page, question: str) -> Locator:
    """Type a question, press Enter, and return its turn once the answer has finished streaming."""
    turns = page.locator(".turn")
    before = turns.count()
    box = page.get_by_role("textbox", name="Your question")
    box.fill(question)
    box.press("Enter")
    turn = turns.nth(before)
    expect(turn.locator(".reply")).not_to_have_attribute("aria-busy", "true", timeout=ANSWER_TIMEOUT_MS)
    return turn


def test_show_timeline_lists_the_istanbul_rounds_by_day_in_date_order(page: Page) -> None:
    turn = ask(page, "What happened with the Istanbul talks?")
    button = turn.get_by_role("button", name="Show timeline")
    button.click()
    days = turn.locator(".timeline-day")
    expect(days.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(turn.get_by_role("button", name="Hide timeline")).to_have_attribute("aria-expanded", "true")
    dates = [days.nth(i).get_attribute("data-date") or "" for i in range(days.count())]
    assert len(dates) >= 4 and dates == sorted(dates) and len(set(dates)) == len(dates)
    expect(turn.locator(".timeline-day[data-date='2025-02-28'] .timeline-date")).to_have_text("Feb 28, 2025")
    entries = turn.locator(".timeline-entry")
    articles = [entries.nth(i).get_attribute("data-article") for i in range(entries.count())]
    rounds = [
        "002_embassy_talks_istanbul_feb", "005_embassy_talks_istanbul_april",
        "006_russia_ukraine_talks_istanbul_may", "009_russia_ukraine_talks_istanbul_june",
    ]
    assert [a for a in articles if a in rounds] == rounds
    expect(entries.first.locator(".story-quote")).not_to_be_empty()
    expect(entries.first.locator(".story-meta")).not_to_be_empty()
    turn.get_by_role("button", name="Hide timeline").click()
    expect(turn.locator(".timeline")).to_be_hidden()


def test_a_composed_answer_links_each_mark_to_its_quote_card(page: Page) -> None:
    turn = ask(page, "Which countries oppose the 18th sanctions package?")
    marks = turn.locator(".answer-text.composed .cite")
    expect(marks.first).to_be_visible()
    sentences = turn.locator(".answer-text.composed .cited-sentence").all_inner_texts()
    assert len(sentences) == marks.count() >= 2
    assert any("Slovakia" in s for s in sentences) and any("Hungary" in s for s in sentences)
    for number in range(1, marks.count() + 1):
        mark = marks.nth(number - 1)
        expect(mark).to_have_text(f"[{number}]")
        target = (mark.get_attribute("href") or "").lstrip("#")
        card = page.locator(f"[id='{target}']")
        expect(card.locator(".quote-sentence")).to_have_text(sentences[number - 1])
    marks.nth(1).click()
    expect(page.locator(".quote-card:target .quote-sentence")).to_have_text(sentences[1])


def test_sources_that_differ_are_shown_side_by_side_with_source_and_date(page: Page) -> None:
    turn = ask(page, "How many workers joined the Harbor Point strike?")
    box = turn.locator(".story-disagreements")
    expect(box.locator(".story-heading")).to_have_text("Sources differ")
    columns = box.locator(".disagreement")
    expect(columns).to_have_count(2)
    said = {columns.nth(i).locator(".story-value").inner_text(): columns.nth(i) for i in range(2)}
    assert set(said) == {"3,200 workers", "4,100 workers"}
    expect(said["3,200 workers"].locator(".story-meta")).to_have_text("Northern Wire · Nov 10, 2025")
    expect(said["4,100 workers"].locator(".story-meta")).to_have_text("Evening Herald · Nov 10, 2025")
    expect(said["3,200 workers"].locator(".story-quote")).to_contain_text("The union said 3,200 workers joined")
    first, second = (columns.nth(i).bounding_box() for i in range(2))
    assert first is not None and second is not None
    assert abs(first["y"] - second["y"]) < 1 and first["x"] + first["width"] <= second["x"]
