"""POST /ask: one question, one answer with quotes."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from newsdesk.api.auth import require_read
from newsdesk.api.deps import get_desk
from newsdesk.api.errors import JSON_BODY_ERRORS, READ_KEY_ERRORS, STORAGE_ERRORS, error_responses
from newsdesk.api.schemas import AskRequest, AskResponse
from newsdesk.desk import Newsdesk

router = APIRouter(
    tags=["ask"], dependencies=[Depends(require_read)], responses=error_responses(*READ_KEY_ERRORS, *STORAGE_ERRORS)
)


@router.post("/ask", response_model=AskResponse, responses=error_responses(*JSON_BODY_ERRORS))
def ask(request: AskRequest, desk: Newsdesk = Depends(get_desk)) -> AskResponse:
    """Answer a question from the indexed articles, with verbatim quotes.

    When the articles do not support an answer, `answer` is null, `message`
    says so, and the closest quotes are still returned.
    """
    answer = desk.ask(
        request.question, request.top_k, as_of=request.as_of, since=request.since, until=request.until, source=request.source
    )
    return AskResponse.of(answer)
