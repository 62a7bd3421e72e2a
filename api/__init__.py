"""The HTTP API of newsdesk."""

from api.main import create_app

__all__ = ["create_app"]
