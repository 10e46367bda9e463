"""`massline hotspots FILE`: the hot issues (熱點問題) of an export, hottest first."""

from __future__ import annotations

import sys

from massline.core.export import SafeWriter

# The govmsg attachment3 layout; every column can be renamed with an option.
DEFAULTS = {
    "id": "留言编号",
    "requester": "留言用户",
    "title": "留言主题",
    "time": "留言时间",
    "text": "留言详情",
    "dislikes": "反对数",
    "likes": "点赞数",
}
OPTIONAL = {"title", "likes", "dislikes", "requester"}


def register(sub) -> None:
    p = sub.add_parser(
        "hotspots", help="find hot issues (same problem, same place, same weeks) in a CSV export"
    )
    p.add_argument("file", help="CSV file (UTF-8, GB18030/GBK, Big5 or UTF-16)")
    for key, column in DEFAULTS.items():
        p.add_argument(f"--{key}-column", default=column, help=f"(default {column})")
    p.add_argument("--top", type=int, default=10, help="hot issues to print (default 10)")
    p.add_argument(
        "--window-days", type=float, default=60.0, help="longest gap inside one issue (default 60)"
    )
    p.add_argument("--now", help="measure recency from this time (default: the latest message)")
    p.add_argument("-o", "--output", help="write every hot issue (with member ids) to this CSV file")
    p.set_defaults(func=run)


def _columns(args, header: list[str]) -> dict[str, str | None]:
    chosen: dict[str, str | None] = {}
    missing = []
    for key in DEFAULTS:
        column = getattr(args, f"{key}_column")
        if column in header:
            chosen[key] = column
        elif key in OPTIONAL:
            chosen[key] = None
        else:
            missing.append(f"--{key}-column {column!r}")
    if missing:
        raise ValueError(f"missing column(s) {', '.join(missing)}; the file has: {', '.join(header)}")
    return chosen


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-1]
    return text + " " * (width - _width(text))


def run(args) -> int:
    import time

    from massline.commands.dedupe import read_csv_rows
    from massline.core.hotspots import detect_hot_issues

    try:
        header, rows = read_csv_rows(args.file)
        cols = _columns(args, header)
    except (OSError, ValueError) as exc:
        print(f"massline hotspots: {exc}", file=sys.stderr)
        return 2

    def value(row, key, default=""):
        return row.get(cols[key]) or default if cols[key] else default

    records = [
        {
            "id": value(row, "id", str(i + 1)),
            "title": value(row, "title"),
            "text": (value(row, "title") + "\n" + value(row, "text")).strip(),
            "time": value(row, "time"),
            "requester": value(row, "requester", f"row-{i + 1}"),
            "likes": value(row, "likes", "0"),
            "dislikes": value(row, "dislikes", "0"),
        }
        for i, row in enumerate(rows)
    ]
    started = time.perf_counter()
    try:
        issues = detect_hot_issues(records, now=args.now, window_days=args.window_days)
    except ValueError as exc:
        print(f"massline hotspots: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(
        f"{len(rows):,} messages, {len(issues):,} hot issues ({elapsed:.1f} s); the {min(args.top, len(issues))} hottest:"
    )
    print(
        f"{'#':>3}  {'heat':>6}  {'msgs':>4}  {'people':>6}  {'likes':>5}  {'dislikes':>8}  {'time span':23}  title"
    )
    for rank, issue in enumerate(issues[: args.top], 1):
        print(
            f"{rank:>3}  {issue.heat:>6.1f}  {issue.n_requests:>4}  {issue.n_requesters:>6}  {issue.likes:>5}  "
            f"{issue.dislikes:>8}  {issue.time_span:23}  {_pad(issue.title, 60).rstrip()}"
        )
    if args.output:
        with open(args.output, "w", encoding="utf-8-sig", newline="") as f:
            writer = SafeWriter(f)
            writer.writerow(
                [
                    "rank",
                    "heat",
                    "title",
                    "place",
                    "problem",
                    "first",
                    "last",
                    "n_requests",
                    "n_requesters",
                    "likes",
                    "dislikes",
                    "keywords",
                    "member_ids",
                ]
            )
            for rank, h in enumerate(issues, 1):
                writer.writerow(
                    [
                        rank,
                        h.heat,
                        h.title,
                        h.place,
                        h.problem,
                        h.first.isoformat(sep=" "),
                        h.last.isoformat(sep=" "),
                        h.n_requests,
                        h.n_requesters,
                        h.likes,
                        h.dislikes,
                        " ".join(h.keywords),
                        " ".join(map(str, h.member_ids)),
                    ]
                )
        print(f"wrote {args.output}")
    return 0
