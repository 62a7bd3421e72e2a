"""Feeds, pages, PDFs and uploads become articles: each entry reported, none stored half-made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.qa.feeds.config import FeedConfig
from newsdesk.qa.feeds.sources import add_feed_content, add_feed_file, add_url
from newsdesk.qa.ingest.fetching import FetchConfig, Fetcher
from newsdesk.qa.ingest.files import add_uploads
from tests.conftest import HashingEmbedder
from tests.ingest_web.pdfs import text_pdf
from tests.ingest_web.site import Site

CONFIG = FeedConfig(fetch=FetchConfig(allow_private=True, timeout_seconds=2.0))
STORM = [
    "The harbour of Port Ellis reopened on Tuesday after a three-week closure caused by the storm that damaged the pier.",
    "Harbour master Ines Calder said the first container ship would dock on Thursday morning, ahead of schedule.",
]
BRIDGE = [
    "Engineers closed the Varne bridge on Monday after inspectors found cracks in two of its steel cables.",
    "The city council said traffic would be diverted through the old town until repairs finish in the spring.",
]
SCHOOL = [
    "A new primary school opened in the village of Holm on Wednesday, the first built there in fifty years.",
    "Head teacher Maria Osei said 120 pupils had enrolled and that the library would open to the public too.",
]


def _content(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(CONFIG.fetch) as opened:
        yield opened


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Newsdesk]:
    opened = Newsdesk(tmp_path / "data", HashingEmbedder())
    yield opened
    opened.close()


def _statuses(items: list) -> list[str]:
    return [i.result.status if i.result else "skipped" for i in items]


def test_an_rss_feed_is_added_once_then_only_changes(site: Site, fetcher: Fetcher, desk: Newsdesk) -> None:
    entries = [
        {"title": "Port Ellis harbour reopens", "link": site.url("/storm"), "guid": "ht-1", "date": "2026-03-03", "content": _content(STORM)},
        {"title": "Varne bridge closed", "link": site.url("/bridge"), "guid": "ht-2", "date": "2026-03-04", "content": _content(BRIDGE)},
    ]
    url = site.feed("/rss", "Harbour Times", entries)
    first = add_url(desk, fetcher, url, CONFIG)
    assert _statuses(first) == ["added", "added"]
    stored = desk.get_article(first[0].result.id)
    assert (stored.title, stored.url, stored.published, stored.source) == (
        "Port Ellis harbour reopens", site.url("/storm"), "2026-03-03", "Harbour Times"
    )
    assert stored.text == "\n\n".join(STORM)
    # Read again: nothing new; the same two articles.
    assert _statuses(add_url(desk, fetcher, url, CONFIG)) == ["unchanged", "unchanged"]
    # An entry changes and one is new: one replaced, one added, still no duplicate.
    entries[1]["title"] = "Varne bridge closed until spring"
    entries.append({"title": "Holm school opens", "link": site.url("/school"), "guid": "ht-3", "date": "2026-03-05", "content": _content(SCHOOL)})
    site.feed("/rss", "Harbour Times", entries)
    assert _statuses(add_url(desk, fetcher, url, CONFIG)) == ["unchanged", "replaced", "added"]
    assert desk.counts()[0] == 3
    assert desk.get_article(first[1].result.id).title == "Varne bridge closed until spring"


def test_seen_entries_are_not_worked_on_again(site: Site, fetcher: Fetcher, desk: Newsdesk) -> None:
    site.page("/storm", "Port Ellis harbour reopens", STORM, date="2026-03-03")
    entries = [{"title": "Port Ellis harbour reopens", "link": site.url("/storm"), "summary": "The harbour reopened."}]
    content = site.feed("/rss", "Harbour Times", entries) and site.routes["/rss"].body
    read = add_feed_content(desk, fetcher, content, "feed", CONFIG)
    assert [i.result.status for i in read.items] == ["added"]
    again = add_feed_content(desk, fetcher, content, "feed", CONFIG, seen=read.seen)
    assert again.items == () and again.seen == read.seen
    assert site.hits["/storm"] == 1  # the page was not fetched again


def test_summary_only_entries_fetch_their_page_and_an_unfetchable_page_skips_the_entry(
    site: Site, fetcher: Fetcher, desk: Newsdesk
) -> None:
    site.page("/storm", "Port Ellis harbour reopens | Harbour Times", STORM, date="2026-03-03")
    site.route("/gone", "<h1>Not found</h1>", status=404)
    site.page("/menu", "Sections", ["Home", "World", "Sport"])
    entries = [
        {"title": "Port Ellis harbour reopens", "link": site.url("/storm"), "summary": "The harbour reopened on Tuesday."},
        {"title": "A vanished story", "link": site.url("/gone"), "summary": "Something happened."},
        {"title": "Only menus", "link": site.url("/menu"), "summary": "A page without an article."},
        {"title": "No link at all", "guid": "x-9", "summary": "Just a summary."},
    ]
    items = add_url(desk, fetcher, site.feed("/rss", "Harbour Times", entries), CONFIG)
    assert _statuses(items) == ["added", "skipped", "skipped", "skipped"]
    article = desk.get_article(items[0].result.id)
    assert article.text == "\n\n".join(STORM) and article.url == site.url("/storm")
    assert article.title == "Port Ellis harbour reopens"
    assert "HTTP 404" in items[1].error and site.url("/gone") in items[1].error
    assert "no article text" in items[2].error
    assert "only a summary and no link" in items[3].error
    assert desk.counts()[0] == 1  # no stub of any skipped entry


def test_atom_and_rss_1_0_feeds_are_read(site: Site, fetcher: Fetcher, desk: Newsdesk) -> None:
    atom = site.feed("/atom", "Valley News", [
        {"title": "Holm school opens", "link": site.url("/school"), "id": "urn:uuid:1", "date": "2026-03-05", "content": _content(SCHOOL)},
    ], kind="atom")  # fmt: skip
    rdf = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="{site.url('/rdf')}"><title>Bridge Weekly</title><link>{site.url('/')}</link><description>x</description>
<items><rdf:Seq><rdf:li rdf:resource="{site.url('/bridge')}"/></rdf:Seq></items></channel>
<item rdf:about="{site.url('/bridge')}"><title>Varne bridge closed</title><link>{site.url('/bridge')}</link>
<dc:date>2026-03-04T08:00:00Z</dc:date><content:encoded><![CDATA[{_content(BRIDGE)}]]></content:encoded></item>
</rdf:RDF>"""
    site.route("/rdf", rdf, content_type="application/rdf+xml")
    (one,) = add_url(desk, fetcher, atom, CONFIG)
    (two,) = add_url(desk, fetcher, site.url("/rdf"), CONFIG)
    school, bridge = desk.get_article(one.result.id), desk.get_article(two.result.id)
    assert (school.source, school.published, school.text) == ("Valley News", "2026-03-05", "\n\n".join(SCHOOL))
    assert (bridge.source, bridge.published, bridge.url) == ("Bridge Weekly", "2026-03-04", site.url("/bridge"))


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "no article"),
        # Broken XML: feedparser reads what it can, and the entry it finds is reported on its own.
        ("<rss version='2.0'><channel><title>x</title><item><title>a</item></channel>", "application/rss+xml", "entry 1: no guid and no link"),
        ("", "application/rss+xml", "not an RSS or Atom feed"),
        ("just words", "application/atom+xml", "not an RSS or Atom feed"),
    ],
)
def test_a_bad_feed_is_one_reported_item_and_stores_nothing(
    site: Site, fetcher: Fetcher, desk: Newsdesk, body: str, content_type: str, reason: str
) -> None:
    (item,) = add_url(desk, fetcher, site.route("/bad", body, content_type=content_type), CONFIG)
    assert item.result is None and reason in item.error
    assert desk.counts()[0] == 0


