"""A bounded load test of a local newsdesk server (``python -m loadtest.run``).

    server.py    start, health-check, kill and stop ``newsdesk serve`` on loopback
    workload.py  the client threads and the request mix
    run.py       the command: run the load, read back acknowledged articles, report
"""

from loadtest.server import LocalServer, free_port
from loadtest.workload import LoadResult, run_load

__all__ = ["LoadResult", "LocalServer", "free_port", "run_load"]
