"""A self-contained HTML report of one evaluation run, optionally against a baseline run.

The page needs nothing from the network: CSS and the row filter are inline and the
charts are SVG drawn here. Every string taken from the results (questions, answers,
quote texts, settings) is untrusted and goes through :func:`html.escape`; JSON placed
in attributes also has ``<``, ``>`` and ``&`` written as ``\\u003c`` etc.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

#: Metrics whose names start with one of these improve by going down.
LOWER_IS_BETTER = ("latency_", "abstain_rate_answerable")
#: Metrics that count things (a conversation eval adds its conversations and follow-up turns):
#: printed as whole numbers, never better or worse.
COUNT_KEYS = frozenset({"questions", "answerable", "unanswerable", "conversations", "followup_turns"})
_RECALL_KEY = re.compile(r"quote_recall@(\d+)")
_MAX_K = 20
_HISTOGRAM_BINS = 20
_MINUS = "\u2212"
_DOT = " \u00b7 "
_FAILED_COLUMNS = ("kind", "question", "gold", "answer", "short answer", "top quotes", "first hit rank")


@dataclass(frozen=True)
class MetricChange:
    """One metric in two runs; ``better`` is None for counts and for no change."""

    name: str
    current: float
    baseline: float
    change: float
    better: bool | None


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def compare_metrics(current: Mapping[str, float], baseline: Mapping[str, float]) -> list[MetricChange]:
    """Compare the metrics two runs share.

    Args:
        current: Metric name to value for the run under study.
        baseline: Metric name to value for the run compared against.

    Returns:
        One change per key present in both with finite numeric values, in ``current``'s
        order. ``better`` says whether the change is an improvement (see
        :data:`LOWER_IS_BETTER`); it is None for :data:`COUNT_KEYS` and for no change.
    """
    changes = []
    for name, value in current.items():
        other = baseline.get(name)
        if not (_is_number(value) and _is_number(other)):
            continue
        change = value - other
        better = None if name in COUNT_KEYS or change == 0 else (change < 0) == name.startswith(LOWER_IS_BETTER)
        changes.append(MetricChange(name, value, other, change, better))
    return changes


def format_metric(name: str, value: Any) -> str:
    """Format a metric value: counts as ints, latencies in ms to 1 decimal, others to 3."""
    if not _is_number(value):
        return str(value)
    if name in COUNT_KEYS:
        return str(int(value))
    return f"{value:.1f}" if name.startswith("latency_") else f"{value:.3f}"


def format_change(change: MetricChange) -> str:
    """Format a change with its sign, e.g. ``+0.031`` or ``\u22120.012`` (a true minus)."""
    text = format_metric(change.name, abs(change.change))
    if float(text) == 0:
        return text
    return ("+" if change.change > 0 else _MINUS) + text


def _e(value: Any) -> str:
    return html.escape("\u2014" if value is None else str(value))


def _json_attr(data: Any) -> str:
    text = json.dumps(data).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return html.escape(text, quote=True)


def _recall_series(metrics: Mapping[str, Any]) -> list[tuple[int, float]]:
    found = ((_RECALL_KEY.fullmatch(name), value) for name, value in metrics.items())
    return sorted((int(m[1]), float(v)) for m, v in found if m and 1 <= int(m[1]) <= _MAX_K and _is_number(v))


def _settings_section(results: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{_e(key)}</th><td>{_e(value if not isinstance(value, (list, dict)) else json.dumps(value))}</td></tr>"
        for key, value in (results.get("settings") or {}).items()
    )
    return f'<table class="settings"><tbody>{rows}</tbody></table>' if rows else ""


def _metrics_section(metrics: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> str:
    changes = {change.name: change for change in compare_metrics(metrics, baseline or {})}
    head = "<th>metric</th><th>value</th>" + ("<th>baseline</th><th>change</th>" if baseline is not None else "")
    rows = []
    for name, value in metrics.items():
        cells = f'<th>{_e(name)}</th><td class="num">{_e(format_metric(name, value))}</td>'
        if (change := changes.get(name)) is not None:
            tone = {True: "better", False: "worse", None: "same"}[change.better]
            cells += (f'<td class="num">{_e(format_metric(name, change.baseline))}</td>'
                      f'<td class="num change {tone}">{_e(format_change(change))}</td>')
        elif baseline is not None:
            cells += '<td class="num">\u2014</td><td class="num">\u2014</td>'
        rows.append(f'<tr data-metric="{_e(name)}">{cells}</tr>')
    return f'<table id="metrics"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


_W, _H = 640, 300
_LEFT, _TOP, _RIGHT, _BOTTOM = 56, 16, 624, 252  # the plotting area inside the SVG


def _chart(attrs: str, labels: tuple[str, str], x_ticks: list[tuple[float, str]],
           y_ticks: list[tuple[float, str]], marks: str) -> str:
    """Draw axes, grid and tick labels (at pixel positions) around a chart's marks."""
    mid_x, mid_y = (_LEFT + _RIGHT) / 2, (_TOP + _BOTTOM) / 2
    grid = "".join(f'<line class="grid" x1="{_LEFT}" y1="{y:.1f}" x2="{_RIGHT}" y2="{y:.1f}"/>'
                   f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_e(text)}</text>' for y, text in y_ticks)
    # A label at the right edge ends there: centred on it, it would run out of the picture.
    grid += "".join(f'<text x="{x:.1f}" y="{_BOTTOM + 16}" text-anchor="{"end" if x >= _RIGHT else "middle"}">'
                    f"{_e(text)}</text>" for x, text in x_ticks)
    return (
        f'<svg {attrs} viewBox="0 0 {_W} {_H}" role="img">{grid}'
        f'<path class="axis" d="M{_LEFT} {_TOP}V{_BOTTOM}H{_RIGHT}"/>'
        f'<text class="label" x="{mid_x}" y="{_H - 8}" text-anchor="middle">{_e(labels[0])}</text>'
        f'<text class="label" x="14" y="{mid_y}" text-anchor="middle" transform="rotate(-90 14 {mid_y})">'
        f"{_e(labels[1])}</text>{marks}</svg>"
    )


