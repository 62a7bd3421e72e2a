"""/docs and /redoc load everything from the server itself, so they work offline."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

_URL_IN_PAGE = re.compile(r"""(?:src|href|url|spec-url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {"/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css", "/docs-assets/favicon.png"}),
        ("/redoc", {"/docs-assets/redoc.standalone.js", "/docs-assets/favicon.png"}),
    ],
)
def test_docs_pages_load_their_files_from_the_server(app_client: TestClient, page: str, assets: set[str]) -> None:
    response = app_client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "//" not in "".join(re.findall(r"""(?:src|href)=['"][^'"]*['"]""", html))  # no other host
    assert "cdn" not in html.lower() and "fonts.googleapis" not in html
    urls = set(_URL_IN_PAGE.findall(html))
    assert assets | {"/openapi.json"} <= urls
    for url in urls:
        loaded = app_client.get(url)
        assert loaded.status_code == 200, url
        assert len(loaded.content) > 100, url
    bundle = next(url for url in assets if url.endswith(".js"))
    assert app_client.get(bundle).headers["content-type"].startswith(("application/javascript", "text/javascript"))


def test_swagger_ui_does_not_ask_the_online_validator(app_client: TestClient) -> None:
    assert '"validatorUrl": null' in app_client.get("/docs").text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_browser_may_fetch_nothing_from_another_host(app_client: TestClient, page: str) -> None:
    policy = app_client.get(page).headers["content-security-policy"]
    assert policy.startswith("default-src 'self';")
    assert "http" not in policy and "*" not in policy


def test_docs_assets_serve_nothing_else(app_client: TestClient) -> None:
    assert app_client.get("/docs-assets/../../routers/docs.py").status_code == 404
    assert app_client.get("/docs-assets/missing.js").status_code == 404
