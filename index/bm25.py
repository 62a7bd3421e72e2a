"""BM25 as SQLite's FTS5 computes it: its tokenizer, its constants and the column weights.

The embedded store ranks passages with FTS5's ``bm25()``. A backend that should
rank alike takes its tokens from FTS5 itself (:func:`fts5_tokens` runs FTS5's
tokenizer over an in-memory table) and computes, for an OR of phrases ``q``
over passages of ``D`` tokens (title and text together) in a table of ``N``
passages averaging ``avgdl`` tokens::

    idf(q)     = ln((N - n(q) + 0.5) / (n(q) + 0.5)), or 1e-6 when that is not positive
                 (n(q): the passages that hold phrase q)
    f(q, D)    = TITLE_WEIGHT * (q's occurrences in the title) + TEXT_WEIGHT * (in the text)
    score(D)   = sum over q of idf(q) * f(q, D) * (K1 + 1) / (f(q, D) + K1 * (1 - B + B * D / avgdl))

(``fts5Bm25Function`` in SQLite's ``fts5_aux.c``.) A question word FTS5 splits
into several tokens (``covid-19``) is a phrase: its tokens one after the other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing

__all__ = ["K1", "TEXT_WEIGHT", "TITLE_WEIGHT", "TOKENIZER", "B", "fts5_tokens"]

#: The FTS5 tokenizer of the embedded store's passage index.
TOKENIZER = "porter unicode61 remove_diacritics 2"
#: Column weights: a word in the title counts half as much as one in the text.
TITLE_WEIGHT = 0.5
TEXT_WEIGHT = 1.0
#: FTS5's BM25 constants (fixed in SQLite).
K1 = 1.2
B = 0.75


def fts5_tokens(texts: Sequence[str]) -> list[list[str]]:
    """Each text's tokens, in order, exactly as the embedded store's FTS5 index holds them.

    Args:
        texts: Strings to tokenise (a title, a passage, a question word).

    Returns:
        One list of tokens (case-folded, diacritics removed, Porter-stemmed) per text.
    """
    found: list[list[str]] = [[] for _ in texts]
    if not texts:
        return found
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute(f"CREATE VIRTUAL TABLE texts USING fts5(text, tokenize = '{TOKENIZER}')")
        db.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(texts, 'instance')")
        db.executemany("INSERT INTO texts (rowid, text) VALUES (?, ?)", enumerate(texts, start=1))
        for row, token in db.execute("SELECT doc, term FROM tokens ORDER BY doc, offset"):
            found[row - 1].append(token)
    return found