def _recall_chart(metrics: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> str:
    series = {"current": _recall_series(metrics)}
    if baseline is not None:
        series["baseline"] = _recall_series(baseline)
    if not any(series.values()):
        return "<p>No quote recall@k metrics in these results.</p>"

    def x(k: float) -> float:
        return _LEFT + (k - 1) / (_MAX_K - 1) * (_RIGHT - _LEFT)

    def y(value: float) -> float:
        return _BOTTOM - min(max(value, 0.0), 1.0) * (_BOTTOM - _TOP)

    marks = ""
    for name, points in series.items():
        coords = " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in points)
        dots = "".join(
            f'<circle cx="{x(k):.1f}" cy="{y(v):.1f}" r="3.5"><title>{name} recall@{k} = {v:.3f}</title></circle>'
            for k, v in points
        )
        marks += f'<g class="series {name}"><polyline points="{coords}"/>{dots}</g>'
    attrs = f'id="recall-chart" aria-label="quote recall at k" data-series="{_json_attr(series)}"'
    x_ticks = [(x(k), str(k)) for k in (1, 5, 10, 15, 20)]
    chart = _chart(attrs, ("k (quotes considered)", "quote recall@k"), x_ticks,
                   [(y(i / 5), f"{i / 5:.1f}") for i in range(6)], marks)
    baseline_key = '<span class="key baseline"></span>baseline' if baseline is not None else ""
    return f'{chart}<p class="legend"><span class="key"></span>this run{baseline_key}</p>'


def _latency_histogram(latencies: Sequence[float]) -> str:
    if not latencies:
        return "<p>No per-question latencies in these results.</p>"
    low = min(latencies)
    width = (max(latencies) - low) / _HISTOGRAM_BINS or 1.0
    counts = [0] * _HISTOGRAM_BINS
    for value in latencies:
        counts[min(int((value - low) / width), _HISTOGRAM_BINS - 1)] += 1
    step = math.ceil(max(counts) / 4)
    y_max = step * math.ceil(max(counts) / step)
    bar_width = (_RIGHT - _LEFT) / _HISTOGRAM_BINS

    def y(count: float) -> float:
        return _BOTTOM - count / y_max * (_BOTTOM - _TOP)

    marks = "".join(
        f'<rect class="bar" x="{_LEFT + i * bar_width + 1:.1f}" y="{y(count):.1f}" width="{bar_width - 2:.1f}" '
        f'height="{_BOTTOM - y(count):.1f}"><title>{low + i * width:.1f}\u2013{low + (i + 1) * width:.1f} ms: '
        f'{count} question{"" if count == 1 else "s"}</title></rect>'
        for i, count in enumerate(counts)
    )
    attrs = f'id="latency-chart" aria-label="latency histogram" data-latencies="{_json_attr(list(latencies))}"'
    x_ticks = [(_LEFT + i * bar_width, f"{low + i * width:.1f}") for i in range(0, _HISTOGRAM_BINS + 1, 5)]
    return _chart(attrs, ("latency (ms)", "questions"), x_ticks,
                  [(y(c), str(c)) for c in range(0, y_max + 1, step)], marks)


def failure_kind(question: Mapping[str, Any]) -> str | None:
    """Name how the system failed a question, or None if it did not."""
    if not question.get("answerable", True):
        return None if question.get("abstained") else "answered an unanswerable question"
    if question.get("answer_hit"):
        return None
    return "abstained wrongly" if question.get("abstained") else "wrong answer"


def _quotes_cell(quotes: Sequence[Mapping[str, Any]]) -> str:
    items = "".join(
        f'<li><span class="source">{_e(quote.get("title") or quote.get("article_id"))}'
        f'{_DOT + _e(quote["published"]) if quote.get("published") else ""}</span>'
        f"<q>{_e(quote.get('text', ''))}</q></li>"
        for quote in quotes[:3]
    )
    return f"<ol>{items}</ol>" if items else "no quotes"


def _failures_section(questions: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for question in questions:
        if (kind := failure_kind(question)) is None:
            continue
        gold = question.get("gold") or []
        rows.append(
            f'<tr data-question-id="{_e(question.get("id"))}"><td class="kind">{_e(kind)}</td>'
            f"<td>{_e(question.get('question', ''))}</td>"
            f"<td>{' | '.join(_e(g) for g in gold) if gold else 'none (unanswerable)'}</td>"
            f"<td>{_e(question.get('answer') or 'no answer')}</td><td>{_e(question.get('short_answer'))}</td>"
            f"<td>{_quotes_cell(question.get('quotes') or [])}</td>"
            f'<td class="num">{_e(question.get("hit_rank"))}</td></tr>'
        )
    count = f'<p id="failed-count">{len(rows)} failed of {len(questions)}<span id="failed-shown"></span></p>'
    if not rows:
        return count
    head = "".join(f"<th>{name}</th>" for name in _FAILED_COLUMNS)
    return (
        '<input id="failed-filter" type="search" placeholder="Filter failed questions" '
        f'aria-label="Filter failed questions">{count}<div class="scroll"><table id="failed">'
        f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0 auto;
max-width:72rem;padding:1rem;color:#1f2328;line-height:1.45}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}.scroll{overflow-x:auto}.legend{font-size:.85rem}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.num{text-align:right;font-variant-numeric:tabular-nums}.better{color:#1a7f37}.worse{color:#cf222e}
#failed td{min-width:8rem}#failed ol{margin:0;padding-left:1.2rem}.source{display:block;color:#57606a;font-size:.8rem}
svg{width:100%;max-width:640px;height:auto;font-size:11px}.axis{fill:none;stroke:#57606a}.grid{stroke:#eaeef2}
.label{font-size:12px}.bar{fill:#54aeff}.series polyline{fill:none;stroke:#0969da;stroke-width:2}
.series circle{fill:#0969da}.baseline polyline{stroke:#8c959f;stroke-dasharray:6 4}.baseline circle{fill:#8c959f}
.key{display:inline-block;width:1.5rem;border-top:2px solid #0969da;margin:0 .3rem .2rem 1rem}
.key.baseline{border-top-style:dashed;border-color:#8c959f}input[type=search]{width:100%;max-width:24rem;padding:.4rem}
"""

_SCRIPT = """(() => {
  const input = document.getElementById("failed-filter"), shown = document.getElementById("failed-shown");
  const rows = Array.from(document.querySelectorAll("#failed tbody tr"));
  input?.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    for (const row of rows) row.hidden = !row.textContent.toLowerCase().includes(needle);
    shown.textContent = needle ? ` (${rows.filter((row) => !row.hidden).length} shown)` : "";
  });
})();"""


def render_report(results: Mapping[str, Any], baseline: Mapping[str, Any] | None = None) -> str:
    """Render an evaluation run as one self-contained HTML5 document.

    Args:
        results: What the eval runner wrote: ``metrics``, ``settings``, ``created``, ``questions``.
        baseline: Another run's results to compare against, or None.

    Returns:
        The HTML page: settings, metrics (with changes against the baseline), a recall@k
        plot, a latency histogram and a filterable table of failed questions.
    """
    metrics = results.get("metrics") or {}
    baseline_metrics = None if baseline is None else baseline.get("metrics") or {}
    questions = results.get("questions") or []
    latencies = [float(q["latency_ms"]) for q in questions if _is_number(q.get("latency_ms"))]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newsdesk evaluation report</title><style>{_STYLE}</style></head><body>"
        f'<h1>newsdesk evaluation report</h1><p>Created {_e(results.get("created"))}</p>'
        f"{_settings_section(results)}<h2>Metrics</h2><div class=\"scroll\">"
        f"{_metrics_section(metrics, baseline_metrics)}</div>"
        f"<h2>Quote recall@k</h2>{_recall_chart(metrics, baseline_metrics)}"
        f"<h2>Latency per question</h2>{_latency_histogram(latencies)}"
        f"<h2>Failed questions</h2>{_failures_section(questions)}"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
