"""Tiny server-side SVG charts: no JavaScript, no library, readable by screen readers (<title>, <desc>,
and a data table beside every chart on the page). Sizes are in viewBox units; CSS scales them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BRAND, GRID, INK, MUTED = "#0b5cad", "#c9d1d9", "#1b1f24", "#4a5560"
_ids = count(1)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 2
    if value <= 10:  # counts: an even top keeps the half-way grid line a whole number
        top = math.ceil(value)
        return float(top + top % 2)
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _open(title: str, desc: str, width: int, height: int) -> tuple[list[str], str]:
    uid = f"chart{next(_ids)}"
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
    ], uid


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    unit_label: str = "",
    width: int = 480,
    label_width: int = 150,
    fmt=_fmt,
) -> SafeString:
    """Horizontal bars, one row per (label, value); long labels fit phones better this way."""
    row, pad = 32, 8
    height = max(1, len(items)) * row + 2 * pad
    desc = "; ".join(f"{label}: {fmt(v)}{unit_label}" for label, v in items)
    parts, _uid = _open(title, desc, width, height)
    top = max((v for _l, v in items), default=0) or 1
    room = width - label_width - 70
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        w = max(0.0, value / top * room)
        short = label if len(label) <= 9 else label[:8] + "…"
        parts.append(
            f"<g><title>{escape(label)}: {escape(fmt(value))}{escape(unit_label)}</title>"
            f'<text x="{label_width - 8}" y="{y + row / 2 + 6:.1f}" text-anchor="end" font-size="16">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" rx="2" fill="{BRAND}"/>'
            f'<text x="{label_width + w + 6:.1f}" y="{y + row / 2 + 6:.1f}" font-size="15" fill="{INK}">'
            f"{escape(fmt(value))}{escape(unit_label)}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    points: Sequence[tuple[str, float]], *, title: str, width: int = 480, height: int = 240, fmt=_fmt
) -> SafeString:
    """A line with dots over labelled x positions (months); y axis from zero with three grid lines."""
    left, right, top_pad, bottom = 56, 36, 16, 40
    desc = "; ".join(f"{label}: {fmt(v)}" for label, v in points)
    parts, _uid = _open(title, desc, width, height)
    top = _nice_max(max((v for _l, v in points), default=0))
    plot_w, plot_h = width - left - right, height - top_pad - bottom

    def y_of(v: float) -> float:
        return top_pad + plot_h - v / top * plot_h

    for frac in (0, 0.5, 1):
        y = y_of(top * frac)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="14" fill="{MUTED}">{fmt(top * frac)}</text>'
        )
    n = len(points)
    step = plot_w / max(1, n - 1) if n > 1 else 0
    xy = [(left + (i * step if n > 1 else plot_w / 2), y_of(v)) for i, (_l, v) in enumerate(points)]
    if n > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(xy))
        parts.append(f'<path d="{path}" fill="none" stroke="{BRAND}" stroke-width="2.5"/>')
    every = max(1, (n + 4) // 5)  # at most ~5 x labels, so phones stay legible
    for i, ((label, value), (x, y)) in enumerate(zip(points, xy, strict=True)):
        parts.append(
            f"<g><title>{escape(label)}: {escape(fmt(value))}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BRAND}"/></g>'
        )
        if (i % every == 0 and (n - 1 - i >= every or i == n - 1)) or i == n - 1:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 20}" text-anchor="middle" font-size="14" fill="{MUTED}">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
