"""The story eval: its set format, its pure metrics, and a written set run through the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.cli.main import main
from newsdesk.desk import Newsdesk
from newsdesk.eval.records import EvalSetError
from newsdesk.eval.stories import is_story_set, load_story_set, story_metrics
from newsdesk.eval.story_metrics import cited_sentence_ok, matched_values, order_pairs, same_value
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.ingest.files import add_paths
from tests.conftest import ROOT, SEEDS

WRITTEN_SET = ROOT / "tests" / "story" / "stories-tests.jsonl"
REAL_SET = ROOT / "eval" / "sets" / "stories-realtimeqa.jsonl"
STORY_ARTICLES = ROOT / "tests" / "story" / "articles" / "story.jsonl"


@pytest.mark.parametrize(
    ("predicted", "expected", "same"),
    [
        ("27", "27", True), ("27 dead", "twenty-seven", True), ("8,500", "8.5k", True), ("Luke Humphries", "Humphries", True),
        ("12", "27", False), (None, "27", False), ("$45 a barrel", "$45", False), ("Storm Henk", "Henk", True),
        ("the Kremlin", "Kremlin", True), ("October 9", "Oct. 9", True),
    ],
)
def test_same_value_normalises(predicted: str | None, expected: str, same: bool) -> None:
    assert same_value(predicted, expected) is same


def test_matched_values_count_both_ways() -> None:
    assert matched_values(["41 million viewers", "45m", "50 million"], ["41 million", "45 million"]) == (2, 2)
    assert matched_values([], ["41 million"]) == (0, 0)


@pytest.mark.parametrize(
    ("entries", "events", "expected"),
    [
        (["a first", "b second", "c third"], ["first", "second", "third"], (3, 3, 3)),
        (["c third", "a first", "b second"], ["first", "second", "third"], (3, 1, 3)),
        (["a first", "x"], ["first", "missing", "FIRST"], (2, 0, 1)),
        ([], ["first", "second"], (0, 0, 0)),
    ],
)
def test_order_pairs(entries: list[str], events: list[str], expected: tuple[int, int, int]) -> None:
    assert order_pairs(entries, events) == expected


def test_a_cited_sentence_must_be_verbatim_everywhere_and_on_the_question() -> None:
    article = "Intro. Slovakia and Hungary oppose the package. End."
    quote = "Slovakia and Hungary oppose the package."
    answer = f"{quote} [1]"
    question = "Which countries oppose the package?"
    assert cited_sentence_ok(answer, 0, len(quote), quote, article, 7, 7 + len(quote), question)
    assert not cited_sentence_ok(answer, 0, len(quote) - 1, quote, article, 7, 7 + len(quote), question)
    assert not cited_sentence_ok(answer, 0, len(quote), quote, article, 6, 6 + len(quote), question)
    assert not cited_sentence_ok(answer, 0, len(quote), quote, article, 7, 7 + len(quote), "Who won the final?")


def test_story_metrics_hand_computed() -> None:
    def case(**fields: object) -> dict[str, object]:
        return {"latest": None, "earlier": [], "disagreeing": [], "events": [], **fields}

    records = [
        {"case": case(latest="27", earlier=["12"]), "latest_ok": True, "earlier_found": 1, "disagreements": [],
         "disagreeing_found": 0, "disagreeing_right": 0, "citations_ok": [True, True], "latency_ms": 10.0},
        {"case": case(latest="5"), "latest_ok": False, "earlier_found": 0, "disagreements": ["3", "4"],
         "disagreeing_found": 0, "disagreeing_right": 0, "citations_ok": [], "latency_ms": 30.0},
        {"case": case(disagreeing=["41m", "45m"]), "latest_ok": None, "earlier_found": 0, "disagreements": ["41m", "45m"],
         "disagreeing_found": 2, "disagreeing_right": 2, "citations_ok": [False], "latency_ms": 20.0},
        {"case": case(events=["a", "b", "c"]), "events_matched": 3, "pairs_in_order": 2, "pairs": 3, "latency_ms": 5.0},
    ]
    metrics = story_metrics(records, has_timeline=True)
    assert metrics["cases"] == 4
    assert metrics["latest_accuracy"] == 0.5
    assert metrics["earlier_recall"] == 1.0
    assert metrics["disagreement_recall"] == 1.0
    assert metrics["disagreement_precision"] == 0.5
    assert metrics["timeline_order_accuracy"] == pytest.approx(2 / 3)
    assert metrics["timeline_event_recall"] == 1.0
    assert metrics["citation_precision"] == pytest.approx(2 / 3)
    assert story_metrics(records, has_timeline=False)["timeline_order_accuracy"] is None


def test_story_sets_are_told_apart(tmp_path: Path) -> None:
    assert is_story_set(WRITTEN_SET)
    assert is_story_set(REAL_SET)
    assert not is_story_set(ROOT / "eval" / "sets" / "seed.jsonl")
    assert not is_story_set(ROOT / "eval" / "sets" / "seed_chat.jsonl")
    named = tmp_path / "mine.jsonl"
    named.write_text(json.dumps({"kind": "latest", "question": "q?", "latest": "1"}) + "\n")
    assert is_story_set(named)


def test_the_real_set_is_well_formed_over_realtimeqa() -> None:
    # Issue #20 asks for 40 cases with disagreements among them; the set holds 22 latest cases so far.
    cases = load_story_set(REAL_SET)
    assert len(cases) >= 20
    assert {c.corpus for c in cases} == {"realtimeqa-dev"}
    assert all(c.as_of and c.latest for c in cases)


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ({"kind": "rumour", "question": "q?"}, "'kind' must be one of"),
        ({"kind": "latest", "question": "q?"}, "a 'latest' case needs 'latest'"),
        ({"kind": "latest", "question": " ", "latest": "1"}, "missing 'question'"),
        ({"kind": "disagreement", "question": "q?", "disagreeing": ["1"]}, "a 'disagreement' case needs at least two 'disagreeing'"),
        ({"kind": "timeline", "question": "q?", "events": ["a"]}, "a 'timeline' case needs at least two 'events'"),
        ({"kind": "latest", "question": "q?", "latest": "1", "earlier": "12"}, "'earlier' must be a list"),
        ({"kind": "latest", "question": "q?", "latest": 27}, "'latest' must be a non-empty string"),
    ],
)
def test_malformed_cases_name_the_line(tmp_path: Path, record: dict[str, object], error: str) -> None:
    path = tmp_path / "stories-bad.jsonl"
    path.write_text(json.dumps({"kind": "latest", "question": "fine?", "latest": "1"}) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(EvalSetError, match=rf"stories-bad.jsonl line 2: {error}"):
        load_story_set(path)


@pytest.fixture(scope="module")
def story_dir(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("story-eval-index")
    desk = Newsdesk(data_dir, embedder)
    assert all(o.error is None for o in add_paths(desk, [str(SEEDS), str(STORY_ARTICLES)]))
    desk.close()
    yield data_dir


def test_the_written_set_through_the_cli(story_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    args = ["eval", str(WRITTEN_SET), "--data-dir", str(story_dir), "--out", str(out),
            "--fail-under", "latest_accuracy=1", "--fail-under", "disagreement_recall=1"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "5 story cases" in printed and "latest_accuracy" in printed and "disagreement_precision" in printed
    results = json.loads(out.read_text())
    metrics = results["metrics"]
    assert (metrics["latest_accuracy"], metrics["earlier_recall"]) == (1.0, 1.0)
    assert (metrics["disagreement_recall"], metrics["disagreement_precision"]) == (1.0, 1.0)
    assert metrics["timeline_order_accuracy"] == 1.0 and metrics["timeline_event_recall"] == 1.0
    assert metrics["citation_precision"] is None
    by_id = {r["id"]: r for r in results["questions"]}
    assert by_id["flood-died"]["short_answer"] == "27" and by_id["flood-died"]["changes"] == ["12 people"]
    assert by_id["flood-died-before"]["short_answer"] == "12"


def test_a_story_set_over_http_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(WRITTEN_SET), "--url", "http://127.0.0.1:9"]) == 2
    assert "story sets run in-process" in capsys.readouterr().err
