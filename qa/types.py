"""The records that flow through the pipeline: frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "AddResult",
    "Answer",
    "Article",
    "ArticleDraft",
    "ArticleSummary",
    "ChatTurn",
    "Citation",
    "Disagreement",
    "Passage",
    "Quote",
    "ShortAnswer",
    "StoredPassage",
    "ValueReport",
]


@dataclass(frozen=True)
class ArticleDraft:
    """An article as read from a file or a request, before cleaning."""

    title: str
    text: str
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    source: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Article:
    """A cleaned article as stored; quote offsets point into ``text``."""

    id: str
    title: str
    text: str
    url: str | None
    published: str | None
    source: str | None
    content_hash: str


@dataclass(frozen=True)
class Passage:
    """A run of whole sentences of an article, ``article.text[start:end] == text``."""

    article_id: str
    ordinal: int
    start: int
    end: int
    text: str
    first_sentence: int = 0  # ordinals of the article's sentences it holds, inclusive
    last_sentence: int = 0
    id: int | None = None  # assigned by the store


@dataclass(frozen=True)
class Quote:
    """Verbatim supporting text: ``article.text[start:end] == text``."""

    text: str
    article_id: str
    title: str
    url: str | None
    published: str | None
    source: str | None
    start: int
    end: int
    score: float
    also_reported_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShortAnswer:
    """A short span (name, date, number) inside the answer sentence.

    ``date`` is the calendar day a relative span ("Wednesday evening", "yesterday")
    names, read against the article's date (ISO ``YYYY-MM-DD``), when it names one.
    """

    text: str
    article_id: str
    start: int
    end: int
    date: str | None = None


@dataclass(frozen=True)
class Citation:
    """One sentence of a composed answer: ``answer[start:end]`` is ``quotes[quote].text`` verbatim."""

    quote: int
    start: int
    end: int


@dataclass(frozen=True)
class ValueReport:
    """A value an article gave for the answer, as written (``value``), with its quote and date."""

    value: str
    quote: Quote
    published: str | None


@dataclass(frozen=True)
class Disagreement:
    """One of several values that different sources gave at the same time, with their quotes."""

    value: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Answer:
    """The result of a question: an answer with quotes, or an abstention with the closest quotes."""

    question: str
    answer: str | None
    confidence: float
    quotes: tuple[Quote, ...]
    short_answer: ShortAnswer | None = None
    message: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
    # "span" (a short answer inside the answer sentence), "sentence" (the sentence that answers a
    # why/how/yes-no question, no span), "composed" (several cited sentences), "none" (abstained).
    answer_kind: str = "span"
    citations: tuple[Citation, ...] = ()
    # Earlier values other articles gave for this answer, oldest first; and values that sources
    # reporting at the same time disagree on (see newsdesk.qa.story).
    changes: tuple[ValueReport, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()


@dataclass(frozen=True)
class ChatTurn:
    """An earlier turn of a conversation, as follow-up resolution sees it.

    Attributes:
        question: The question as it was answered (already self-contained).
        answer: The answer sentence, or None when there was no supported answer.
        short_answer: The short answer inside it, if any.
        titles: Titles of the quoted articles, best first.
    """

    question: str
    answer: str | None = None
    short_answer: str | None = None
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredPassage:
    """A passage with the metadata of its article, as retrieval needs it."""

    passage: Passage
    title: str
    url: str | None
    published: str | None
    source: str | None


@dataclass(frozen=True)
class ArticleSummary:
    """An article's metadata without its text."""

    id: str
    title: str
    url: str | None
    published: str | None
    source: str | None
    passages: int
    added_at: str


@dataclass(frozen=True)
class AddResult:
    """What happened to one added article: ``added``, ``replaced`` or ``unchanged``."""

    id: str
    status: str
    passages: int
    title: str
