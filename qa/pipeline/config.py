"""The pipeline's settings: one object per stage, and the limits on what it accepts."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsdesk.qa.answering.scoring import AnsweringConfig
from newsdesk.qa.ingest.chunking import ChunkingConfig
from newsdesk.qa.retrieval.fusion import RetrievalConfig
from newsdesk.qa.retrieval.timeframe import TimeFrameConfig
from newsdesk.qa.story.config import StoryConfig

__all__ = ["PipelineConfig"]


@dataclass(frozen=True)
class PipelineConfig:
    """Everything that shapes indexing and answering.

    Attributes:
        chunking: Passage sizes.
        retrieval: Candidate counts and fusion.
        answering: Sentence scoring, reading and abstention.
        time_frame: The dates that relative time words in a question point at.
        story: Changed figures and disagreeing sources (the story stage after reading).
        max_question_chars: Longer questions are refused.
        max_article_chars: Longer articles are refused.
        default_top_k: Quotes returned when a request does not say.
        max_top_k: The most quotes a request may ask for.
        as_of_days: With ``as_of`` and no time in the question, articles from this
            many days before it are favoured.
    """

    chunking: ChunkingConfig = field(default_factory=ChunkingConfig)
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    answering: AnsweringConfig = field(default_factory=AnsweringConfig)
    time_frame: TimeFrameConfig = field(default_factory=TimeFrameConfig)
    story: StoryConfig = field(default_factory=StoryConfig)
    max_question_chars: int = 1000
    max_article_chars: int = 2_000_000
    default_top_k: int = 5
    max_top_k: int = 50
    as_of_days: int = 7
