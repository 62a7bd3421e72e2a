"""Changed figures: the newest report at or before ``as_of`` is the answer, older values are earlier reports.

Reports (:mod:`newsdesk.qa.story.reports`) are grouped by value. The latest report is the
newest one published at or before the day the question is asked on; on one day, the answer's
own value wins, then the reader's surest. Every other value reported before the latest day,
within ``story_days`` of it, is an earlier report of the same figure: a death toll that rose,
a price that moved. Values that sources give at the same time are disagreements instead
(:mod:`newsdesk.qa.story.disagreements`), and are left out here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from newsdesk.qa.story.config import StoryConfig
from newsdesk.qa.story.reports import Report
from newsdesk.qa.story.values import Value
from newsdesk.qa.types import ValueReport

__all__ = ["earlier_reports", "latest_report", "value_report"]


def latest_report(reports: Sequence[Report], as_of: date) -> Report | None:
    """The newest report at or before ``as_of``; on one day the answer's value, then the highest margin.

    Args:
        reports: The question's reports, the answer's own first.
        as_of: The day the question is asked on.
    """
    known = [r for r in reports if r.published <= as_of]
    if not known:
        return None
    newest = max(r.published for r in known)
    same_day = [r for r in known if r.published == newest]
    answer_value = reports[0].value
    return max(same_day, key=lambda r: (r.value.matches(answer_value), r.margin))


def earlier_reports(
    reports: Sequence[Report], latest: Report, config: StoryConfig, skip: Sequence[Value] = ()
) -> list[Report]:
    """One report per value that the latest replaced, the first of each value, oldest first.

    Args:
        reports: The question's reports.
        latest: The latest report (see :func:`latest_report`).
        config: How far back a story reaches.
        skip: Values reported as disagreements; they are not earlier reports.
    """
    oldest = latest.published - timedelta(days=config.story_days)
    earlier: list[Report] = []
    for report in sorted(reports, key=lambda r: (r.published, -r.margin)):
        if not oldest <= report.published < latest.published or report.value.matches(latest.value):
            continue
        if any(report.value.matches(v) for v in skip) or any(report.value.matches(e.value) for e in earlier):
            continue
        earlier.append(report)
    return earlier


def value_report(report: Report) -> ValueReport:
    """The report as the answer carries it."""
    return ValueReport(report.value.surface, report.quote, report.published.isoformat())
