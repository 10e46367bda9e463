"""Charts as inline SVG (matplotlib, Agg backend), with a CJK font when one is installed.

Glyphs are written as paths, so the report shows Chinese labels correctly on a machine without
CJK fonts. The font is looked up once: "Noto Sans CJK SC", then the other Noto/Source Han/WenQuanYi
families; without any, labels fall back to the default font and ``font_note()`` says so.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from functools import lru_cache

CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Noto Serif CJK SC",
)  # fmt: skip
PALETTE = ("#2f6db5", "#e0813a", "#4a9b5e", "#c2453d", "#7b5ea7", "#8c6d4f", "#d677b7", "#7f7f7f")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed CJK font family, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


def font_note() -> str:
    font = cjk_font()
    if font:
        return f"Charts use the {font} font."
    return ("No CJK font was found (install fonts-noto-cjk): Chinese labels in the charts may show as "
            "empty boxes; the tables are unaffected.")  # fmt: skip


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    font = cjk_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": ([font] if font else []) + ["DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 9,
        }
    )
    return plt


def _svg(fig) -> str:
    buf = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs without a CJK font: already said in the report
        fig.savefig(buf, format="svg", bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # Let the chart scale with the page instead of keeping matplotlib's fixed point size.
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r'<svg\1 class="chart"', svg, count=1)
    return svg


def _short(label: str, width: int = 18) -> str:
    label = str(label)
    return label if len(label) <= width else label[: width - 1] + "…"


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str = "", xlabel: str = "") -> str:
    """Horizontal bars, largest first at the top."""
    plt = _pyplot()
    n = max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(7, 0.32 * n + 0.9))
    positions = list(range(n))[::-1]
    ax.barh(positions, list(values), color=PALETTE[0])
    ax.set_yticks(positions, [_short(x) for x in labels])
    for pos, value in zip(positions, values, strict=False):
        ax.text(value, pos, f" {value:,.0f}" if float(value).is_integer() else f" {value:.2f}", va="center",
                fontsize=8)  # fmt: skip
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.margins(x=0.12)
    return _svg(fig)


def column_chart(labels: Sequence[str], values: Sequence[float], title: str = "", ylabel: str = "") -> str:
    """Vertical columns in the given order (time periods, score bins)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    ax.bar(range(len(values)), list(values), color=PALETTE[0])
    step = max(1, len(labels) // 16)
    ax.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)], rotation=45,
                  ha="right")  # fmt: skip
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    return _svg(fig)


def grouped_bars(labels: Sequence[str], series: dict[str, Sequence[float]], title: str = "") -> str:
    """Several series side by side per label (e.g. mean score per criterion, scorer vs baseline)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 2.8))
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        ax.bar([x + i * width for x in range(len(labels))], list(values), width, label=name,
               color=PALETTE[i % len(PALETTE)])  # fmt: skip
    ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))], list(labels))
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(frameon=False)
    return _svg(fig)
