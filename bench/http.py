"""Serve a built index with ``newsdesk serve`` and time ``POST /ask`` over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from bench.timing import latencies_ms, summarise_ms

__all__ = ["measure_http"]

STARTUP_TIMEOUT_S = 180.0
POLL_INTERVAL_S = 0.1


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(data_dir: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """Start ``python -m newsdesk serve`` on ``data_dir``, its output going to ``log_path``."""
    env = dict(os.environ, NEWSDESK_SEED_DIR="none", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "serve", "--data-dir", str(data_dir), "--port", str(port),
             "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )


def wait_until_healthy(server: subprocess.Popen[bytes], client: httpx.Client, log_path: Path) -> float:
    """Poll ``GET /health`` until it answers 200; returns the seconds since the server was started.

    Raises:
        RuntimeError: If the server exits or does not answer within the time limit.
    """
    started = time.perf_counter()
    while time.perf_counter() - started < STARTUP_TIMEOUT_S:
        if server.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"newsdesk serve exited with status {server.returncode}:\n{tail}")
        try:
            if client.get("/health").status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(POLL_INTERVAL_S)
    raise RuntimeError(f"newsdesk serve did not answer /health within {STARTUP_TIMEOUT_S:.0f} s")


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM in /proc/{pid}/status")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Terminate the server and wait for it; kill it if it does not stop."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


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
    """
    port = free_port()
    log_path = data_dir.parent / f"serve-{port}.log"
    server = start_server(data_dir, port, log_path)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60.0) as client:
            startup_s = wait_until_healthy(server, client, log_path)

            def ask(item: tuple[str, str | None]) -> None:
                payload: dict[str, Any] = {"question": item[0], "top_k": 5}
                if item[1]:
                    payload["as_of"] = item[1]
                client.post("/ask", json=payload).raise_for_status()

            latencies_ms(ask, [(w, None) for w in warmups])
            timings = latencies_ms(ask, questions)
        rss = peak_rss_mb(server.pid)
    finally:
        stop_server(server)
    return {"port": port, "startup_s": round(startup_s, 2), "ask": summarise_ms(timings),
            "server_peak_rss_mb": round(rss, 1)}
