"""The load itself: client threads asking, adding and listing for a fixed time."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import cycle, islice

import httpx

__all__ = ["MIX", "LoadResult", "Sample", "load_article", "run_load"]

# Requests per ten: 5 questions, 2 chat turns, 2 added articles, 1 listing.
MIX: tuple[tuple[str, int], ...] = (("ask", 5), ("chat", 2), ("add", 2), ("list", 1))
GENERAL_QUESTIONS = (
    "Where did Russian and American officials meet in February?",
    "Who is Russia's new ambassador to the United States?",
    "What did the European Union's sanctions package target?",
    "What was agreed about the Black Sea?",
    "Which team won the 1998 football World Cup final in Paris?",
)
FOLLOW_UPS = ("Who said that?", "And where was that?", "When did they meet?", "What about Ukraine?")
# Questions about the articles the run added; most are new, so the server's query cache rarely helps.
TOWN_QUESTIONS = (
    "What is the mascot of {town}?",
    "Which animal did the residents of {town} choose?",
    "Who campaigned for the new mascot in {town}?",
    "What will lead the summer parade in {town}?",
)
_TOWN_PARTS = (
    ("Bel", "Cor", "Dun", "Fen", "Gal", "Har", "Kel", "Mor", "Nes", "Ost", "Pil", "Quen", "Ros", "Tam", "Vel", "Wyr"),
    ("a", "e", "i", "o", "u", "ar", "en", "ir", "on", "ul"),
    ("brook", "bury", "combe", "dale", "ford", "gate", "holm", "mere", "stead", "thorpe", "wick", "worth"),
)
_ANIMALS = ("otter", "heron", "badger", "lynx", "falcon", "marmot", "gecko", "ibis", "stoat", "puffin")


@dataclass(frozen=True)
class Sample:
    """One request: its kind, HTTP status (None when the connection failed) and latency."""

    kind: str
    status: int | None
    seconds: float


@dataclass
class LoadResult:
    """What the clients did: every request, and the ids of articles the server acknowledged (201)."""

    samples: list[Sample] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # article id -> its made-up fact
    transport_errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, sample: Sample, acknowledged: tuple[str, str] | None = None, error: str | None = None) -> None:
        with self._lock:
            self.samples.append(sample)
            if acknowledged:
                self.acknowledged[acknowledged[0]] = acknowledged[1]
            if error:
                self.transport_errors.append(error)

    def known_articles(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.acknowledged.items())


def town_name(number: int) -> str:
    """A made-up place name, distinct for each number below 1,920."""
    first, second, third = _TOWN_PARTS
    return f"{first[number % len(first)]}{second[number // len(first) % len(second)]}" + third[
        number // (len(first) * len(second)) % len(third)
    ]


def load_article(article_id: str, number: int, rng: random.Random) -> tuple[dict[str, object], str]:
    """A small article with a unique id and one made-up fact; returns the JSON body and the fact's town."""
    town, animal = town_name(number), rng.choice(_ANIMALS)
    sentences = [
        f"The mascot of {town} is a {animal} named Pip{number}.",
        f"Residents of {town} chose the {animal} at a crowded meeting in the old corn exchange.",
        f"The council of {town} said the vote drew more people than any election in a decade.",
        f"A local painter will put the {animal} on the sign that greets visitors arriving by the river road.",
        f"Children at the {town} primary school had campaigned for the {animal} since the spring.",
        "The losing candidates, a hedgehog and a kingfisher, will appear on a mural instead.",
    ]
    body = {"id": article_id, "title": f"{town} picks a {animal} as its mascot", "text": " ".join(sentences),
            "source": "Loadtest Gazette", "published": "2025-06-01"}
    return body, town


def request_kinds(client_number: int, clients: int) -> Iterator[str]:
    """An endless sequence with :data:`MIX`'s proportions, interleaved evenly (smooth weighted round robin).

    A fixed interleaving rather than random draws, so even a run of a few
    requests per client does every kind; clients start at different points.
    """
    weights = dict(MIX)
    total = sum(weights.values())
    current = {kind: 0 for kind in weights}
    one_round = []
    for _ in range(total):
        for kind in current:
            current[kind] += weights[kind]
        chosen = max(current, key=lambda k: current[k])
        current[chosen] -= total
        one_round.append(chosen)
    offset = client_number * total // max(clients, 1)
    return islice(cycle(one_round), offset, None)


def _one_client(base_url: str, number: int, clients: int, deadline: float, headers: dict[str, str], tag: str,
                rng: random.Random, result: LoadResult) -> None:
    added = 0
    conversation: str | None = None  # each client keeps one chat going: a question, then follow-ups
    with httpx.Client(base_url=base_url, timeout=120.0, headers=headers) as client:
        for kind in request_kinds(number, clients):
            if time.monotonic() >= deadline:
                return
            acknowledged = None
            started = time.perf_counter()
            try:
                if kind == "ask":
                    known = result.known_articles()
                    if known and rng.random() < 0.7:
                        question = rng.choice(TOWN_QUESTIONS).format(town=rng.choice(known)[1])
                    else:
                        question = rng.choice(GENERAL_QUESTIONS)
                    response = client.post("/ask", json={"question": question})
                elif kind == "chat":
                    message = rng.choice(FOLLOW_UPS) if conversation else rng.choice(GENERAL_QUESTIONS)
                    body = {"message": message, **({"conversation_id": conversation} if conversation else {})}
                    response = client.post("/chat", json=body)
                    if response.status_code == 200:
                        conversation = response.json()["conversation_id"]
                elif kind == "add":
                    article_id = f"load-{tag}-{number}-{added}"
                    body, town = load_article(article_id, added * clients + number, rng)
                    added += 1
                    response = client.post("/articles", json=body)
                    if response.status_code == 201:
                        acknowledged = (article_id, town)
                else:
                    response = client.get("/articles", params={"limit": 20, "offset": rng.randrange(0, 40)})
            except httpx.TransportError as exc:
                result.record(Sample(kind, None, time.perf_counter() - started), error=f"{kind}: {exc!r}")
                time.sleep(0.1)  # a server that went away is not retried in a tight loop
                continue
            result.record(Sample(kind, response.status_code, time.perf_counter() - started), acknowledged)


def run_load(base_url: str, clients: int, seconds: float, api_key: str | None = None, seed: int = 0) -> LoadResult:
    """Run ``clients`` threads against ``base_url`` for ``seconds``; requests in flight at the end finish.

    Args:
        base_url: The server, e.g. ``http://127.0.0.1:8000``.
        clients: Concurrent client threads, each with its own connection.
        seconds: How long new requests are started.
        api_key: Sent as ``X-API-Key`` when the server wants one.
        seed: Makes the questions and articles repeatable.
    """
    result = LoadResult()
    headers = {"X-API-Key": api_key} if api_key else {}
    tag = f"{seed}-{time.time_ns() % 10**9}"  # article ids stay unique across runs on one index
    deadline = time.monotonic() + seconds
    with ThreadPoolExecutor(max_workers=clients, thread_name_prefix="load-client") as pool:
        futures = [
            pool.submit(
                _one_client, base_url, n, clients, deadline, headers, tag, random.Random(seed * 1000 + n), result
            )
            for n in range(clients)
        ]
    for future in futures:
        future.result()  # a client that crashed (not a failed request) is a bug in the load test: raise it
    return result
