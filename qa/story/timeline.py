"""A story over time: the dated sentences most about a query, one per event, in date order, by day.

The candidates are the query's scored sentences (the same hybrid retrieval and
sentence scoring as a question, see :func:`newsdesk.qa.answering.scoring.score_sentences`).
Only dated sentences that hold enough of the query's words count as being about
it. Each article tells one event, through its sentence most about the query;
syndicated copies of one text are one entry, their sources named in
``also_reported_by``. The best ``limit`` entries are then put in date order
(and in text order within an article's day) and grouped by day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from newsdesk.qa.answering.config import AnsweringConfig
from newsdesk.qa.answering.scoring import ScoredSentence, collapse_duplicates
from newsdesk.qa.types import Quote

__all__ = ["Timeline", "TimelineConfig", "TimelineDay", "timeline_from_sentences"]


@dataclass(frozen=True)
class TimelineConfig:
    """How a timeline is drawn.

    Attributes:
        default_limit: Entries returned when a request does not say.
        max_limit: The most entries a request may ask for.
        passages_considered: Top retrieved passages whose sentences are candidates.
        min_overlap: Share of the query's (idf-weighted) words a sentence must hold to be about it.
        min_score_share: A sentence scoring under this share of the best one is left out.
        entries_per_article: Sentences one article contributes (an article tells one event).
        lead_chars: Sentences starting this close to an article's start are its lead: they
            tell the article's own event, where later ones often recall earlier events ...
        lead_bonus: ... so among an article's sentences about the query, a lead one
            gets this much added to its score when the article's entry is picked.
    """

    default_limit: int = 20
    max_limit: int = 100
    passages_considered: int = 60
    min_overlap: float = 0.3
    min_score_share: float = 0.5
    entries_per_article: int = 1
    lead_chars: int = 400
    lead_bonus: float = 0.5


@dataclass(frozen=True)
class TimelineDay:
    """The entries of one day, in text order."""

    date: str  # ISO YYYY-MM-DD
    entries: tuple[Quote, ...]


@dataclass(frozen=True)
class Timeline:
    """A query's timeline: its days in date order."""

    query: str
    days: tuple[TimelineDay, ...]

    @property
    def entries(self) -> tuple[Quote, ...]:
        """Every entry, in date order."""
        return tuple(entry for day in self.days for entry in day.entries)


def _about_the_query(scored: Sequence[ScoredSentence], config: TimelineConfig) -> list[ScoredSentence]:
    """Each article's entry among the dated sentences about the query, the most relevant articles first.

    An article counts by its best sentence's score; its entry is the sentence that best tells the
    article's own event (the lead favoured, see :class:`TimelineConfig`).
    """
    dated = [s for s in scored if s.source.published and s.overlap >= config.min_overlap]
    if not dated:
        return []
    best = max(s.score for s in dated)
    floor = best * config.min_score_share if best > 0 else best
    by_article: dict[str, list[ScoredSentence]] = {}
    for sentence in dated:
        by_article.setdefault(sentence.source.passage.article_id, []).append(sentence)
    chosen: list[tuple[float, ScoredSentence]] = []
    for sentences in by_article.values():
        relevance = max(s.score for s in sentences)
        if relevance < floor:
            continue
        told = sorted(sentences, key=lambda s: -(s.score + config.lead_bonus * (s.start < config.lead_chars)))
        chosen.extend((relevance, s) for s in told[: config.entries_per_article])
    chosen.sort(key=lambda pair: -pair[0])
    return [sentence for _, sentence in chosen]


def timeline_from_sentences(
    query: str,
    scored: Sequence[ScoredSentence],
    limit: int,
    config: TimelineConfig = TimelineConfig(),
    answering: AnsweringConfig = AnsweringConfig(),
) -> Timeline:
    """The timeline of ``query`` from its scored sentences (see the module docstring).

    Args:
        query: The entity or story asked about.
        scored: The query's candidate sentences, best first.
        limit: Entries to keep at most.
        config: Relevance thresholds.
        answering: What counts as two copies of one sentence.

    Returns:
        The kept entries grouped by day, days and entries in date order.
    """
    chosen = collapse_duplicates(_about_the_query(scored, config), limit, answering)
    ordered = sorted(chosen, key=lambda q: (q.published or "", q.article_id, q.start))
    days = tuple(
        TimelineDay(day, tuple(entries)) for day, entries in groupby(ordered, key=lambda q: q.published or "")
    )
    return Timeline(query, days)
