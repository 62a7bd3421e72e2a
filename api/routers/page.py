"""The web chat page: ``GET /`` and its files under ``/static``.

The page is three plain files in ``api/static`` (no build step, nothing fetched
from outside the server); it talks to the same HTTP API as any other client.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["page"])

# Served through a route rather than ``router.mount``: most FastAPI releases drop
# a Mount when the router is included (fastapi/fastapi#10180).
_static_files = StaticFiles(directory=STATIC_DIR)


@router.get("/", include_in_schema=False)
def chat_page() -> FileResponse:
    """The chat page."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html", headers={"Cache-Control": "no-cache"})


@router.get("/static/{path:path}", include_in_schema=False)
async def static_file(path: str, request: Request) -> Response:
    """A file of the page (404 for anything outside ``api/static``)."""
    return await _static_files.get_response(path, request.scope)
