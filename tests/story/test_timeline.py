"""Timelines: the dated quotes most about a query, one per event, in date order, grouped by day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.desk import Newsdesk
from newsdesk.qa.answering.scoring import ScoredSentence
from newsdesk.qa.errors import QueryError
from newsdesk.qa.story.timeline import TimelineConfig, timeline_from_sentences
from newsdesk.qa.types import Passage, StoredPassage


def _sentence(
    article: str, published: str | None, text: str, score: float, start: int = 0, overlap: float = 1.0, source: str = "Wire"
) -> ScoredSentence:
    passage = Passage(article, 0, start, start + len(text), text, id=hash(article) % 1000)
    stored = StoredPassage(passage, f"Title of {article}", f"https://example.com/{article}", published, source)
    return ScoredSentence(stored, start, start + len(text), text, 0.5, 0.5, overlap, 1, 0.0, 0.0, score)


def test_entries_come_in_date_order_grouped_by_day_one_per_article() -> None:
    scored = [
        _sentence("b", "2025-06-02", "The second round of talks ended with a deal on prisoners.", 2.0),
        _sentence("a", "2025-05-16", "The first round of talks met in the palace for two hours.", 1.8),
        _sentence("a", "2025-05-16", "Delegates of the first round spoke to reporters in the evening.", 1.7, start=300),
        _sentence("c", "2025-06-02", "Officials of both sides described the talks as businesslike today.", 1.5),
    ]
    timeline = timeline_from_sentences("the talks", scored, limit=10)
    assert [day.date for day in timeline.days] == ["2025-05-16", "2025-06-02"]
    assert [e.article_id for e in timeline.entries] == ["a", "b", "c"]
    assert timeline.entries[0].text == "The first round of talks met in the palace for two hours."
    assert [len(day.entries) for day in timeline.days] == [1, 2]


def test_syndicated_copies_are_one_entry_naming_the_other_source() -> None:
    text = "Russia and Ukraine agreed on Monday to release all severely wounded prisoners of war."
    scored = [
        _sentence("wire", "2025-06-02", text, 2.0, source="Reuters"),
        _sentence("copy", "2025-06-02", text, 1.9, source="Daily Post"),
    ]
    (entry,) = timeline_from_sentences("prisoners", scored, limit=10).entries
    assert (entry.article_id, entry.also_reported_by) == ("wire", ("Daily Post",))


def test_undated_off_topic_and_weak_sentences_are_left_out_and_the_limit_keeps_the_best() -> None:
    scored = [
        _sentence("best", "2025-03-01", "The summit opened with a speech about defence spending.", 2.0),
        _sentence("undated", None, "The summit was held in a forum in the city centre hall.", 1.9),
        _sentence("offtopic", "2025-03-02", "Weather in the capital stayed mild during the whole week.", 1.9, overlap=0.0),
        _sentence("weak", "2025-03-03", "Observers said the gathering was shorter than in past years.", 0.5),
        _sentence("second", "2025-02-01", "Preparations for the summit began with a meeting of envoys.", 1.6),
        _sentence("third", "2025-01-01", "The summit date was first announced by the host government.", 1.2),
    ]
    timeline = timeline_from_sentences("the summit", scored, limit=2, config=TimelineConfig(min_score_share=0.5))
    assert [e.article_id for e in timeline.entries] == ["second", "best"]


def test_the_lead_tells_an_articles_own_event() -> None:
    scored = [
        _sentence("june", "2025-06-02", "The first round took place in Istanbul on May 16.", 2.0, start=900),
        _sentence("june", "2025-06-02", "ISTANBUL: The second round of talks ended with a deal.", 1.8, start=0),
    ]
    (entry,) = timeline_from_sentences("Istanbul talks", scored, limit=5).entries
    assert entry.start == 0


def test_nothing_about_the_query_is_an_empty_timeline() -> None:
    assert timeline_from_sentences("x", [], limit=5).days == ()


def test_the_istanbul_talks_over_the_seeds_list_the_rounds_in_date_order(seed_desk: Newsdesk) -> None:
    timeline = seed_desk.timeline("the Istanbul talks")
    ids = [e.article_id for e in timeline.entries]
    rounds = [
        "002_embassy_talks_istanbul_feb", "005_embassy_talks_istanbul_april",
        "006_russia_ukraine_talks_istanbul_may", "009_russia_ukraine_talks_istanbul_june",
    ]
    assert all(r in ids for r in rounds), ids
    assert [i for i in ids if i in rounds] == rounds
    dates = [e.published for e in timeline.entries]
    assert dates == sorted(dates) and [d.date for d in timeline.days] == sorted({d for d in dates if d})
    for entry in timeline.entries:
        article = seed_desk.get_article(entry.article_id)
        assert article.text[entry.start : entry.end] == entry.text
        assert (entry.title, entry.published, entry.url) == (article.title, article.published, article.url)


def test_filters_and_limit_shape_the_seed_timeline(seed_desk: Newsdesk) -> None:
    timeline = seed_desk.timeline("the Istanbul talks", since="2025-05-01", until="2025-06-10", limit=2)
    assert 1 <= len(timeline.entries) <= 2
    assert all("2025-05-01" <= (e.published or "") <= "2025-06-10" for e in timeline.entries)
    assert seed_desk.timeline("the Istanbul talks", source="no such source").days == ()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query": "  "}, "empty"),
        ({"query": "talks", "limit": 0}, "limit"),
        ({"query": "talks", "limit": 10_000}, "limit"),
        ({"query": "talks", "since": "2025-13-01"}, "since"),
        ({"query": "talks", "since": "2025-06-01", "until": "2025-05-01"}, "since"),
    ],
)
def test_bad_timeline_requests_are_query_errors(seed_desk: Newsdesk, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        seed_desk.timeline(**kwargs)  # type: ignore[arg-type]


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from newsdesk.cli.main import main

    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_newsdesk_timeline_prints_days_and_json(
    writable_seed_dir: Path, embedder: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", lambda config: embedder)
    base = ["timeline", "the Istanbul talks", "--data-dir", str(writable_seed_dir), "--no-server"]
    status, out, _ = _cli([*base, "--json", "--since", "2025-04-01", "--limit", "3"], capsys)
    assert status == 0
    body = json.loads(out)
    entries = [e for d in body["days"] for e in d["entries"]]
    assert 1 <= len(entries) <= 3 and all(e["published"] >= "2025-04-01" for e in entries)
    status, out, _ = _cli(base, capsys)
    lines = out.splitlines()
    assert status == 0 and lines[0] == "2025-02-28" and "2025-06-02" in lines
    assert "ISTANBUL: Russia and Ukraine agreed on Monday" in out


@pytest.mark.parametrize("extra", [["--limit", "0"], ["--limit", "1000"], ["--until", "2025-01-01", "--since", "2025-02-01"]])
def test_newsdesk_timeline_refuses_bad_options_with_one_line(
    writable_seed_dir: Path, embedder: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    extra: list[str],
) -> None:
    monkeypatch.setattr("newsdesk.qa.embedding.factory.load_embedder", lambda config: embedder)
    status, out, err = _cli(["timeline", "talks", "--data-dir", str(writable_seed_dir), "--no-server", *extra], capsys)
    assert (status, out) == (2, "") and err.startswith("error: ") and len(err.strip().splitlines()) == 1
