"""Many threads on one Newsdesk: questions during adds and removes, concurrent HTTP adds, the write lock."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from newsdesk import cli
from newsdesk.desk import Newsdesk
from newsdesk.index.datadir import STORE_FILE
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.errors import IndexLockedError, NotFoundError
from newsdesk.qa.ingest.chunking import split_into_passages
from newsdesk.qa.ingest.cleaning import clean_text
from newsdesk.qa.ingest.sentences import split_sentences
from newsdesk.qa.types import Answer, ArticleDraft

ANIMALS = ("otter", "heron", "badger", "lynx", "falcon", "marmot", "gecko", "ibis", "stoat", "puffin")
TOWNS = ("Belbrook", "Corwick", "Dunmere", "Fenholt", "Galthorpe", "Harcombe", "Kelford", "Morvale",
         "Nesbury", "Ostgate", "Pilworth", "Quenstead", "Rosdale", "Tamholm", "Velmoor", "Wyrlock")
SEED_QUESTIONS = (
    "Who is Russia's new ambassador to the United States?",
    "Where did Lavrov and Rubio meet?",
    "What did the European Union's sanctions package target?",
)
ASKERS = 3


def town_article(number: int) -> ArticleDraft:
    """A small article (two or three passages) with one made-up fact, distinct for each number."""
    town, animal = TOWNS[number], ANIMALS[number % len(ANIMALS)]
    sentences = [
        f"The mascot of {town} is a {animal} named Pip{number}.",
        f"Residents of {town} chose the {animal} at a crowded meeting in the old corn exchange on Tuesday.",
        f"The council of {town} said the vote drew more people than any local election in the last ten years.",
        f"A painter from {town} will put the {animal} on the wooden sign that greets visitors by the river road.",
        f"Children at the {town} primary school had campaigned for the {animal} since the start of the spring term.",
        f"The losing candidates in {town}, a hedgehog and a kingfisher, will appear on a mural by the library instead.",
        f"Shops in {town} have already ordered mugs, tea towels and badges that show the {animal} wearing a scarf.",
        f"The mayor of {town} promised that the {animal} would lead the summer parade through the market square.",
        f"Some older residents of {town} wrote to the paper to say they had preferred the kingfisher all along.",
        f"A vote on a name for the new footbridge in {town} will follow in the autumn, the council said.",
    ]
    return ArticleDraft(title=f"{town} picks a {animal} as its mascot", text=" ".join(sentences),
                        published="2025-06-01", source="Town Gazette", id=f"town-{number}")


def expected_passages(desk: Newsdesk, draft: ArticleDraft) -> int:
    assert draft.id is not None
    return len(split_into_passages(draft.id, clean_text(draft.text), desk._config.chunking))


def half_present_articles(store_path: Path, expected: dict[str, int]) -> list[str]:
    """Articles that a separate reader sees with some but not all of their rows, in one consistent read."""
    db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=30.0)
    try:
        rows = db.execute(
            """SELECT a.id,
                      (SELECT COUNT(*) FROM passages p WHERE p.article_id = a.id),
                      (SELECT COUNT(*) FROM passages_fts f
                        WHERE f.rowid IN (SELECT id FROM passages p WHERE p.article_id = a.id)),
                      (SELECT COUNT(*) FROM sentences s WHERE s.article_id = a.id)
               FROM articles a
               UNION ALL SELECT '(orphan passages)', COUNT(*), 0, 1
                         FROM passages WHERE article_id NOT IN (SELECT id FROM articles)"""
        ).fetchall()
    finally:
        db.close()
    broken = []
    for article_id, passages, fts_rows, sentences in rows:
        if article_id == "(orphan passages)":
            if passages:
                broken.append(f"{passages} orphan passages")
        elif article_id in expected and (passages, fts_rows) != (expected[article_id], expected[article_id]):
            broken.append(f"{article_id}: {passages} passages, {fts_rows} FTS rows, expected {expected[article_id]}")
        elif not passages or not sentences:
            broken.append(f"{article_id}: {passages} passages, {sentences} sentences")
    return broken


def assert_whole_in_index(desk: Newsdesk, article_id: str, expected: int) -> None:
    """The article's passages are all stored, each with sentence vectors and a FAISS vector."""
    db = sqlite3.connect(f"file:{desk.data_dir / STORE_FILE}?mode=ro", uri=True, timeout=30.0)
    try:
        ids = [row[0] for row in db.execute("SELECT id FROM passages WHERE article_id = ?", (article_id,))]
    finally:
        db.close()
    assert len(ids) == expected, f"{article_id} has {len(ids)} of {expected} passages"
    assert {pid for pid, _ in desk._store.articles.passage_sentence_vectors(ids)} == set(ids)
    assert set(ids) <= set(desk._store.vectors.ids().tolist())