def test_a_page_url_is_an_article_under_its_canonical_url_and_a_second_fetch_replaces_it(
    site: Site, fetcher: Fetcher, desk: Newsdesk
) -> None:
    canonical = site.url("/news/storm")
    site.page("/news/storm", "Port Ellis harbour reopens", STORM, date="2026-03-03", canonical=canonical)
    site.route("/s/123", "", status=301, headers={"Location": "/news/storm"})
    (first,) = add_url(desk, fetcher, site.url("/s/123"), CONFIG)
    article = desk.get_article(first.result.id)
    assert first.result.status == "added" and article.url == canonical and article.source == "Harbour Times"
    assert article.published == "2026-03-03"
    site.page("/news/storm", "Port Ellis harbour reopens", STORM + ["The mayor thanked the crews."], canonical=canonical)
    (again,) = add_url(desk, fetcher, canonical, CONFIG)
    assert (again.result.status, again.result.id) == ("replaced", first.result.id)
    assert desk.counts()[0] == 1


def test_a_page_without_a_date_in_its_metadata_gets_htmldate_s(site: Site, fetcher: Fetcher, desk: Newsdesk) -> None:
    html = f"""<html><head><title>Varne bridge closed</title></head><body><article><h1>Varne bridge closed</h1>
<p class="byline">Published 4 March 2026</p>{_content(BRIDGE)}</article></body></html>"""
    (item,) = add_url(desk, fetcher, site.route("/2026/03/04/bridge", html), CONFIG)
    assert desk.get_article(item.result.id).published == "2026-03-04"


