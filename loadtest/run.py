"""Put a newsdesk server under a bounded load, then check that nothing acknowledged was lost.

Client threads ask questions (70%), add articles (20%) and list articles
(10%) for a fixed time, then every article the server acknowledged with 201
is read back. Prints requests, p50/p95 latency and errors per kind; exits 1
on any 5xx, failed connection or lost article::

    python -m loadtest.run --url http://127.0.0.1:8000 --clients 4 --seconds 20 [--api-key K] [--out load.json]
    python -m loadtest.run --start-server [--data-dir D] --clients 4 --seconds 20

Only loopback servers are accepted: this is a test of a local build, not a
tool to load anyone's deployment.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from loadtest.server import LocalServer, ServerStartError
from loadtest.workload import MIX, LoadResult, run_load

__all__ = ["main", "summarise", "verify_acknowledged"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ROOT = Path(__file__).resolve().parent.parent


class ServerUnavailable(Exception):
    """Nothing answers ``GET /health`` at the URL."""


def percentile_ms(seconds: list[float], fraction: float) -> float | None:
    """The nearest-rank percentile of latencies, in milliseconds (None when there are none)."""
    if not seconds:
        return None
    ordered = sorted(seconds)
    return round(ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] * 1000, 1)


def verify_acknowledged(base_url: str, acknowledged: dict[str, str]) -> list[str]:
    """Read back every acknowledged article; returns the ids the server no longer has (or mangled)."""
    lost = []
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        for article_id, town in sorted(acknowledged.items()):
            response = client.get(f"/articles/{article_id}")
            if response.status_code != 200 or f"The mascot of {town} is" not in response.json()["text"]:
                lost.append(article_id)
    return lost


def summarise(result: LoadResult, lost: list[str], seconds: float, clients: int) -> dict[str, Any]:
    """Requests, latency percentiles and errors per kind, plus the totals a run is judged by."""
    kinds: dict[str, Any] = {}
    for kind, _ in MIX:
        samples = [s for s in result.samples if s.kind == kind]
        ok = [s.seconds for s in samples if s.status is not None and s.status < 400]
        errors = Counter("connection" if s.status is None else str(s.status) for s in samples
                         if s.status is None or s.status >= 400)
        kinds[kind] = {"requests": len(samples), "ok": len(ok), "p50_ms": percentile_ms(ok, 0.50),
                       "p95_ms": percentile_ms(ok, 0.95), "errors": dict(sorted(errors.items()))}
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": len(result.samples),
        "requests_per_second": round(len(result.samples) / seconds, 2) if seconds else None,
        "kinds": kinds,
        "server_errors": sum(1 for s in result.samples if s.status is not None and s.status >= 500),
        "connection_errors": len(result.transport_errors),
        "connection_error_examples": result.transport_errors[:5],
        "acknowledged_articles": len(result.acknowledged),
        "lost_articles": len(lost),
        "lost_article_ids": lost[:20],
    }


def print_summary(summary: dict[str, Any]) -> None:
    print(f"{summary['requests']} requests from {summary['clients']} clients in {summary['seconds']} s "
          f"({summary['requests_per_second']}/s)")
    print(f"{'kind':6} {'requests':>8} {'ok':>6} {'p50 ms':>9} {'p95 ms':>9}  errors")
    for kind, row in summary["kinds"].items():
        errors = ", ".join(f"{status}: {count}" for status, count in row["errors"].items()) or "-"
        p50, p95 = (row[p] if row[p] is not None else "-" for p in ("p50_ms", "p95_ms"))
        print(f"{kind:6} {row['requests']:8} {row['ok']:6} {p50:>9} {p95:>9}  {errors}")
    print(f"5xx responses: {summary['server_errors']}; failed connections: {summary['connection_errors']}; "
          f"acknowledged articles: {summary['acknowledged_articles']}; lost: {summary['lost_articles']}")


def _is_loopback(url: str) -> bool:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return parsed.scheme in ("http", "https") and parsed.host in LOOPBACK_HOSTS


def _load_and_check(url: str, args: argparse.Namespace) -> dict[str, Any]:
    try:
        httpx.get(f"{url}/health", timeout=30.0).raise_for_status()
    except httpx.HTTPError as exc:
        raise ServerUnavailable(f"no newsdesk server answers at {url}: {exc}") from exc
    started = time.monotonic()
    result = run_load(url, args.clients, args.seconds, args.api_key, args.seed)
    elapsed = round(time.monotonic() - started, 2)
    return summarise(result, verify_acknowledged(url, result.acknowledged), elapsed, args.clients)


def _with_own_server(args: argparse.Namespace) -> dict[str, Any]:
    """Serve a temporary copy of ``--data-dir`` (or a fresh index of ``seeds/``), load it, stop it."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-load-") as temporary:
        data_dir = Path(temporary) / "data"
        env = {"NEWSDESK_API_KEY": args.api_key} if args.api_key else {}
        if args.data_dir:
            shutil.copytree(args.data_dir, data_dir, ignore=shutil.ignore_patterns("write.lock", "*.tmp"))
        else:
            env["NEWSDESK_SEED_DIR"] = str(ROOT / "seeds")
        server = LocalServer(data_dir, Path(temporary) / "server.log", env=env)
        with server:
            print(f"started newsdesk on {server.url} in {server.wait_until_healthy(args.startup_timeout):.1f} s",
                  file=sys.stderr)
            summary = _load_and_check(server.url, args)
            summary["server_still_running"] = server.running
        if not summary["server_still_running"]:
            summary["server_log_tail"] = server.log_tail()
    return summary


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loadtest.run", description=__doc__.split("\n\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a running server on loopback, e.g. http://127.0.0.1:8000")
    target.add_argument("--start-server", action="store_true", help="start `newsdesk serve` on a temporary copy")
    parser.add_argument("--data-dir", type=Path, help="with --start-server: the index to copy (default: seeds/)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--api-key", help="sent as X-API-Key; with --start-server the server requires it")
    parser.add_argument("--seed", type=int, default=0, help="makes questions and articles repeatable")
    parser.add_argument("--startup-timeout", type=float, default=180.0, help="seconds to wait for --start-server")
    parser.add_argument("--out", type=Path, help="also write the summary as JSON here")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the load test.

    Returns:
        0 when nothing failed; 1 on a 5xx, a failed connection or a lost
        article; 2 on bad usage or when no server answers.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 3600:
        parser.error("use 1-64 clients and 0-3600 seconds")
    if args.data_dir and not args.start_server:
        parser.error("--data-dir goes with --start-server")
    if args.data_dir and not args.data_dir.is_dir():
        parser.error(f"no index folder at {args.data_dir}")
    if args.url and not _is_loopback(args.url):
        parser.error(f"refusing to load {args.url}: only 127.0.0.1, localhost and ::1 are allowed")
    try:
        summary = _with_own_server(args) if args.start_server else _load_and_check(args.url.rstrip("/"), args)
    except (ServerUnavailable, ServerStartError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_summary(summary)
    if args.out:
        args.out.write_text(json.dumps(summary, indent=2) + "\n")
    failed = summary["server_errors"] or summary["connection_errors"] or summary["lost_articles"]
    return 1 if failed or summary.get("server_still_running") is False else 0


if __name__ == "__main__":
    sys.exit(main())
