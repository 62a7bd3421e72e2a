"""The HTTP API of feeds, fetched URLs and uploads, on the real app with the real model over a copy of the seeds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.api.main import create_app
from newsdesk.settings import Settings
from tests.ingest_web.pdfs import text_pdf
from tests.ingest_web.site import Site

KEY = {"X-API-Key": "feeds-key"}
HARBOUR = [
    "Ines Calder was named harbour master of Port Ellis on Friday, the port authority said.",
    "Calder, a former ferry captain, takes over from Tomas Reyes, who retires after twenty years in the post.",
    "She said her first task would be to reopen the northern pier, which a storm damaged in February.",
]
BRIDGE = [
    "Engineers closed the Varne bridge on Monday after inspectors found cracks in two of its steel cables.",
    "The city council said traffic would be diverted through the old town until repairs finish in the spring.",
]


def _settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": data_dir, "seed_dir": None, "fetch_allow_private": True,
                                 "feed_min_every_seconds": 1.0, "api_key": "feeds-key"}  # fmt: skip
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def _wait_for(condition, seconds: float = 90.0):  # type: ignore[no-untyped-def]
    """Wait for something the background poller does (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("the poller did not get there in time")


def _entry(site: Site, slug: str, title: str, paragraphs: list[str], date: str) -> dict:
    return {"title": title, "link": site.url(f"/{slug}"), "guid": f"ht-{slug}", "date": date,
            "content": "".join(f"<p>{p}</p>" for p in paragraphs)}  # fmt: skip


def test_a_followed_feed_brings_a_new_entry_in_while_questions_are_answered(
    site: Site, writable_seed_dir: Path, embedder, reader
) -> None:
    url = site.feed("/rss", "Harbour Times", [_entry(site, "bridge", "Varne bridge closed", BRIDGE, "2026-03-02")])
    question = {"question": "Who was named harbour master of Port Ellis?"}
    with TestClient(create_app(_settings(writable_seed_dir), embedder=embedder, reader=reader)) as client:
        added = client.post("/feeds", json={"url": url, "every": "1s"}, headers=KEY)
        assert added.status_code == 201, added.text
        feed = added.json()
        assert (feed["url"], feed["every_seconds"], feed["last_checked_at"]) == (url, 1.0, None)
        listed = _wait_for(lambda: [f for f in client.get("/feeds").json()["feeds"] if f["last_new_entry_at"]])
        assert listed[0]["title"] == "Harbour Times" and listed[0]["last_error"] is None
        before = client.post("/ask", json=question).json()
        assert "Calder" not in (before["answer"] or "")
        # the unchanged feed is checked again, conditionally (ETag / Last-Modified): a 304
        _wait_for(lambda: site.not_modified["/rss"] >= 1)
        site.feed("/rss", "Harbour Times", [
            _entry(site, "bridge", "Varne bridge closed", BRIDGE, "2026-03-02"),
            _entry(site, "harbour", "Port Ellis names a new harbour master", HARBOUR, "2026-03-06"),
        ])  # fmt: skip
        answers = []

        def answered() -> dict | None:
            response = client.post("/ask", json=question)
            answers.append(response.status_code)
            body = response.json()
            return body if "Ines Calder" in (body.get("answer") or "") else None

        answer = _wait_for(answered)
        assert set(answers) == {200}  # every question was answered while the feed was checked
        quote = answer["quotes"][0]
        assert quote["title"] == "Port Ellis names a new harbour master" and quote["source"] == "Harbour Times"
        assert quote["url"] == site.url("/harbour") and quote["published"] == "2026-03-06"
        stored = client.get(f"/articles/{quote['article_id']}").json()
        assert stored["text"][quote["start"] : quote["end"]] == quote["text"]


def test_feeds_are_remembered_across_a_restart_and_can_be_dropped(site: Site, writable_seed_dir: Path, embedder) -> None:
    url = site.feed("/rss", "Harbour Times", [_entry(site, "bridge", "Varne bridge closed", BRIDGE, "2026-03-02")])
    settings = _settings(writable_seed_dir, feed_min_every_seconds=60.0)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        assert client.post("/feeds", json={"url": url}, headers={}).status_code == 401
        feed = client.post("/feeds", json={"url": url, "every": "2h"}, headers=KEY).json()
        again = client.post("/feeds", json={"url": url, "every": "1s"}, headers=KEY).json()
        assert again["id"] == feed["id"] and again["every_seconds"] == 60.0  # raised to the shortest interval
        _wait_for(lambda: client.get("/feeds").json()["feeds"][0]["last_checked_at"])
    with TestClient(create_app(settings, embedder=embedder)) as client:
        (kept,) = client.get("/feeds").json()["feeds"]
        assert (kept["id"], kept["url"], kept["title"], kept["failures"]) == (feed["id"], url, "Harbour Times", 0)
        assert kept["last_checked_at"] and kept["last_new_entry_at"]
        assert client.delete(f"/feeds/{feed['id']}").status_code == 401
        assert client.delete(f"/feeds/{feed['id']}", headers=KEY).json() == {"id": feed["id"], "deleted": True}
        assert client.delete(f"/feeds/{feed['id']}", headers=KEY).status_code == 404
        assert client.get("/feeds").json() == {"feeds": []}
        assert client.get("/articles", params={"limit": 1}).json()["articles"][0]["title"] == "Varne bridge closed"


def test_private_addresses_are_refused_by_default(site: Site, writable_seed_dir: Path, embedder) -> None:
    page = site.page("/bridge", "Varne bridge closed", BRIDGE, date="2026-03-02")
    settings = _settings(writable_seed_dir, fetch_allow_private=False)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        refused = client.post("/feeds", json={"url": site.url("/rss")}, headers=KEY)
        assert refused.status_code == 422 and "refused: 127.0.0.1 resolves to 127.0.0.1 (loopback" in refused.json()["detail"]
        fetched = client.post("/articles/fetch", json={"urls": [page, "http://169.254.169.254/latest/meta-data/"]}, headers=KEY)
        assert fetched.status_code == 200
        assert [i["status"] for i in fetched.json()["items"]] == ["skipped", "skipped"]
        assert "loopback" in fetched.json()["items"][0]["reason"] and "link-local" in fetched.json()["items"][1]["reason"]
        assert client.get("/feeds").json() == {"feeds": []}
    assert site.hits == {}


def test_urls_are_fetched_into_articles_and_fetched_again_replace(site: Site, writable_seed_dir: Path, embedder) -> None:
    page = site.page("/bridge", "Varne bridge closed", BRIDGE, date="2026-03-02")
    site.route("/missing", "gone", status=404, content_type="text/plain")
    with TestClient(create_app(_settings(writable_seed_dir), embedder=embedder)) as client:
        assert client.post("/articles/fetch", json={"urls": [page]}).status_code == 401
        body = {"urls": [page, site.url("/missing"), "ftp://news.example/x"]}
        response = client.post("/articles/fetch", json=body, headers=KEY)
        assert response.status_code == 422  # not an http(s) URL: refused by the schema, nothing fetched
        response = client.post("/articles/fetch", json={"urls": [page, site.url("/missing")]}, headers=KEY)
        first, missing = response.json()["items"]
        assert (first["status"], first["title"], first["source"]) == ("added", "Varne bridge closed", page)
        assert missing == {"source": site.url("/missing"), "status": "skipped", "id": None, "title": None,
                           "passages": None, "reason": f"{site.url('/missing')}: HTTP 404"}  # fmt: skip
        article = client.get(f"/articles/{first['id']}").json()
        assert (article["url"], article["published"], article["source"]) == (page, "2026-03-02", "Harbour Times")
        site.page("/bridge", "Varne bridge closed", BRIDGE + ["Buses will run every ten minutes meanwhile."], date="2026-03-02")
        (again,) = client.post("/articles/fetch", json={"urls": [page]}, headers=KEY).json()["items"]
        assert (again["status"], again["id"]) == ("replaced", first["id"])
        answer = client.post("/ask", json={"question": "Why was the Varne bridge closed?"}).json()
        assert answer["quotes"][0]["article_id"] == first["id"]


def test_files_are_uploaded_with_the_cli_s_checks(writable_seed_dir: Path, embedder) -> None:
    pdf = text_pdf("Varne bridge closed", BRIDGE, created="20260302")
    files = [
        ("files", ("harbour.md", "# Port Ellis names a new harbour master\n\n" + "\n\n".join(HARBOUR), "text/markdown")),
        ("files", ("bridge.pdf", pdf, "application/pdf")),
        ("files", ("photo.png", b"\x89PNG\r\n", "image/png")),
        ("files", ("notes.txt", "caf\xe9".encode("latin-1"), "text/plain")),
    ]
    with TestClient(create_app(_settings(writable_seed_dir), embedder=embedder)) as client:
        assert client.post("/articles/upload", files=files).status_code == 401
        response = client.post("/articles/upload", files=files, headers=KEY)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert [(i["source"], i["status"], i["id"]) for i in items] == [
            ("harbour.md", "added", "harbour"), ("bridge.pdf", "added", "bridge"),
            ("photo.png", "skipped", None), ("notes.txt", "skipped", None),
        ]  # fmt: skip
        assert items[2]["reason"].startswith("photo.png: unsupported file type .png; use one of .txt")
        assert items[3]["reason"] == "notes.txt: not UTF-8 text"
        assert client.get("/articles/bridge").json()["published"] == "2026-03-02"
        again = client.post("/articles/upload", files=files[:1], headers=KEY).json()["items"]
        assert again[0]["status"] == "unchanged"
        assert client.post("/articles/upload", json={"files": []}, headers=KEY).status_code == 422
        answer = client.post("/ask", json={"question": "Who was named harbour master of Port Ellis?"}).json()
        assert "Ines Calder" in answer["answer"] and answer["quotes"][0]["article_id"] == "harbour"