def test_a_feed_file_is_read_and_its_problems_reported(tmp_path: Path, fetcher: Fetcher, desk: Newsdesk) -> None:
    from tests.ingest_web.site import rss_feed

    path = tmp_path / "desk.rss"
    path.write_text(rss_feed("Harbour Times", [
        {"title": "Holm school opens", "link": "https://news.example/school", "date": "2026-03-05", "content": _content(SCHOOL)},
        {"title": "", "summary": "an entry with neither link nor guid"},
    ]))  # fmt: skip
    items = add_feed_file(desk, fetcher, path, CONFIG)
    assert _statuses(items) == ["added", "skipped"]
    assert "no guid and no link" in items[1].error
    (bad,) = add_feed_file(desk, fetcher, tmp_path / "missing.rss", CONFIG)
    assert "cannot read" in bad.error


def test_uploads_are_read_as_the_cli_reads_files_plus_pdf(desk: Newsdesk) -> None:
    pdf = text_pdf("Holm school opens", SCHOOL, created="20260305")
    outcomes = add_uploads(desk, [
        ("storm.txt", ("Port Ellis harbour reopens\n2026-03-03\n\n" + "\n\n".join(STORM)).encode()),
        ("school.pdf", pdf),
        ("../../etc/bridge.md", ("# Varne bridge closed\n\n" + "\n\n".join(BRIDGE)).encode()),
        ("photo.png", b"\x89PNG\r\n"),
        ("latin.txt", "Caf\xe9 opens\n\nA caf\xe9 opened.".encode("latin-1")),
        ("broken.json", b'{"title": "x",'),
        ("fake.pdf", b"not a pdf at all"),
    ])  # fmt: skip
    errors = {o.path.name: o.error for o in outcomes}
    assert [o.path.name for o in outcomes if not o.error] == ["storm.txt", "school.pdf", "bridge.md"]
    assert "unsupported file type .png" in errors["photo.png"] and ".pdf" in errors["photo.png"]
    assert errors["latin.txt"] == "latin.txt: not UTF-8 text"
    assert "invalid JSON" in errors["broken.json"]
    assert errors["fake.pdf"] == "fake.pdf: not a PDF file"
    school = desk.get_article("school")
    assert (school.title, school.published, school.text) == ("Holm school opens", "2026-03-05", "\n\n".join(SCHOOL))
    assert desk.get_article("bridge").title == "Varne bridge closed"  # the name without its folders
