"""A ``newsdesk serve`` child process on loopback, for load runs and crash tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

__all__ = ["LocalServer", "ServerStartError", "free_port"]

POLL_INTERVAL_S = 0.2


class ServerStartError(RuntimeError):
    """The server exited or did not become healthy in time."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalServer:
    """Runs ``python -m newsdesk serve --data-dir D --port P`` with its output in a log file.

    Use as a context manager: leaving the block stops the server (SIGTERM,
    then SIGKILL if it does not exit), whatever happened inside.

    Args:
        data_dir: The index folder the server opens (and takes the write lock of).
        log_path: Where the server's stdout and stderr go.
        port: The loopback port; a free one when omitted.
        env: Extra environment variables, e.g. ``NEWSDESK_SNAPSHOT_SECONDS``.
            ``NEWSDESK_SEED_DIR`` defaults to ``none``: a server over an empty
            folder stays empty unless the caller asks for seeds.
    """

    CLEAN_EXIT = (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM once it has shut down cleanly

    def __init__(
        self, data_dir: Path, log_path: Path, port: int | None = None, env: Mapping[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.log_path = log_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {"NEWSDESK_SEED_DIR": "none", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
        self._env.update(env or {})
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the process (returns at once; see :meth:`wait_until_healthy`)."""
        if self.running:
            raise RuntimeError(f"the server on port {self.port} is already running")
        command = [sys.executable, "-m", "newsdesk", "serve", "--data-dir", str(self.data_dir),
                   "--port", str(self.port), "--log-level", "warning"]
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self._env}
            )

    def wait_until_healthy(self, timeout_s: float = 120.0, poll_interval_s: float = POLL_INTERVAL_S) -> float:
        """Poll ``GET /health`` until it answers 200; returns the seconds waited.

        Args:
            timeout_s: How long to wait before giving up.
            poll_interval_s: The pause between polls, which bounds how precise the returned time is.

        Raises:
            ServerStartError: The server exited, or did not answer within ``timeout_s``.
        """
        started = time.monotonic()
        with httpx.Client(base_url=self.url, timeout=10.0) as client:
            while time.monotonic() - started < timeout_s:
                if not self.running:
                    status = self.exit_status()
                    raise ServerStartError(f"newsdesk serve exited with status {status}:\n{self.log_tail()}")
                try:
                    if client.get("/health").status_code == 200:
                        return time.monotonic() - started
                except httpx.TransportError:
                    pass  # not listening yet
                time.sleep(poll_interval_s)
        raise ServerStartError(f"newsdesk serve did not answer /health within {timeout_s:.0f} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the server, as a crash or the OOM killer would stop it, and reap it."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        if self._process is not None:
            self._process.wait()

    def stop(self, timeout_s: float = 60.0) -> int | None:
        """Ask the server to shut down (SIGTERM, so it saves its snapshot); kill it if it hangs.

        Returns:
            Its exit status (one of :attr:`CLEAN_EXIT` after a clean shutdown), or None if it was never started.
        """
        if self._process is None:
            return None
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        return self._process.returncode

    def peak_rss_mb(self) -> float:
        """The running server's peak resident memory so far (``VmHWM``, Linux only), in MiB.

        Raises:
            RuntimeError: The server is not running, or ``/proc`` reports no ``VmHWM``.
        """
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError(f"the server on port {self.port} is not running")
        status_path = Path(f"/proc/{self._process.pid}/status")
        for line in status_path.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmHWM in {status_path}")

    def exit_status(self) -> int | None:
        return None if self._process is None else self._process.poll()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return "(no log)"
