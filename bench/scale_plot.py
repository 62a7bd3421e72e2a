"""A small SVG of how the backends' costs grow with the collection, from ``bench.scale --out`` results.

    python -m bench.scale_plot bench-scale.json [more.json ...] --out docs/scale.svg

Two panels, both axes logarithmic: the hybrid query's p50 and p95 (ms) against
passages, and the index bytes a query keeps hot (``index_bytes``) against passages,
one line per backend. Where a result file holds several settings for one size, the
row with the highest recall@10 is drawn (ties: the faster). No plotting library:
the SVG is written directly.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from pathlib import Path

__all__ = ["render", "series"]

_COLOURS = {"embedded": "#1f6fb2", "postgres": "#c2541c"}
_PANEL_W, _PANEL_H, _MARGIN = 300, 200, 50


def series(rows: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """One row per (backend, passages): the highest recall, then the lowest p50; sorted by passages."""
    best: dict[tuple[str, int], dict[str, object]] = {}
    for row in rows:
        key = (str(row["backend"]), int(row["passages"]))  # type: ignore[call-overload]
        rank = (float(row["recall@10"]), -float(row["hybrid_p50_ms"]))  # type: ignore[arg-type]
        held = best.get(key)
        if held is None or rank > (float(held["recall@10"]), -float(held["hybrid_p50_ms"])):  # type: ignore[arg-type]
            best[key] = row
    out: dict[str, list[dict[str, object]]] = {}
    for (backend, _), row in sorted(best.items(), key=lambda item: item[0]):
        out.setdefault(backend, []).append(row)
    return out


def _scale(values: list[float], size: float, flip: bool) -> tuple[float, float, Callable[[float], float]]:
    low, high = math.log10(min(values)), math.log10(max(values))
    low, high = math.floor(low), math.ceil(high) if high > low else math.floor(low) + 1

    def at(value: float) -> float:
        share = (math.log10(value) - low) / (high - low)
        return size * (1 - share) if flip else size * share

    return low, high, at


def _panel(x0: int, title: str, lines: dict[str, list[tuple[float, float, str]]], unit: str) -> list[str]:
    xs = [x for points in lines.values() for x, _, _ in points]
    ys = [y for points in lines.values() for _, y, _ in points]
    xlow, xhigh, fx = _scale(xs, _PANEL_W, False)
    ylow, yhigh, fy = _scale(ys, _PANEL_H, True)
    top = 30
    out = [f'<text x="{x0 + _PANEL_W / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<rect x="{x0}" y="{top}" width="{_PANEL_W}" height="{_PANEL_H}" fill="none" stroke="#999"/>']
    for power in range(int(xlow), int(xhigh) + 1):
        x = x0 + fx(10**power)
        out.append(f'<text x="{x:.1f}" y="{top + _PANEL_H + 14}" text-anchor="middle">{10**power:,}</text>')
    for power in range(int(ylow), int(yhigh) + 1):
        y = top + fy(10**power)
        out.append(f'<line x1="{x0}" x2="{x0 + _PANEL_W}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{10**power:g}</text>')
    out.append(f'<text x="{x0 + _PANEL_W / 2}" y="{top + _PANEL_H + 30}" text-anchor="middle">passages</text>')
    out.append(f'<text x="{x0 - 38}" y="{top + _PANEL_H / 2}" text-anchor="middle" '
               f'transform="rotate(-90 {x0 - 38} {top + _PANEL_H / 2})">{unit}</text>')
    for name, points in lines.items():
        colour = _COLOURS.get(name.split()[0], "#444")
        dash = ' stroke-dasharray="4 3"' if "p95" in name else ""
        path = " ".join(f"{x0 + fx(x):.1f},{top + fy(y):.1f}" for x, y, _ in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y, label in points:
            out.append(f'<circle cx="{x0 + fx(x):.1f}" cy="{top + fy(y):.1f}" r="3" fill="{colour}"><title>{label}</title></circle>')
    return out


def render(rows: list[dict[str, object]]) -> str:
    """The SVG text."""
    by_backend = series(rows)
    latency: dict[str, list[tuple[float, float, str]]] = {}
    size: dict[str, list[tuple[float, float, str]]] = {}
    for backend, points in by_backend.items():
        for key in ("p50", "p95"):
            latency[f"{backend} {key}"] = [
                (float(r["passages"]), float(r[f"hybrid_{key}_ms"]), f"{backend} {key} {r[f'hybrid_{key}_ms']} ms")  # type: ignore[arg-type]
                for r in points
            ]
        size[backend] = [
            (float(r["passages"]), float(r["index_bytes"]) / 2**20, f"{backend} {float(r['index_bytes']) / 2**20:.0f} MiB")  # type: ignore[arg-type]
            for r in points if r.get("index_bytes")
        ]
    width = 2 * (_PANEL_W + _MARGIN + 20) + 50  # room for the last size label
    height = _PANEL_H + 90
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">']
    parts += _panel(_MARGIN + 10, "hybrid query (ms; dashed p95)", latency, "ms")
    parts += _panel(2 * _MARGIN + _PANEL_W + 40, "hot index size (MiB)", {k: v for k, v in size.items() if v}, "MiB")
    legend_y = height - 10
    for i, backend in enumerate(by_backend):
        colour = _COLOURS.get(backend, "#444")
        parts.append(f'<rect x="{_MARGIN + 10 + i * 120}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{_MARGIN + 24 + i * 120}" y="{legend_y}">{backend}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_plot", description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path, nargs="+", help="bench.scale --out files")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rows = [row for path in args.results for row in json.loads(path.read_text())]
    if not rows:
        parser.error("no results in the files given")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
