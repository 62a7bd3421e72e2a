"""The chat page is served by the app itself, needs nothing from outside, and never parses data as HTML."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.routers.page import STATIC_DIR

EXTERNAL_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action)\s*=\s*["']?|url\(\s*["']?|@import\s+["']?|fetch\(\s*["'`])(?:https?:)?//""",
    re.IGNORECASE,
)
HTML_SINKS = re.compile(
    r"\b(?:innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|document\.write|eval|Function)\b"
)


def test_root_serves_the_chat_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == (STATIC_DIR / "index.html").read_text()
    assert '<script src="/static/app.js" defer></script>' in response.text
    assert '<link rel="stylesheet" href="/static/app.css">' in response.text


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/static/app.js", "text/javascript"), ("/static/app.css", "text/css"), ("/static/index.html", "text/html")],
)
def test_static_files_are_served_with_their_types(client: TestClient, path: str, content_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.content == (STATIC_DIR / path.removeprefix("/static/")).read_bytes()


@pytest.mark.parametrize("path", ["/static/nope.js", "/static/..%2Frouters%2Fpage.py", "/static/%2E%2E/main.py"])
def test_only_the_page_files_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("name", ["index.html", "app.css", "app.js"])
def test_page_loads_nothing_from_outside(name: str) -> None:
    text = (STATIC_DIR / name).read_text()
    assert EXTERNAL_REFERENCE.findall(text) == []


def test_script_never_turns_data_into_html() -> None:
    script = (STATIC_DIR / "app.js").read_text()
    assert HTML_SINKS.findall(script) == []
