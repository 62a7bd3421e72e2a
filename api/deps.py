"""Dependencies that hand routes the pipeline and the conversation store, and check the API key."""

from __future__ import annotations

import hmac

from fastapi import Header, HTTPException, Request, status
from newsdesk.index.conversations import ConversationStorage

from newsdesk.desk import Newsdesk
from newsdesk.settings import Settings


def get_desk(request: Request) -> Newsdesk:
    desk: Newsdesk = request.app.state.desk
    return desk


def get_conversations(request: Request) -> ConversationStorage:
    conversations: ConversationStorage = request.app.state.conversations
    return conversations


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def require_api_key(request: Request, x_api_key: str | None = Header(default=None)) -> None:
    """Guard write endpoints when an API key is configured (constant-time comparison)."""
    expected = get_settings(request).api_key
    if not expected:
        return
    given = x_api_key
    authorization = request.headers.get("authorization", "")
    if given is None and authorization.lower().startswith("bearer "):
        given = authorization[7:]
    if given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid API key is required (X-API-Key header or Bearer token)")
