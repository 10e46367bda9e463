"""The coverage/precision curve as an inline SVG (no JavaScript), in the style of portal.charts."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from massline.portal.charts import GRID, INK, MUTED, _open

LEVEL_COLOURS = {"1": "#0b5cad", "2": "#b3541e", "3": "#2e7d32"}


def coverage_precision_chart(
    curves: dict[str, Sequence[Sequence[float]]],
    thresholds: dict[str, float],
    *,
    target: float,
    title: str,
    level_label: str,  # with %(level)s
    width: int = 520,
    height: int = 300,
) -> SafeString:
    """One line per level: x = share of requests routed without a person, y = share of those right.
    A dot marks each level's threshold; the dashed line is the precision target."""
    left, right, top_pad, bottom = 56, 24, 16, 44
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    low = min([0.5, target - 0.05, *(p[2] for pts in curves.values() for p in pts)])

    def xy(coverage: float, precision: float) -> tuple[float, float]:
        y = top_pad + plot_h - (precision - low) / (1 - low) * plot_h
        return left + coverage * plot_w, y

    desc = "; ".join(
        f"{level_label % {'level': level}}: "
        + ", ".join(f"{p[1]:.0%} routed at {p[2]:.0%} precision" for p in pts[:: max(1, len(pts) // 4)])
        for level, pts in curves.items()
        if pts
    )
    parts, _uid = _open(title, desc or title, width, height)
    for frac in (0, 0.5, 1):
        x = left + frac * plot_w
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad}" y2="{top_pad + plot_h}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="13" fill="{MUTED}">{frac:.0%}</text>'
        )
    for value in (low, (low + 1) / 2, 1.0):
        _x, y = xy(0, value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" fill="{MUTED}">{value:.0%}</text>'
        )
    _x, ty = xy(0, target)
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{INK}" stroke-dasharray="5 4"/>'
    )
    for level, pts in curves.items():
        if not pts:
            continue
        colour = LEVEL_COLOURS.get(level, INK)
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(xy(p[1], p[2]) for p in pts)
        )
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        chosen = [p for p in pts if p[0] >= thresholds.get(level, 2)]
        if chosen:
            cx, cy = xy(chosen[-1][1], chosen[-1][2])
            parts.append(
                f"<g><title>{escape(level_label % {'level': level})}: {chosen[-1][1]:.0%} / {chosen[-1][2]:.0%}</title>"
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"/></g>'
            )
        lx, ly = xy(pts[-1][1], pts[-1][2])
        ly = ly + 20 if ly < top_pad + 20 else ly - 8  # below the line's end when that is at the top
        parts.append(
            f'<text x="{min(lx, width - right - 30) - 20:.1f}" y="{ly:.1f}" font-size="13" fill="{colour}">'
            f"{escape(level_label % {'level': level})}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