def run_together(*jobs: Callable[[], None]) -> None:
    """Run the jobs in threads at once and re-raise the first failure in any of them."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(job) for job in jobs]
    for future in futures:
        future.result()


def test_questions_during_adds_and_removes_see_whole_articles_and_verbatim_quotes(
    writable_seed_dir: Path, embedder: SentenceTransformerEmbedder
) -> None:
    desk = Newsdesk(writable_seed_dir, embedder)
    drafts = [town_article(n) for n in range(15)]
    expected = {d.id: expected_passages(desk, d) for d in drafts if d.id}
    assert min(expected.values()) >= 2, "articles must span several passages for 'half an article' to mean anything"
    removed_ids = {"town-1", "town-4", "town-8", "town-13"}
    known_text: dict[str, str] = {}
    being_removed: set[str] = set()
    quoted: set[str] = set()
    writing = threading.Event()
    writing.set()
    asks_during_writes = [0] * ASKERS
    half_seen: list[str] = []

    def check(answer: Answer) -> None:
        for quote in answer.quotes:
            quoted.add(quote.article_id)
            try:
                text = desk.get_article(quote.article_id).text
            except NotFoundError:
                assert quote.article_id in being_removed, f"quote from {quote.article_id}, which is not stored"
                text = known_text[quote.article_id]
            assert text[quote.start : quote.end] == quote.text, f"quote from {quote.article_id} is not verbatim"

    def asker(number: int) -> Callable[[], None]:
        def ask_while_writing() -> None:
            questions = [f"What is the mascot of {t}?" for t in TOWNS[:15]] + list(SEED_QUESTIONS)
            turn = number
            while writing.is_set():
                check(desk.ask(questions[turn % len(questions)], top_k=5))
                asks_during_writes[number] += 1
                turn += ASKERS
        return ask_while_writing

    def writer() -> None:
        try:
            for draft in drafts:
                assert desk.add_article(draft).status == "added"
                known_text[draft.id or ""] = desk.get_article(draft.id or "").text
                if draft.id in ("town-5", "town-10", "town-14"):
                    for article_id in sorted(removed_ids & set(known_text) - being_removed):
                        being_removed.add(article_id)
                        assert desk.remove_article(article_id) == expected[article_id]
        finally:
            writing.clear()

    def watcher() -> None:
        while writing.is_set():
            half_seen.extend(half_present_articles(writable_seed_dir / STORE_FILE, expected))
            time.sleep(0.01)

    try:
        run_together(writer, watcher, *(asker(n) for n in range(ASKERS)))
        assert half_seen == []
        assert all(asks_during_writes), f"every asker must have asked while articles were written: {asks_during_writes}"
        assert quoted & set(expected), "no question was answered from an article added during the run"

        assert being_removed == removed_ids
        for article_id in quoted:
            if article_id in removed_ids:
                with pytest.raises(NotFoundError):
                    desk.get_article(article_id)
            elif article_id in expected:
                assert_whole_in_index(desk, article_id, expected[article_id])
        articles, passages = desk.counts()
        assert articles == 14 + len(expected) - len(removed_ids)
        assert passages == len(desk._store.vectors)
        assert np.array_equal(np.sort(desk._store.vectors.ids()), desk._store.articles.passage_ids())
        assert half_present_articles(writable_seed_dir / STORE_FILE, expected) == []

        # The writes really took effect: a kept article answers, a removed one is gone from answers.
        assert any(q.article_id == "town-6" for q in desk.ask("What is the mascot of Kelford?").quotes)
        assert not any(q.article_id == "town-1" for q in desk.ask("What is the mascot of Corwick?").quotes)
    finally:
        desk.close()


def test_an_article_replaced_while_a_question_reads_it_gives_no_mangled_quote(
    writable_seed_dir: Path, embedder: SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replace that lands between reading a passage and reading its sentences (forced here, rare in life)."""
    before = " ".join(f"Report {i} says the mascot of Belbrook is an otter, in the first version." for i in range(8))
    after = "A short intro. " + " ".join(f"Line {i} of the new text gives Belbrook a heron." for i in range(6))
    desk = Newsdesk(writable_seed_dir, embedder)
    try:
        versions = []
        for text in (after, before):  # ends holding `before`
            desk.add_article(ArticleDraft(title="Belbrook mascot", text=text, id="belbrook"))
            versions.append(desk.get_article("belbrook").text)
        sentences_of = desk._store.sentences_of_passages
        replaced = []

        def replace_first(ids):  # type: ignore[no-untyped-def]
            if not replaced:
                replaced.append(desk.add_article(ArticleDraft(title="Belbrook mascot", text=after, id="belbrook")))
            return sentences_of(ids)

        monkeypatch.setattr(desk._store, "sentences_of_passages", replace_first)
        answer = desk.ask("What is the mascot of Belbrook?", top_k=10)
        assert replaced and replaced[0].status == "replaced"
        spans = {(s, e, text[s:e]) for text in versions for s, e in split_sentences(text)}
        for quote in answer.quotes:
            if quote.article_id == "belbrook":
                assert (quote.start, quote.end, quote.text) in spans, f"mangled quote {quote.text!r}"
    finally:
        desk.close()


