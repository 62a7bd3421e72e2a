"""A writer process for the crash tests: adds articles to a PostgreSQL newsdesk until it is killed.

    python -m tests.postgres.crash_writer URL loop FIRST   add crash-FIRST, crash-FIRST+1, ...; print "ack ID" after each
    python -m tests.postgres.crash_writer URL stall ID     write article ID, stop inside its transaction; print "inside"
"""

from __future__ import annotations

import sys
import time

from newsdesk.desk import Newsdesk
from newsdesk.index.postgres.store import PostgresStore
from newsdesk.qa.types import ArticleDraft
from tests.conftest import HashingEmbedder

TOWNS = ("Belbrook", "Corwick", "Dunmere", "Fenholt", "Galthorpe", "Harcombe", "Kelford", "Morvale")


def crash_article(article_id: str, number: int) -> ArticleDraft:
    """An article of several passages with one made-up fact, distinct for each number."""
    town = TOWNS[number % len(TOWNS)]
    sentences = [f"Report {number} from {town}: the harbour counted {number * 7 + 3} boats on day {i}." for i in range(40)]
    text = "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, 40, 5))
    return ArticleDraft(title=f"{town} harbour report {number}", text=text, id=article_id,
                        published="2025-05-05", source="Harbour Wire")


def main(url: str, mode: str, arg: str) -> None:
    desk = Newsdesk.over(PostgresStore(url), HashingEmbedder())
    if mode == "stall":
        def stall(*_: object) -> None:
            print("inside", flush=True)
            time.sleep(3600)

        desk._store._bump = stall  # type: ignore[attr-defined,method-assign]  # after every insert, before commit
        desk.add_article(crash_article(arg, 0))
        return
    number = int(arg)
    while True:
        article_id = f"crash-{number}"
        desk.add_article(crash_article(article_id, number))
        print(f"ack {article_id}", flush=True)
        number += 1


if __name__ == "__main__":
    main(*sys.argv[1:4])
