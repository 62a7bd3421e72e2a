"""Sources that disagree: different values from different sources at the same time.

Within ``same_days`` before the latest report, each source says what its newest report
there says (a source that updated its own figure does not disagree with itself). When the
sources then give two or more values, they disagree: each value is listed with the quotes
that give it, the answer's value first. Syndicated copies of one text were collapsed into one
report, so they count as one source, never as agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from newsdesk.qa.story.config import StoryConfig
from newsdesk.qa.story.reports import Report
from newsdesk.qa.types import Disagreement

__all__ = ["disagreeing_reports", "disagreement"]


def disagreeing_reports(reports: Sequence[Report], latest: Report, config: StoryConfig) -> list[list[Report]]:
    """The concurrent reports grouped by value, the latest's value first; empty when sources agree.

    Args:
        reports: The question's reports.
        latest: The latest report at or before the day asked (see :func:`newsdesk.qa.story.changes.latest_report`).
        config: How close in time reports are concurrent.
    """
    since = latest.published - timedelta(days=config.same_days)
    current: dict[str, Report] = {}
    for report in sorted(reports, key=lambda r: (r.published, r.margin)):
        if since <= report.published <= latest.published:
            current[report.source] = report  # the source's newest report wins
    groups: list[list[Report]] = []
    for report in sorted(current.values(), key=lambda r: (not r.value.matches(latest.value), r.published)):
        group = next((g for g in groups if g[0].value.matches(report.value)), None)
        if group is None:
            groups.append([report])
        else:
            group.append(report)
    return groups if len(groups) > 1 else []


def disagreement(group: Sequence[Report]) -> Disagreement:
    """One disagreeing value with the quotes that give it, as the answer carries it."""
    return Disagreement(group[0].value.surface, tuple(r.quote for r in group))
