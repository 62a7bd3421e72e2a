"""``/timeline``: a query's dated quotes, one per event, grouped by day in date order."""

from __future__ import annotations

from pydantic import BaseModel, Field

from newsdesk.api.schemas.ask import QuoteOut
from newsdesk.qa.story.timeline import Timeline, TimelineDay

__all__ = ["TimelineDayOut", "TimelineResponse"]


class TimelineDayOut(BaseModel):
    """One day of a timeline: its entries in the order the articles tell them."""

    date: str = Field(description="The day the entries' articles were published (YYYY-MM-DD).")
    entries: list[QuoteOut] = Field(
        description="One quote per event: the article, title, source, url, date and the quote's offsets in the "
        "article; syndicated copies of the same text are named in also_reported_by."
    )

    @classmethod
    def of(cls, day: TimelineDay) -> TimelineDayOut:
        return cls(date=day.date, entries=[QuoteOut.of(q) for q in day.entries])


class TimelineResponse(BaseModel):
    query: str
    count: int = Field(description="Entries over all days.")
    days: list[TimelineDayOut] = Field(description="Days in date order, oldest first.")

    @classmethod
    def of(cls, timeline: Timeline) -> TimelineResponse:
        return cls(query=timeline.query, count=len(timeline.entries), days=[TimelineDayOut.of(d) for d in timeline.days])
