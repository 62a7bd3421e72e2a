"""FTS5's tokens as PostgreSQL full-text values, so the database ranks by BM25 as the embedded store does.

PostgreSQL's own parsers and stemmers split and stem words unlike FTS5 (``3.5``,
``e-mail``, Porter against Snowball), so passages and question words are
tokenised here by FTS5 itself (:func:`~newsdesk.index.bm25.fts5_tokens`) and
sent as ready-made values:

- a passage's ``lexemes`` tsvector holds every token of its title (weight B,
  positions from 1) and of its text (weight A, after a one-position gap, so no
  phrase runs from the title into the text); ``tokens`` is its FTS5 length;
- a question's words become a tsquery that ORs one phrase per word (``covid <-> 19``
  for ``covid-19``), and the rows the search counts each phrase's occurrences by.

A tsvector keeps positions up to 16383 and 256 positions per lexeme: a passage of
the chunker's size stays far inside both, and beyond them occurrences go uncounted.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from psycopg import postgres
from psycopg.abc import AdaptContext
from psycopg.adapt import Dumper
from psycopg.pq import Format

from newsdesk.index.bm25 import fts5_tokens

__all__ = ["LexicalQuery", "PassageLexemes", "PhraseKey", "lexical_query", "passage_lexemes", "phrase_queries", "register_tsvector"]

_MAX_POSITION = 16383
_MAX_POSITIONS = 256
_MAX_LEXEME_BYTES = 2047
_WEIGHT_A, _WEIGHT_B = 3 << 14, 2 << 14  # a position's top two bits hold its weight, D=0 .. A=3


@dataclass(frozen=True)
class PassageLexemes:
    """A passage's ``lexemes`` column (in tsvector's binary form) and its length in tokens."""

    tsvector: bytes
    tokens: int


def passage_lexemes(title: str, texts: Sequence[str]) -> list[PassageLexemes]:
    """The lexical columns of an article's passages, each indexed with the article's title.

    Args:
        title: The article's title.
        texts: Its passages' texts.
    """
    title_tokens, *text_tokens = fts5_tokens([title, *texts])
    in_title: dict[str, list[int]] = {}
    for position, token in enumerate(title_tokens, start=1):
        in_title.setdefault(token, []).append(min(position, _MAX_POSITION) | _WEIGHT_B)
    first = len(title_tokens) + 2
    columns = []
    for tokens in text_tokens:
        positions = {token: list(found) for token, found in in_title.items()}
        for position, token in enumerate(tokens, start=first):
            positions.setdefault(token, []).append(min(position, _MAX_POSITION) | _WEIGHT_A)
        columns.append(PassageLexemes(_tsvector_binary(positions), len(title_tokens) + len(tokens)))
    return columns


def _tsvector_binary(positions: dict[str, list[int]]) -> bytes:
    """tsvector's binary form: a count, then each lexeme (NUL-ended), its position count and positions."""
    entries = sorted((token.encode(), found) for token, found in positions.items())
    parts = []
    for lexeme, found in entries:
        if len(lexeme) > _MAX_LEXEME_BYTES:
            continue
        if (found[-1] & 0x3FFF) == _MAX_POSITION:  # past the last position: keep each position once
            found = [p for i, p in enumerate(found) if i == 0 or (p & 0x3FFF) > (found[i - 1] & 0x3FFF)]
        found = found[:_MAX_POSITIONS]
        parts.append(lexeme)
        parts.append(struct.pack(f">xH{len(found)}H", len(found), *found))
    return struct.pack(">i", len(parts) // 2) + b"".join(parts)


class _TsvectorDumper(Dumper):
    """Sends :attr:`PassageLexemes.tsvector` (already in binary form) as a tsvector."""

    format = Format.BINARY
    oid = postgres.types["tsvector"].oid

    def dump(self, obj: PassageLexemes) -> bytes:
        return obj.tsvector


def register_tsvector(context: AdaptContext) -> None:
    """Let a connection or cursor send :class:`PassageLexemes` as tsvector values (in binary COPY too)."""
    context.adapters.register_dumper(PassageLexemes, _TsvectorDumper)


def _quoted(lexeme: str) -> str:
    """A lexeme as a tsquery operand: quoted, so no character in it reads as an operator."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _unquoted(term: str) -> str:
    """The word as the embedded store quotes it for FTS5 (:func:`~newsdesk.index.store.fts_match`)."""
    return term.replace('"', "")


def _phrase(tokens: Iterable[str]) -> str:
    return " <-> ".join(_quoted(token) for token in tokens)


@dataclass(frozen=True)
class PhraseKey:
    """A phrase to count: its tsquery text, and its token when it is one token (counted in the postings)."""

    query: str
    token: str | None


@dataclass(frozen=True)
class LexicalQuery:
    """A question's words as the lexical half of a search needs them.

    Attributes:
        tsquery: The OR of every phrase (a tsquery's text).
        phrases: Each phrase's own tsquery text, in the question's order.
        lengths: Each phrase's token count.
        lexemes: One row per token of each phrase: the token ...
        phrase_numbers: ... the phrase's number (from 1) ...
        places: ... and the token's place in its phrase (from 0).
    """

    tsquery: str
    phrases: list[str]
    lengths: list[int]
    lexemes: list[str]
    phrase_numbers: list[int]
    places: list[int]

    @property
    def distinct_lexemes(self) -> list[str]:
        return sorted(set(self.lexemes))

    @property
    def phrase_keys(self) -> list[PhraseKey]:
        """Each phrase as :class:`~newsdesk.index.postgres.frequencies.PhraseFrequencies` counts it."""
        tokens: dict[int, list[str]] = {}
        for lexeme, number in zip(self.lexemes, self.phrase_numbers):
            tokens.setdefault(number, []).append(lexeme)
        return [PhraseKey(text, tokens[n][0] if len(tokens[n]) == 1 else None) for n, text in enumerate(self.phrases, 1)]


def lexical_query(terms: Sequence[str]) -> LexicalQuery | None:
    """The phrases FTS5 makes of the quoted words ``terms``; None when no word leaves a token.

    As in FTS5, a word that leaves no token is no phrase, and two words of one
    stem are two phrases (each adds to the score).
    """
    phrases = [tokens for tokens in fts5_tokens([_unquoted(term) for term in terms]) if tokens]
    if not phrases:
        return None
    rows = [(token, number, place) for number, tokens in enumerate(phrases, start=1) for place, token in enumerate(tokens)]
    texts = [_phrase(tokens) for tokens in phrases]
    return LexicalQuery(
        tsquery=" | ".join(f"({text})" for text in texts),
        phrases=texts,
        lengths=[len(tokens) for tokens in phrases],
        lexemes=[token for token, _, _ in rows],
        phrase_numbers=[number for _, number, _ in rows],
        places=[place for _, _, place in rows],
    )


def phrase_queries(terms: Sequence[str]) -> list[PhraseKey | None]:
    """Each word's phrase as FTS5 reads the quoted word; None for a word that leaves no token."""
    return [
        PhraseKey(_phrase(tokens), tokens[0] if len(tokens) == 1 else None) if tokens else None
        for tokens in fts5_tokens([_unquoted(term) for term in terms])
    ]
