"""Which question phrases the lexical half scans for, and each phrase's idf, decided before the query.

BM25 over an OR of phrases ranks every passage holding any of them; a common
phrase in a million passages would make the database score a large share of the
table for a word that moves scores little. So the phrases are taken rarest first
while their passages add up to at most ``scan_limit``: only passages holding one
of those are scanned, and every scanned passage is scored with every phrase
(common ones included), so among them the order is exactly FTS5's. What is left
out is a passage holding only phrases not scanned; :attr:`LexicalPlan.bound` is
the most such a passage can score, so a ranking whose last kept score reaches it
is FTS5's ranking exactly. When all phrases together are under the limit (every
collection of a few hundred thousand passages, for most questions) all are scanned.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.index.bm25 import K1

__all__ = ["LexicalPlan", "bm25_idf", "plan_lexical"]


def bm25_idf(passages: int, holding: int) -> float:
    """FTS5's idf of a phrase held by ``holding`` of ``passages`` passages (1e-6 where it is not positive)."""
    idf = math.log((passages - holding + 0.5) / (holding + 0.5))
    return idf if idf > 0 else 1e-6


@dataclass(frozen=True)
class LexicalPlan:
    """The scanned phrases and every phrase's idf.

    Attributes:
        idfs: Each phrase's idf, in the question's order.
        scanned: The phrases (indices into the question's phrases) whose passages are scanned.
        complete: Every phrase held by any passage is scanned: the ranking is FTS5's.
        bound: The highest score a passage holding no scanned phrase can reach
            (0 when ``complete``): the sum of the other phrases' idf times ``K1 + 1``.
    """

    idfs: list[float]
    scanned: list[int]
    complete: bool
    bound: float


def plan_lexical(frequencies: Sequence[int], passages: int, scan_limit: int) -> LexicalPlan:
    """Scan the rarest phrases whose passages add up to at most ``scan_limit`` (the rarest always).

    Args:
        frequencies: How many passages hold each phrase, in the question's order.
        passages: Passages in the collection.
        scan_limit: The most passages the phrases scanned may hold together.
    """
    idfs = [bm25_idf(passages, n) for n in frequencies]
    held = sorted((n, i) for i, n in enumerate(frequencies) if n > 0)
    scanned, total = [], 0
    for n, i in held:
        if scanned and total + n > scan_limit:
            break
        scanned.append(i)
        total += n
    left = [i for _, i in held if i not in scanned]
    if not scanned:  # no phrase is held anywhere: scan the first, which finds nothing
        scanned = [0] if frequencies else []
    return LexicalPlan(idfs, sorted(scanned), not left, sum(idfs[i] for i in left) * (K1 + 1))
