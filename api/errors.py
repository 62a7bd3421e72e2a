"""Mapping newsdesk errors to HTTP statuses, in one place, and documenting them for each operation."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from newsdesk.api.schemas import ErrorOut
from newsdesk.qa.errors import (
    ArticleError,
    IndexStateError,
    NewsdeskError,
    NotFoundError,
    QueryError,
    StorageUnavailableError,
)

__all__ = [
    "JSON_BODY_ERRORS",
    "READ_KEY_ERRORS",
    "STORAGE_ERRORS",
    "WRITE_KEY_ERRORS",
    "documented_methods",
    "error_responses",
    "install_error_handlers",
    "status_for",
]

_MEANINGS = {
    400: "The body is not valid JSON (or not UTF-8 text).",
    401: "The API key is missing or wrong (X-API-Key header or Bearer token); reads need one only when the "
    "server protects them.",
    403: "The API key may only read; this operation needs a write key.",
    404: "Nothing is stored under that id.",
    409: "The index cannot be changed as asked (opened read-only, or built with another model).",
    413: "The body is larger than the server accepts, or holds too much.",
    415: "The body is not sent as application/json.",
    422: "A field is missing, of the wrong type or out of bounds (`detail` lists each), or the request cannot be "
    "answered as asked (`detail` says why).",
    503: "The database cannot be reached now, or gave no connection in time (`detail` says which); retry later.",
}
# What any operation with a JSON body may answer before it runs: see api/limits.py and FastAPI's body parsing.
JSON_BODY_ERRORS = (400, 413, 415, 422)
# What any operation that reads or writes the articles or conversations may answer: a database backend can go away.
STORAGE_ERRORS = (503,)
# What a read operation may answer when the server protects reads (api/auth.py); a write operation's key errors.
READ_KEY_ERRORS = (401,)
WRITE_KEY_ERRORS = (401, 403)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries of the error statuses an operation returns, each with its body."""
    return {code: {"model": ErrorOut, "description": _MEANINGS[code]} for code in sorted(set(codes))}

_STATUS: tuple[tuple[type[NewsdeskError], int], ...] = (
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (QueryError, 422),
    (ArticleError, 422),
    (StorageUnavailableError, status.HTTP_503_SERVICE_UNAVAILABLE),
    (IndexStateError, status.HTTP_409_CONFLICT),
)


def status_for(error: NewsdeskError) -> int:
    return next((code for kind, code in _STATUS if isinstance(error, kind)), status.HTTP_400_BAD_REQUEST)


async def _newsdesk_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, NewsdeskError)
    return JSONResponse({"detail": str(error)}, status_code=status_for(error))


async def _invalid_request(_: Request, error: Exception) -> JSONResponse:
    """422 naming each wrong field; the offending input is not echoed (it may not even be valid JSON, e.g. NaN).

    A body that is not JSON at all is a 400, as one that is not UTF-8 already is (FastAPI's own).
    """
    assert isinstance(error, RequestValidationError)
    for problem in error.errors():
        if problem.get("type") == "json_invalid":
            reason = problem.get("ctx", {}).get("error", "JSON decode error")
            return JSONResponse({"detail": f"the body is not valid JSON: {reason}"}, status_code=400)
    problems = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "invalid")), "type": str(e.get("type", "value_error"))}
        for e in error.errors()
    ]
    return JSONResponse({"detail": problems}, status_code=422)


def documented_methods(app: FastAPI, path: str) -> list[str] | None:
    """The methods the OpenAPI document gives the request path, or None when it does not list the path.

    A concrete path wins over a templated one that also matches it (``/chat/stream`` over
    ``/chat/{conversation_id}``), as OpenAPI says paths are matched.
    """
    templates = sorted(app.openapi()["paths"].items(), key=lambda item: item[0].count("{"))
    for template, operations in templates:
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path):
            return sorted(method.upper() for method in operations)
    return None


async def _http_error(request: Request, error: Exception) -> Any:
    """A 405's ``Allow`` lists every method of the path, not only those of the first route that matched it.

    FastAPI makes one route per method, and Starlette answers a method no route
    has with the methods of the first route whose path matches.
    """
    assert isinstance(error, HTTPException)
    methods = documented_methods(request.app, request.url.path) if error.status_code == 405 else None
    if methods is None:  # not a 405, or a path outside the API (the page, its files)
        return await http_exception_handler(request, error)
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers={"Allow": ", ".join(methods)})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NewsdeskError, _newsdesk_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
