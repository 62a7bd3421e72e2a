"""Fetching refuses what it must: other schemes, private addresses, endless redirects, slow and huge answers, robots.txt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdesk.qa.errors import FetchError
from newsdesk.qa.ingest.fetching import FetchConfig, Fetcher, check_address, check_url
from tests.ingest_web.site import Site

OPEN = FetchConfig(allow_private=True, timeout_seconds=1.0, total_seconds=5.0, max_bytes=200_000)


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(OPEN) as opened:
        yield opened


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/feed.xml", "gopher://x/", "javascript:alert(1)", "/relative/path", "http://"],
)
def test_only_http_and_https_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https|names no host"):
        check_url(url)


@pytest.mark.parametrize("url", ["http://\U0001F3FB/", "HtTP://\ud83c\udffb?", "http://news.example:99999/", "http://news.example:x/"])
def test_urls_that_are_not_urls_are_refused_in_one_line(url: str) -> None:
    with pytest.raises(FetchError, match="not a valid URL"):
        check_url(url)


@pytest.mark.parametrize(
    ("host", "kind"),
    [("127.0.0.1", "loopback"), ("localhost", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
     ("169.254.169.254", "link-local"), ("[::1]", "loopback"), ("[::ffff:127.0.0.1]", "loopback"), ("0.0.0.0", "unspecified")],
)  # fmt: skip
def test_private_addresses_are_refused_by_default(host: str, kind: str) -> None:
    with pytest.raises(FetchError, match=rf"refused: .* \({kind} address"):
        check_address(f"http://{host}/feed", allow_private=False)


def test_the_fetcher_refuses_a_loopback_server_by_default_and_fetches_it_when_allowed(site: Site) -> None:
    url = site.route("/page", "<html><body>hello</body></html>")
    with Fetcher() as default, pytest.raises(FetchError, match="refused: 127.0.0.1 resolves to 127.0.0.1"):
        default.fetch(url)
    assert site.hits["/page"] == 0  # refused before connecting
    with Fetcher(FetchConfig(allow_private=True)) as allowed:
        assert allowed.fetch(url).content == b"<html><body>hello</body></html>"


def test_a_redirect_to_a_private_address_is_refused_after_the_hop(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # The test site stands in for a public one: its address alone is let through, and it redirects
    # to a private one, which must be refused at the hop (every connection is checked, not only the first URL).
    from newsdesk.qa.ingest import fetching

    refused = fetching._refused
    monkeypatch.setattr(fetching, "_refused", lambda address: None if address == "127.0.0.1" else refused(address))
    site.route("/ok", "<p>public</p>")
    url = site.route("/away", "", status=302, headers={"Location": "http://10.255.255.1/secret"})
    with Fetcher(FetchConfig(allow_private=False, timeout_seconds=1.0)) as strict:
        assert strict.fetch(site.url("/ok")).content == b"<p>public</p>"
        with pytest.raises(FetchError, match=r"refused: 10.255.255.1 resolves to 10.255.255.1 \(private address"):
            strict.fetch(url)
        with pytest.raises(FetchError, match="only http and https"):
            strict.fetch(site.route("/to-file", "", status=301, headers={"Location": "file:///etc/passwd"}))


def test_redirects_are_followed_up_to_the_cap(site: Site, fetcher: Fetcher) -> None:
    site.route("/final", "<p>done</p>")
    for hop in range(7):
        site.route(f"/r{hop}", "", status=302, headers={"Location": f"/r{hop + 1}" if hop < 6 else "/final"})
    assert fetcher.fetch(site.url("/r3")).final_url == site.url("/final")  # 4 redirects
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.fetch(site.url("/r0"))  # 7 redirects


def test_a_slow_answer_times_out(site: Site, fetcher: Fetcher) -> None:
    url = site.route("/slow", "<p>late</p>", delay=3.0)
    with pytest.raises(FetchError, match="timed out"):
        fetcher.fetch(url)


def test_an_oversized_page_is_refused(site: Site, fetcher: Fetcher) -> None:
    url = site.route("/huge", b"<p>" + b"x" * 300_000 + b"</p>")
    with pytest.raises(FetchError, match="larger than 200000 bytes"):
        fetcher.fetch(url)


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_statuses_are_failures_with_the_status(site: Site, fetcher: Fetcher, status: int) -> None:
    url = site.route("/broken", "<h1>Error</h1>", status=status)
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        fetcher.fetch(url)


def test_robots_txt_is_honoured_for_pages_and_names_newsdesk(site: Site, fetcher: Fetcher) -> None:
    site.route("/robots.txt", "User-agent: newsdesk\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n", content_type="text/plain")
    site.route("/private/a", "<p>secret</p>")
    site.route("/public/a", "<p>open</p>")
    with pytest.raises(FetchError, match="robots.txt does not allow"):
        fetcher.fetch(site.url("/private/a"))
    assert site.hits["/private/a"] == 0
    assert fetcher.fetch(site.url("/public/a")).content == b"<p>open</p>"
    # A feed the user follows is not a crawl: robots.txt is not asked.
    assert fetcher.fetch(site.url("/private/a"), obey_robots=False).content == b"<p>secret</p>"
    assert all(agent.startswith("newsdesk/") for agent in site.agents)


def test_a_missing_robots_txt_allows_and_a_failing_one_refuses(site: Site, fetcher: Fetcher) -> None:
    site.route("/a", "<p>a</p>")
    assert fetcher.fetch(site.url("/a")).content == b"<p>a</p>"  # robots.txt is a 404
    with Site() as other, Fetcher(OPEN) as fresh:
        other.route("/robots.txt", "down", status=503, content_type="text/plain")
        other.route("/a", "<p>a</p>")
        with pytest.raises(FetchError, match="robots.txt"):
            fresh.fetch(other.url("/a"))


def test_a_conditional_get_comes_back_not_modified(site: Site, fetcher: Fetcher) -> None:
    url = site.route("/feed", "<rss/>", content_type="application/rss+xml")
    first = fetcher.fetch(url, obey_robots=False)
    assert first.etag and not first.not_modified
    again = fetcher.fetch(url, etag=first.etag, obey_robots=False)
    assert again.not_modified and again.content == b""
    assert site.not_modified["/feed"] == 1
