"""Fuzzing: the HTTP API never answers 5xx, and any article text indexes with valid offsets or is refused clearly."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.desk import Newsdesk
from newsdesk.qa.errors import ArticleError
from newsdesk.qa.ingest.parsing import SUPPORTED_SUFFIXES, parse_text
from newsdesk.qa.types import ArticleDraft

# Any JSON value, with the odd characters that break naive code.
ODD_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(["", " ", "\u202e\u05e9\u05dc\u05d5\u05dd", "🧨" * 50, "\x00\x01\x1f", "<script>x</script>", "a" * 5000])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | ODD_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ODD_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = {
    "/ask": ["question", "top_k", "as_of", "since", "until", "source"],
    "/articles": ["title", "text", "url", "published", "source", "id"],
    "/chat": ["conversation_id", "message", "top_k", "as_of"],
    "/v1/chat/completions": ["messages", "model", "stream", "temperature"],
}


@st.composite
def request_bodies(draw: st.DrawFn) -> tuple[str, object]:
    path = draw(st.sampled_from(sorted(FIELDS)))
    if draw(st.booleans()):
        body = draw(st.dictionaries(st.sampled_from(FIELDS[path] + ["unknown"]), JSON_VALUES, max_size=5))
    else:
        body = draw(JSON_VALUES)
    return path, body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=request_bodies())
def test_api_never_fails_with_5xx(client: TestClient, case: tuple[str, object]) -> None:
    path, body = case
    response = client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})
    assert response.status_code < 500, (path, body, response.text)
    if response.status_code >= 400:
        assert response.json()["detail"], (path, body)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path_text=st.text(max_size=80))
def test_article_paths_never_fail_with_5xx(client: TestClient, path_text: str) -> None:
    for method in ("GET", "DELETE"):
        response = client.request(method, "/articles/" + quote(path_text, safe=""))
        assert response.status_code < 500, (method, path_text)


TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2000) | st.sampled_from(
    ["\n\n\n\n", "x" * 1_000_000, "\u202eRTL text. Another sentence!\n\nمرحبا بالعالم. " * 20, "😀. 😀! 😀?" * 50]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=TEXTS, suffix=st.sampled_from([s for s in SUPPORTED_SUFFIXES if s not in (".html", ".htm")]))
def test_any_file_content_parses_or_is_refused_clearly(content: str, suffix: str) -> None:
    try:
        drafts = parse_text(content, suffix, f"fuzz{suffix}")
    except ArticleError as exc:
        assert str(exc).startswith(f"fuzz{suffix}")
        return
    assert all(isinstance(d, ArticleDraft) for d in drafts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXTS, text=TEXTS)
def test_any_article_indexes_with_valid_offsets_or_is_refused(tmp_path: Path, hashing_embedder, title: str, text: str) -> None:
    desk = Newsdesk(tmp_path / "fuzz", hashing_embedder)
    try:
        try:
            result = desk.add_article(ArticleDraft(title=title[:500] or "t", text=text))
        except ArticleError as exc:
            assert str(exc)
            return
        article = desk.get_article(result.id)
        stored = desk._store.articles.passages(desk._store.articles.passage_ids().tolist())
        for entry in stored.values():
            passage = entry.passage
            assert article.text[passage.start : passage.end] == passage.text
        assert set(desk._store.vectors.ids().tolist()) == set(stored)
        desk.remove_article(result.id)
    finally:
        desk.close()
