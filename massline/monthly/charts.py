"""The before/after chart of the monthly problem: one column per week, the weeks before the start in grey,
the weeks after in the brand colour, a dashed line at the start. Server-side SVG like ``portal.charts``, with
a data table beside it on the page."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from massline.portal.charts import BRAND, GRID, MUTED, _fmt, _nice_max, _open

from .measure import Week

BEFORE = "#8b96a1"


def before_after_chart(
    weeks: list[Week], *, title: str, start_label: str, width: int = 560, height: int = 240
) -> SafeString:
    left, right, top_pad, bottom = 44, 12, 24, 40
    desc = "; ".join(f"{w.start:%m-%d}: {w.count}" for w in weeks)
    parts, _uid = _open(title, desc, width, height)
    top = _nice_max(max((w.count for w in weeks), default=0))
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    slot = plot_w / max(1, len(weeks))

    def y_of(v: float) -> float:
        return top_pad + plot_h - v / top * plot_h

    for frac in (0, 0.5, 1):
        y = y_of(top * frac)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" fill="{MUTED}">{_fmt(top * frac)}</text>'
        )
    for i, w in enumerate(weeks):
        x = left + i * slot
        y = y_of(w.count)
        colour = BRAND if w.after else BEFORE
        parts.append(
            f"<g><title>{w.start:%Y-%m-%d}: {w.count}</title>"
            f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{top_pad + plot_h - y:.1f}" '
            f'fill="{colour}"/></g>'
        )
        if i % 2 == 0 or i == len(weeks) - 1:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="12" '
                f'fill="{MUTED}">{w.start:%m-%d}</text>'
            )
    first_after = next((i for i, w in enumerate(weeks) if w.after), None)
    if first_after is not None:
        x = left + first_after * slot
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad - 8}" y2="{top_pad + plot_h}" stroke="{MUTED}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{x + 4:.1f}" y="{top_pad - 10}" font-size="13" fill="{MUTED}">{escape(start_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
