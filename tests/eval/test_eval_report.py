from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest

from newsdesk.eval.report import MetricChange, _json_attr, compare_metrics, render_report

_VOID = frozenset({"meta", "input", "br", "hr", "img", "link", "wbr"})
INJECTION = "<script>alert(1)</script> and </script><b>bold</b> & \"quoted\""


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.text_parts) + "".join(child.text() for child in self.children)

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        found = [self] if self.tag == tag and all(self.attrs.get(k) == v for k, v in attrs.items()) else []
        for child in self.children:
            found += child.find_all(tag, **attrs)
        return found

    def find(self, tag: str, **attrs: str) -> Node:
        (node,) = self.find_all(tag, **attrs)
        return node


class StrictTreeParser(HTMLParser):
    """Builds a tree and fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.tag_counts: dict[str, list[int]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        self.tag_counts.setdefault(tag, [0, 0])[0] += 1
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.tag_counts[tag][1] += 1
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].text_parts.append(data)


def parse(document: str) -> StrictTreeParser:
    parser = StrictTreeParser()
    parser.feed(document)
    parser.close()
    assert parser.stack == [parser.root], [node.tag for node in parser.stack]
    return parser


def question(qid: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": qid, "question": f"Question {qid}?", "gold": ["Paris"], "answer": "It is Paris.",
        "short_answer": "Paris", "confidence": 0.7, "abstained": False, "answerable": True, "answer_hit": True,
        "exact_match": 1.0, "f1": 1.0, "hit_rank": 1, "latency_ms": 10.0,
        "quotes": [{"text": f"Quote for {qid}.", "article_id": "a1", "title": "Title", "published": "2024-01-01",
                    "url": None, "start": 0, "end": 10, "score": 0.9}],
    }
    return base | overrides


RECALL = {f"quote_recall@{k}": round(0.3 + 0.03 * k, 3) for k in range(1, 21)}
METRICS = {"questions": 6, "answerable": 4, "unanswerable": 2, "answer_hit": 0.5, "f1": 0.45, "mrr": 0.6,
           **RECALL, "abstain_rate_answerable": 0.25, "latency_ms_p50": 20.1, "latency_ms_mean": 22.0}
QUESTIONS = [
    question("ok", latency_ms=5.0),
    question("wrong", answer="It is Lyon.", short_answer="Lyon", answer_hit=False, hit_rank=None, latency_ms=7.5),
    question("abstain", answer=None, short_answer=None, abstained=True, answer_hit=False, hit_rank=3,
             latency_ms=12.25),
    question("unans-ok", gold=[], answer=None, answerable=False, abstained=True, answer_hit=False, latency_ms=40.0),
    question("unans-bad", gold=[], answerable=False, answer_hit=False, hit_rank=None, latency_ms=3.0),
    question(INJECTION, question=INJECTION, gold=[INJECTION], answer=INJECTION, short_answer=INJECTION,
             answer_hit=False, latency_ms=99.5,
             quotes=[{"text": INJECTION, "title": INJECTION, "article_id": "x", "published": INJECTION}]),
]
RESULTS = {"metrics": METRICS, "settings": {"set": "sets/dev.jsonl", "corpus": None, "model": "all-MiniLM-L6-v2",
                                            "top_k": 20, "note": INJECTION},
           "created": INJECTION, "questions": QUESTIONS}
BASELINE = {"metrics": {**METRICS, "questions": 5, "answer_hit": 0.6, "f1": 0.4, "quote_recall@5": 0.5,
                        "latency_ms_p50": 25.0, "latency_ms_mean": 20.0, "mrr": 0.6}}


@pytest.fixture(scope="module", params=[None, BASELINE], ids=["alone", "with-baseline"])
def document(request: pytest.FixtureRequest) -> str:
    return render_report(RESULTS, request.param)


def test_parses_with_balanced_structure(document: str) -> None:
    parser = parse(document)
    assert document.startswith("<!DOCTYPE html>")
    for tag, opened in [("html", 1), ("body", 1), ("table", 3), ("svg", 2)]:
        assert parser.tag_counts[tag] == [opened, opened], tag


def test_is_self_contained(document: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", document, re.IGNORECASE)
    assert "<link" not in document.lower()
    assert not re.search(r"<script[^>]+src", document, re.IGNORECASE)
    assert "@import" not in document and "url(" not in document


def test_untrusted_text_appears_only_escaped(document: str) -> None:
    assert document.lower().count("<script") == 1  # the report's own filter script
    assert document.lower().count("</script") == 1
    assert "<b>" not in document and "alert(1)</script>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    root = parse(document).root
    evil = root.find("tr", **{"data-question-id": INJECTION})
    # Question, gold, answer, short answer, quote title, date and text all round-trip as text.
    assert evil.text().count(INJECTION) == 7
    assert INJECTION in root.find("table", **{"class": "settings"}).text()
    assert f"Created {INJECTION}" in [p.text() for p in root.find_all("p")]
    assert not root.find("body").find_all("b") and len(root.find_all("script")) == 1


def test_json_attributes_cannot_break_out() -> None:
    data = {"q": "</script><b>&", "n": [1, 2.5]}
    raw = _json_attr(data)
    assert not set("<>'\"") & set(raw) and "&" not in raw.replace("&quot;", "")
    assert json.loads(html.unescape(raw)) == data


def test_recall_series_holds_recall_at_k_in_order() -> None:
    partial = {"metrics": {"quote_recall@10": 0.8, "quote_recall@2": 0.5, "quote_recall@1": 0.4, "mrr": 0.5}}
    svg = parse(render_report(partial, RESULTS)).root.find("svg", id="recall-chart")
    series = json.loads(svg.attrs["data-series"] or "")
    assert series == {"current": [[1, 0.4], [2, 0.5], [10, 0.8]],
                      "baseline": [[k, RECALL[f"quote_recall@{k}"]] for k in range(1, 21)]}
    assert len(svg.find_all("circle")) == 23
    assert "current recall@2 = 0.500" in [circle.text() for circle in svg.find_all("circle")]


def test_recall_series_without_baseline(document: str) -> None:
    series = json.loads(parse(document).root.find("svg", id="recall-chart").attrs["data-series"] or "")
    assert series["current"] == [[k, RECALL[f"quote_recall@{k}"]] for k in range(1, 21)]


def test_latency_histogram(document: str) -> None:
    svg = parse(document).root.find("svg", id="latency-chart")
    assert json.loads(svg.attrs["data-latencies"] or "") == [q["latency_ms"] for q in QUESTIONS]
    bars = svg.find_all("rect")
    assert len(bars) == 20
    counts = [int(re.search(r": (\d+) question", bar.text()).group(1)) for bar in bars]  # type: ignore[union-attr]
    assert sum(counts) == len(QUESTIONS) and counts[0] == 3 and counts[-1] == 1  # 3.0, 5.0, 7.5 | 99.5


@pytest.mark.parametrize("chart", ["latency-chart", "recall-chart"])
def test_axis_labels_stay_inside_the_picture(chart: str) -> None:
    slow = {"metrics": METRICS, "questions": [question("a", latency_ms=3.0), question("b", latency_ms=12345.6)]}
    svg = parse(render_report(slow)).root.find("svg", id=chart)
    width = float((svg.attrs["viewbox"] or "").split()[2])
    labels = [t for t in svg.find_all("text") if t.attrs.get("y") == "268"]  # the x-axis tick labels
    assert len(labels) >= 5
    for label in labels:
        x, span = float(label.attrs["x"] or 0), 7.0 * len(label.text())  # 11px digits are under 7px wide
        right = {"end": x, "middle": x + span / 2, "start": x + span}[label.attrs["text-anchor"] or "start"]
        assert right <= width, label.text()
    assert labels[-1].attrs["text-anchor"] == "end"


def test_failed_questions_table(document: str) -> None:
    root = parse(document).root
    rows = root.find("table", id="failed").find("tbody").find_all("tr")
    kinds = {row.attrs["data-question-id"]: row.find("td", **{"class": "kind"}).text() for row in rows}
    assert kinds == {"wrong": "wrong answer", "abstain": "abstained wrongly",
                     "unans-bad": "answered an unanswerable question", INJECTION: "wrong answer"}
    assert root.find("p", id="failed-count").text() == "4 failed of 6"
    assert root.find("input", id="failed-filter").attrs["type"] == "search"
    abstain = [cell.text() for cell in rows[1].find_all("td")]
    assert abstain[2:4] == ["Paris", "no answer"] and abstain[-1] == "3"
    assert rows[2].find_all("td")[2].text() == "none (unanswerable)"


def test_no_failures_shows_count_only() -> None:
    root = parse(render_report({"metrics": {}, "questions": [question("ok")]})).root
    assert root.find("p", id="failed-count").text() == "0 failed of 1"
    assert not root.find_all("table", id="failed")


def metric_rows(document: str) -> dict[str, list[str]]:
    table = parse(document).root.find("table", id="metrics")
    return {row.attrs["data-metric"] or "": [cell.text() for cell in row.find_all("td")]
            for row in table.find("tbody").find_all("tr")}


@pytest.mark.parametrize(
    ("name", "cells", "tone"),
    [
        ("answer_hit", ["0.500", "0.600", "\u22120.100"], "worse"),
        ("f1", ["0.450", "0.400", "+0.050"], "better"),
        ("mrr", ["0.600", "0.600", "0.000"], "same"),
        ("quote_recall@5", ["0.450", "0.500", "\u22120.050"], "worse"),
        ("latency_ms_p50", ["20.1", "25.0", "\u22124.9"], "better"),
        ("latency_ms_mean", ["22.0", "20.0", "+2.0"], "worse"),
        ("questions", ["6", "5", "+1"], "same"),
    ],
)
def test_baseline_change_columns(name: str, cells: list[str], tone: str) -> None:
    document = render_report(RESULTS, BASELINE)
    headers = [th.text() for th in parse(document).root.find("table", id="metrics").find("thead").find_all("th")]
    assert headers == ["metric", "value", "baseline", "change"]
    assert metric_rows(document)[name] == cells
    change_cell = parse(document).root.find("tr", **{"data-metric": name}).find_all("td")[-1]
    assert change_cell.attrs["class"] == f"num change {tone}"


def test_metrics_without_baseline_have_two_columns() -> None:
    rows = metric_rows(render_report(RESULTS))
    assert rows["questions"] == ["6"] and rows["f1"] == ["0.450"] and rows["latency_ms_p50"] == ["20.1"]


def test_conversation_counts_are_counts() -> None:
    # A conversation eval's metrics count conversations and follow-up turns: whole numbers, never better or worse.
    current = {"conversations": 12, "followup_turns": 30, "f1": 0.5}
    baseline = {"conversations": 10, "followup_turns": 31, "f1": 0.5}
    assert compare_metrics(current, baseline)[:2] == [
        MetricChange("conversations", 12, 10, 2, None), MetricChange("followup_turns", 30, 31, -1, None)
    ]
    document = render_report({"metrics": current, "questions": []}, {"metrics": baseline})
    rows = metric_rows(document)
    assert rows["conversations"] == ["12", "10", "+2"] and rows["followup_turns"] == ["30", "31", "\u22121"]
    for name in ("conversations", "followup_turns"):
        change_cell = parse(document).root.find("tr", **{"data-metric": name}).find_all("td")[-1]
        assert change_cell.attrs["class"] == "num change same"


@pytest.mark.parametrize(
    ("current", "baseline", "expected"),
    [
        ({"f1": 0.75}, {"f1": 0.5}, [MetricChange("f1", 0.75, 0.5, 0.25, True)]),
        ({"f1": 0.5}, {"f1": 0.75}, [MetricChange("f1", 0.5, 0.75, -0.25, False)]),
        ({"f1": 0.4}, {"f1": 0.4}, [MetricChange("f1", 0.4, 0.4, 0.0, None)]),
        ({"latency_ms_p95": 30.0}, {"latency_ms_p95": 40.0},
         [MetricChange("latency_ms_p95", 30.0, 40.0, -10.0, True)]),
        ({"latency_ms_mean": 50}, {"latency_ms_mean": 40}, [MetricChange("latency_ms_mean", 50, 40, 10, False)]),
        ({"abstain_rate_answerable": 0.5}, {"abstain_rate_answerable": 0.25},
         [MetricChange("abstain_rate_answerable", 0.5, 0.25, 0.25, False)]),
        ({"questions": 10, "answerable": 8, "unanswerable": 2}, {"questions": 12, "answerable": 8, "unanswerable": 4},
         [MetricChange("questions", 10, 12, -2, None), MetricChange("answerable", 8, 8, 0, None),
          MetricChange("unanswerable", 2, 4, -2, None)]),
        ({"f1": 0.5, "mrr": 0.75}, {"mrr": 0.5, "em": 0.1}, [MetricChange("mrr", 0.75, 0.5, 0.25, True)]),
        ({"f1": "n/a", "mrr": True, "em": float("nan")}, {"f1": 0.1, "mrr": 0.2, "em": 0.1}, []),
        ({}, {"f1": 0.5}, []),
    ],
    ids=["up", "down", "same", "latency-down", "latency-up", "abstain-rate-up", "counts", "missing", "non-numeric",
         "empty"],
)
def test_compare_metrics(current: dict[str, Any], baseline: dict[str, Any], expected: list[MetricChange]) -> None:
    assert compare_metrics(current, baseline) == expected
