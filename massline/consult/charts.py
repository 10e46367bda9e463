"""Geometry of the opinion map picture (a server-side SVG: no JavaScript, works in any browser)."""

from __future__ import annotations

# Okabe-Ito colours: told apart by people with the common colour-vision deficiencies.
GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
UNGROUPED = "#999999"


def group_colour(g: int) -> str:
    return UNGROUPED if g < 0 else GROUP_COLOURS[g % len(GROUP_COLOURS)]


def scatter(
    snapshot_data: dict,
    *,
    width: int = 560,
    height: int = 360,
    pad: int = 28,
    max_points: int = 3000,
    you: int | None = None,
) -> dict | None:
    """Screen coordinates for every participant on the map (thinned evenly past ``max_points``), the
    group centres and the viewer's own dot. None when the map has no participants yet."""
    points = snapshot_data.get("points") or []
    if not points:
        return None
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 1e-9)  # one scale for both axes: distances mean the same both ways
    scale = min(width - 2 * pad, height - 2 * pad) / span
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return round(width / 2 + (x - cx) * scale, 1), round(height / 2 - (y - cy) * scale, 1)

    stride = max(1, -(-len(points) // max_points))
    dots, mine = [], None
    for i, (x, y, g, pid) in enumerate(points):
        sx, sy = at(x, y)
        if pid == you:
            mine = {"x": sx, "y": sy}
        if i % stride == 0:
            dots.append({"x": sx, "y": sy, "colour": group_colour(g), "group": g})
    labels = []
    for grp in snapshot_data.get("groups") or []:
        members = [(p[0], p[1]) for p in points if p[2] == grp["id"]]
        if not members:
            continue
        mx = sum(m[0] for m in members) / len(members)
        my = sum(m[1] for m in members) / len(members)
        sx, sy = at(mx, my)
        labels.append(
            {"x": sx, "y": sy, "label": grp["label"], "colour": group_colour(grp["id"]), "size": grp["size"]}
        )
    return {
        "width": width,
        "height": height,
        "dots": dots,
        "labels": labels,
        "you": mine,
        "shown": len(dots),
        "total": len(points),
    }
