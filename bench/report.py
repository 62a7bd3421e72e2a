"""The benchmark's results as a readable table: metric, newsdesk, bare reference, ratio."""

from __future__ import annotations

from typing import Any

__all__ = ["print_table", "table_rows"]

Row = tuple[str, float | int | str | None, float | int | str | None]


def _ratio(newsdesk: object, reference: object) -> str:
    if isinstance(newsdesk, (int, float)) and isinstance(reference, (int, float)) and reference:
        return f"{newsdesk / reference:.2f}x"
    return ""


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def table_rows(results: dict[str, Any]) -> list[Row]:
    """``(metric, newsdesk, reference)`` rows; the reference is None where it has no counterpart."""
    ingest, bare, query = results["ingest"], results["reference_ingest"], results["query"]
    stages = query["pipeline_median_ms"]
    rows: list[Row] = [
        ("ingest seconds", ingest["seconds"], bare["seconds"]),
        ("ingest passages/s", ingest["passages_per_s"], bare["passages_per_s"]),
        ("ingest articles/s", ingest["articles_per_s"], None),
        ("texts embedded (sentences | passages)", ingest["sentences_embedded"], bare["passages"]),
        ("  time in embedder.embed, s", ingest["embed_s"], bare["seconds"]),
        ("  everything else, s", ingest["other_s"], None),
        ("  overhead % of embed time", ingest["overhead_pct"], None),
        ("  save() snapshot, s", ingest["save_s"], None),
        ("query p50 ms (ask vs embed+top-10)", query["newsdesk"]["p50_ms"], query["reference"]["p50_ms"]),
        ("query p95 ms", query["newsdesk"]["p95_ms"], query["reference"]["p95_ms"]),
    ]
    rows += [(f"  median {stage} ms", ms, None) for stage, ms in stages.items()]
    http = results.get("http")
    if http:
        rows += [
            ("server start-up until /health, s", http["startup_s"], None),
            ("HTTP POST /ask p50 ms", http["ask"]["p50_ms"], query["reference"]["p50_ms"]),
            ("HTTP POST /ask p95 ms", http["ask"]["p95_ms"], query["reference"]["p95_ms"]),
            ("server peak RSS MiB (VmHWM)", http["server_peak_rss_mb"], None),
        ]
    rows += [
        ("benchmark process peak RSS MiB", results["bench_peak_rss_mb"], None),
        ("index on disk MiB", results["disk"]["mb"], None),
        ("index bytes per passage", results["disk"]["bytes_per_passage"], None),
        ("repeated question: 1st embed ms", results["query_cache"]["first_embed_ms"], None),
        ("repeated question: 2nd embed ms", results["query_cache"]["second_embed_ms"], None),
        ("add one article ms", results["single_add"]["add_ms"], None),
        ("  sentences it embedded (new ones only)", results["single_add"]["sentences_embedded"], None),
        ("  snapshot written by the add", str(results["single_add"]["snapshot_written_by_add"]).lower(), None),
    ]
    return rows


def print_table(results: dict[str, Any]) -> None:
    """Print the configuration line, the table and any caveats."""
    config = results.get("config", {})
    if config:
        print(f"{config['articles']} articles, {results['ingest']['passages']} passages, "
              f"{config['questions']} questions ({config['distinct_questions']} distinct); "
              f"model {config['model']} on {config['device']}, {config['torch_threads']} torch threads, "
              f"{config['faiss_threads']} FAISS thread(s), {config['cpus']} CPUs\n")
    rows = [("metric", "newsdesk", "bare reference", "ratio")]
    rows += [(name, _cell(ours), _cell(theirs), _ratio(ours, theirs)) for name, ours, theirs in table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for number, row in enumerate(rows):
        print("  ".join([row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]))
        if number == 0:
            print("  ".join("-" * width for width in widths))
    if config.get("questions_repeated"):
        print(f"\nnote: only {config['distinct_questions']} distinct questions; repeats were cycled in, and newsdesk "
              "answers their embedding from its query cache, which flatters its latencies.")
