"""Changed figures: the newest report at or before as_of answers, the older ones are listed as earlier reports."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.qa.story.changes import earlier_reports, latest_report, value_report
from newsdesk.qa.story.config import StoryConfig
from newsdesk.qa.story.reports import Report
from newsdesk.qa.story.values import parse_value
from newsdesk.qa.types import Quote

DIED = "How many people died in the Riverton floods?"


def _report(value: str, published: str, source: str = "Gazette", margin: float = 5.0, article: str | None = None) -> Report:
    text = f"Officials said {value} in the floods."
    start = text.index(value)
    quote = Quote(text, article or f"{source}-{published}", "Floods", None, published, source, 0, len(text), 0.8)
    parsed = parse_value(value)
    return Report(parsed, quote, (start, start + len(value)), date.fromisoformat(published), source, margin, 0.8)


def test_the_latest_is_the_newest_at_or_before_the_day_asked() -> None:
    reports = [_report("12 dead", "2025-10-07"), _report("27 dead", "2025-10-09"), _report("30 dead", "2025-10-12")]
    assert latest_report(reports, date(2025, 10, 10)).value.amount == 27  # type: ignore[union-attr]
    assert latest_report(reports, date(2025, 10, 8)).value.amount == 12  # type: ignore[union-attr]
    assert latest_report(reports, date(2025, 10, 6)) is None


def test_on_one_day_the_answers_value_wins_over_a_surer_reading() -> None:
    reports = [_report("27 dead", "2025-10-09", margin=3.0), _report("25 dead", "2025-10-09", "Wire", margin=9.0)]
    assert latest_report(reports, date(2025, 10, 9)).value.amount == 27  # type: ignore[union-attr]


def test_earlier_reports_one_per_value_oldest_first_within_the_story() -> None:
    reports = [
        _report("27 dead", "2025-10-09"), _report("12 dead", "2025-10-07"), _report("twelve", "2025-10-08", article="x"),
        _report("20 dead", "2025-10-08"), _report("3 dead", "2025-06-01"), _report("27 people", "2025-10-08", article="y"),
    ]
    latest = latest_report(reports, date(2025, 10, 10))
    assert latest is not None
    earlier = earlier_reports(reports, latest, StoryConfig(story_days=45))
    assert [(r.value.surface, r.published.isoformat()) for r in earlier] == [("12 dead", "2025-10-07"), ("20 dead", "2025-10-08")]
    assert earlier_reports(reports, latest, StoryConfig(), skip=[parse_value("20")]) == earlier[:1]
    assert value_report(earlier[0]).published == "2025-10-07"


@pytest.mark.parametrize("as_of", [None, "2025-10-10"])
def test_the_flood_answers_27_with_12_as_the_earlier_report(story_desk: Newsdesk, as_of: str | None) -> None:
    answer = story_desk.ask(DIED, as_of=as_of)
    assert answer.short_answer is not None and answer.short_answer.text == "27"
    assert answer.answer == "The number of people who died in the Riverton floods has risen to 27, the county emergency office said on Thursday."
    assert [(c.value, c.published, c.quote.article_id) for c in answer.changes] == [("12 people", "2025-10-07", "riverton-flood-oct7")]
    assert answer.changes[0].quote.text == "At least 12 people died in the Riverton floods, the county emergency office said on Tuesday evening."
    assert answer.message == "27 (October 9); earlier reports: 12 people (October 7)"
    assert answer.disagreements == ()


def test_asked_before_the_later_article_the_flood_answers_12(story_desk: Newsdesk) -> None:
    answer = story_desk.ask(DIED, as_of="2025-10-08")
    assert answer.short_answer is not None and answer.short_answer.text == "12"
    assert answer.quotes[0].article_id == "riverton-flood-oct7"
    assert answer.changes == () and answer.disagreements == ()


def test_evacuated_answers_the_later_8500_not_a_neighbouring_figure(story_desk: Newsdesk) -> None:
    answer = story_desk.ask("How many people were evacuated in the Riverton floods?")
    assert answer.short_answer is not None and answer.short_answer.text == "8,500"
    assert [(c.value, c.published) for c in answer.changes] == [("3,000 residents", "2025-10-07")]
    assert answer.message == "8,500 residents (October 9); earlier reports: 3,000 residents (October 7)"


def test_one_figure_in_one_article_has_no_changes(story_desk: Newsdesk) -> None:
    answer = story_desk.ask("How many vehicles cross the Harbor bridge every day?")
    assert answer.short_answer is not None and "40,000" in answer.short_answer.text
    assert answer.changes == () and answer.disagreements == () and answer.message is None
