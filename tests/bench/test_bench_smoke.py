"""The benchmark runs end to end on a tiny synthetic corpus with the real model (HTTP part left out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.report import print_table
from bench.run import Question, load_questions, main, run_benchmark
from newsdesk.qa.embedding import SentenceTransformerEmbedder
from newsdesk.qa.types import ArticleDraft

# Minutes, not seconds: left out of the quick loop, pytest -m "not slow".
pytestmark = pytest.mark.slow

TOPICS = [
    ("Harbour reopens after storm", "harbour", "ferries", "pier"),
    ("City council approves new tram line", "council", "tram", "depot"),
    ("Local bakery wins national bread prize", "bakery", "sourdough", "judges"),
    ("Museum returns ancient bronze statue", "museum", "statue", "archaeologists"),
    ("Football club appoints young manager", "club", "manager", "stadium"),
]


def _article(index: int, title: str, subject: str, thing: str, place: str) -> ArticleDraft:
    text = (
        f"The {subject} made news on Monday. Officials said the {thing} would be ready by spring. "
        f"Residents near the {place} welcomed the decision. A spokesperson said costs rose by {index + 2} percent.\n\n"
        f"Critics asked why the {subject} took so long. The {place} will stay open during the work."
    )
    return ArticleDraft(title=title, text=text, published=f"2024-01-0{index + 1}", source="example.org", id=f"a{index}")


@pytest.fixture(scope="module")
def results(embedder: SentenceTransformerEmbedder, tmp_path_factory: pytest.TempPathFactory) -> dict:
    drafts = [_article(i, *topic) for i, topic in enumerate(TOPICS)]
    extra = _article(9, "Zoo welcomes twin pandas", "zoo", "panda enclosure", "aviary")
    questions = [Question("When will the tram be ready?", "2024-01-05"), Question("Who won the bread prize?", None)]
    return run_benchmark(embedder, drafts, extra, questions, tmp_path_factory.mktemp("bench"), with_http=False)


def test_results_have_every_section_and_serialise(results: dict) -> None:
    assert set(results) == {
        "ingest", "reference_ingest", "ingest_ratio", "query", "query_cache", "single_add", "disk", "bench_peak_rss_mb"
    }
    json.dumps(results)


def test_ingest_is_timed_and_split_into_model_and_rest(results: dict) -> None:
    ingest, bare = results["ingest"], results["reference_ingest"]
    assert ingest["articles"] == 5 and ingest["statuses"] == {"added": 5}
    assert ingest["passages"] > 0 and ingest["sentences_embedded"] >= 5 * 6
    assert 0 < ingest["embed_s"] <= ingest["seconds"]
    assert ingest["other_s"] >= 0 and ingest["overhead_pct"] >= 0
    assert bare["passages"] == ingest["passages"] and bare["seconds"] > 0
    assert results["ingest_ratio"] > 0


def test_query_latencies_and_stage_medians(results: dict) -> None:
    query = results["query"]
    for side in ("newsdesk", "reference"):
        assert 0 < query[side]["p50_ms"] <= query[side]["p95_ms"]
    assert {"embed", "retrieve", "answer"} <= set(query["pipeline_median_ms"])


def test_repeated_question_is_embedded_once(results: dict) -> None:
    cache = results["query_cache"]
    assert cache["second_embed_ms"] < cache["first_embed_ms"]
    assert cache["second_embed_ms"] < 5


def test_single_add_embeds_and_leaves_the_snapshot(results: dict) -> None:
    add = results["single_add"]
    assert add["status"] == "added" and add["passages"] > 0 and add["sentences_embedded"] > 0
    assert add["add_ms"] > 0 and add["snapshot_written_by_add"] is False


def test_disk_and_memory_are_positive(results: dict) -> None:
    assert results["disk"]["bytes"] > 0 and results["disk"]["bytes_per_passage"] > 0
    assert results["bench_peak_rss_mb"] > 0


def test_table_prints_every_measurement(results: dict, capsys: pytest.CaptureFixture[str]) -> None:
    print_table(results)
    out = capsys.readouterr().out
    assert "ingest seconds" in out and "query p50 ms" in out and "add one article ms" in out
    assert "HTTP" not in out


def test_questions_are_cycled_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text('{"question": "One?", "date": "2024-01-01"}\n{"question": "Two?"}\n')
    questions, distinct = load_questions(path, 5)
    assert [q.text for q in questions] == ["One?", "Two?", "One?", "Two?", "One?"]
    assert distinct == 2 and questions[0].as_of == "2024-01-01"


def test_missing_corpus_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", str(tmp_path / "absent.jsonl")]) == 2
    assert "corpus not found" in capsys.readouterr().err