def test_two_concurrent_posts_both_succeed_and_are_stored(client: TestClient) -> None:
    before = client.get("/health").json()
    drafts = [town_article(3), town_article(9)]
    bodies = [{"title": d.title, "text": d.text, "id": d.id, "published": d.published} for d in drafts]
    start = threading.Barrier(2)
    responses: dict[str, int] = {}

    def post(body: dict[str, object]) -> Callable[[], None]:
        def send() -> None:
            start.wait(timeout=30)
            responses[str(body["id"])] = client.post("/articles", json=body).status_code
        return send

    run_together(*(post(b) for b in bodies))

    assert responses == {"town-3": 201, "town-9": 201}
    for body in bodies:
        stored = client.get(f"/articles/{body['id']}")
        assert stored.status_code == 200 and stored.json()["title"] == body["title"]
    after = client.get("/health").json()
    assert after["articles"] == before["articles"] + 2
    assert after["passages"] == after["vectors"] > before["passages"]


def test_a_second_writer_is_refused_while_one_holds_the_index(
    writable_seed_dir: Path, embedder: SentenceTransformerEmbedder, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    article = tmp_path / "harbour-news.txt"
    article.write_text("Harbour reopens\n\nThe harbour at Skerry Point reopened on Monday after a storm.\n")
    # The CLI loads its own model; hand it the session's (the lock, not the model, is under test).
    monkeypatch.setattr("newsdesk.qa.embedding.sentence_transformer.SentenceTransformerEmbedder", lambda config=None: embedder)
    holder = Newsdesk(writable_seed_dir, embedder)
    try:
        for _ in range(2):  # a refused attempt must not release the holder's lock on its way out
            with pytest.raises(IndexLockedError, match="locked by another process"):
                Newsdesk(writable_seed_dir, embedder)
        reader = Newsdesk(writable_seed_dir, embedder, writer=False)
        assert reader.counts() == holder.counts()
        reader.close()

        capsys.readouterr()
        assert cli.main(["add", "--data-dir", str(writable_seed_dir), str(article)]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert len(err.strip().splitlines()) == 1 and "locked by another process" in err
        still_writable = ArticleDraft(title="Still writable", text="The holder can still write.")
        assert holder.add_article(still_writable).status == "added"
    finally:
        holder.close()

    assert cli.main(["add", "--data-dir", str(writable_seed_dir), str(article)]) == 0
    assert "1 added" in capsys.readouterr().out
