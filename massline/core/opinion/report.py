"""Offline, self-contained HTML report of an opinion map (picture inlined as base64 PNG)."""

from __future__ import annotations

import base64
import html
import io
from datetime import UTC, datetime

import numpy as np

GROUP_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"]
CJK_FONT_HINTS = (
    "Noto Sans CJK",
    "Noto Sans TC",
    "Noto Sans SC",
    "Noto Serif CJK",
    "Source Han Sans",
    "WenQuanYi",
    "Droid Sans Fallback",
    "AR PL",
    "Microsoft JhengHei",
    "PingFang",
    "Heiti",
)


def group_name(g: int) -> str:
    return chr(ord("A") + g) if g < 26 else f"G{g}"


def find_cjk_font() -> str | None:
    """Name of an installed font that can draw Chinese, if matplotlib knows one."""
    from matplotlib import font_manager

    for hint in CJK_FONT_HINTS:
        for f in font_manager.fontManager.ttflist:
            if hint.lower() in f.name.lower():
                return f.name
    return None


def _needs_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in text)


def render_map_png(model, title: str = "", dpi: int = 110) -> tuple[bytes, str | None]:
    """The map as PNG bytes: participants by group, group centres, statements as faint ticks.

    Returns (png, font used for CJK or None). A title needing a CJK font is left out of the picture when
    no such font is installed (the HTML page shows it anyway).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = find_cjk_font()
    rc = {"font.sans-serif": ([font] if font else []) + ["DejaVu Sans"], "font.family": "sans-serif"}
    with plt.rc_context(rc):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(7.5, 6), dpi=dpi)
        proj = model.projection_array_
        labels = model.labels_
        inside = labels >= 0
        n = len(proj)
        if n > 200_000:  # keep the picture light: a fixed-seed sample of points
            idx = np.flatnonzero(inside)
            idx = np.sort(np.random.default_rng(0).choice(idx, min(len(idx), 200_000), replace=False))
        else:
            idx = np.flatnonzero(inside)
        size = max(2.0, 30.0 / np.sqrt(max(len(idx), 1) / 100.0))
        for g in range(model.n_groups_):
            sel = idx[labels[idx] == g]
            color = GROUP_COLORS[g % len(GROUP_COLORS)]
            count = int((labels == g).sum())
            ax.scatter(
                proj[sel, 0],
                proj[sel, 1],
                s=size,
                alpha=0.55,
                color=color,
                linewidths=0,
                label=f"Group {group_name(g)} ({count:,})",
            )
        for g, (cx, cy) in enumerate(model.group_centers_):
            ax.scatter(
                [cx],
                [cy],
                s=220,
                marker="X",
                color=GROUP_COLORS[g % len(GROUP_COLORS)],
                edgecolors="black",
                linewidths=1.0,
                zorder=5,
            )
            ax.annotate(
                group_name(g),
                (cx, cy),
                xytext=(8, 8),
                textcoords="offset points",
                fontsize=13,
                fontweight="bold",
            )
        ax.axhline(0, color="#bbb", lw=0.6, zorder=0)
        ax.axvline(0, color="#bbb", lw=0.6, zorder=0)
        ax.set_xlabel("first principal component")
        ax.set_ylabel("second principal component")
        if title and (font or not _needs_cjk(title)):
            ax.set_title(title)
        if model.n_groups_:
            ax.legend(loc="best", fontsize=9, frameon=True)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return buf.getvalue(), font


def _pct(a: int, n: int) -> str:
    return f"{(100.0 * a / n):.0f}%" if n else "–"


def _statement_row(model, comments: dict, tid, extra: str = "") -> str:
    text = comments.get(tid, "")
    return f"<td class=tid>#{html.escape(str(tid))}</td><td>{html.escape(text)}</td>{extra}"


def build_report(model, comments: dict | None = None, title: str = "", source: str = "") -> str:
    """The full HTML page as a string."""
    comments = comments or {}
    png, font = render_map_png(model, title)
    img = base64.b64encode(png).decode("ascii")
    sizes = model.group_sizes()
    vm = model.matrix_
    sidx = vm.statement_index()
    A, D, S = (model.group_votes_[k] for k in ("A", "D", "S"))
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{esc(title or 'Opinion map')}</title>",
        "<style>body{font-family:'Noto Sans CJK TC','Noto Sans TC','PingFang TC','Microsoft JhengHei',"
        "system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
        "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;"
        "padding:.35em .5em;vertical-align:top;text-align:left}td.tid{color:#777;white-space:nowrap}"
        ".num{white-space:nowrap;text-align:right}.sw{display:inline-block;width:.9em;height:.9em;"
        "border-radius:50%;margin-right:.4em;vertical-align:middle}.agree{color:#1a7f37}"
        ".disagree{color:#b42318}.muted{color:#777;font-size:.9em}img{max-width:100%}</style></head><body>",
        f"<h1>{esc(title or 'Opinion map')}</h1>",
        f"<p class=muted>{len(vm.participants):,} participants · {len(vm.statements):,} statements · "
        f"{vm.nnz:,} votes · {len(model.in_conversation_):,} participants on the map · "
        f"{model.n_groups_} opinion groups. Pol.is-compatible math (massline). "
        f"{esc(source)}</p>",
        f"<img alt='opinion map' src='data:image/png;base64,{img}'>",
        "<h2>Groups</h2><table><tr><th>Group</th><th class=num>Participants</th></tr>",
    ]
    for g, n in enumerate(sizes):
        color = GROUP_COLORS[g % len(GROUP_COLORS)]
        parts.append(
            f"<tr><td><span class=sw style='background:{color}'></span>Group {group_name(g)}</td>"
            f"<td class=num>{n:,}</td></tr>"
        )
    parts.append("</table>")
    for g in range(model.n_groups_):
        parts.append(f"<h2>What makes group {group_name(g)} distinct</h2><table>")
        parts.append(
            "<tr><th></th><th>Statement</th><th>Group</th><th class=num>In group</th>"
            "<th class=num>Everyone else</th></tr>"
        )
        for r in model.repness_.get(g, []):
            j = sidx[r["tid"]]
            side = r["repful-for"]
            cnt = A if side == "agree" else D
            rest_n = int(S[:, j].sum() - S[g, j])
            rest_c = int(cnt[:, j].sum() - cnt[g, j])
            extra = (
                f"<td class={side}>{side}s</td>"
                f"<td class=num>{_pct(r['n-success'], r['n-trials'])} of {r['n-trials']}</td>"
                f"<td class=num>{_pct(rest_c, rest_n)} of {rest_n}</td>"
            )
            parts.append(f"<tr>{_statement_row(model, comments, r['tid'], extra)}</tr>")
        parts.append("</table>")
    parts.append("<h2>Consensus: what most participants share</h2><table>")
    parts.append("<tr><th></th><th>Statement</th><th>Everyone</th><th class=num>Share</th></tr>")
    for side in ("agree", "disagree"):
        for r in model.consensus_.get(side, []):
            extra = (
                f"<td class={side}>{side}s</td>"
                f"<td class=num>{_pct(r['n-success'], r['n-trials'])} of {r['n-trials']}</td>"
            )
            parts.append(f"<tr>{_statement_row(model, comments, r['tid'], extra)}</tr>")
    parts.append("</table>")
    if model.n_groups_ > 1:
        gac = model.group_informed_consensus_
        excl = set(model.mod_out) | set(model.meta)
        top = sorted((t for t in gac if t not in excl), key=lambda t: -gac[t])[:5]
        parts.append("<h2>Common ground across groups (group-informed consensus)</h2><table>")
        parts.append(
            "<tr><th></th><th>Statement</th><th class=num>Score</th>"
            + "".join(f"<th class=num>Group {group_name(g)} agrees</th>" for g in range(model.n_groups_))
            + "</tr>"
        )
        for t in top:
            j = sidx[t]
            cells = "".join(
                f"<td class=num>{_pct(int(A[g, j]), int(S[g, j]))}</td>" for g in range(model.n_groups_)
            )
            parts.append(
                f"<tr>{_statement_row(model, comments, t, f'<td class=num>{gac[t]:.3f}</td>' + cells)}</tr>"
            )
        parts.append("</table>")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts.append(
        f"<p class=muted>Generated offline by massline on {stamp}. "
        f"Picture font: {esc(font or 'default (no CJK font found)')}.</p></body></html>"
    )
    return "\n".join(parts)
