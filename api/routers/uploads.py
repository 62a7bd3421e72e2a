"""Articles from elsewhere: pages and feeds fetched by URL, and uploaded files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from newsdesk.api.deps import get_desk, get_settings, require_api_key
from newsdesk.api.errors import JSON_BODY_ERRORS, STORAGE_ERRORS, WRITE_KEY_ERRORS, error_responses
from newsdesk.api.limits import BOUNDS
from newsdesk.api.schemas.feeds import FetchIn, IngestedItem, IngestOut
from newsdesk.desk import Newsdesk
from newsdesk.qa.feeds.sources import ItemOutcome, add_url
from newsdesk.qa.ingest.fetching import Fetcher
from newsdesk.qa.ingest.files import FileOutcome, add_uploads
from newsdesk.settings import Settings

router = APIRouter(prefix="/articles", tags=["articles"], responses=error_responses(*STORAGE_ERRORS))


def get_fetcher(request: Request) -> Fetcher:
    fetcher: Fetcher = request.app.state.fetcher
    return fetcher


def _item(outcome: ItemOutcome) -> IngestedItem:
    if outcome.result is None:
        return IngestedItem(source=outcome.where, status="skipped", reason=outcome.error)
    r = outcome.result
    return IngestedItem(source=outcome.where, status=r.status, id=r.id, title=r.title, passages=r.passages)  # type: ignore[arg-type]


def _file_items(outcome: FileOutcome) -> list[IngestedItem]:
    name = outcome.path.name
    items = [
        IngestedItem(source=name, status=r.status, id=r.id, title=r.title, passages=r.passages)  # type: ignore[arg-type]
        for r in outcome.results
    ]
    if outcome.error:
        items.append(IngestedItem(source=name, status="skipped", reason=outcome.error))
    return items


@router.post(
    "/fetch",
    response_model=IngestOut,
    dependencies=[Depends(require_api_key)],
    responses=error_responses(*JSON_BODY_ERRORS, *WRITE_KEY_ERRORS, 409),
)
def fetch_articles(
    body: Annotated[FetchIn, Body()],
    desk: Newsdesk = Depends(get_desk),
    fetcher: Fetcher = Depends(get_fetcher),
    settings: Settings = Depends(get_settings),
) -> IngestOut:
    """Fetch pages (or feeds, whose entries are added once) and add their articles. Each URL or
    entry is reported: added, replaced (the same URL fetched again), unchanged, or skipped with
    the reason (a refused address, robots.txt, a time-out, no article text, ...)."""
    config = settings.feed_config()
    items = [_item(o) for url in dict.fromkeys(body.urls) for o in add_url(desk, fetcher, url, config)]
    return IngestOut(items=items)


@router.post(
    "/upload",
    response_model=IngestOut,
    dependencies=[Depends(require_api_key)],
    responses=error_responses(400, *WRITE_KEY_ERRORS, 409, 413, 415, 422),
)
async def upload_articles(
    files: Annotated[
        list[UploadFile],
        File(description="Article files: .txt .md .json .jsonl .html .pdf", min_length=1, max_length=BOUNDS.max_files_per_upload),
    ],
    desk: Newsdesk = Depends(get_desk),
) -> IngestOut:
    """Add the articles of uploaded files (multipart form, field `files`), read as `newsdesk add`
    reads them, plus PDF. A bad file is reported with its one-line reason; the others still go in."""
    uploads = [(f.filename or "upload", await f.read()) for f in files]
    outcomes = await run_in_threadpool(add_uploads, desk, uploads)
    return IngestOut(items=[item for o in outcomes for item in _file_items(o)])
