"""GET /timeline: how a story unfolded, from the dated quotes most about it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from newsdesk.api.auth import require_read
from newsdesk.api.deps import get_desk
from newsdesk.api.errors import READ_KEY_ERRORS, STORAGE_ERRORS, error_responses
from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas import TimelineResponse
from newsdesk.api.schemas.common import NOT_BLANK, NewsDate
from newsdesk.desk import Newsdesk

router = APIRouter(
    tags=["timeline"], dependencies=[Depends(require_read)], responses=error_responses(*READ_KEY_ERRORS, *STORAGE_ERRORS)
)


@router.get("/timeline", response_model=TimelineResponse, responses=error_responses(422))
def timeline(
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=BOUNDS.max_question_chars, pattern=NOT_BLANK,
            description="What the timeline is about: an entity or a story ('the Istanbul talks').",
        ),
    ],
    since: Annotated[NewsDate | None, Query(description="Only articles published on or after this date.")] = None,
    until: Annotated[NewsDate | None, Query(description="Only articles published on or before this date.")] = None,
    source: Annotated[
        str | None, Query(max_length=BOUNDS.max_source_chars, description="Only articles from this source.")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=BOUNDS.max_timeline_entries, description="Entries at most.")
    ] = BOUNDS.default_timeline_entries,
    desk: Newsdesk = Depends(get_desk),
) -> TimelineResponse:
    """The dated quotes most about `q`, one entry per event, grouped by day in date order.

    Each entry is a verbatim quote with its article, title, source, url, date and
    offsets; syndicated copies of one text are one entry, naming the other
    sources in `also_reported_by`. A query nothing is about gives no days.
    """
    return TimelineResponse.of(desk.timeline(q, since=since, until=until, source=source, limit=limit))
