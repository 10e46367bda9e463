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
    # One scale for both axes (distances mean the same both ways); the picture is only as tall as needed.
    x_span, y_span = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    scale = min((width - 2 * pad) / x_span, (height - 2 * pad) / y_span)
    if x1 - x0 < 1e-9 and y1 - y0 < 1e-9:
        scale = 1.0  # everyone in one spot
    height = int(min(height, max(200, (y1 - y0) * scale + 2 * pad + 30)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return round(width / 2 + (x - cx) * scale, 1), round(height / 2 - (y - cy) * scale, 1)

    stride = max(1, -(-len(points) // max_points))
    # People who vote identically sit on the same spot: draw one dot per spot, sized by how many.
    spots: dict[tuple, dict] = {}
    mine = None
    for i, (x, y, g, pid) in enumerate(points):
        sx, sy = at(x, y)
        if pid == you:
            mine = {"x": sx, "y": sy}
        if i % stride:
            continue
        spot = spots.setdefault((round(sx / 3), round(sy / 3), g), {"x": sx, "y": sy, "group": g, "count": 0})
        spot["count"] += 1
    dots = []
    for spot in spots.values():
        spot["r"] = round(min(5 + 3 * (spot["count"] - 1) ** 0.5, 22), 1)
        spot["colour"] = group_colour(spot["group"])
        dots.append(spot)
    labels = []
    for grp in snapshot_data.get("groups") or []:
        members = [d for d in dots if d["group"] == grp["id"]]
        if not members:
            continue
        weight = sum(d["count"] for d in members)
        lx = sum(d["x"] * d["count"] for d in members) / weight
        ly = sum(d["y"] * d["count"] for d in members) / weight
        spread = max(((d["x"] - lx) ** 2 + (d["y"] - ly) ** 2) ** 0.5 for d in members)
        if spread < 30:  # a tight spot: put the letter above it rather than on it
            ly = min(d["y"] - d["r"] for d in members) - 18
            if ly < 16:
                ly = max(d["y"] + d["r"] for d in members) + 18
        lx, ly = min(max(lx, 16), width - 16), min(max(ly, 16), height - 16)
        labels.append(
            {
                "x": round(lx, 1),
                "y": round(ly, 1),
                "label": grp["label"],
                "colour": group_colour(grp["id"]),
                "size": grp["size"],
            }
        )
    return {
        "width": width,
        "height": height,
        "dots": dots,
        "labels": labels,
        "you": mine,
        "shown": sum(d["count"] for d in dots),
        "total": len(points),
    }
