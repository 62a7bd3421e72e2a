"""Mapping newsdesk errors to HTTP statuses, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from qa.errors import ArticleError, IndexStateError, NewsdeskError, NotFoundError, QueryError

_STATUS: tuple[tuple[type[NewsdeskError], int], ...] = (
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (QueryError, 422),
    (ArticleError, 422),
    (IndexStateError, status.HTTP_409_CONFLICT),
)


def status_for(error: NewsdeskError) -> int:
    return next((code for kind, code in _STATUS if isinstance(error, kind)), status.HTTP_400_BAD_REQUEST)


async def _newsdesk_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, NewsdeskError)
    return JSONResponse({"detail": str(error)}, status_code=status_for(error))


async def _invalid_request(_: Request, error: Exception) -> JSONResponse:
    """422 naming each wrong field; the offending input is not echoed (it may not even be valid JSON, e.g. NaN)."""
    assert isinstance(error, RequestValidationError)
    problems = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "invalid")), "type": str(e.get("type", "value_error"))}
        for e in error.errors()
    ]
    return JSONResponse({"detail": problems}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NewsdeskError, _newsdesk_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
