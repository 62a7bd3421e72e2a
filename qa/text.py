"""Word-level helpers shared by retrieval and answering: tokens and stopwords."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["STOPWORDS", "content_terms", "stem", "tokens"]

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not of off on once only or other our ours ourselves out over own same she should so some
    such than that the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your yours
    yourself yourselves according said says say week weeks this year years new one latest recent recently
    name named called per cent percent mr mrs ms s t don didn doesn isn wasn aren weren
    """.split()
)
_TOKEN = re.compile(r"[\w][\w'’-]*\w|\w", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, possessive endings dropped."""
    out = []
    for token in _TOKEN.findall(text.lower()):
        token = token.replace("’", "'")
        if token.endswith("'s"):
            token = token[:-2]
        out.append(token)
    return out


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """A light suffix stripper: enough to match 'talks'/'talk', 'elected'/'election' stems."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s"):
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return token


def content_terms(text: str) -> list[str]:
    """The stems of the words that carry meaning (no stopwords), in order."""
    return [stem(t) for t in tokens(text) if t not in STOPWORDS and not (len(t) == 1 and not t.isdigit())]
