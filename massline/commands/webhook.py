"""`massline webhook`: add, list, switch on/off, re-key and remove webhook subscriptions; show deliveries.

Every change is recorded in the console's change log as done by "massline webhook". The secret is printed
once, on ``add`` and ``rotate``; the receiver checks every delivery's signature with it (docs/api.md)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("webhook", help="add, list, switch or remove webhooks (signed POSTs of public events)")
    actions = p.add_subparsers(dest="webhook_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="subscribe URL to events and print its secret once")
    add.add_argument("url", help="where to POST, e.g. https://dashboard.example.org/massline")
    add.add_argument(
        "--events", required=True, help="comma-separated event types (submit,dispatch,reply,...) or '*'"
    )
    add.add_argument("--name", help="a short name (default: the URL's host)")
    add.add_argument("--secret", default="", help="the signing secret (default: a random one)")
    actions.add_parser("list", help="list webhooks (never their secrets)")
    for verb, text in (
        ("enable", "switch a webhook on"),
        ("disable", "switch a webhook off (deliveries still waiting are not sent)"),
        ("rotate", "give a webhook a new secret and print it once"),
        ("remove", "remove a webhook and its delivery log"),
    ):
        actions.add_parser(verb, help=text).add_argument("name")
    log = actions.add_parser("log", help="the latest deliveries")
    log.add_argument("name", nargs="?", help="only this webhook's")
    log.add_argument("--last", type=int, default=20)
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from urllib.parse import urlsplit

    from massline.console.actions import ConsoleActor
    from massline.webhooks import actions
    from massline.webhooks.actions import WebhookError
    from massline.webhooks.models import WebhookDelivery, WebhookSubscription

    actor = ConsoleActor.command("massline webhook")
    verb = args.webhook_action
    try:
        if verb == "add":
            name = args.name or (urlsplit(args.url.strip()).hostname or "")
            sub, secret = actions.create_subscription(
                actor, name=name, url=args.url, events=args.events, secret=args.secret
            )
            print(f"added webhook {sub.name!r} → {sub.url} for {', '.join(sub.events)}.", file=sys.stderr)
            print("Its signing secret (store it now; it is not shown again):", file=sys.stderr)
            print(secret)
        elif verb == "list":
            for s in WebhookSubscription.objects.all():
                state = "on" if s.active else "off"
                print(f"{s.name}\t{s.url}\t{','.join(s.events)}\t{state}")
        elif verb == "log":
            rows = WebhookDelivery.objects.select_related("subscription", "request")
            if args.name:
                rows = rows.filter(subscription=actions.find(args.name))
            for d in rows[: max(1, args.last)]:
                ref = d.request.reference if d.request else "-"
                code = d.response_code or "-"
                print(
                    f"{d.created_at:%Y-%m-%d %H:%M:%S}\t{d.subscription.name}\t{d.event}\t{ref}\t"
                    f"{d.status}\tattempts {d.attempts}\tHTTP {code}\t{d.last_error[:120]}"
                )
        else:
            sub = actions.find(args.name)
            if verb == "remove":
                actions.delete_subscription(actor, sub)
                print(f"removed webhook {sub.name!r}")
            elif verb == "rotate":
                secret = actions.update_subscription(actor, sub, rotate_secret=True) or ""
                print(f"new secret for {sub.name!r} (store it now; it is not shown again):", file=sys.stderr)
                print(secret)
            else:
                actions.update_subscription(actor, sub, active=verb == "enable")
                print(f"webhook {sub.name!r} is {'on' if verb == 'enable' else 'off'}")
    except WebhookError as exc:
        print(f"massline webhook: {exc}", file=sys.stderr)
        return 1
    return 0
