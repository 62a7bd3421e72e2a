"""The HTTP API of newsdesk."""

from newsdesk.api.main import create_app

__all__ = ["create_app"]
