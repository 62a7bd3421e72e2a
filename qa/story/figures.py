"""The story stage for a factoid answer: the latest figure, what it replaced, and who disagrees.

Runs after reading: it gathers every article's report for the question
(:mod:`newsdesk.qa.story.reports`), makes the newest report at or before the day asked the
answer (:mod:`newsdesk.qa.story.changes`), lists sources that give other values at the same
time (:mod:`newsdesk.qa.story.disagreements`), and says both in the answer's ``message``:
"27 dead (October 9); earlier reports: 12 people (October 7)" or "sources differ: 41 million
(Reuters), 45 million (AP)". Answers without a dated short answer pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from newsdesk.qa.answering.config import AnsweringConfig
from newsdesk.qa.story.changes import earlier_reports, latest_report, value_report
from newsdesk.qa.story.config import StoryConfig
from newsdesk.qa.story.disagreements import disagreeing_reports, disagreement
from newsdesk.qa.story.reports import Evidence, Report, gather_reports
from newsdesk.qa.types import Answer, ShortAnswer

__all__ = ["follow_figures"]


def _day(day: date, with_year: bool) -> str:
    return f"{day:%B} {day.day}, {day.year}" if with_year else f"{day:%B} {day.day}"


def _message(latest: Report, earlier: Sequence[Report], groups: Sequence[Sequence[Report]]) -> str:
    with_year = any(r.published.year != latest.published.year for r in earlier)
    parts = []
    if earlier:
        before = ", ".join(f"{r.value.surface} ({_day(r.published, with_year)})" for r in earlier)
        parts.append(f"{latest.value.surface} ({_day(latest.published, with_year)}); earlier reports: {before}")
    if groups:
        said = [f"{g[0].value.surface} ({', '.join(dict.fromkeys(r.source for r in g))})" for g in groups]
        parts.append("sources differ: " + ", ".join(said))
    return "; ".join(parts)


def _answered_by(answer: Answer, report: Report) -> Answer:
    """The answer given by another report: its sentence, span and quote first."""
    quote = report.quote
    start, end = report.span
    others = [q for q in answer.quotes if q.article_id != quote.article_id or q.end <= quote.start or q.start >= quote.end]
    short = ShortAnswer(quote.text[start - quote.start : end - quote.start], quote.article_id, start, end)
    quotes = (quote, *others)[: max(len(answer.quotes), 1)]
    return replace(answer, answer=quote.text, confidence=round(report.confidence, 4), quotes=quotes, short_answer=short)


def follow_figures(
    answer: Answer, evidence: Evidence, answering: AnsweringConfig, config: StoryConfig, as_of: date
) -> Answer:
    """The answer with the latest value at or before ``as_of``, its ``changes`` and ``disagreements``.

    Args:
        answer: The reading stage's answer.
        evidence: The candidates it scored and the reader that read them.
        answering: The reading settings (neighbours, evidence weight, budget).
        config: The story settings.
        as_of: The day the question is asked on.
    """
    if not config.enabled or answer.answer_kind != "span" or answer.short_answer is None:
        return answer
    reports = gather_reports(answer, evidence, answering, config)
    latest = latest_report(reports, as_of) if reports else None
    if latest is None:
        return answer
    groups = sorted(disagreeing_reports(reports, latest, config), key=lambda g: not g[0].value.matches(reports[0].value))
    earlier = earlier_reports(reports, latest, config, skip=[g[0].value for g in groups])
    if not earlier and not groups and latest.value.matches(reports[0].value):
        return answer
    # Among sources that differ, the reader's answer stands; the others are listed beside it.
    kept = latest.value.matches(reports[0].value) or any(g[0].value.matches(reports[0].value) for g in groups)
    answered = answer if kept else _answered_by(answer, latest)
    return replace(
        answered,
        message=_message(latest, earlier, groups) or None,
        changes=tuple(value_report(r) for r in earlier),
        disagreements=tuple(disagreement(g) for g in groups),
    )
