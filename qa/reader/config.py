"""Every setting of the reading model: how it reads, and how it was trained."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReaderConfig", "TrainingConfig"]


@dataclass(frozen=True)
class ReaderConfig:
    """How the shipped reader reads candidate windows.

    Attributes:
        max_tokens: Longest input (question and window) in word pieces.
        question_tokens: Longest question kept; a longer one keeps its end, where news quizzes put the question.
        max_answer_tokens: Longest span considered as an answer.
        neighbours: Sentences read on each side of a candidate sentence.
        batch_size: Windows per forward pass.
        alternatives: Next-best spans kept per window (answering prefers one of the asked-for kind).
    """

    max_tokens: int = 192
    question_tokens: int = 64
    max_answer_tokens: int = 30
    neighbours: int = 1
    batch_size: int = 16
    alternatives: int = 8


@dataclass(frozen=True)
class TrainingConfig:
    """The fine-tuning recipe of ``newsdesk train-reader`` (recorded in the model card).

    Attributes:
        seed: Seeds example order, negatives and initialisation of the span head.
        learning_rate: Peak AdamW learning rate.
        warmup_share: Share of the steps spent warming up linearly from zero.
        weight_decay: AdamW weight decay (not applied to biases and LayerNorms).
        batch_size: Windows per optimisation step.
        epochs: Passes over the training examples.
        negatives_per_question: Windows without the answer built per answerable question.
        holdout_every_squad_article: Every n-th SQuAD article is held out (calibration, never trained on).
        holdout_every_news_week: Every n-th news week is held out.
        checkpoint_every: Steps between checkpoints (training resumes from the latest).
        threads: Torch CPU threads.
        news_repeats: Times each news training example is seen per epoch (news is what the reader reads).
        eval_every: Steps between held-out checks (the training curve; the best checkpoint is kept).
        eval_questions: Held-out questions of each kind (SQuAD, news) scored at each check.
        calibration_questions: Held-out questions of each kind scored at export (card and calibration).
        init_from: A saved reader to continue from ("" starts from MiniLM with a new span head).
    """

    seed: int = 13
    learning_rate: float = 8e-5
    warmup_share: float = 0.06
    weight_decay: float = 0.01
    batch_size: int = 24
    epochs: float = 1.12
    negatives_per_question: int = 2
    holdout_every_squad_article: int = 11
    holdout_every_news_week: int = 10
    checkpoint_every: int = 50
    threads: int = 2
    news_repeats: int = 3
    eval_every: int = 250
    eval_questions: int = 200
    calibration_questions: int = 1000
    init_from: str = ""
