"""Several threads writing and asking at once, against both backends: whole articles, verbatim quotes, right counts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from newsdesk.desk import Newsdesk
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.ingest.chunking import split_into_passages
from newsdesk.qa.types import Answer
from tests.conftest import HashingEmbedder
from tests.postgres.crash_writer import crash_article

WRITERS = 3
ASKERS = 3
PER_WRITER = 8


def test_questions_during_adds_replaces_and_removes(open_desk: Callable[..., Newsdesk]) -> None:
    desk = open_desk(HashingEmbedder())
    versions: dict[str, set[str]] = {}  # every text an article id was ever written with
    lock = threading.Lock()
    writing = threading.Event()
    writing.set()
    asked = [0] * ASKERS

    def check(answer: Answer) -> None:
        for quote in answer.quotes:
            try:
                text = desk.get_article(quote.article_id).text
            except NotFoundError:  # removed since: the quote must come from a version that was stored
                with lock:
                    texts = versions[quote.article_id]
                assert any(t[quote.start : quote.end] == quote.text for t in texts), quote
                continue
            if text[quote.start : quote.end] != quote.text:  # replaced since: an older version
                with lock:
                    texts = versions[quote.article_id]
                assert any(t[quote.start : quote.end] == quote.text for t in texts), quote

    def writer(number: int) -> None:
        for i in range(PER_WRITER):
            n = number * 100 + i
            draft = crash_article(f"w{number}-{i}", n)
            with lock:
                versions.setdefault(draft.id or "", set()).add(draft.text)
            desk.add_article(draft)
            if i % 3 == 1:  # replace an earlier one with other text
                again = crash_article(f"w{number}-{i - 1}", n + 50)
                with lock:
                    versions.setdefault(again.id or "", set()).add(again.text)
                assert desk.add_article(again).status == "replaced"
            if i % 3 == 2:
                desk.remove_article(f"w{number}-{i}")

    def asker(number: int) -> None:
        turn = 0
        while writing.is_set() or turn < 3:
            check(desk.ask(f"How many boats did the harbour count in report {number * 100 + turn % PER_WRITER}?"))
            asked[number] += 1
            turn += 1

    with ThreadPoolExecutor(max_workers=WRITERS + ASKERS) as pool:
        askers = [pool.submit(asker, n) for n in range(ASKERS)]
        writers = [pool.submit(writer, n) for n in range(WRITERS)]
        try:
            for future in writers:
                future.result()
        finally:
            writing.clear()
        for future in askers:
            future.result()
    assert min(asked) >= 3

    removed = {f"w{w}-{i}" for w in range(WRITERS) for i in range(PER_WRITER) if i % 3 == 2}
    expected = {f"w{w}-{i}" for w in range(WRITERS) for i in range(PER_WRITER)} - removed
    listed = desk.list_articles(limit=1000)
    assert {a.id for a in listed} == expected
    for summary in listed:
        text = desk.get_article(summary.id).text
        assert summary.passages == len(split_into_passages(summary.id, text, desk._config.chunking)), summary.id
    assert desk.counts() == (len(expected), sum(a.passages for a in listed))
    assert desk.vector_count() == desk.counts()[1]
