"""Lexical search ranks alike on both backends: PostgreSQL computes BM25 over FTS5's tokens as FTS5 does.

One corpus of a few dozen varied passages (stems, hyphens, apostrophes, numbers,
diacritics, other scripts, titles, repeats, an exact duplicate) is stored in both
backends; each query, searched with the lexical half alone, must give the same
passages in the same order, and every word the same document frequency.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psycopg
import pytest

from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.config import PostgresConfig
from newsdesk.index.postgres.lexical_plan import plan_lexical
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.pipeline.storage import SearchRequest, Store
from newsdesk.qa.retrieval.filters import PassageFilter
from newsdesk.qa.retrieval.fusion import RetrievalConfig
from newsdesk.qa.types import ArticleDraft
from tests.conftest import HashingEmbedder
from tests.postgres.test_store_contract import BODY, FLOOD

LONG_BUDGET = " ".join(
    f"Section {n} of the budget covers {topic}, and the council debated it for {n + 1} hours before a vote."
    for n, topic in enumerate(["roads", "schools", "parks", "libraries", "water", "housing", "buses", "police", "fire"])
)
ARTICLES = [
    ArticleDraft(title="Council passes budget", text=BODY, id="budget", published="2025-03-01", source="Gazette"),
    ArticleDraft(title="Flood in the north", text=FLOOD, id="flood", published="2024-04-04", source="Wire"),
    ArticleDraft(title="Flood in the north", text=FLOOD, id="flood-copy", published="2024-04-05", source="Wire"),
    ArticleDraft(title="Budget hearings drag on", text=LONG_BUDGET, id="hearings", published="2025-02-20", source="Gazette"),
    ArticleDraft(
        title="Café owners protest in São Paulo",
        text="Owners of a café in São Paulo and a naïve résumé writer from Zürich joined the protest. "
        "The cafe owners said rents rose 3.5 per cent. Cafés across Zurich closed early.",
        id="cafe", published="2025-01-15", source="Wire",
    ),
    ArticleDraft(
        title="COVID-19 vaccine rollout",
        text="The COVID-19 vaccine reached 3.5 million people. A covid test costs 19 dollars. "
        "Officials will e-mail every patient; the email lists the clinic. Covid cases fell in 2024.",
        id="covid", published="2025-02-02", source="Health Desk",
    ),
    ArticleDraft(
        title="Runners run the city marathon",
        text="Thousands ran the marathon on Sunday. The running club says running is booming, and the winner runs daily. "
        "A runner from Kenya won.",
        id="marathon", published="2024-10-12", source="Sport",
    ),
    ArticleDraft(
        title="Election results",
        text="Turnout was the highest in decades. Counting went on until dawn in every district.",
        id="election", published="2025-05-05", source="Gazette",
    ),
    ArticleDraft(
        title="O'Brien wins the U.S. open",
        text="Sean O'Brien didn't expect to win. \"I don't believe it,\" O'Brien said after the U.S. final. "
        "The trophy_case in the club_house now holds his cup.",
        id="obrien", published="2025-06-01", source="Sport",
    ),
    ArticleDraft(
        title="Port figures",
        text="The port handled 10,000 containers in 2024, up from 9,500. Revenue reached $1.5bn. "
        "The state-of-the-art crane is well-known across the region.",
        id="port", published="2025-01-03", source="Business",
    ),
    ArticleDraft(
        title="Cities abroad",
        text="Athens (Αθήνα) and Moscow (Москва) signed a deal with Tokyo (東京). "
        "The mayor of Athens flew to Moscow, then to Tokyo and on to Bora Bora Bora Bora for a rest.",
        id="cities", published="2025-03-09", source="Wire",
    ),
    ArticleDraft(
        title="A budget for the river",
        text="The river authority asked the council for a budget. River levels rose, the river flooded, "
        "and families along the river left their homes. " + FLOOD,
        id="river", published="2024-04-06", source="Gazette",
    ),
]
TOWNS = ["Riverside", "Hillcrest", "Lakeview", "Oakford", "Millbrook", "Stonebridge", "Ashby", "Fenwick"]
TOPICS = ["budget", "school", "flood defences", "bus routes", "library", "housing"]
BRIEFS = [
    ArticleDraft(
        title=f"{town} council on {topic}",
        text=f"The {town} council met on day {n} to discuss {topic}. " * (1 + n % 3)
        + f"Residents asked about the {TOPICS[(n + 1) % len(TOPICS)]} too, and the mayor promised an answer. "
        + "The river was calm. " * (n % 2),
        id=f"brief-{n}", published=f"2025-0{1 + n % 6}-1{n % 10}", source=["Gazette", "Wire"][n % 2],
    )
    for n, (town, topic) in enumerate((town, topic) for town in TOWNS for topic in TOPICS[: 1 + TOWNS.index(town) % 4])
]
QUERIES = [
    ("budget",),
    ("budget", "council"),
    ("riverside", "council", "housing"),
    ("lakeview",),
    ("flood", "defences"),
    ("council", "budget", "schools", "roads"),
    ("river", "flood", "families"),
    ("flood",),
    ("covid-19",),
    ("covid",),
    ("19",),
    ("3.5",),
    ("café",),
    ("cafe", "zurich"),
    ("naïve", "résumé"),
    ("running",),
    ("ran", "runner"),
    ("run", "running"),
    ("o'brien",),
    ("don't", "didn't"),
    ("u.s",),
    ("election",),
    ("the",),
    ("trophy_case",),
    ("state-of-the-art", "well-known"),
    ("1.5bn", "10,000"),
    ("москва", "αθήνα"),
    ("東京",),
    ("bora-bora", "tokyo"),
    ("budget", "budget"),
    ("__", "budget"),
    ("zebra",),
]
WORDS = [word for terms in QUERIES for word in terms] + ["__", "", '"', "Budget", "RIVER", "clinic", "trophy"]
LEXICAL_ONLY = RetrievalConfig(dense_k=0, lexical_k=100)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, postgres_server: object) -> Iterator[dict[str, Store]]:
    """The corpus in each backend, written in the same order (so ties fall by passage id alike).

    The PostgreSQL copy has a database of its own: the module's is emptied before each test that asks for it.
    """
    with psycopg.connect(postgres_server.get_uri(), autocommit=True) as conn:  # type: ignore[attr-defined]
        conn.execute("DROP DATABASE IF EXISTS newsdesk_lexical WITH (FORCE)")
        conn.execute("CREATE DATABASE newsdesk_lexical")
    model = HashingEmbedder()
    embedded = Newsdesk(Path(tmp_path_factory.mktemp("lexical")) / "data", model)
    database = Newsdesk.over(PostgresStore(postgres_server.get_uri(database="newsdesk_lexical")), model)  # type: ignore[attr-defined]
    for desk in (embedded, database):
        for article in ARTICLES:
            desk.add_article(article)
        desk.add_articles(BRIEFS)
    yield {"embedded": embedded._store, "postgres": database._store}
    embedded.close()
    database.close()
    with psycopg.connect(postgres_server.get_uri(), autocommit=True) as conn:  # type: ignore[attr-defined]
        conn.execute("DROP DATABASE newsdesk_lexical WITH (FORCE)")


def lexical_ranking(store: Store, terms: tuple[str, ...], filters: PassageFilter | None = None) -> list[tuple[str, int]]:
    """``(article id, ordinal)`` of every passage the lexical half finds, best first (it is the only ranking)."""
    vector = np.zeros(HashingEmbedder().dimension, dtype=np.float32)
    ranked = store.search(SearchRequest(vector, terms, filters or PassageFilter(), 100, LEXICAL_ONLY))
    ranks = [c.lexical_rank for c, _ in ranked]
    assert None not in ranks and ranks == sorted(ranks)  # type: ignore[type-var]
    return [(s.passage.article_id, s.passage.ordinal) for _, s in ranked]


def test_the_corpus_has_a_few_dozen_passages(stores: dict[str, Store]) -> None:
    assert stores["embedded"].counts() == stores["postgres"].counts()
    assert 30 <= stores["postgres"].counts()[1] <= 60


@pytest.mark.parametrize("terms", QUERIES, ids=[" ".join(terms) for terms in QUERIES])
def test_lexical_search_ranks_alike(stores: dict[str, Store], terms: tuple[str, ...]) -> None:
    expected = lexical_ranking(stores["embedded"], terms)
    assert lexical_ranking(stores["postgres"], terms) == expected


def test_queries_find_what_they_should(stores: dict[str, Store]) -> None:
    """The table above is not vacuous: words split, stem, fold and match titles as in FTS5."""
    found = {terms: {a for a, _ in lexical_ranking(stores["postgres"], terms)} for terms in QUERIES}
    assert found[("covid-19",)] == {"covid"}
    assert found[("19",)] == {"covid", "brief-19"}  # "covid-19" is a phrase: covid, then 19
    assert found[("café",)] == found[("cafe", "zurich")] == {"cafe"}
    assert found[("ran", "runner")] == found[("running",)] == {"marathon"}
    assert found[("election",)] == {"election"}  # in its title only
    assert found[("москва", "αθήνα")] == found[("東京",)] == {"cities"}
    assert found[("zebra",)] == set()
    flood = lexical_ranking(stores["postgres"], ("flood",))
    assert flood.index(("flood-copy", 0)) == flood.index(("flood", 0)) + 1  # the same text: a tie, by passage id


@pytest.mark.parametrize(
    "filters",
    [PassageFilter.build(None, None, "wire"), PassageFilter.build("2025-01-01", None, None)],
    ids=["source", "since"],
)
def test_filtered_lexical_search_ranks_alike(stores: dict[str, Store], filters: PassageFilter) -> None:
    for terms in [("budget", "river", "flood"), ("the",)]:
        expected = lexical_ranking(stores["embedded"], terms, filters)
        assert expected and lexical_ranking(stores["postgres"], terms, filters) == expected


def test_document_frequencies_agree(stores: dict[str, Store]) -> None:
    expected = stores["embedded"].document_frequencies(WORDS)
    assert stores["postgres"].document_frequencies(WORDS) == expected
    assert expected["budget"] > 1 and expected["Budget"] == expected["budget"] and expected["__"] == 0


def test_passage_lengths_are_summed_through_replaces_and_removals(postgres_url: str) -> None:
    store = PostgresStore(postgres_url)
    desk = Newsdesk.over(store, HashingEmbedder())
    for article in ARTICLES[:4]:
        desk.add_article(article)
    desk.add_article(ArticleDraft(title="Budget revised", text=FLOOD, id="budget"))
    desk.remove_article("flood")
    with psycopg.connect(postgres_url) as conn:
        state = conn.execute("SELECT passages, tokens FROM newsdesk_state").fetchone()
        summed = conn.execute("SELECT count(*), sum(tokens) FROM newsdesk_passages").fetchone()
    desk.close()
    assert state == summed and state[1] > 0


@pytest.mark.parametrize("terms", [("budget", "river", "flood"), ("council", "budget", "vote"), ("the", "cafe")])
def test_past_the_scan_limit_the_rarest_words_choose_and_every_word_scores(
    stores: dict[str, Store], postgres_server: object, terms: tuple[str, ...]
) -> None:
    """With a tiny scan limit only passages holding the rarest words are ranked, in FTS5's order by the full score."""
    url = postgres_server.get_uri(database="newsdesk_lexical")  # type: ignore[attr-defined]
    pruned = PostgresStore(url, PostgresConfig(lexical_scan_limit=4))
    try:
        frequencies = stores["embedded"].document_frequencies(terms)
        plan = plan_lexical([frequencies[t] for t in terms], stores["embedded"].counts()[1], 4)
        assert not plan.complete  # the limit does cut
        scanned = tuple(terms[i] for i in plan.scanned)
        holding = set(lexical_ranking(stores["embedded"], scanned))
        expected = [p for p in lexical_ranking(stores["embedded"], terms) if p in holding]
        assert expected and lexical_ranking(pruned, terms) == expected
    finally:
        pruned.close()


