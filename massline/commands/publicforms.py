"""`massline publicforms fill`: store the public forms (the redacted title, text, address and replies) of
rows written before they were stored. Migration ``workflow.0008`` does it for a small database; on a large
one it leaves them to this command, which works in batches of 1,000 rows, each committed on its own, so the
site keeps running (pages compute the forms of a row not filled yet) and a stopped run goes on where it
was."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("publicforms", help="store the redacted public forms of requests and replies")
    p.add_argument("action", choices=["fill", "status"], help="fill: store what is missing; status: count it")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.apps import apps

    from massline.workflow import public_backfill

    requests, replies = public_backfill.pending(apps)
    if args.action == "status" or not requests + replies:
        print(f"{requests} requests and {replies} replies have no stored public forms")
        return 0
    if args.no_progress:
        done = public_backfill.fill_requests(apps), public_backfill.fill_replies(apps)
    else:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        ) as bar:
            r = bar.add_task("requests", total=requests)
            p = bar.add_task("replies", total=replies)
            done = (
                public_backfill.fill_requests(apps, lambda n: bar.advance(r, n)),
                public_backfill.fill_replies(apps, lambda n: bar.advance(p, n)),
            )
    print(f"{done[0]} requests and {done[1]} replies filled")
    return 0
