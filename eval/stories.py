"""The story eval: latest figures, disagreeing sources, timelines and composed answers over a corpus.

A story set is JSON lines, one case a line::

    {"id", "kind": "latest"|"disagreement"|"timeline"|"composed", "question", "as_of": "YYYY-MM-DD"|null,
     "corpus": "realtimeqa-dev"|"tests", "latest": str|null, "earlier": [str], "disagreeing": [str],
     "events": [str]}

``events`` are distinctive substrings of the expected timeline entries, in the expected order.
A file named ``stories-*.jsonl``, or one whose first record has ``kind``, is a story set.

Metrics (see :mod:`newsdesk.eval.story_metrics`): ``latest_accuracy`` (the short answer is the
expected latest value), ``earlier_recall`` (expected earlier values among the answer's
changes), ``disagreement_recall`` and ``disagreement_precision`` (over values; a disagreement
reported where none is expected counts against precision), ``timeline_order_accuracy`` (the
share of correctly ordered pairs among the matched events; None when the newsdesk has no
timeline) and ``citation_precision`` (None when no answer cites).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsdesk.desk import Newsdesk
from newsdesk.qa.errors import NotFoundError
from newsdesk.qa.types import Answer

from .metrics import percentile
from .records import EvalSetError, as_of_date, json_lines, question_text, read_text, record_id
from .story_metrics import cited_sentence_ok, matched_values, order_pairs, same_value

__all__ = ["KINDS", "StoryCase", "is_story_set", "load_story_set", "run_story_eval"]

KINDS = ("latest", "disagreement", "timeline", "composed")
TIMELINE_LIMIT = 30


@dataclass(frozen=True)
class StoryCase:
    """One story case (see the module docstring for the fields)."""

    id: str
    kind: str
    question: str
    as_of: str | None
    corpus: str | None
    latest: str | None
    earlier: tuple[str, ...]
    disagreeing: tuple[str, ...]
    events: tuple[str, ...]


def is_story_set(path: Path | str) -> bool:
    """Whether a file is a story set: named ``stories-*.jsonl`` or its first record has ``kind``."""
    path = Path(path)
    if path.name.startswith("stories-") and path.suffix == ".jsonl":
        return True
    try:
        with path.open(encoding="utf-8-sig") as handle:
            first = next((line for line in handle if line.strip()), "")
        record = json.loads(first) if first else None
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and "kind" in record and "turns" not in record


def _strings(where: str, record: dict[str, Any], field: str) -> tuple[str, ...]:
    values = record.get(field) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise EvalSetError(f"{where}: '{field}' must be a list of non-empty strings")
    return tuple(v.strip() for v in values)


def _case(where: str, record: Any, line: int) -> StoryCase:
    if not isinstance(record, dict):
        raise EvalSetError(f"{where}: expected a JSON object")
    kind = record.get("kind")
    if kind not in KINDS:
        raise EvalSetError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    latest = record.get("latest")
    if latest is not None and (not isinstance(latest, str) or not latest.strip()):
        raise EvalSetError(f"{where}: 'latest' must be a non-empty string or null")
    case = StoryCase(
        id=record_id(where, record.get("id"), f"line-{line}"), kind=kind,
        question=question_text(where, record.get("question")), as_of=as_of_date(where, record.get("as_of")),
        corpus=record.get("corpus"), latest=latest.strip() if latest else None,
        earlier=_strings(where, record, "earlier"), disagreeing=_strings(where, record, "disagreeing"),
        events=_strings(where, record, "events"),
    )
    if kind == "latest" and case.latest is None:
        raise EvalSetError(f"{where}: a 'latest' case needs 'latest'")
    if kind == "disagreement" and len(case.disagreeing) < 2:
        raise EvalSetError(f"{where}: a 'disagreement' case needs at least two 'disagreeing' values")
    if kind == "timeline" and len(case.events) < 2:
        raise EvalSetError(f"{where}: a 'timeline' case needs at least two 'events'")
    return case


def load_story_set(path: Path | str) -> list[StoryCase]:
    """Read a story set.

    Raises:
        EvalSetError: The file is missing or a record is malformed (named by line), or ids repeat.
    """
    path = Path(path)
    cases = [_case(where, record, line) for line, where, record in json_lines(path, read_text(path))]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise EvalSetError(f"{path}: the id {case.id!r} is used twice")
        seen.add(case.id)
    if not cases:
        raise EvalSetError(f"{path}: no cases")
    return cases


def _article_text(desk: Newsdesk, article_id: str, cache: dict[str, str | None]) -> str | None:
    if article_id not in cache:
        try:
            cache[article_id] = desk.get_article(article_id).text
        except NotFoundError:
            cache[article_id] = None
    return cache[article_id]


def _answer_record(case: StoryCase, answer: Answer, desk: Newsdesk, texts: dict[str, str | None]) -> dict[str, Any]:
    short = answer.short_answer.text if answer.short_answer else None
    cited = [
        cited_sentence_ok(answer.answer or "", c.start, c.end, q.text, _article_text(desk, q.article_id, texts),
                          q.start, q.end, case.question)
        for c in answer.citations if 0 <= c.quote < len(answer.quotes) for q in [answer.quotes[c.quote]]
    ]
    cited += [False] * sum(not 0 <= c.quote < len(answer.quotes) for c in answer.citations)
    changes = [c.value for c in answer.changes]
    differing = [d.value for d in answer.disagreements]
    return {
        "answer": answer.answer, "short_answer": short, "message": answer.message, "changes": changes,
        "disagreements": differing, "latest_ok": same_value(short, case.latest) if case.latest else None,
        "earlier_found": matched_values(changes, case.earlier)[0],
        "disagreeing_found": matched_values(differing, case.disagreeing)[0],
        "disagreeing_right": matched_values(differing, case.disagreeing)[1], "citations_ok": cited,
    }


def _timeline_record(case: StoryCase, desk: Newsdesk) -> dict[str, Any]:
    timeline = desk.timeline(case.question, until=case.as_of, limit=TIMELINE_LIMIT)  # type: ignore[attr-defined]
    entries = [f"{q.title} {q.text}" for q in timeline.entries]
    matched, in_order, pairs = order_pairs(entries, case.events)
    return {"entries": [f"{q.published} {q.text}" for q in timeline.entries], "events_matched": matched,
            "pairs_in_order": in_order, "pairs": pairs}


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def story_metrics(records: list[dict[str, Any]], has_timeline: bool) -> dict[str, Any]:
    """Aggregate the per-case records into the story metrics (see the module docstring)."""
    latest = [r["latest_ok"] for r in records if r.get("latest_ok") is not None]
    expected_earlier = sum(len(r["case"]["earlier"]) for r in records)
    expected_differing = sum(len(r["case"]["disagreeing"]) for r in records)
    predicted_differing = sum(len(r.get("disagreements", [])) for r in records)
    timelines = [r for r in records if "pairs" in r]
    cited = [ok for r in records for ok in r.get("citations_ok", [])]
    latencies = [r["latency_ms"] for r in records]
    return {
        "cases": len(records),
        "latest_accuracy": _ratio(sum(latest), len(latest)),
        "earlier_recall": _ratio(sum(r.get("earlier_found", 0) for r in records), expected_earlier),
        "disagreement_recall": _ratio(sum(r.get("disagreeing_found", 0) for r in records), expected_differing),
        "disagreement_precision": _ratio(sum(r.get("disagreeing_right", 0) for r in records), predicted_differing),
        "timeline_order_accuracy": _ratio(sum(r["pairs_in_order"] for r in timelines), sum(r["pairs"] for r in timelines))
        if has_timeline else None,
        "timeline_event_recall": _ratio(sum(r["events_matched"] for r in timelines), sum(len(r["case"]["events"]) for r in timelines))
        if has_timeline else None,
        "citation_precision": _ratio(sum(cited), len(cited)),
        "latency_ms_p50": percentile(latencies, 50),
    }


def run_story_eval(
    cases: list[StoryCase], desk: Newsdesk, settings: dict[str, Any], on_case: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """Run every case through the newsdesk and score it.

    Returns:
        The results document: ``metrics``, ``settings``, ``created``, ``notes`` and one record per case.
    """
    has_timeline = hasattr(desk, "timeline")
    texts: dict[str, str | None] = {}
    records = []
    for case in cases:
        started = time.perf_counter()
        record: dict[str, Any] = {"id": case.id, "kind": case.kind, "question": case.question, "as_of": case.as_of,
                                  "case": {"latest": case.latest, "earlier": list(case.earlier),
                                           "disagreeing": list(case.disagreeing), "events": list(case.events)}}
        if case.kind == "timeline":
            if has_timeline:
                record.update(_timeline_record(case, desk))
        else:
            record.update(_answer_record(case, desk.ask(case.question, as_of=case.as_of), desk, texts))
        record["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
        records.append(record)
        if on_case:
            on_case(record)
    notes = [] if has_timeline else ["timeline_order_accuracy is None: this newsdesk has no timeline()"]
    return {
        "metrics": story_metrics(records, has_timeline),
        "settings": settings,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "notes": notes,
        "questions": records,
    }