def _store_with(postgres_server: object, config: PostgresConfig) -> PostgresStore:
    store = PostgresStore(postgres_server.get_uri(database="newsdesk_lexical"), config)  # type: ignore[attr-defined]
    store.check_model(HashingEmbedder().name, HashingEmbedder().dimension)
    return store


@pytest.mark.parametrize("terms", QUERIES, ids=[" ".join(terms) for terms in QUERIES])
def test_candidates_from_every_posting_rank_as_fts5_ranks(
    stores: dict[str, Store], postgres_server: object, terms: tuple[str, ...]
) -> None:
    """Taken from the postings (every posting read, every candidate rescored), the ranking is FTS5's."""
    store = _store_with(postgres_server, PostgresConfig(postings_above=0, postings_per_token=1000, postings_rescore=1000))
    try:
        assert lexical_ranking(store, terms) == lexical_ranking(stores["embedded"], terms)
    finally:
        store.close()


@pytest.mark.parametrize("terms", [("budget", "river", "flood"), ("council", "the"), ("covid-19", "cafe", "run")])
def test_the_best_candidates_by_impact_are_ranked_in_fts5s_order(
    stores: dict[str, Store], postgres_server: object, terms: tuple[str, ...]
) -> None:
    """Few rescored: the passages kept are ranked by their full score, as FTS5 ranks them."""
    store = _store_with(postgres_server, PostgresConfig(postings_above=0, postings_per_token=2, postings_rescore=3))
    try:
        got = lexical_ranking(store, terms)
        exact = lexical_ranking(stores["embedded"], terms)
        assert 1 <= len(got) <= 3 and got == [p for p in exact if p in got]
    finally:
        store.close()
