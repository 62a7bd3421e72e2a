"""Latency summaries: median, 95th percentile and mean of timed calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["latencies_ms", "summarise_ms"]

T = TypeVar("T")


def latencies_ms(call: Callable[[T], object], items: Iterable[T]) -> list[float]:
    """Call ``call`` on each item in turn; returns each call's wall time in milliseconds."""
    timings = []
    for item in items:
        started = time.perf_counter()
        call(item)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summarise_ms(values: list[float]) -> dict[str, float]:
    """``p50_ms``, ``p95_ms`` and ``mean_ms`` of a non-empty list of milliseconds.

    Raises:
        ValueError: If ``values`` is empty.
    """
    if not values:
        raise ValueError("no latencies to summarise")
    # Inclusive quantiles stay inside the observed range, which matters for 20-query runs.
    p95 = statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(p95, 2),
        "mean_ms": round(statistics.fmean(values), 2),
    }
