"""Benchmarks of newsdesk against a bare sentence-transformers + FAISS reference.

Run ``python -m bench.run --help``. Not a test suite: it measures, prints a
table and writes JSON; ``tests/bench`` only checks that it runs.

Modules:
    run: the command, the in-process measurements and the report.
    reference: the bare reference (same model, same passages, flat FAISS).
    http: start ``newsdesk serve`` on the built index and time ``POST /ask``.
    timing: latency summaries shared by the others.
"""

__all__: list[str] = []
