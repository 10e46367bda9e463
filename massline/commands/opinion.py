"""``massline opinion DIR``: the Pol.is-compatible opinion map of a Pol.is export folder.

massline opinion ../shared/data/polis/vtaiwan.uberx -o report.html
massline opinion ../shared/data/polis/vtaiwan.uberx --json map.json
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "opinion",
        help="opinion map (Pol.is-compatible groups, representative and consensus statements)",
        description=(
            "Compute the opinion map of a Pol.is openData export folder (comments.csv plus votes.csv or "
            "participants-votes.csv) or a Pol.is API fixture folder (votes.json, comments.json) and write "
            "an offline HTML report and/or a JSON summary."
        ),
    )
    p.add_argument("directory", help="folder holding the Pol.is export")
    p.add_argument("-o", "--output", metavar="REPORT.html", help="write the offline HTML report here")
    p.add_argument(
        "--json",
        metavar="OUT.json",
        help='write {"groups": {participant: group or null}, "consensus": [...], "repness": {...}}',
    )
    p.add_argument("--export", metavar="DIR", help="also write Pol.is openData CSVs with our group-id")
    p.add_argument("--groups", type=int, default=None, help="force this many groups (default: silhouette)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output on stderr")
    p.set_defaults(func=run)


def _progress(quiet: bool):
    def say(msg: str) -> None:
        if not quiet:
            print(f"[opinion] {msg}", file=sys.stderr, flush=True)

    return say


def json_summary(model) -> dict:
    """The stable JSON shape other tools read: groups, consensus (a list), repness (by group)."""
    consensus = []
    for side in ("agree", "disagree"):
        for r in model.consensus_.get(side, []):
            consensus.append({**r, "cons-for": side})
    return {
        "groups": {str(p): g for p, g in model.groups_.items()},
        "consensus": consensus,
        "repness": {str(g): rows for g, rows in model.repness_.items()},
    }


def _read_topic(directory) -> str:
    import csv
    from pathlib import Path

    summary = Path(directory) / "summary.csv"
    if summary.exists():
        with summary.open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                if len(row) >= 2 and row[0] == "topic":
                    return row[1]
    conv = Path(directory) / "conversation.json"
    if conv.exists():
        import json

        return json.loads(conv.read_text()).get("topic") or ""
    return ""


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from massline.core.opinion import OpinionMap, PolisExportError, load_polis_export, load_polis_reference

    say = _progress(args.quiet)
    if not args.output and not args.json and not args.export:
        print(
            "massline opinion: nothing to write; give -o REPORT.html and/or --json OUT.json", file=sys.stderr
        )
        return 2
    d = Path(args.directory)
    try:
        if (d / "votes.json").exists() and (d / "comments.json").exists():
            conv = load_polis_reference(d)
        else:
            conv = load_polis_export(d, progress=say)
    except PolisExportError as exc:
        print(f"massline opinion: {exc}", file=sys.stderr)
        return 2
    vm = conv.votes
    if vm.nnz == 0:
        print(f"massline opinion: {d} holds no votes", file=sys.stderr)
        return 2
    say(f"{vm.shape[0]:,} participants, {vm.shape[1]:,} statements, {vm.nnz:,} votes")
    large = vm.nnz > 200_000
    model = OpinionMap(
        mod_out=conv.mod_out,
        meta=conv.meta,
        n_groups=args.groups,
        verbose=say if (large and not args.quiet) else False,
    ).fit(vm)
    say(
        f"{len(model.in_conversation_):,} participants on the map, {model.n_groups_} groups "
        f"{model.group_sizes()} in {model.fit_seconds_:.2f}s"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(json_summary(model), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        say(f"wrote {args.json}")
    if args.output:
        from massline.core.opinion.report import build_report

        page = build_report(model, conv.comments, title=_read_topic(d) or d.name, source=f"Source: {d.name}")
        Path(args.output).write_text(page, encoding="utf-8")
        say(f"wrote {args.output}")
    if args.export:
        from massline.core.opinion import write_polis_export

        write_polis_export(args.export, model, comments=conv.comments, mod_out=conv.mod_out)
        say(f"wrote Pol.is CSVs to {args.export}")
    return 0
