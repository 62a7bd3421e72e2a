"""The story stages' settings: when answers from several dates or sources are grouped, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsdesk.qa.story.compose import ComposeConfig
from newsdesk.qa.story.timeline import TimelineConfig

__all__ = ["StoryConfig"]


@dataclass(frozen=True)
class StoryConfig:
    """How changed figures and disagreeing sources are found (see :mod:`newsdesk.qa.story.changes`).

    A candidate answer from another article counts only when it answers the same question:
    the reader finds a span in it with at least ``min_margin`` over "not here", the sentence
    holds at least ``min_overlap`` of the question's weighted words and ``min_context`` of those
    the answer's sentence holds, the value is of the answer's kind and unit, and neither
    sentence gives the other's value.

    Attributes:
        enabled: Look for changes and disagreements at all.
        candidates: Best-scored sentences looked through for other reports of the answer.
        extra_reads: Of those, the most not already read for the answer that the reader reads.
        min_margin: The reader's margin a candidate's span needs.
        min_overlap: The share of the question's weighted words a candidate's sentence needs.
        min_context: The share of the question's weighted words in the answer's sentence that
            a report's sentence must hold too (the same question, not a neighbouring figure).
        story_days: Reports older than this many days before the newest are another story.
        same_days: Reports this many days apart or closer are concurrent: different values
            from different sources then disagree rather than change.
        same_text_share: Sentences sharing this share of their words are one syndicated text.
        compose: Composed answers for list, summary, why and comparison questions.
        timeline: How timelines are drawn.
    """

    enabled: bool = True
    candidates: int = 16
    extra_reads: int = 4
    min_margin: float = 2.0
    min_overlap: float = 0.3
    min_context: float = 0.6
    story_days: int = 45
    same_days: int = 3
    same_text_share: float = 0.8
    compose: ComposeConfig = field(default_factory=ComposeConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
