"""``/feeds``, ``/articles/fetch`` and ``/articles/upload``: feeds followed, URLs fetched, files uploaded."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas.common import StrictRequest
from newsdesk.qa.feeds.registry import Feed

__all__ = ["DeletedFeed", "FeedIn", "FeedListOut", "FeedOut", "FetchIn", "IngestOut", "IngestedItem", "WebUrl"]

# An absolute http(s) URL with a host and no spaces or control characters (spelled out: \s means
# different things to Python's and JSON Schema's regular expressions); whether the host may be
# fetched from is decided when it is.
_NO_SPACE = r"\x00-\x20\x7f-\x9f"
WebUrl = Annotated[
    str,
    StringConstraints(
        min_length=8, max_length=BOUNDS.max_url_chars, pattern=rf"^[Hh][Tt][Tt][Pp][Ss]?://[^{_NO_SPACE}/?#@]+[^{_NO_SPACE}]*$"
    ),
]


class FeedIn(StrictRequest):
    url: WebUrl = Field(description="The feed's URL (RSS 2.0, RSS 1.0 or Atom).")
    every: Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,6}[smhd]?$")] | None = Field(
        default=None,
        description="How often to check it: 15m, 1h, 1d, or seconds. Raised to the server's shortest interval "
        "and lowered to a week; the server's default when left out.",
    )


class FeedOut(BaseModel):
    id: str
    url: str
    title: str | None
    every_seconds: float
    added_at: str
    last_checked_at: str | None = Field(description="When it was last checked (UTC), or null before the first check.")
    last_new_entry_at: str | None = Field(description="When a check last added or changed an article.")
    last_error: str | None = Field(description="Why the last check failed, or the entries it skipped.")
    failures: int = Field(description="Failed checks in a row (the wait before the next one doubles with each).")
    next_check_at: str

    @classmethod
    def of(cls, feed: Feed) -> FeedOut:
        return cls(
            id=feed.id, url=feed.url, title=feed.title, every_seconds=feed.every_seconds, added_at=_iso(feed.added_at),
            last_checked_at=_maybe_iso(feed.last_checked_at), last_new_entry_at=_maybe_iso(feed.last_new_entry_at),
            last_error=feed.last_error, failures=feed.failures, next_check_at=_iso(feed.next_check_at),
        )  # fmt: skip


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _maybe_iso(seconds: float | None) -> str | None:
    return None if seconds is None else _iso(seconds)


class FeedListOut(BaseModel):
    feeds: list[FeedOut]


class DeletedFeed(BaseModel):
    id: str
    deleted: bool


class FetchIn(StrictRequest):
    urls: list[WebUrl] = Field(min_length=1, max_length=BOUNDS.max_urls_per_fetch)


class IngestedItem(BaseModel):
    source: str = Field(description="The URL, feed entry or file name the item came from.")
    status: Literal["added", "replaced", "unchanged", "skipped"]
    id: str | None = None
    title: str | None = None
    passages: int | None = None
    reason: str | None = Field(default=None, description="Why it was skipped, in one line.")


class IngestOut(BaseModel):
    items: list[IngestedItem]
