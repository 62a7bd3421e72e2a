"""Composed answers: several verbatim sentences, each cited, for lists, summaries, whys and comparisons."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsdesk.desk import Newsdesk
from newsdesk.qa.answering.scoring import ScoredSentence
from newsdesk.qa.story.compose import ComposeConfig, compose_answer, topic_weights
from newsdesk.qa.types import Answer, Passage, Quote, ShortAnswer, StoredPassage


def _sentence(article: str, published: str, text: str, score: float, start: int = 100, title: str = "") -> ScoredSentence:
    passage = Passage(article, 0, 0, 5000, "x" * 5000, id=1)
    stored = StoredPassage(passage, title or f"About {article}", f"https://example.com/{article}", published, "Wire")
    return ScoredSentence(stored, start, start + len(text), text, 0.6, 0.5, 0.5, 1, 0.0, 0.0, score)


def _quote(s: ScoredSentence, score: float = 0.0) -> Quote:
    p = s.source
    return Quote(s.text, p.passage.article_id, p.title, p.url, p.published, p.source, s.start, s.end, score)


def _check_citations(answer: Answer) -> None:
    assert answer.answer_kind == "composed" and answer.answer is not None
    for number, citation in enumerate(answer.citations, start=1):
        assert citation.quote == number - 1
        assert answer.answer[citation.start : citation.end] == answer.quotes[citation.quote].text
        assert answer.answer[citation.end : citation.end + len(f" [{number}]")] == f" [{number}]"
    covered = sum(c.end - c.start for c in answer.citations) + sum(len(f" [{n}]") for n in range(1, len(answer.citations) + 1))
    assert covered + len(answer.citations) - 1 == len(answer.answer)  # nothing but quotes, marks and spaces


WEIGHTS = {"summit": 2.0, "leader": 1.0, "summarise": 4.0}
SCORED = [
    _sentence("later", "2025-06-18", "The summit leaders left without a joint statement on trade.", 1.5, start=0),
    _sentence("earlier", "2025-06-16", "The summit opened with leaders arriving in the mountains.", 1.4, start=0),
    _sentence("copy", "2025-06-18", "The summit leaders left without a joint statement on trade today.", 1.45, start=0),
    _sentence("other", "2025-06-17", "Markets were calm on the day the leaders met at the summit.", 1.0, start=900),
    _sentence("offtopic", "2025-06-17", "Rain fell across the region all week.", 1.6),
]


def test_a_summary_cites_non_redundant_sentences_in_time_order() -> None:
    abstained = Answer("Summarise the summit", None, 0.1, (), message="No supported answer.", answer_kind="none")
    answer = compose_answer(abstained, SCORED, WEIGHTS)
    _check_citations(answer)
    ids = [q.article_id for q in answer.quotes[: len(answer.citations)]]
    assert {"earlier", "later"} <= set(ids) and "copy" not in ids and "offtopic" not in ids
    assert [q.published for q in answer.quotes[: len(ids)]] == sorted(q.published or "" for q in answer.quotes[: len(ids)])
    assert answer.message is None and answer.short_answer is None and 2 <= len(answer.citations) <= 4


def test_the_readers_answer_leads_and_keeps_its_short_answer_and_confidence() -> None:
    first = SCORED[3]
    quote = _quote(first, 0.9)
    short = ShortAnswer("leaders", "other", first.start + 31, first.start + 38)
    read = Answer("Which leaders met at the summit?", first.text, 0.9, (quote,), short_answer=short)
    answer = compose_answer(read, SCORED, {"summit": 2.0, "leader": 1.0, "met": 1.0})
    _check_citations(answer)
    assert answer.quotes[0] == quote and answer.answer.startswith(first.text + " [1] ")
    assert (answer.confidence, answer.short_answer) == (0.9, short)


@pytest.mark.parametrize("question", ["Who chaired the summit?", "When did the summit open?"])
def test_factoid_questions_keep_their_answer(question: str) -> None:
    read = Answer(question, SCORED[0].text, 0.8, (_quote(SCORED[0]),))
    assert compose_answer(read, SCORED, WEIGHTS) is read


def test_weak_evidence_keeps_the_abstention() -> None:
    abstained = Answer("Summarise the election", None, 0.1, (), answer_kind="none")
    assert compose_answer(abstained, SCORED, {"election": 3.0, "summarise": 4.0}) is abstained
    assert compose_answer(abstained, [], WEIGHTS) is abstained
    for question in ("Which leaders met at the summit?", "Why did the summit leaders leave?"):
        unread = Answer(question, None, 0.1, (), answer_kind="none")
        assert compose_answer(unread, SCORED, WEIGHTS) is unread  # only a summary is composed over an abstention
    off = Answer("Summarise the summit", None, 0.1, (), answer_kind="none")
    assert compose_answer(off, SCORED, WEIGHTS, ComposeConfig(enabled=False)) is off


def test_instruction_words_are_not_the_topic() -> None:
    assert topic_weights({"summarise": 4.0, "happen": 3.0, "g7": 2.0, "summit": 1.0}) == {"g7": 2.0, "summit": 1.0}


def _verbatim(desk: Newsdesk, answer: Answer) -> None:
    _check_citations(answer)
    for quote in answer.quotes:
        assert desk.get_article(quote.article_id).text[quote.start : quote.end] == quote.text


def test_which_countries_oppose_the_18th_package_lists_slovakia_and_hungary(seed_desk: Newsdesk) -> None:
    answer = seed_desk.ask("Which countries oppose the 18th sanctions package?")
    _verbatim(seed_desk, answer)
    cited = [answer.quotes[c.quote].text for c in answer.citations]
    assert any("Slovakia" in text for text in cited) and any("Hungary" in text for text in cited)


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("Summarise the embassy talks", "embassy_talks_istanbul"),
        ("What happened at the G7 summit?", "012_g7_summit_kananaskis"),
    ],
)
def test_summaries_over_the_seeds_no_longer_abstain(seed_desk: Newsdesk, question: str, article: str) -> None:
    answer = seed_desk.ask(question)
    _verbatim(seed_desk, answer)
    cited = [answer.quotes[c.quote] for c in answer.citations]
    assert 2 <= len(cited) <= 4 and any(article in q.article_id for q in cited)
    assert [q.published for q in cited] == sorted(q.published or "" for q in cited)


def test_a_factoid_question_over_the_seeds_keeps_one_sentence_and_its_span(seed_desk: Newsdesk) -> None:
    answer = seed_desk.ask("Who led the Russian team at the second Istanbul round of embassy talks?")
    assert answer.answer_kind == "span" and answer.citations == () and "[1]" not in (answer.answer or "")
    assert answer.short_answer is not None


LIST_QUESTION = "Which countries oppose the 18th sanctions package?"


def _events(text: str) -> list[tuple[str, dict[str, object]]]:
    import json

    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_chat_and_its_stream_send_the_composed_answer_sentence_by_sentence(client: TestClient) -> None:
    plain = client.post("/chat", json={"message": LIST_QUESTION}).json()
    assert plain["answer_kind"] == "composed" and len(plain["citations"]) >= 2
    for number, citation in enumerate(plain["citations"], start=1):
        assert plain["answer"][citation["start"] : citation["end"]] == plain["quotes"][citation["quote"]]["text"]
        assert f"[{number}]" in plain["answer"]
    response = client.post("/chat/stream", json={"message": LIST_QUESTION})
    assert response.status_code == 200
    events = _events(response.text)
    names = [name for name, _ in events]
    count = len(plain["citations"])
    assert names == ["interpretation"] + ["sentence"] * count + ["answer"] + ["quote"] * len(plain["quotes"]) + ["done"]
    sentences = [data for name, data in events if name == "sentence"]
    assert [s["number"] for s in sentences] == list(range(1, count + 1))
    assert [s["text"] for s in sentences] == [plain["quotes"][c["quote"]]["text"] for c in plain["citations"]]
    assert " ".join(f"{s['text']} [{s['number']}]" for s in sentences) == plain["answer"]
    answer = dict(events[count + 1][1])
    assert answer["answer"] == plain["answer"] and answer["citations"] == plain["citations"]


def test_the_openai_endpoint_returns_the_marks_and_numbered_sources_streaming_a_sentence_per_chunk(
    client: TestClient,
) -> None:
    import json

    messages = [{"role": "user", "content": LIST_QUESTION}]
    whole = client.post("/v1/chat/completions", json={"model": "newsdesk", "messages": messages}).json()
    content = whole["choices"][0]["message"]["content"]
    asked = client.post("/ask", json={"question": LIST_QUESTION}).json()
    answer, _, sources = content.partition("\n\nSources:\n")
    assert answer == asked["answer"] and "[1]" in answer and "[2]" in answer
    numbered = sources.split("\n")
    for number, quote in enumerate(asked["quotes"], start=1):
        assert numbered[number - 1].startswith(f"[{number}] {quote['title']} ")
        assert numbered[number - 1].endswith(f"\u201c{quote['text']}\u201d")
    streamed = client.post("/v1/chat/completions", json={"model": "newsdesk", "messages": messages, "stream": True})
    chunks = [json.loads(line[6:]) for line in streamed.text.split("\n\n") if line.startswith("data: {")]
    deltas = [c["choices"][0]["delta"].get("content") for c in chunks if c["choices"]]
    deltas = [d for d in deltas if d]
    assert "".join(deltas) == content
    cited = len(asked["citations"])
    assert [d.rstrip() for d in deltas[:cited]] == [
        f"{asked['quotes'][c['quote']]['text']} [{n}]" for n, c in enumerate(asked["citations"], start=1)
    ]


def test_a_cited_sentence_leaves_its_dateline_out() -> None:
    text = "KANANASKIS, Alberta: The summit leaders closed the meeting with a statement on trade."
    with_dateline = [_sentence("dated", "2025-06-17", text, 1.7, start=0), *SCORED[:2]]
    abstained = Answer("Summarise the summit", None, 0.1, (), message="No supported answer.", answer_kind="none")
    answer = compose_answer(abstained, with_dateline, WEIGHTS)
    _check_citations(answer)
    dated = next(q for q in answer.quotes if q.article_id == "dated")
    assert dated.text == text[len("KANANASKIS, Alberta: ") :] and dated.start == len("KANANASKIS, Alberta: ")
    assert "KANANASKIS" not in answer.answer
