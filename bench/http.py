"""Serve a built index with ``newsdesk serve`` and time ``POST /ask`` over HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from bench.timing import latencies_ms, summarise_ms
from loadtest.server import LocalServer, free_port

__all__ = ["measure_http"]

STARTUP_TIMEOUT_S = 180.0
POLL_INTERVAL_S = 0.1  # start-up time is reported to within one poll
STOP_TIMEOUT_S = 30.0


def measure_http(data_dir: Path, questions: Sequence[tuple[str, str | None]], warmups: Sequence[str]) -> dict[str, Any]:
    """Start a server on ``data_dir``, time start-up and ``POST /ask`` per question, stop it.

    The caller must have closed its own pipeline on ``data_dir``: the server
    takes the write lock.

    Args:
        data_dir: A built index.
        questions: ``(question, as_of)`` pairs, each timed once.
        warmups: Questions asked first and not timed.

    Returns:
        ``startup_s``, the ``ask`` latency summary, ``server_peak_rss_mb`` and ``port``.

    Raises:
        loadtest.server.ServerStartError: If the server exits or does not answer ``/health`` in time.
    """
    port = free_port()
    server = LocalServer(data_dir, data_dir.parent / f"serve-{port}.log", port=port)
    server.start()
    try:
        startup_s = server.wait_until_healthy(STARTUP_TIMEOUT_S, poll_interval_s=POLL_INTERVAL_S)
        with httpx.Client(base_url=server.url, timeout=60.0) as client:

            def ask(item: tuple[str, str | None]) -> None:
                payload: dict[str, Any] = {"question": item[0], "top_k": 5}
                if item[1]:
                    payload["as_of"] = item[1]
                client.post("/ask", json=payload).raise_for_status()

            latencies_ms(ask, [(w, None) for w in warmups])
            timings = latencies_ms(ask, questions)
        rss = server.peak_rss_mb()
    finally:
        server.stop(STOP_TIMEOUT_S)
    return {"port": port, "startup_s": round(startup_s, 2), "ask": summarise_ms(timings),
            "server_peak_rss_mb": round(rss, 1)}
