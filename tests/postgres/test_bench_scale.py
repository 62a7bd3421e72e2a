"""bench.scale and its plot run end to end on a few hundred passages, both backends, kept and reused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bench import scale, scale_plot
from bench.parallel_ingest import deal

pytestmark = pytest.mark.slow


def _run(seed_index_dir: Path, url: str, work: Path, out: Path, *extra: str) -> list[dict]:
    questions = work / "qa.jsonl"
    questions.write_text("\n".join(json.dumps({"question": q}) for q in [
        "Who is the ambassador?", "What did the council decide about the budget?", "Where did the flood happen?",
    ]))
    argv = [
        "--from-store", str(seed_index_dir / "newsdesk.sqlite3"), "--questions", str(questions),
        "--passages", "300", "--database-url", url, "--work-dir", str(work), "--keep", "--rounds", "2",
        "--agreement", "3", "--out", str(out), *extra,
    ]
    assert scale.main(argv) == 0
    return json.loads(out.read_text())


def test_both_backends_are_loaded_kept_reused_and_plotted(
    seed_index_dir: Path, postgres_server: object, tmp_path: Path
) -> None:
    url = postgres_server.get_uri()  # type: ignore[attr-defined]
    first = _run(seed_index_dir, url, tmp_path, tmp_path / "first.json", "--ef-search", "40", "1000")
    assert [(r["backend"], r.get("ef_search")) for r in first] == [("embedded", None), ("postgres", 40), ("postgres", 1000)]
    for row in first:
        assert row["passages"] == 300 and row["ingest_s"] >= 0 and row["ingest_passages_per_s"] > 0
        assert 0 < row["recall@10"] <= 1
        assert row["hybrid_p50_ms"] > 0 and row["index_bytes"] > 0 and row["rounds"] == 2
    postgres = first[-1]
    assert postgres["recall@10"] == 1.0  # ef_search past the collection: exact
    assert 0 <= postgres["lexical_overlap@100"] <= 1 and "lexical_identical" in postgres

    again = _run(seed_index_dir, url, tmp_path, tmp_path / "again.json")
    assert all("ingest_s" not in row for row in again)  # kept: asked, not loaded again
    with sqlite3.connect(tmp_path / "embedded-300" / "newsdesk.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM passages").fetchone()[0] == 300

    svg = scale_plot.render(first + again)
    assert svg.startswith("<svg") and svg.count("<polyline") == 6  # p50 and p95 per backend, size per backend


def test_the_plot_draws_the_best_recall_per_size() -> None:
    rows = [
        {"backend": "postgres", "passages": 1000, "recall@10": 0.9, "hybrid_p50_ms": 5, "hybrid_p95_ms": 9},
        {"backend": "postgres", "passages": 1000, "recall@10": 0.99, "hybrid_p50_ms": 7, "hybrid_p95_ms": 9},
        {"backend": "postgres", "passages": 10, "recall@10": 1.0, "hybrid_p50_ms": 2, "hybrid_p95_ms": 3},
    ]
    assert [r["hybrid_p50_ms"] for r in scale_plot.series(rows)["postgres"]] == [2, 7]


def test_articles_are_dealt_to_workers_disjoint_and_whole() -> None:
    parts = deal([f"{i}\n" for i in range(7)], 3)
    assert parts == [["0\n", "3\n", "6\n"], ["1\n", "4\n"], ["2\n", "5\n"]]
