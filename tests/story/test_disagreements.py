"""Sources that disagree: different values from different sources at the same time, copies counted once."""

from __future__ import annotations

from datetime import date

from newsdesk.desk import Newsdesk
from newsdesk.qa.story.config import StoryConfig
from newsdesk.qa.story.disagreements import disagreeing_reports, disagreement
from newsdesk.qa.story.reports import Report
from newsdesk.qa.story.values import parse_value
from newsdesk.qa.types import Quote


def _report(value: str, published: str, source: str, margin: float = 5.0) -> Report:
    text = f"The final was watched by {value}."
    start = text.index(value)
    quote = Quote(text, f"{source}-{published}", "Final", None, published, source, 0, len(text), 0.8)
    return Report(parse_value(value), quote, (start, start + len(value)), date.fromisoformat(published), source, margin, 0.8)


def _values(groups: list[list[Report]]) -> list[list[tuple[str, str]]]:
    return [[(r.value.surface, r.source) for r in g] for g in groups]


def test_different_sources_within_the_same_days_disagree_latest_value_first() -> None:
    reports = [_report("41 million", "2025-11-03", "Reuters"), _report("45 million", "2025-11-04", "AP"),
               _report("41,000,000", "2025-11-04", "BBC")]
    groups = disagreeing_reports(reports, reports[1], StoryConfig(same_days=3))
    assert _values(groups) == [[("45 million", "AP")], [("41 million", "Reuters"), ("41,000,000", "BBC")]]
    assert disagreement(groups[1]).value == "41 million"
    assert [q.source for q in disagreement(groups[1]).quotes] == ["Reuters", "BBC"]


def test_a_source_that_updated_its_own_figure_does_not_disagree_with_itself() -> None:
    reports = [_report("12", "2025-10-07", "Gazette"), _report("27", "2025-10-09", "Gazette")]
    assert disagreeing_reports(reports, reports[1], StoryConfig(same_days=3)) == []


def test_reports_further_apart_than_same_days_do_not_disagree() -> None:
    reports = [_report("41 million", "2025-11-01", "Reuters"), _report("45 million", "2025-11-05", "AP")]
    assert disagreeing_reports(reports, reports[1], StoryConfig(same_days=3)) == []
    assert len(disagreeing_reports(reports, reports[1], StoryConfig(same_days=4))) == 2


def test_sources_that_agree_do_not_disagree() -> None:
    reports = [_report("41 million", "2025-11-03", "Reuters"), _report("41m", "2025-11-04", "AP")]
    assert disagreeing_reports(reports, reports[1], StoryConfig()) == []


def test_the_viewers_sources_differ_side_by_side_and_a_syndicated_copy_is_one_source(story_desk: Newsdesk) -> None:
    answer = story_desk.ask("How many viewers watched the Lakeside Cup final?")
    assert answer.short_answer is not None
    assert [(d.value, [(q.source, q.published, q.also_reported_by) for q in d.quotes]) for d in answer.disagreements] == [
        ("41 million viewers", [("Reuters", "2025-11-03", ("Daily Courier",))]),
        ("45 million viewers", [("AP", "2025-11-04", ())]),
    ]
    assert answer.message == "sources differ: 41 million viewers (Reuters), 45 million viewers (AP)"
    assert answer.changes == ()


def test_a_sentence_naming_both_values_is_no_rival_report(story_desk: Newsdesk) -> None:
    # The reader's span in "the final between Northport and Eastvale" is no claim that Eastvale won.
    answer = story_desk.ask("Who won the Lakeside Cup final?")
    assert answer.disagreements == ()
