"""Keys with roles on every route: derived from the app's routes, so a new route without a check fails here."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.auth import KeyRing, hash_key, keyring_from, require_read, require_write
from newsdesk.api.main import create_app
from newsdesk.settings import Settings, SettingsError
from tests.conftest import HashingEmbedder

READ_KEY, WRITE_KEY = "reader-secret", "writer-secret"

# Every route of the app, by kind. A route missing here (a new one) fails test_every_route_is_classified.
ROUTES = {
    ("POST", "/ask"): "read",
    ("GET", "/articles"): "read",
    ("GET", "/articles/{article_id}"): "read",
    ("POST", "/articles"): "write",
    ("DELETE", "/articles/{article_id}"): "write",
    ("POST", "/articles/upload"): "write",
    ("POST", "/articles/fetch"): "write",
    ("GET", "/feeds"): "read",
    ("POST", "/feeds"): "write",
    ("DELETE", "/feeds/{feed_id}"): "write",
    ("POST", "/chat"): "read",
    ("POST", "/chat/stream"): "read",
    ("GET", "/chat/{conversation_id}"): "read",
    ("DELETE", "/chat/{conversation_id}"): "write",
    ("GET", "/timeline"): "read",
    ("POST", "/v1/chat/completions"): "read",
    ("GET", "/v1/models"): "read",
    ("GET", "/v1/models/{model}"): "read",
    ("GET", "/health"): "public",
    ("GET", "/"): "public",
    ("GET", "/static/{path:path}"): "public",
    ("GET", "/docs"): "public",
    ("GET", "/docs/oauth2-redirect"): "public",
    ("GET", "/redoc"): "public",
    ("GET", "/docs-assets/{path:path}"): "public",
    ("GET", "/openapi.json"): "public",
}
BODIES = {"/ask": {"question": "Who?"}, "/chat": {"message": "Who?"}, "/chat/stream": {"message": "Who?"}}


def _app(tmp_path: Path, **settings: object):  # type: ignore[no-untyped-def]
    base = Settings(data_dir=tmp_path / "data", seed_dir=None, reader="none")
    values = {**base.__dict__, **settings}
    return create_app(Settings(**values), embedder=HashingEmbedder())  # type: ignore[arg-type]


def _routes(app) -> dict[tuple[str, str], object]:  # type: ignore[no-untyped-def]
    """Every (method, path) the app serves, with what serves it (its ``dependant``, or None for a plain route).

    FastAPI 0.165 keeps an included router as one entry whose ``effective_route_contexts`` are its routes.
    """
    found: dict[tuple[str, str], object] = {}
    for entry in app.routes:
        served = list(entry.effective_route_contexts()) if hasattr(entry, "effective_route_contexts") else [entry]
        for route in served:
            for method in sorted((getattr(route, "methods", None) or set()) - {"HEAD"}):
                found[(method, route.path)] = getattr(route, "dependant", None)
    return found


def _checks(dependant: object) -> set[object]:
    pending, calls = list(getattr(dependant, "dependencies", [])), set()
    while pending:
        dependency = pending.pop()
        calls.add(dependency.call)
        pending.extend(dependency.dependencies)
    return calls & {require_read, require_write}


@pytest.fixture
def protected(tmp_path: Path) -> Iterator[TestClient]:
    """Reads protected; one read key (from NEWSDESK_API_KEYS) and one write key (NEWSDESK_API_KEY)."""
    app = _app(tmp_path, api_key=WRITE_KEY, api_keys=f"desk:read:{READ_KEY}", protect_reads=True)
    with TestClient(app) as client:
        yield client


def test_every_route_is_classified(tmp_path: Path) -> None:
    assert set(_routes(_app(tmp_path))) == set(ROUTES)


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_each_route_carries_the_check_of_its_kind(tmp_path: Path, method: str, path: str) -> None:
    checks = _checks(_routes(_app(tmp_path))[(method, path)])
    kind = ROUTES[(method, path)]
    if kind == "write":
        assert require_write in checks
    elif kind == "read":
        assert checks == {require_read}
    else:
        assert checks == set()


def _send(client: TestClient, method: str, path: str, headers: dict[str, str]) -> int:
    concrete = path.replace("{path:path}", "x.js").replace("{article_id}", "nope").replace("{conversation_id}", "nope")
    concrete = concrete.replace("{feed_id}", "nope")
    concrete = concrete.replace("{model}", "newsdesk")
    body = BODIES.get(path, {"messages": [{"role": "user", "content": "Who?"}]} if "completions" in path else {})
    if method in ("POST",):
        return client.request(method, concrete, json=body, headers=headers).status_code
    return client.request(method, concrete, headers=headers).status_code


@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_each_route_answers_each_role_as_its_kind_says(protected: TestClient, method: str, path: str) -> None:
    kind = ROUTES[(method, path)]
    anonymous = _send(protected, method, path, {})
    as_reader = _send(protected, method, path, {"X-API-Key": READ_KEY})
    as_writer = _send(protected, method, path, {"Authorization": f"Bearer {WRITE_KEY}"})
    wrong = _send(protected, method, path, {"X-API-Key": "not-a-key"})
    if kind == "public":
        assert {anonymous, as_reader, as_writer, wrong} & {401, 403} == set()
    elif kind == "read":
        assert (anonymous, wrong) == (401, 401)
        assert as_reader not in (401, 403) and as_writer not in (401, 403)
    else:
        assert (anonymous, wrong, as_reader) == (401, 401, 403)
        assert as_writer not in (401, 403)


def test_reads_stay_open_unless_protected_and_writes_need_a_write_key(tmp_path: Path) -> None:
    with TestClient(_app(tmp_path, api_keys=f"desk:read:{READ_KEY},ops:write:{WRITE_KEY}")) as client:
        assert client.post("/ask", json={"question": "Who?"}).status_code == 200
        assert client.get("/articles").status_code == 200
        article = {"title": "Keys", "text": "An article about keys with roles, stored by a writer.", "id": "keys-1"}
        refused = client.post("/articles", json=article, headers={"X-API-Key": READ_KEY})
        assert refused.status_code == 403
        assert refused.json() == {"detail": "this API key may only read; writing needs a write key"}
        assert client.post("/articles", json=article).status_code == 401
        assert client.post("/articles", json=article, headers={"Authorization": f"Bearer {WRITE_KEY}"}).status_code == 201
        assert client.get("/articles/keys-1", headers={"X-API-Key": READ_KEY}).json()["id"] == "keys-1"


def test_a_keys_file_holds_hashed_keys(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    digest = hashlib.sha256(b"from-the-file").hexdigest()
    keys.write_text(f"# name role sha256\nnight-desk write {digest}  # ops\n\nwire read {hash_key('wire-key')}\n")
    ring = keyring_from(Settings.from_env({"NEWSDESK_API_KEYS_FILE": str(keys), "NEWSDESK_PROTECT_READS": "1"}))
    assert ring.protect_reads
    assert [(k.name, k.role) for k in ring.keys] == [("night-desk", "write"), ("wire", "read")]
    assert (ring.role_of("from-the-file"), ring.role_of("wire-key"), ring.role_of("other"), ring.role_of(None)) == (
        "write", "read", None, None
    )
    assert "from-the-file" not in keys.read_text()


def test_the_single_key_stays_a_write_key() -> None:
    ring = keyring_from(Settings.from_env({"NEWSDESK_API_KEY": "solo"}))
    assert ring == KeyRing((ring.keys[0],), False) and ring.role_of("solo") == "write"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSDESK_API_KEYS": "desk:admin:k"}, "NEWSDESK_API_KEYS entry 1: the role must be read or write, not 'admin'"),
        ({"NEWSDESK_API_KEYS": "a:read:k,justakey"}, "NEWSDESK_API_KEYS entry 2: expected name:role:key"),
        ({"NEWSDESK_PROTECT_READS": "1"}, "reads are protected (NEWSDESK_PROTECT_READS / --protect-reads) but no key"),
    ],
)
def test_a_bad_key_setting_is_one_clear_error(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        keyring_from(Settings.from_env(env))
    assert str(caught.value).startswith(message)


def test_a_keys_file_line_that_is_not_hashed_is_refused(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text("desk read plain-key\n")
    with pytest.raises(SettingsError, match=r"keys line 1: expected 'name role sha256-hex'"):
        keyring_from(Settings(api_keys_file=keys))


def test_the_openai_client_sends_its_key_as_a_bearer_token(protected: TestClient) -> None:
    openai = pytest.importorskip("openai")
    keyed = openai.OpenAI(base_url="http://testserver/v1", api_key=READ_KEY, http_client=protected, max_retries=0)
    assert [m.id for m in keyed.models.list()] == ["newsdesk"]
    anonymous = openai.OpenAI(base_url="http://testserver/v1", api_key="unused", http_client=protected, max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        anonymous.chat.completions.create(model="newsdesk", messages=[{"role": "user", "content": "Who?"}])
