"""``newsdesk add URL|FEED`` and ``newsdesk watch``, run in this process against the local site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.cli.main import main
from tests.ingest_web.site import Site, rss_feed

STORM = [
    "The harbour of Port Ellis reopened on Tuesday after a three-week closure caused by the storm that damaged the pier.",
    "Harbour master Ines Calder said the first container ship would dock on Thursday morning, ahead of schedule.",
]
SCHOOL = "<p>A new primary school opened in the village of Holm on Wednesday, the first built there in fifty years.</p>"


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("NEWSDESK_READER", "none")
    return tmp_path / "data"


def test_add_takes_page_urls_feed_urls_and_feed_files(
    site: Site, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = site.page("/storm", "Port Ellis harbour reopens", STORM, date="2026-03-03")
    feed = site.feed("/rss", "Valley News", [{"title": "Holm school opens", "link": site.url("/school"), "guid": "v-1",
                                              "date": "2026-03-05", "content": SCHOOL}])  # fmt: skip
    feed_file = tmp_path / "desk.atom"
    feed_file.write_text(rss_feed("Desk", [{"title": "Bridge closed", "link": "https://news.example/bridge",
        "content": "<p>Engineers closed the Varne bridge on Monday after finding cracks in its cables.</p>"}]))  # fmt: skip
    assert main(["add", "--data-dir", str(data_dir), page, feed, str(feed_file)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[:-1]] == ["added", "added", "added"]
    assert out[-1] == "3 added, 0 replaced, 0 unchanged"
    assert main(["add", "--data-dir", str(data_dir), page, feed]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 added, 0 replaced, 2 unchanged"


def test_add_reports_a_url_it_cannot_fetch_and_exits_1(
    site: Site, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = site.page("/storm", "Port Ellis harbour reopens", STORM)
    assert main(["add", "--data-dir", str(data_dir), site.url("/missing"), page]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == f"error: {site.url('/missing')}: HTTP 404"
    assert captured.out.splitlines()[-1] == "1 added, 0 replaced, 0 unchanged, 1 item failed"
    monkeypatch.delenv("NEWSDESK_FETCH_ALLOW_PRIVATE")
    assert main(["add", "--data-dir", str(data_dir), page]) == 1
    assert "refused: 127.0.0.1 resolves to 127.0.0.1 (loopback address" in capsys.readouterr().err


def test_watch_once_follows_a_feed_and_remembers_it(site: Site, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = site.feed("/rss", "Valley News", [{"title": "Holm school opens", "link": site.url("/school"), "guid": "v-1",
                                              "date": "2026-03-05", "content": SCHOOL}])  # fmt: skip
    assert main(["watch", "--data-dir", str(data_dir), feed, "--every", "1h", "--once"]) == 0
    out = capsys.readouterr().out
    assert "added" in out and "checked Valley News: 1 new or changed" in out
    from newsdesk.index.feeds import SqliteFeedRegistry

    registry = SqliteFeedRegistry(data_dir / "newsdesk.sqlite3")
    try:
        (kept,) = registry.list_feeds()
    finally:
        registry.close()
    assert (kept.url, kept.every_seconds, kept.title, kept.failures) == (feed, 3600.0, "Valley News", 0)
    assert main(["watch", "--data-dir", str(data_dir), "ftp://x/feed", "--once"]) == 2
    assert "only http and https" in capsys.readouterr().err
