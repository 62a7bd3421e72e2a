"""Dependencies that hand routes the pipeline, the conversation store and the settings.

The key checks are in :mod:`newsdesk.api.auth` (``require_read``, ``require_write``).
"""

from __future__ import annotations

from fastapi import Request

from newsdesk.api.auth import require_write
from newsdesk.desk import Newsdesk
from newsdesk.index.conversations import ConversationStorage
from newsdesk.settings import Settings

__all__ = ["get_conversations", "get_desk", "get_settings", "require_api_key"]

#: The write check under its former name.
require_api_key = require_write


def get_desk(request: Request) -> Newsdesk:
    desk: Newsdesk = request.app.state.desk
    return desk


def get_conversations(request: Request) -> ConversationStorage:
    conversations: ConversationStorage = request.app.state.conversations
    return conversations


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
