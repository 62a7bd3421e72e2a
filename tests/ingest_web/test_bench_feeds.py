"""The feed benchmark runs end to end on a few entries (the figures themselves are not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.feeds import main, make_site


def test_the_site_has_a_page_per_entry_and_a_feed_of_them() -> None:
    routes = make_site(3)
    assert sorted(routes) == ["/feed", "/news/0", "/news/1", "/news/2"]
    assert routes["/feed"][1].count(b"<item>") == 3


def test_the_benchmark_adds_every_entry(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    assert main(["--entries", "3", "--data-dir", str(tmp_path / "data"), "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert (figures["entries"], figures["added"], figures["failed"]) == (3, 3, 0)
    assert figures["fetch_and_extract_seconds"] + figures["embed_and_store_seconds"] <= figures["seconds"] + 0.05
